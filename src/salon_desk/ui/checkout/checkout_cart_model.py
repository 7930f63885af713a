"""The checkout's cart as a table: item (with where its price and discount came from), quantity, unit price,
discount, line total."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from salon_desk.i18n import _, format_money, format_percent
from salon_desk.pricing import ManualDiscount, PricedLine
from salon_desk.services.checkout.checkout import CartLine, SellableItem
from salon_desk.services.checkout.checkout_store import MAX_QUANTITY
from salon_desk.services.checkout.why_price import discount_note, price_note

ITEM, QUANTITY, UNIT, DISCOUNT, TOTAL = range(5)
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The item cell's second line: the price source and the discount source ("Group price Club · −10 % Student")."""
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MUTED = QColor("#6B6B6B")
OFFER = QColor("#AD1457")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CartRow:
    """One line the clerk rang up: the item, how many, an optional manual discount."""

    item: SellableItem
    quantity: int = 1
    manual: ManualDiscount | None = None

    def cart_line(self) -> CartLine:
        """The line as the checkout service takes it."""
        return CartLine(self.item.id, self.quantity, self.manual)


class CheckoutCartModel(QAbstractTableModel):
    """Cart rows and, once priced, the engine's result for each."""

    sig_quantity_edited = Signal(int, int)
    """Emitted when the clerk typed a new quantity into the table.

    Args:
        row (int): the cart row.
        quantity (int): the new quantity.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[CartRow] = []
        self.priced: tuple[PricedLine, ...] = ()
        self.group_name = ""
        self._headers = [_("Item"), _("Qty"), _("Unit price"), _("Discount"), _("Total")]

    # -- content ----------------------------------------------------------------------

    def set_cart(self, rows: list[CartRow], priced: tuple[PricedLine, ...], group_name: str) -> None:
        """Show ``rows`` with their priced lines (``priced`` empty while a price is unknown)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.priced = priced if len(priced) == len(rows) else ()
        self.group_name = group_name
        self.endResetModel()

    def cart_lines(self) -> list[CartLine]:
        """The cart as the checkout service takes it."""
        return [row.cart_line() for row in self.rows]

    def with_quantity(self, row: int, quantity: int) -> list[CartRow]:
        """The rows with ``row`` set to ``quantity``."""
        rows = list(self.rows)
        rows[row] = replace(rows[row], quantity=quantity)
        return rows

    def priced_line(self, row: int) -> PricedLine | None:
        """The engine's result for ``row``, if priced."""
        return self.priced[row] if 0 <= row < len(self.priced) else None

    # -- Qt -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == QUANTITY:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display(index.row(), index.column(), role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != ITEM:
            return RIGHT
        if role == NOTE_ROLE and index.column() == ITEM:
            return self.note(index.row())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == DISCOUNT:
            return MUTED
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (ITEM, DISCOUNT):
            return self._tooltip(index.row())
        return None

    def note(self, row: int) -> str:
        """Where the line's price and discount came from, one line ('' while not priced)."""
        line = self.priced_line(row)
        if line is None:
            return ""
        price = price_note(line.price_source.value, line.offer.name if line.offer else "", self.group_name)
        category = line.discount_category.name if line.discount_category else ""
        discount = discount_note(line.discount_source.value, line.discount_percent, category)
        return " · ".join(part for part in (price, discount) if part)

    def is_offer(self, row: int) -> bool:
        """True when ``row`` is priced by a special offer (its note is drawn in the offer colour)."""
        line = self.priced_line(row)
        return line is not None and line.offer is not None

    def _tooltip(self, row: int) -> str:
        hint = _("Select the line and press “Why this price?” for the full explanation.")
        return "\n".join(part for part in (self.rows[row].item.name, self.note(row), hint) if part)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != QUANTITY:
            return False
        try:
            quantity = int(value)
        except (TypeError, ValueError):
            return False
        if not 1 <= quantity <= MAX_QUANTITY:
            return False
        self.sig_quantity_edited.emit(index.row(), quantity)
        return True

    def _display(self, row: int, column: int, edit: bool) -> Any:
        cart_row = self.rows[row]
        line = self.priced_line(row)
        if column == ITEM:
            return cart_row.item.name
        if column == QUANTITY:
            return cart_row.quantity if edit else str(cart_row.quantity)
        if line is None:
            return "…" if column in (UNIT, TOTAL) else ""
        if column == UNIT:
            return format_money(line.unit_price)
        if column == DISCOUNT:
            return f"−{format_percent(line.discount_percent)}" if line.discount_percent else "—"
        return format_money(line.line_total)
