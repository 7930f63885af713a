"""The German catalogue: complete for the current source, consistent, compiled, and used by i18n."""

from __future__ import annotations

import ast

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from salon_desk import i18n
from salon_desk.paths import translations_dir

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PO = ROOT / "translations" / "de" / "LC_MESSAGES" / "salon_desk.po"
MO = PO.with_suffix(".mo")
POT = ROOT / "translations" / "salon_desk.pot"

# The template categories created on first start (DESIGN.md section 4), exactly as a German salon names them.
TEMPLATE_CATEGORIES = {
    "Regular client": "Stammkunde",
    "New client": "Neukunde",
    "Student": "Student/in",
    "Senior": "Rentner/in",
    "VIP": "VIP",
    "Staff": "Mitarbeiter/in",
    "Referral": "Empfehlung",
    "Flyer campaign": "Flyer-Kampagne",
}

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def load_po() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file, locale="de")


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def forms(message: Message) -> list[tuple[str, str]]:
    """(msgid form, msgstr form) pairs: one for a plain message, one per plural form (German has two)."""
    if message.pluralizable:
        singular, plural = message.id
        strings = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
        ids = [singular] + [plural] * (len(strings) - 1)
        return list(zip(ids, strings, strict=True))
    return [(message.id, message.string)]


def key(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """A msgid or msgstr as a hashable value (plural ids and strings as tuples)."""
    return value if isinstance(value, str) else tuple(value)


def accelerators(text: str) -> int:
    """How many keyboard accelerators (``&x``; ``&&`` is a literal ampersand) a label has."""
    return len(re.findall(r"&(?!&)\S", text.replace("&&", "")))


def extract_source() -> dict[str, tuple[str, int]]:
    """Every msgid in ``src`` extracted afresh with the project's babel.cfg: msgid -> first location."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found: dict[str, tuple[str, int]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(SRC, method_map, options_map):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, (filename, lineno))
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_po()


def test_every_message_in_the_source_has_a_german_translation(catalog: Catalog) -> None:
    source = extract_source()
    assert source, "nothing was extracted from src"
    missing = []
    for msgid, (filename, lineno) in sorted(source.items(), key=lambda item: item[1]):
        message = catalog.get(msgid)
        if message is None or not all(string.strip() for _msgid, string in forms(message)):
            missing.append(f"{filename}:{lineno}: {msgid!r}")
    assert not missing, (
        f"{len(missing)} message(s) without German translation; run `make translations` and translate:\n"
        + "\n".join(missing)
    )


def test_catalogue_header_has_german_plural_forms(catalog: Catalog) -> None:
    assert str(catalog.locale) == "de"
    assert catalog.num_plurals == 2
    assert catalog.plural_expr.replace(" ", "") in {"(n!=1)", "n!=1"}


def test_no_fuzzy_or_empty_entries(catalog: Catalog) -> None:
    fuzzy = [m.id for m in messages(catalog) if m.fuzzy]
    empty = [m.id for m in messages(catalog) if not all(s.strip() for _i, s in forms(m))]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"


def test_plural_messages_have_both_german_forms(catalog: Catalog) -> None:
    for message in messages(catalog):
        if message.pluralizable:
            assert isinstance(message.string, (tuple, list)) and len(message.string) == 2, message.id


def test_placeholders_are_kept(catalog: Catalog) -> None:
    wrong = []
    for message in messages(catalog):
        for msgid, msgstr in forms(message):
            want = Counter(PLACEHOLDER.findall(msgid))
            got = Counter(PLACEHOLDER.findall(msgstr))
            # Each German form is compared with the English form it stands for (singular or plural).
            if got != want:
                wrong.append(f"{msgid!r}: {sorted(want)} != {sorted(got)} in {msgstr!r}")
    assert not wrong, "\n".join(wrong)


def test_labels_keep_accelerator_ellipsis_colon_and_blanks(catalog: Catalog) -> None:
    wrong = []
    for message in messages(catalog):
        for msgid, msgstr in forms(message):
            if accelerators(msgid) != accelerators(msgstr):
                wrong.append(f"accelerator: {msgid!r} -> {msgstr!r}")
            for ending in ("…", ":"):
                if msgid.endswith(ending) != msgstr.endswith(ending):
                    wrong.append(f"ending {ending!r}: {msgid!r} -> {msgstr!r}")
            if (msgid[:1].isspace(), msgid[-1:].isspace()) != (msgstr[:1].isspace(), msgstr[-1:].isspace()):
                wrong.append(f"surrounding blanks: {msgid!r} -> {msgstr!r}")
    assert not wrong, "\n".join(wrong)


def test_babel_finds_no_format_errors(catalog: Catalog) -> None:
    errors = [f"{m.id!r}: {[str(e) for e in errs]}" for m, errs in catalog.check()]
    assert not errors, "\n".join(errors)


def test_template_categories_have_their_german_names(catalog: Catalog) -> None:
    assert {msgid: catalog[msgid].string for msgid in TEMPLATE_CATEGORIES} == TEMPLATE_CATEGORIES


def test_template_file_lists_the_same_messages_as_the_catalogue(catalog: Catalog) -> None:
    with POT.open("rb") as file:
        template = read_po(file)
    assert {m.id for m in messages(template)} == {m.id for m in messages(catalog)}


def test_compiled_catalogue_matches_the_po_file(catalog: Catalog) -> None:
    assert MO.is_file(), "run `pybabel compile -d translations -D salon_desk`"
    with MO.open("rb") as file:
        compiled = read_mo(file)
    po_strings = {key(m.id): key(m.string) for m in messages(catalog)}
    mo_strings = {key(m.id): key(m.string) for m in messages(compiled)}
    assert set(mo_strings) == set(po_strings), "the .mo is out of date; recompile it"
    stale = [msgid for msgid, string in po_strings.items() if mo_strings[msgid] != string]
    assert not stale, f"the .mo differs from the .po for: {stale}"


def test_the_app_loads_the_compiled_catalogue_from_the_translations_folder() -> None:
    assert (translations_dir() / "de" / "LC_MESSAGES" / "salon_desk.mo").resolve() == MO.resolve()
    i18n.set_language("de")
    assert i18n.language() == "de"
    assert i18n.locale_name() == "de_DE"
    assert i18n._("Settings") == "Einstellungen"
    assert i18n._("&Name:") == "&Name:"
    assert i18n._("Discount") == "Rabatt"


def test_german_messages_and_formats() -> None:
    i18n.set_language("de")
    assert i18n._("New client") == "Neukunde"
    assert i18n._("Regular client") == "Stammkunde"
    assert i18n.format_money(Decimal("1234.5")) == "1.234,50\xa0€"
    assert i18n.format_percent(Decimal(10)) == "10\xa0%"
    assert i18n.format_percent(Decimal("12.5")) == "12,5\xa0%"
    assert i18n._("The name is {length} characters long; at most {max} are allowed.").format(
        length=61, max=60
    ) == "Der Name ist 61 Zeichen lang; erlaubt sind höchstens 60."


def test_english_stays_english() -> None:
    i18n.set_language("en")
    assert i18n._("New client") == "New client"
    assert i18n.format_money(Decimal("1234.5")) == "€1,234.50"
    assert i18n.format_percent(Decimal(10)) == "10%"


@pytest.mark.parametrize(("count", "text"), [(0, "0 Kunden"), (1, "1 Kunde"), (2, "2 Kunden"), (21, "21 Kunden")])
def test_german_plural_forms(count: int, text: str) -> None:
    i18n.set_language("de")
    assert i18n.ngettext("{n} client", "{n} clients", count).format(n=count) == text


def test_english_plural_forms() -> None:
    i18n.set_language("en")
    assert i18n.ngettext("{n} client", "{n} clients", 1).format(n=1) == "1 client"
    assert i18n.ngettext("{n} client", "{n} clients", 3).format(n=3) == "3 clients"


def test_staff_members_are_mitarbeiter_in_throughout():
    """One form for every staff member, whoever they are: "Mitarbeiter/in", "Mitarbeiter/innen"."""
    other = re.compile(r"Mitarbeiter(?!/in)")
    wrong = [text for message in messages(load_po()) for _id, text in forms(message) if other.search(text)]
    assert not wrong


def test_no_message_hides_inside_an_f_string():
    """Babel does not look inside f-strings: a `_()` there is never extracted, so never translated."""
    hidden = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if (
                        isinstance(call, ast.Call)
                        and getattr(call.func, "id", "") in {"_", "ngettext", "N_"}
                        and isinstance(call.args[0], ast.Constant)  # a variable's text is extracted where it is written
                    ):
                        hidden.append(f"{path.relative_to(SRC)}:{call.lineno}")
    assert not hidden
