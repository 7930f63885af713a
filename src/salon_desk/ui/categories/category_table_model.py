"""The table model of the categories page: one row per category, sorted in Python (a few dozen rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from salon_desk.i18n import _, format_percent
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.ui.categories.discount_calculator import scope_label
from salon_desk.ui.categories.icon_combo import icon_label
from salon_desk.ui.common.icons import category_icon, color_swatch

ID, NAME, COLOR, ICON, DEFAULT, DISCOUNT, SCOPE, OFFERS, CLIENTS = range(9)
CHECK = "✓"
NONE = "—"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

Index = QModelIndex | QPersistentModelIndex


def _headers() -> list[str]:
    return [
        _("ID"),
        _("Name"),
        _("Colour"),
        _("Icon"),
        _("Default"),
        _("Discount"),
        _("Scope"),
        _("Applies to offers"),
        _("Clients"),
    ]


def _display(row: CategoryInfo, column: int) -> str:
    """The text shown in ``column`` for the category ``row``."""
    has_discount = row.discount_percent is not None
    if column == ID:
        return str(row.id)
    if column == NAME:
        return row.name
    if column == COLOR:
        return row.color
    if column == ICON:
        return icon_label(row.icon)
    if column == DEFAULT:
        return CHECK if row.is_default else ""
    if column == DISCOUNT:
        return format_percent(row.discount_percent) if row.discount_percent is not None else NONE
    if column == SCOPE:
        return scope_label(row.discount_scope) if has_discount else NONE
    if column == OFFERS:
        return (CHECK if row.applies_to_offers else "") if has_discount else NONE
    return str(row.client_count)


SORT_KEYS: dict[int, Callable[[CategoryInfo], Any]] = {
    ID: lambda c: c.id,
    NAME: lambda c: c.name.casefold(),
    COLOR: lambda c: c.color,
    ICON: lambda c: icon_label(c.icon).casefold(),
    DEFAULT: lambda c: c.is_default,
    DISCOUNT: lambda c: c.discount_percent if c.discount_percent is not None else -1,
    SCOPE: lambda c: scope_label(c.discount_scope) if c.discount_percent is not None else "",
    OFFERS: lambda c: (c.discount_percent is not None, c.applies_to_offers),
    CLIENTS: lambda c: c.client_count,
}


class CategoryTableModel(QAbstractTableModel):
    """Categories as rows; the columns of the categories page."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CategoryInfo] = []
        self._headers = _headers()
        self._sort_column = NAME
        self._sort_order = Qt.SortOrder.AscendingOrder

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(self._rows[index.row()], index.column())
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(self._rows[index.row()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(self._rows[index.row()], index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NAME:
            return self._rows[index.row()].description or None
        return None

    def _decoration(self, row: CategoryInfo, column: int) -> Any:
        if column in (NAME, ICON):
            return category_icon(row.icon, row.color)
        if column == COLOR:
            return color_swatch(row.color)
        return None

    def _alignment(self, row: CategoryInfo, column: int) -> Any:
        if column in (DISCOUNT, SCOPE, OFFERS) and row.discount_percent is None:
            return CENTER  # the dash of "no discount"
        if column in (ID, DISCOUNT, CLIENTS):
            return RIGHT
        if column in (DEFAULT, OFFERS):
            return CENTER
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self._headers[section]

    def set_rows(self, rows: list[CategoryInfo]) -> None:
        """Show ``rows`` in the current sort order."""
        self.beginResetModel()
        self._rows = self._sorted(rows)
        self.endResetModel()

    def category(self, row: int) -> CategoryInfo:
        """The category shown in ``row``."""
        return self._rows[row]

    def row_of(self, category_id: int) -> int:
        """The row showing ``category_id``, or -1."""
        return next((n for n, c in enumerate(self._rows) if c.id == category_id), -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``, keeping the selection on the same categories."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[index.row()].id for index in old]
        self._rows = self._sorted(self._rows)
        position = {c.id: n for n, c in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(position[i], o.column()) for i, o in zip(ids, old, strict=True)]
        )
        self.layoutChanged.emit()

    def _sorted(self, rows: list[CategoryInfo]) -> list[CategoryInfo]:
        key = SORT_KEYS.get(self._sort_column, SORT_KEYS[NAME])
        by_name = sorted(rows, key=SORT_KEYS[NAME])  # ties keep alphabetical order
        return sorted(by_name, key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
