"""Client import, part one: which column is which field, and checking each row of the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.services.clients.clients import PHONE_PATTERN
from salon_desk.services.text import clean_block, clean_email, clean_line
from salon_desk.services.common import name_key
from salon_desk.textindex import fold

TEXT_FIELDS = {"first_name": 100, "last_name": 100, "phone": 40, "email": 254, "street": 200,
               "postal_code": 20, "city": 100, "notes": 10_000}  # fmt: skip
DATE_FIELDS = ("birthday", "last_visit", "email_consent_date", "sms_consent_date")
CHANNELS = {"email": ("email_consent", "email_consent_date", "email"), "sms": ("sms_consent", "sms_consent_date", "phone")}
FIELD_LABELS = {
    "first_name": N_("First name"), "last_name": N_("Last name"), "phone": N_("Phone"), "email": N_("Email"),
    "birthday": N_("Birthday"), "street": N_("Street"), "postal_code": N_("Postal code"), "city": N_("City"),
    "notes": N_("Notes"), "categories": N_("Categories"), "last_visit": N_("Last visit"),
    "email_consent": N_("Email consent"), "email_consent_date": N_("Email consent date"),
    "sms_consent": N_("SMS consent"), "sms_consent_date": N_("SMS consent date"),
}  # fmt: skip
FIELDS = tuple(FIELD_LABELS)
# Folded header words (German and English) that name each field.
SYNONYMS = {
    "first_name": ("vorname", "first name", "firstname", "given name"),
    "last_name": ("nachname", "name", "last name", "lastname", "surname", "familienname"),
    "phone": ("telefon", "phone", "handy", "mobil", "mobile", "tel", "telefonnummer", "mobilnummer"),
    "email": ("e mail", "email", "mail", "e mail adresse"),
    "birthday": ("geburtstag", "geburtsdatum", "birthday", "date of birth"),
    "street": ("strasse", "street", "adresse", "address", "strasse und hausnummer"),
    "postal_code": ("plz", "postleitzahl", "postal code", "zip", "postcode"),
    "city": ("ort", "stadt", "city", "town", "wohnort"),
    "notes": ("notiz", "notizen", "bemerkung", "bemerkungen", "notes", "note", "kommentar"),
    "categories": ("kategorie", "kategorien", "kundenkategorie", "categories", "category"),
    "last_visit": ("letzter besuch", "last visit"),
    "email_consent": ("e mail einwilligung", "newsletter", "email consent", "e mail werbung"),
    "email_consent_date": ("e mail einwilligung datum", "newsletter datum", "email consent date"),
    "sms_consent": ("sms einwilligung", "sms consent", "sms werbung"),
    "sms_consent_date": ("sms einwilligung datum", "sms consent date"),
}
YES = {"1", "ja", "j", "yes", "y", "x", "true", "wahr"}
NO = {"0", "nein", "n", "no", "false", "falsch", ""}
CATEGORY_SPLIT = re.compile(r"[,;|]")
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")


class Duplicates(StrEnum):
    """What happens to a row whose email or phone belongs to a client already there."""

    SKIP = "skip"
    MERGE = "merge"


@dataclass(frozen=True)
class ImportOptions:
    """The user's choices: column → field, duplicates, whether unknown categories are created."""

    mapping: dict[int, str]
    duplicates: Duplicates = Duplicates.SKIP
    create_categories: bool = False
    file_name: str = ""


@dataclass(frozen=True)
class RowError:
    """A wrong value: the file's row number, the field and what is wrong."""

    row: int
    field: str
    message: str

    @property
    def field_label(self) -> str:
        """The translated field name."""
        return _(FIELD_LABELS[self.field]) if self.field in FIELD_LABELS else self.field


@dataclass
class ParsedRow:
    """One valid row: the client's columns, category names and the consents the file states."""

    row: int
    values: dict[str, object]
    categories: list[str] = field(default_factory=list)
    consents: dict[str, datetime] = field(default_factory=dict)
    valid: bool = True


