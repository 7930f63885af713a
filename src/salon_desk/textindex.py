"""Folding of client text into search words, and of typed search text into safe index queries.

The same folding feeds both sides, so SQLite FTS5 and PostgreSQL's tsvector find
"Müller" for ``mül``, ``MÜL``, ``mul`` and ``muel``, and ``+49 171`` finds ``0171 …``.
A word is a run of letters or a run of digits: "schmidt3" in an email address is
the two words "schmidt" and "3".

A client's search text is stored as ``"<lead words> | <other words>"``. The lead
words are the word the sort name starts with (the last name's first word) and its
spelling with ä → ae: a search for a prefix of one of them finds clients that lie
together in name order, in the range of sort names starting with that prefix
(``lead_ranges``). The other words (first names, phone, email) are indexed apart, so
the list can ask the index for the few clients found by another word only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[a-z]+|[0-9]+")
_PHONE_QUERY = re.compile(r"^[\d\s+()/.\-]+$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_UMLAUT_E = re.compile(r"(?<=[aou])e")
MAX_UMLAUT_PAIRS = 3
LEAD_MARK = "|"
"""Separates the lead words from the other words in ``clients.search_text``."""
COUNTRY_PREFIX = "49"
MAX_QUERY_WORDS = 8


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits: accents removed, ß to ss, ł to l."""
    if text.isascii():  # nothing to decompose: the common case, and 20 times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits only)."""
    return _WORD.findall(fold(text))


def phone_digits(phone: str) -> list[str]:
    """The phone's digits as one word, plus its international form and, for a German number, its national one.

    "+49 171 234", "0049 171 234" and "0171 234" all give "0171234" and "49171234".
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return []
    forms = [digits]
    international = digits if phone.strip().startswith("+") else digits[2:] if digits.startswith("00") else None
    if international is None:
        if digits.startswith("0"):
            forms.append(COUNTRY_PREFIX + digits[1:])
    else:
        forms.append(international)
        if international.startswith(COUNTRY_PREFIX):
            forms.append("0" + international[len(COUNTRY_PREFIX) :])
    return list(dict.fromkeys(forms))


def phone_query_digits(text: str) -> str:
    """The one form of a typed phone number that every stored number it means holds (see ``phone_digits``).

    National for a German number however typed ("+49 17" → "017"), the international
    digits for another country ("0043 66" → "4366"), else the digits as typed.
    """
    forms = phone_digits(text)
    if not forms:
        return ""
    typed = forms[0]
    international = typed if text.strip().startswith("+") else typed[2:] if typed.startswith("00") else None
    if not international:  # national, or only the "00" of an international number typed so far
        return typed
    return forms[-1] if international.startswith(COUNTRY_PREFIX) else international


def phone_key(phone: str) -> str:
    """The one form of a phone number that duplicates share: "+49 171 23", "0049 171 23" and "0171 23" → "017123".

    Kept in ``clients.phone_digits``; at most 40 characters, '' for no digits.
    """
    return phone_query_digits(phone)[:40]


def client_search_text(first_name: str, last_name: str, phone: str, email: str) -> str:
    """The words a client is found by, "<lead words> | <other words>" (see the module's notes).

    Names are also indexed with ä → ae, the phone in groups, as all its digits and in
    national and international form, the email address in parts.
    """
    found: list[str] = []
    names = f"{first_name} {last_name}"
    found += words(names)
    found += words(names.translate(_UMLAUTS))
    found += words(phone) + phone_digits(phone)
    found += words(email)
    lead = lead_words(first_name, last_name)
    others = [word for word in dict.fromkeys(found) if word not in lead]
    return " ".join([*lead, LEAD_MARK, *others])


def sqlite_search_columns(row: str) -> tuple[str, str]:
    """SQLite expressions for the lead words and the other words of ``row``'s search text (a table or new/old)."""
    text = f"{row}.search_text"
    return (
        f"substr({text}, 1, instr({text}, '{LEAD_MARK}') - 1)",
        f"substr({text}, instr({text}, '{LEAD_MARK}') + 1)",
    )


def lead_words(first_name: str, last_name: str) -> list[str]:
    """The word the sort name starts with, and its spelling with ä → ae when that differs; [] when none.

    None when the sort name starts with a character that is no letter or digit
    ("(Test) Anna"): no range of sort names then holds the clients that word finds.
    """
    source = f"{last_name.strip()} {first_name.strip()}"
    lead = _WORD.match(sort_name(first_name, last_name))
    if lead is None:
        return []
    spelled = _WORD.match(fold(source.translate(_UMLAUTS)).strip())
    found = [lead.group()]
    if spelled is not None and spelled.group() != found[0]:
        found.append(spelled.group())
    return found


def lead_ranges(term: str) -> list[tuple[str, str]] | None:
    """Ranges ``[low, high)`` of sort names in which every client lies whose lead word ``term`` starts.

    ``term`` itself, and for a lead word spelled with ae, oe or ue the sort names with
    each such pair read as ä, ö or ü (sort names fold those to a, o and u): "mue"
    gives the ranges of "mu" and "mue". None for a term with more than
    ``MAX_UMLAUT_PAIRS`` such pairs (too many ranges to be worth it).
    """
    pieces = _UMLAUT_E.split(term)
    if len(pieces) > MAX_UMLAUT_PAIRS + 1:
        return None
    forms = {pieces[0]}
    for piece in pieces[1:]:
        forms = {form + joint + piece for form in forms for joint in ("e", "")}
    starts = [form for form in sorted(forms) if not any(form.startswith(other) for other in forms - {form})]
    return [(start, start[:-1] + chr(ord(start[-1]) + 1)) for start in starts]


def sort_name(first_name: str, last_name: str) -> str:
    """Key for sorting by name: last name, then first name, folded."""
    return fold(f"{last_name.strip()} {first_name.strip()}").strip()


def query_alternatives(text: str) -> list[list[str]]:
    """Alternative lists of word prefixes, every word of one list must match; [] for no query.

    [] also for text without a letter or digit: ``match_condition`` then finds nobody.

    Only [0-9a-z] reaches the index, so quotes, ``*``, ``%``, ``_`` and operators never raise.
    Text made of digits and the signs of phone numbers is one prefix of a phone's
    digits ("0171 5" finds "0171 5…" and "+49 171 5…", see ``phone_query_digits``).
    """
    terms = words(text)[:MAX_QUERY_WORDS]
    if not terms:
        return []
    if _PHONE_QUERY.match(text.strip()):
        digits = phone_query_digits(text)
        return [[digits]] if digits else []
    return [terms]


def fts5_query(alternatives: Iterable[list[str]]) -> str:
    """An FTS5 MATCH expression of prefix terms."""
    groups = ["(" + " AND ".join(f'"{term}"*' for term in terms) + ")" for terms in alternatives]
    return " OR ".join(groups)


def tsquery(alternatives: Iterable[list[str]]) -> str:
    """A PostgreSQL ``to_tsquery('simple', …)`` expression of prefix terms."""
    groups = ["(" + " & ".join(f"{term}:*" for term in terms) + ")" for terms in alternatives]
    return " | ".join(groups)
