"""The audit log as a table model that loads older entries page by page while the user scrolls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from salon_desk.i18n import _
from salon_desk.services.staff.audit import PAGE, AuditRow
from salon_desk.services.staff.audit_text import action_label, changed_keys, describe, local_time_text, record_text

TIME, WHO, ACTION, RECORD, RECORD_ID, BEFORE, AFTER, REASON, APPROVED = range(9)
Index = QModelIndex | QPersistentModelIndex
Loader = Callable[[tuple[datetime, int] | None], list[AuditRow]]


def _headers() -> list[str]:
    return [_("Time"), _("Who"), _("Action"), _("Record"), _("ID"), _("Before"), _("After"), _("Reason"),
            _("Approved by")]  # fmt: skip


def cell_text(row: AuditRow, column: int) -> str:
    """What ``column`` shows for ``row``: for a change, only the values that changed."""
    if column == TIME:
        return local_time_text(row.at)
    if column == WHO:
        return row.staff_name
    if column == ACTION:
        return action_label(row.action)
    if column == RECORD:
        return record_text(row)
    if column == RECORD_ID:
        return "" if row.entity_id is None else str(row.entity_id)
    if column in (BEFORE, AFTER):
        return describe(row.before if column == BEFORE else row.after, changed_keys(row))
    if column == REASON:
        return row.reason
    return row.approved_by


class AuditTableModel(QAbstractTableModel):
    """Rows of the log, newest first; ``fetchMore`` asks ``loader`` for the page after the last row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []
        self._headers = _headers()
        self._loader: Loader | None = None
        self._more = False

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(self._rows[index.row()], index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (ACTION, RECORD):
            return cell_text(self._rows[index.row()], index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (BEFORE, AFTER):
            row = self._rows[index.row()]
            return describe(row.before if index.column() == BEFORE else row.after).replace("; ", "\n") or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == RECORD_ID:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self._headers[section]

    def reset(self, loader: Loader) -> None:
        """Start again with the first page from ``loader`` (new filters, or new entries)."""
        self.beginResetModel()
        self._loader = loader
        self._rows = loader(None)
        self._more = len(self._rows) >= PAGE
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 - Qt override
        if parent.isValid() or not self._more or self._loader is None or not self._rows:
            return
        page = self._loader(self._rows[-1].cursor)
        self._more = len(page) >= PAGE
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def row(self, number: int) -> AuditRow:
        """The entry shown in row ``number``."""
        return self._rows[number]
