"""The group-price grid: catalogue items against customer groups; an empty cell means the list price."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_decimal, format_money, parse_decimal
from salon_desk.kinds import ItemKind
from salon_desk.services import Changes, Services
from salon_desk.services.groups.groups import GridItem, GroupInfo, PriceGrid
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import ERROR_STYLE
from salon_desk.ui.common.page_parts import ROW_HEIGHT, hint_label, page_title
from salon_desk.ui.common.row_table_model import MUTED, RIGHT

ITEM, KIND, LIST_PRICE = 0, 1, 2
FIRST_GROUP = 3
MIN_GROUP_WIDTH = 110
EXAMPLE = Decimal("39.90")
Index = QModelIndex | QPersistentModelIndex
PriceEditor = Callable[[GridItem, GroupInfo, str], bool]


def item_label(item: GridItem) -> str:
    """The item's name, with a note when it is inactive."""
    return item.name if item.active else _("{name} (inactive)").format(name=item.name)


def kind_label(kind: ItemKind) -> str:
    """ "Service" or "Product"."""
    return _("Service") if kind is ItemKind.SERVICE else _("Product")


class GroupPriceModel(QAbstractTableModel):
    """Rows are items, columns the list price and one per group; group cells are editable."""

    def __init__(self, editor: PriceEditor, parent: Any = None) -> None:
        super().__init__(parent)
        self._grid = PriceGrid([], [], {})
        self._editor = editor

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._grid.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else FIRST_GROUP + len(self._grid.groups)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() >= FIRST_GROUP else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item, column = self._grid.items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.EditRole:
            price = self.price(index.row(), column)
            return format_decimal(price) if price is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column not in (ITEM, KIND) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(MUTED) if not item.active or column == LIST_PRICE else None
        if role == Qt.ItemDataRole.ToolTipRole and column >= FIRST_GROUP and self.price(index.row(), column) is None:
            return _("Empty: members pay the list price ({price}).").format(price=format_money(item.price))
        return None

    def _display(self, item: GridItem, column: int) -> str:
        if column == ITEM:
            return item_label(item)
        if column == KIND:
            return kind_label(item.kind)
        if column == LIST_PRICE:
            return format_money(item.price)
        price = self._grid.prices.get((item.id, self.group(column).id))
        return format_money(price) if price is not None else ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() < FIRST_GROUP:
            return False
        return self._editor(self.item(index.row()), self.group(index.column()), str(value or ""))

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(section)
        if role == Qt.ItemDataRole.FontRole and section >= FIRST_GROUP:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def column_title(self, column: int) -> str:
        """The header text of ``column``."""
        if column == ITEM:
            return _("Item")
        if column == KIND:
            return _("Kind")
        if column == LIST_PRICE:
            return _("List price")
        return self.group(column).name

    def set_grid(self, grid: PriceGrid) -> None:
        """Show ``grid``."""
        self.beginResetModel()
        self._grid = grid
        self.endResetModel()

    def store(self, item_id: int, group_id: int, price: Decimal | None) -> None:
        """Show a saved price at once (the bus reload follows)."""
        if price is None:
            self._grid.prices.pop((item_id, group_id), None)
        else:
            self._grid.prices[(item_id, group_id)] = price
        row = next(n for n, i in enumerate(self._grid.items) if i.id == item_id)
        column = FIRST_GROUP + next(n for n, g in enumerate(self._grid.groups) if g.id == group_id)
        self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def item(self, row: int) -> GridItem:
        """The item of ``row``."""
        return self._grid.items[row]

    def group(self, column: int) -> GroupInfo:
        """The group of a group column."""
        return self._grid.groups[column - FIRST_GROUP]

    def price(self, row: int, column: int) -> Decimal | None:
        """The group price in a cell, or None for the list price."""
        if column < FIRST_GROUP:
            return None
        return self._grid.prices.get((self._grid.items[row].id, self.group(column).id))


class GroupPricesPanel(QWidget):
    """The grid of group prices with a message line for refused input."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupPricesPanel")
        self.services = services
        self.bus = bus
        self.model = GroupPriceModel(self.save_cell, self)
        self._stale = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_title(_("Group prices")))
        layout.addWidget(
            hint_label(
                _(
                    "Type a price into a group's column (e.g. {example}); members pay it instead of the list "
                    "price. Leave a cell empty, or press Delete on it, for the list price."
                ).format(example=format_decimal(EXAMPLE))
            )
        )
        layout.addWidget(self._build_table(), 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("groupPriceError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setObjectName("groupPricesTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(120)
        header.setHighlightSections(False)
        self.table.installEventFilter(self)
        self.table.itemDelegate().closeEditor.connect(self.reload_if_stale)
        return self.table

    def reload_if_stale(self) -> None:
        """Catch up with changes that arrived while a cell was being edited."""
        if self._stale:
            QTimer.singleShot(0, self.reload)

    def reload(self) -> None:
        """Load items, groups and prices again, keeping the current cell (never under an open cell editor)."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            self._stale = True
            return
        self._stale = False
        current = self.table.currentIndex()
        self.model.set_grid(self.services.groups.price_grid())
        for column in range(self.model.columnCount()):
            self.table.resizeColumnToContents(column)
            if column >= FIRST_GROUP:
                self.table.setColumnWidth(column, max(MIN_GROUP_WIDTH, self.table.columnWidth(column)))
        if current.isValid() and current.row() < self.model.rowCount() and current.column() < self.model.columnCount():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))

    def on_data_changed(self, changes: Changes) -> None:
        """Reload when groups, items or prices changed."""
        if changes.groups or changes.catalog:
            self.reload()

    def save_cell(self, item: GridItem, group: GroupInfo, text: str) -> bool:
        """Parse and save one typed price; a refused one is named by item and group, nothing is saved."""
        typed = text.strip()
        try:
            price = parse_decimal(typed) if typed else None
        except ValueError:
            self.show_error(self._not_a_price(item, group, typed))
            return False
        try:
            changes = self.services.groups.set_price(group.id, item.id, price)
        except SalonError as exc:
            self.show_error(
                _("{item}, group “{group}”: {message}").format(item=item.name, group=group.name, message=exc.message)
            )
            return False
        self.error_label.hide()
        self.model.store(item.id, group.id, price.quantize(Decimal("0.01")) if price is not None else None)
        QTimer.singleShot(0, lambda: self.bus.publish(changes))  # after the cell editor has closed
        return True

    def _not_a_price(self, item: GridItem, group: GroupInfo, typed: str) -> str:
        return _(
            "“{text}” is not a price ({item}, group “{group}”). Type an amount such as {example}, "
            "or leave the cell empty for the list price. Nothing was saved."
        ).format(text=typed, item=item.name, group=group.name, example=format_decimal(EXAMPLE))

    def show_error(self, message: str) -> None:
        """Show why a typed price was refused, under the grid."""
        self.error_label.setText(message)
        self.error_label.show()

    def clear_current(self) -> None:
        """Delete on a group cell: back to the list price."""
        index = self.table.currentIndex()
        if (
            index.isValid()
            and index.column() >= FIRST_GROUP
            and self.model.price(index.row(), index.column()) is not None
        ):
            self.model.setData(index, "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Delete or Backspace on a group cell clears it."""
        clear = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in clear
            and self.table.state() != QAbstractItemView.State.EditingState
        ):
            self.clear_current()
            return True
        return super().eventFilter(watched, event)
