"""How backups are shown: their time, kind and size in the active language."""

from __future__ import annotations

from babel import dates, numbers

from salon_desk.i18n import _, locale_name
from salon_desk.services.data.backup_files import BackupInfo
from salon_desk.ui.common.row_table_model import RIGHT, Column


def kind_text(kind: str) -> str:
    """"Automatic", "Manual", "Before an update", "Before a restore"."""
    if kind == "auto":
        return _("Automatic")
    if kind == "manual":
        return _("Manual")
    if kind.startswith("before-upgrade"):
        return _("Before an update")
    if kind.startswith("before-restore"):
        return _("Before a restore")
    return kind


def size_text(size: int) -> str:
    """``12,4 MB``."""
    return _("{size} MB").format(size=numbers.format_decimal(size / 1_000_000, format="#,##0.0", locale=locale_name()))


def when_text(info: BackupInfo) -> str:
    """Date and time of the copy."""
    return dates.format_datetime(info.taken_at, format="short", locale=locale_name())


def backup_columns() -> list[Column]:
    """Time, kind, size and folder of a backup."""
    return [
        Column(_("Taken"), when_text, lambda b: b.taken_at),
        Column(_("Kind"), lambda b: kind_text(b.kind)),
        Column(_("Size"), lambda b: size_text(b.size), lambda b: b.size, RIGHT),
        Column(_("Folder"), lambda b: str(b.path.parent)),
    ]
