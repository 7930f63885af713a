"""One cleaning of every name and free-text field, before any rule looks at it.

Text reaches the services from typing, pasting, imports and other programs. Each
field is cleaned the same way:

- Unicode NFC, so "Müller" typed with a combined ü and with u + ¨ is one name;
- zero-width characters, byte-order marks, bidi controls and control characters are
  removed (in a line, tabs and line breaks become blanks; a block of text keeps them),
  so a name of only invisible characters is empty;
- a line's runs of blanks become one blank; ends are trimmed;
- the length is checked against the column it goes into, with a message naming the
  field, on SQLite (which would store anything) as on PostgreSQL (which would refuse
  it with a database error).

Patterns match the whole text (``re.fullmatch``): "1234\\n" is no PIN.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import InstrumentedAttribute

from salon_desk.errors import ValidationError
from salon_desk.i18n import _

# Format characters (Cf: zero-width space and joiners, BOM, bidi marks) and controls (Cc).
_INVISIBLE = frozenset({"Cf", "Cc", "Cs", "Co", "Cn"})
_KEPT_IN_BLOCKS = frozenset("\n\t")
_BLANKS = frozenset("\n\t\x0b\x0c")  # in a line, these become one blank
# Letters of any script are allowed (RFC 6531 addresses such as anna.schü@beispiel.de);
# brackets, quotes, blanks and empty parts ("a@b..de") are not.
EMAIL_PATTERN = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}"
)
EMAIL_MAX = 254
EARLIEST_BIRTHDAY = date(1900, 1, 1)


def _visible(text: str, kept: frozenset[str]) -> str:
    normal = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in normal if ch in kept or unicodedata.category(ch) not in _INVISIBLE)


def column_length(column: InstrumentedAttribute[str]) -> int | None:
    """The most characters the column holds, None for unlimited text."""
    kind = column.property.columns[0].type  # type: ignore[attr-defined]
    return kind.length if isinstance(kind, String) else None


def check_length(text: str, field: str, limit: int | None) -> str:
    """``text``, or a ValidationError when it is longer than ``limit``."""
    if limit is not None and len(text) > limit:
        raise ValidationError(
            _("This field may have at most {max} characters; it has {length}.").format(max=limit, length=len(text)),
            field,
        )
    return text


def clean_line(text: str | None, field: str, limit: int | None = None) -> str:
    """One line of text: NFC, nothing invisible, single blanks, at most ``limit`` characters."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return check_length(" ".join(_visible(text, _BLANKS).split()), field, limit)


def clean_block(text: str | None, field: str, limit: int | None = None) -> str:
    """Text of several lines (notes, descriptions): NFC, line breaks and tabs kept, nothing else invisible."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return check_length(_visible(text, _KEPT_IN_BLOCKS).strip(), field, limit)


def clean_name(text: str | None, field: str, limit: int | None, empty_message: str) -> str:
    """A required one-line name; ``empty_message`` when nothing visible is left."""
    name = clean_line(text, field, limit)
    if not name:
        raise ValidationError(empty_message, field)
    return name


def clean_email(text: str | None, field: str = "email") -> str:
    """An email address or ''; refuses "a@b..de", "<script>@x.de" and addresses over 254 characters."""
    email = clean_line(text, field, EMAIL_MAX)
    if email and not EMAIL_PATTERN.fullmatch(email):
        raise ValidationError(
            _("“{email}” is not a valid email address (e.g. anna@example.de).").format(email=email), field
        )
    return email


def check_birthday(birthday: date | None, today: date, field: str = "birthday") -> None:
    """Refuse a birthday in the future or before 1900."""
    if birthday is None:
        return
    if birthday > today:
        raise ValidationError(_("The birthday cannot be in the future."), field)
    if birthday < EARLIEST_BIRTHDAY:
        raise ValidationError(_("The birthday cannot be before 1900."), field)
