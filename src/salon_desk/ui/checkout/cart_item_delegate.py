"""The cart's item cell on two lines: the item's name, and under it, muted, where its price and discount came from."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from salon_desk.ui.checkout.checkout_cart_model import MUTED, NOTE_ROLE, OFFER

Index = QModelIndex | QPersistentModelIndex
PADDING = 4
"""Space left and right of the text, as Qt's own item views leave it."""


def row_height(widget: QWidget) -> int:
    """The fixed height of a cart row: two lines of text and a little air."""
    return 2 * QFontMetrics(widget.font()).height() + 2 * PADDING


class CartItemDelegate(QStyledItemDelegate):
    """Draws the name in full on the first line; the price source goes to the second line (its tooltip holds all)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        item_option = QStyleOptionViewItem(option)
        self.initStyleOption(item_option, index)
        name = item_option.text
        item_option.text = ""
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item_option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        rect: QRect = option.rect.adjusted(PADDING, PADDING // 2, -PADDING, -PADDING // 2)  # type: ignore[attr-defined]
        metrics = QFontMetrics(option.font)  # type: ignore[attr-defined]
        top, bottom = rect.adjusted(0, 0, 0, -rect.height() // 2), rect.adjusted(0, rect.height() // 2, 0, 0)
        painter.save()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))  # type: ignore[attr-defined]
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(top, align, metrics.elidedText(name, Qt.TextElideMode.ElideRight, top.width()))
        note = str(index.data(NOTE_ROLE) or "")
        if note:
            offer = index.model().is_offer(index.row()) if hasattr(index.model(), "is_offer") else False
            colour = QColor(OFFER if offer else MUTED)
            painter.setPen(option.palette.color(role) if selected else colour)  # type: ignore[attr-defined]
            painter.drawText(bottom, align, metrics.elidedText(note, Qt.TextElideMode.ElideRight, bottom.width()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        metrics = QFontMetrics(option.font)  # type: ignore[attr-defined]
        width = max(metrics.horizontalAdvance(str(index.data() or "")), 0) + 2 * PADDING
        return QSize(width, 2 * metrics.height() + 2 * PADDING)
