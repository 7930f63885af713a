"""A table model over a short list of records (groups, items, offers, list members), sorted in Python."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from salon_desk.textindex import fold

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
MUTED = QColor("#8A8A8A")
CHECK = "✓"
NONE = "—"

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: its title, the text of a record, and optionally a sort key and an alignment."""

    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag | None = None


class RowTableModel(QAbstractTableModel):
    """Records as rows; ``id_of`` identifies a record (a number, or a tuple of them) so the selection survives
    reloads and sorting."""

    def __init__(
        self,
        columns: Sequence[Column],
        id_of: Callable[[Any], Hashable],
        muted: Callable[[Any], bool] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._id_of = id_of
        self._muted = muted
        self._rows: list[Any] = []
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()].text(self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._columns[index.column()].align
        if role == Qt.ItemDataRole.ForegroundRole and self._muted is not None:
            return QBrush(MUTED) if self._muted(self._rows[index.row()]) else None
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self._columns[section].title

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows`` in the current sort order."""
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self.endResetModel()

    def record(self, row: int) -> Any:
        """The record shown in ``row``."""
        return self._rows[row]

    def records(self) -> list[Any]:
        """Every record, in display order."""
        return list(self._rows)

    def row_of(self, record_id: Hashable) -> int:
        """The row showing the record ``record_id``, or -1."""
        return next((n for n, r in enumerate(self._rows) if self._id_of(r) == record_id), -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``, keeping the selection on the same records."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._id_of(self._rows[index.row()]) for index in old]
        self._rows = self._sorted(self._rows)
        position = {self._id_of(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(position[i], o.column()) for i, o in zip(ids, old, strict=True)]
        )
        self.layoutChanged.emit()

    def _key(self, column: int) -> Callable[[Any], Any]:
        spec = self._columns[column]
        # Text sorts as the client list does: "Öl" with "Ol", not after "Z".
        return spec.sort_key or (lambda record: fold(spec.text(record)))

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if not self._columns:
            return rows
        by_first = sorted(rows, key=self._key(0))  # ties keep the order of the first column
        return sorted(
            by_first, key=self._key(self._sort_column), reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )
