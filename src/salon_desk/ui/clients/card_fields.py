"""How the client card reads and shows its dates: birthdays as typed (``24.12.1985``), stored times as local days."""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtWidgets import QFrame

from salon_desk.errors import ValidationError
from salon_desk.i18n import _

_DOTTED_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")


def parse_birthday(text: str) -> date | None:
    """``24.12.1985`` (also ``24.12.85`` or ``1985-12-24``) as a date; None when empty."""
    text = text.strip()
    if not text:
        return None
    wrong = ValidationError(_("Please enter the birthday as DD.MM.YYYY, e.g. 24.12.1985."), "birthday")
    match = _DOTTED_DATE.match(text)
    try:
        if match is None:
            return date.fromisoformat(text)
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if year <= date.today().year % 100 else 1900
        return date(year, month, day)
    except ValueError:
        raise wrong from None


def format_birthday(value: date | None) -> str:
    """A birthday the way it is typed: ``24.12.1985``."""
    return value.strftime("%d.%m.%Y") if value is not None else ""


def local_date(moment: datetime | None) -> date | None:
    """The local calendar day of a stored UTC time."""
    if moment is None:
        return None
    return moment.astimezone().date() if moment.tzinfo is not None else moment.date()


def separator(shape: QFrame.Shape) -> QFrame:
    """A sunken line between the parts of the card."""
    line = QFrame()
    line.setFrameShape(shape)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
