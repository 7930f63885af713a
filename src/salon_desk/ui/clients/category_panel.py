"""The client card's category side panel: coloured entries, staged adds, removals and validity edits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _, format_date, format_percent
from salon_desk.kinds import DiscountScope
from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.services.clients.clients import MembershipData
from salon_desk.textindex import fold
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.icons import category_icon

INFO_ROLE = Qt.ItemDataRole.UserRole
COLOR_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
EXPIRED_ROLE = Qt.ItemDataRole.UserRole + 4
ID_ROLE = Qt.ItemDataRole.UserRole + 5
ROW_HEIGHT = 46
PANEL_WIDTH = 280
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


@dataclass
class _Entry:
    """A staged membership and the category it refers to."""

    data: MembershipData
    category: CategoryInfo | None


def membership_detail(data: MembershipData, today: date, saved: bool) -> str:
    """The detail line of an entry: validity, proof note, or that it is not saved yet."""
    if data.valid_until is not None and data.valid_until < today:
        since = format_date(data.valid_until + timedelta(days=1))
        return _("Expired since {date}").format(date=since)
    parts = []
    if data.valid_until is not None:
        parts.append(_("valid until {date}").format(date=format_date(data.valid_until)))
    if data.proof_note:
        parts.append(data.proof_note)
    if not parts and not saved:
        parts.append(_("new — saved with the card"))
    return " · ".join(parts)


class CategoryPanel(QWidget):
    """The client's categories, staged in the window until the card is saved."""

    sig_changed = Signal()
    """Emitted whenever the staged list of memberships changes (no arguments)."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("categoryPanel")
        self.services = services
        self.bus = bus
        self._entries: list[_Entry] = []
        self._baseline: tuple[MembershipData, ...] = ()
        self._saved_ids: set[int] = set()
        self.picker: QWidget | None = None
        self.membership_dialog: QWidget | None = None
        self.setFixedWidth(PANEL_WIDTH)
        self._build()
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.on_selection_changed()

    def _build(self) -> None:
        self.title = title = QLabel(_("Categories"))
        title.setObjectName("categoryPanelTitle")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        title.setFont(font)
        self.list = QListWidget()
        self.list.setObjectName("clientCategoryList")
        self.list.setItemDelegate(CategoryItemDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.list.installEventFilter(self)
        self.empty_label = QLabel(_("No categories yet. Use “Add…” to give this client a category."))
        self.empty_label.setObjectName("emptyCategoriesLabel")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        self.message_slot = QVBoxLayout()
        self.message_slot.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.message_slot)
        layout.addLayout(self._build_buttons())
        self.list.itemSelectionChanged.connect(self.on_selection_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_selected())

    def _build_buttons(self) -> QGridLayout:
        self.add_button = self._button(_("Add…"), "addCategoryButton", self.add_categories)
        self.add_button.setToolTip(_("Give this client one or more categories"))
        self.edit_button = self._button(_("Edit…"), "editCategoryButton", self.edit_selected)
        self.edit_button.setToolTip(_("Valid-until date and proof note of the selected category"))
        self.remove_button = self._button(_("Remove"), "removeCategoryButton", self.remove_selected)
        self.remove_button.setToolTip(_("Remove the selected category from this client (Delete)"))
        self.renew_button = self._button(_("Renew…"), "renewCategoryButton", self.renew_selected)
        self.renew_button.setToolTip(_("The selected membership has expired; set a new valid-until date"))
        grid = QGridLayout()
        grid.setSpacing(6)
        grid.addWidget(self.add_button, 0, 0)
        grid.addWidget(self.edit_button, 0, 1)
        grid.addWidget(self.remove_button, 0, 2)
        grid.addWidget(self.renew_button, 1, 0, 1, 3)
        return grid

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def add_message_label(self, label: QLabel) -> None:
        """Place an error label (from the card's FieldErrors) under the list."""
        self.message_slot.addWidget(label)

    # -- the staged list -----------------------------------------------------------

    def load(self, memberships: Iterable[MembershipData], categories: Sequence[CategoryInfo], saved: bool) -> None:
        """Show ``memberships`` as the unchanged state; ``saved`` says whether they are stored already."""
        infos = {c.id: c for c in categories}
        self._entries = [
            _Entry(_plain(m), getattr(m, "category", None) or infos.get(m.category_id)) for m in memberships
        ]
        self._saved_ids = {e.data.category_id for e in self._entries} if saved else set()
        self._baseline = self.memberships()
        self._refill()

    def memberships(self) -> tuple[MembershipData, ...]:
        """The staged memberships, as ``CategoryChanges`` wants them."""
        return tuple(e.data for e in self._entries)

    def assigned_ids(self) -> set[int]:
        """Ids of the categories currently staged on the card."""
        return {e.data.category_id for e in self._entries}

    def is_modified(self) -> bool:
        """True when the staged list differs from what was loaded."""
        return self.memberships() != self._baseline

    def stage(self, categories: Iterable[CategoryInfo]) -> None:
        """Add categories to the staged list (ignoring ones already there) and select the last one."""
        added = [c for c in categories if c.id not in self.assigned_ids()]
        self._entries += [_Entry(MembershipData(c.id), c) for c in added]
        self._refill(added[-1].id if added else None)
        if added:
            self.sig_changed.emit()

    def _refill(self, select_id: int | None = None) -> None:
        """Rebuild the list from the staged entries, sorted by name."""
        self._entries.sort(key=lambda e: fold(e.category.name) if e.category else "")
        today = date.today()
        self.list.clear()
        for entry in self._entries:
            item = QListWidgetItem()
            detail = membership_detail(entry.data, today, entry.data.category_id in self._saved_ids)
            expired = entry.data.valid_until is not None and entry.data.valid_until < today
            fill_category_item(item, entry.category, detail, expired)
            item.setData(ID_ROLE, entry.data.category_id)
            self.list.addItem(item)
            if entry.data.category_id == select_id:
                self.list.setCurrentItem(item)
        self.empty_label.setVisible(not self._entries)
        count = len(self._entries)
        self.title.setText(_("Categories ({count})").format(count=count) if count else _("Categories"))
        self.on_selection_changed()

    def _selected_entry(self) -> _Entry | None:
        items = self.list.selectedItems()
        if not items:
            return None
        category_id = items[0].data(ID_ROLE)
        return next((e for e in self._entries if e.data.category_id == category_id), None)

    # -- slots ---------------------------------------------------------------------

    def on_selection_changed(self) -> None:
        """Enable Edit/Remove only with a selection; offer Renew only for an expired entry."""
        entry = self._selected_entry()
        self.edit_button.setEnabled(entry is not None)
        self.remove_button.setEnabled(entry is not None)
        expired = entry is not None and entry.data.valid_until is not None and entry.data.valid_until < date.today()
        self.renew_button.setVisible(expired)
        if entry is not None and entry.category is not None:
            self.renew_button.setText(_("Renew “{name}”…").format(name=entry.category.name))

    def add_categories(self) -> None:
        """Open the category picker; what is selected there is staged on accept."""
        from salon_desk.ui.categories.category_picker import CategoryPickerDialog

        picker = CategoryPickerDialog(self.services, self.bus, self.assigned_ids(), self)
        picker.accepted.connect(lambda: self.stage(picker.selected_categories()))
        self.picker = picker
        picker.open()

    def remove_selected(self) -> None:
        """Take the selected category off the card (staged until Save)."""
        entry = self._selected_entry()
        if entry is None:
            return
        row = self._entries.index(entry)
        self._entries.remove(entry)
        self._refill()
        if self._entries:
            self.list.setCurrentRow(min(row, len(self._entries) - 1))
        self.sig_changed.emit()

    def edit_selected(self, renew: bool = False) -> None:
        """Open the dialog for the valid-until date and proof note of the selected entry."""
        from salon_desk.ui.clients.membership_dialog import MembershipDialog

        entry = self._selected_entry()
        if entry is None:
            return
        name = entry.category.name if entry.category else ""
        dialog = MembershipDialog(name, entry.data, renew, self)
        dialog.accepted.connect(lambda: self.apply_membership(dialog.membership()))
        self.membership_dialog = dialog
        dialog.open()

    def renew_selected(self) -> None:
        """Renew the selected expired membership with a new valid-until date."""
        self.edit_selected(renew=True)

    def apply_membership(self, data: MembershipData) -> None:
        """Stage the edited valid-until date and proof note of one entry."""
        for entry in self._entries:
            if entry.data.category_id == data.category_id and entry.data != data:
                entry.data = data
                self._refill(data.category_id)
                self.sig_changed.emit()

    def on_data_changed(self, changes: object) -> None:
        """Show renamed or recoloured categories with their new look (staged edits are kept)."""
        if not getattr(changes, "categories", None):
            return
        infos = {c.id: c for c in self.services.categories.list()}
        for entry in self._entries:
            entry.category = infos.get(entry.data.category_id, entry.category)
        current = self._selected_entry()
        self._refill(current.data.category_id if current else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The Delete key on the list removes the selected entry."""
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            if isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)


def _plain(membership: MembershipData) -> MembershipData:
    """The bare membership data (a saved ``Membership`` carries more and would never compare equal)."""
    return MembershipData(membership.category_id, membership.valid_until, membership.proof_note)
