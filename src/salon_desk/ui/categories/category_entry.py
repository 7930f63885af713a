"""How a category is drawn in a list: colour stripe, tinted icon, name, detail line and discount badge.

Shared by the category picker and the client card's category panel.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter
from PySide6.QtWidgets import QListWidgetItem, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from salon_desk.i18n import _, format_percent
from salon_desk.kinds import DiscountScope
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.ui.common.icons import category_icon

INFO_ROLE = Qt.ItemDataRole.UserRole
COLOR_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
EXPIRED_ROLE = Qt.ItemDataRole.UserRole + 4
ID_ROLE = Qt.ItemDataRole.UserRole + 5
ROW_HEIGHT = 46
EXPIRED_COLOR = "#C62828"
FALLBACK_COLOR = "#607D8B"


def discount_badge(info: CategoryInfo | None) -> str:
    """``−10 %`` for a category with a discount, else ''."""
    if info is None or info.discount_percent is None:
        return ""
    return _("−{percent}").format(percent=format_percent(info.discount_percent))


def discount_text(info: CategoryInfo) -> str:
    """A sentence on the discount and its scope, e.g. ``10 % off services``."""
    if info.discount_percent is None:
        return _("No discount")
    percent = format_percent(info.discount_percent)
    scopes = {
        DiscountScope.SERVICES: _("{percent} off services"),
        DiscountScope.PRODUCTS: _("{percent} off products"),
        DiscountScope.BOTH: _("{percent} off services and products"),
    }
    return scopes[info.discount_scope].format(percent=percent)


def fill_category_item(item: QListWidgetItem, info: CategoryInfo | None, detail: str, expired: bool = False) -> None:
    """Put a category's name, tinted icon, colour, badge and detail line on ``item``."""
    name = info.name if info is not None else _("(deleted category)")
    color = info.color if info is not None else FALLBACK_COLOR
    badge = discount_badge(info)
    item.setText(name)
    item.setIcon(category_icon(info.icon, color) if info is not None else QIcon())
    item.setData(INFO_ROLE, info)
    item.setData(COLOR_ROLE, color)
    item.setData(BADGE_ROLE, badge)
    item.setData(DETAIL_ROLE, detail)
    item.setData(EXPIRED_ROLE, expired)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, ", ".join(p for p in (name, badge, detail) if p))
    tips = [discount_text(info)] if info is not None else []
    if info is not None and info.description:
        tips.insert(0, info.description)
    item.setToolTip("\n".join(tips + ([detail] if detail else [])))
    item.setSizeHint(QSize(0, ROW_HEIGHT))


class CategoryItemDelegate(QStyledItemDelegate):
    """Draws an entry as colour stripe, tinted icon, name, detail line and discount badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 - Qt override
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        """Paint one entry; expired or disabled entries are greyed."""
        painter.save()
        self._paint_background(painter, option)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        expired = bool(index.data(EXPIRED_ROLE))
        if expired or not enabled:
            painter.setOpacity(0.45)
        rect = option.rect.adjusted(6, 5, -8, -5)
        color = QColor(index.data(COLOR_ROLE) or FALLBACK_COLOR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon) and not icon.isNull():
            icon.paint(painter, QRect(rect.left() + 12, rect.center().y() - 10, 20, 20))
        badge_left = self._paint_badge(painter, option, rect, index.data(BADGE_ROLE) or "", color, expired)
        text_rect = QRect(rect.left() + 42, rect.top(), badge_left - rect.left() - 48, rect.height())
        self._paint_texts(painter, option, text_rect, index, expired)
        painter.restore()

    def _paint_background(self, painter: QPainter, option: QStyleOptionViewItem) -> None:
        """A light tint of the highlight colour for the selection, so the category colours stay readable."""
        state = option.state
        highlight = QColor(option.palette.highlight().color())
        if state & QStyle.StateFlag.State_Selected:
            highlight.setAlpha(55)
        elif state & QStyle.StateFlag.State_MouseOver and state & QStyle.StateFlag.State_Enabled:
            highlight.setAlpha(20)
        else:
            return
        painter.fillRect(option.rect, highlight)
        if state & QStyle.StateFlag.State_Selected:
            highlight.setAlpha(160)
            painter.setPen(highlight)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))

    def _paint_badge(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, badge: str, color: QColor, expired: bool
    ) -> int:
        """Draw the discount pill at the right; return its left edge."""
        if not badge:
            return rect.right()
        font = QFont(option.font)
        font.setBold(True)
        font.setStrikeOut(expired)  # an expired membership gives no discount
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(badge) + 14
        pill = QRectF(rect.right() - width, rect.center().y() - 10, width, 20)
        fill = QColor("#9E9E9E") if expired else color
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(pill, 10, 10)
        painter.setFont(font)
        painter.setPen(QColor("#212121") if fill.lightness() > 170 else QColor("#FFFFFF"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, badge)
        return int(pill.left())

    def _paint_texts(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, index: QModelIndex, expired: bool
    ) -> None:
        """Name on the first line; the detail line below in grey (red when expired)."""
        palette = option.palette
        text_color = palette.text().color()
        detail = index.data(DETAIL_ROLE) or ""
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(name_font)
        painter.setPen(text_color)
        name = QFontMetrics(name_font).elidedText(index.data() or "", Qt.TextElideMode.ElideRight, rect.width())
        if not detail:
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
            return
        half = rect.height() // 2
        painter.drawText(rect.adjusted(0, 0, 0, -half), Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft, name)
        detail_font = QFont(option.font)
        detail_font.setPointSizeF(max(detail_font.pointSizeF() * 0.88, 7.0))
        painter.setFont(detail_font)
        if expired:
            painter.setOpacity(1.0)
            painter.setPen(QColor(EXPIRED_COLOR))
        else:
            painter.setPen(palette.placeholderText().color())
        elided = QFontMetrics(detail_font).elidedText(detail, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            rect.adjusted(0, half + 1, 0, 0), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, elided
        )
