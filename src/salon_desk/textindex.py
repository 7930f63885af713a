"""Folding of client text into search words, and of typed search text into safe index queries.

The same folding feeds both sides, so SQLite FTS5 and PostgreSQL's tsvector find
"Müller" for ``mül``, ``MÜL``, ``mul`` and ``muel``, and ``+49 171`` finds ``0171 …``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[0-9a-z]+")
_PHONE_QUERY = re.compile(r"^[\d\s+()/.\-]+$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
COUNTRY_PREFIX = "49"
MAX_QUERY_WORDS = 8


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits: accents removed, ß to ss, ł to l."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits only)."""
    return _WORD.findall(fold(text))


def phone_digits(phone: str) -> list[str]:
    """The phone's digits as one word, plus its international form for a German number."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return []
    forms = [digits]
    if phone.strip().startswith("+"):
        forms.append("0" + digits[len(COUNTRY_PREFIX) :] if digits.startswith(COUNTRY_PREFIX) else digits)
    elif digits.startswith("00"):
        forms.append(digits[2:])
    elif digits.startswith("0"):
        forms.append(COUNTRY_PREFIX + digits[1:])
    return forms


def client_search_text(first_name: str, last_name: str, phone: str, email: str) -> str:
    """The words a client is found by: names (also with ä→ae), phone groups and digits, email parts."""
    found: list[str] = []
    names = f"{first_name} {last_name}"
    found += words(names)
    found += words(names.translate(_UMLAUTS))
    found += words(phone) + phone_digits(phone)
    found += words(email)
    return " ".join(dict.fromkeys(found))


def sort_name(first_name: str, last_name: str) -> str:
    """Key for sorting by name: last name, then first name, folded."""
    return fold(f"{last_name.strip()} {first_name.strip()}").strip()


def query_alternatives(text: str) -> list[list[str]]:
    """Alternative lists of word prefixes, every word of one list must match; [] for no query.

    Only [0-9a-z] reaches the index, so quotes, ``*``, ``%``, ``_`` and operators never raise.
    """
    terms = words(text)[:MAX_QUERY_WORDS]
    if not terms:
        return []
    alternatives = [terms]
    if _PHONE_QUERY.match(text.strip()) and len(terms) > 1:
        alternatives += [[form] for form in phone_digits(text)]
    return alternatives


def fts5_query(alternatives: Iterable[list[str]]) -> str:
    """An FTS5 MATCH expression of prefix terms."""
    groups = ["(" + " AND ".join(f'"{term}"*' for term in terms) + ")" for terms in alternatives]
    return " OR ".join(groups)


def tsquery(alternatives: Iterable[list[str]]) -> str:
    """A PostgreSQL ``to_tsquery('simple', …)`` expression of prefix terms."""
    groups = ["(" + " & ".join(f"{term}:*" for term in terms) + ")" for terms in alternatives]
    return " | ".join(groups)