def field_label(name: str) -> str:
    """The translated name of an import field."""
    return _(FIELD_LABELS[name])


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field for the headers that name a field (each field once)."""
    lookup = {word: name for name, words in SYNONYMS.items() for word in words}
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = " ".join(re.findall(r"[a-z0-9]+", fold(header)))
        name = lookup.get(key)
        if name is not None and name not in mapping.values():
            mapping[index] = name
    return mapping


def check_mapping(mapping: dict[int, str]) -> None:
    """Refuse a mapping without a name column or with a field chosen twice."""
    chosen = [name for name in mapping.values() if name]
    if "first_name" not in chosen and "last_name" not in chosen:
        raise ValidationError(_("Choose the column holding the first name or the last name."), "mapping")
    for name in set(chosen):
        if chosen.count(name) > 1:
            raise ValidationError(
                _("The field “{field}” is chosen for two columns.").format(field=field_label(name)), "mapping"
            )


def parse_date(text: str) -> date:
    """``24.12.1985``, ``24.12.85``, ``1985-12-24`` (also with a time); ValueError otherwise."""
    text = text.strip()
    match = _DOTTED.match(text)
    if match is None:
        return date.fromisoformat(text[:10])
    day, month, year = (int(part) for part in match.groups())
    if len(match.group(3)) == 2:
        year += 2000 if year <= date.today().year % 100 else 1900
    return date(year, month, day)


class RowChecker:
    """Checks the rows of one file against one mapping; collects every wrong value."""

    def __init__(self, mapping: dict[int, str], today: date) -> None:
        self.columns = [(index, name) for index, name in sorted(mapping.items()) if name]
        self.today = today
        self.errors: list[RowError] = []

    def parse(self, row_number: int, cells: list[str]) -> ParsedRow:
        """The row's values; not ``valid`` after recording each of its wrong fields."""
        raw = {name: (cells[index] if index < len(cells) else "").strip() for index, name in self.columns}
        before = len(self.errors)
        values = self._texts(row_number, raw)
        dates = self._dates(row_number, raw)
        values["birthday"], values["last_visit"] = dates.get("birthday"), dates.get("last_visit")
        parsed = ParsedRow(row_number, values, _category_names(raw.get("categories", "")))
        for channel, (flag, date_field, contact) in CHANNELS.items():
            self._consent(parsed, raw, dates, channel, (flag, date_field, contact))
        parsed.valid = len(self.errors) == before
        return parsed

    def _error(self, row: int, name: str, message: str) -> None:
        self.errors.append(RowError(row, name, message))

    def _texts(self, row: int, raw: dict[str, str]) -> dict[str, object]:
        """The row's texts cleaned as the client card cleans them (``services.text``); errors by field."""
        values: dict[str, object] = {}
        for name, limit in TEXT_FIELDS.items():
            clean = clean_block if name == "notes" else clean_line
            try:
                values[name] = clean(raw.get(name, ""), name, limit)
            except ValidationError as error:
                self._error(row, name, error.message)
                values[name] = ""
        if not values["first_name"] and not values["last_name"]:
            self._error(row, "last_name", _("A first name or a last name is needed."))
        if values["email"]:
            try:
                values["email"] = clean_email(str(values["email"]))
            except ValidationError as error:
                self._error(row, "email", error.message)
        if values["phone"] and not PHONE_PATTERN.fullmatch(str(values["phone"])):
            self._error(row, "phone", _("“{phone}” is not a phone number.").format(phone=values["phone"]))
        return values

    def _dates(self, row: int, raw: dict[str, str]) -> dict[str, date]:
        found: dict[str, date] = {}
        for name in DATE_FIELDS:
            text = raw.get(name, "")
            if not text:
                continue
            try:
                value = parse_date(text)
            except ValueError:
                self._error(row, name, _("“{text}” is not a date (e.g. 24.12.1985).").format(text=text))
                continue
            if value > self.today:
                self._error(row, name, _("The date {text} is in the future.").format(text=text))
                continue
            found[name] = value
        return found

    def _consent(
        self, parsed: ParsedRow, raw: dict[str, str], dates: dict[str, date], channel: str, names: tuple[str, str, str]
    ) -> None:
        flag, date_field, contact = names
        answer = fold(raw.get(flag, ""))
        if answer in NO:
            return
        if answer not in YES:
            self._error(parsed.row, flag, _("“{text}” is neither yes nor no.").format(text=raw[flag]))
        elif not parsed.values.get(contact):
            self._error(parsed.row, flag, _("Consent without the address it is for."))
        elif date_field not in dates:
            if not raw.get(date_field):
                self._error(parsed.row, date_field, _("The file says consent was given but not when."))
        else:
            given = dates[date_field]
            parsed.consents[channel] = datetime(given.year, given.month, given.day, 12, tzinfo=UTC)


def _category_names(text: str) -> list[str]:
    names: list[str] = []
    for part in CATEGORY_SPLIT.split(text):
        clean = " ".join(part.split())
        if clean and name_key(clean) not in {name_key(n) for n in names}:
            names.append(clean)
    return names
