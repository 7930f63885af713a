"""The client card's category side panel: coloured entries, staged adds, removals and validity edits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _, format_date
from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.services.clients.clients import MembershipData
from salon_desk.textindex import fold
from salon_desk.ui.categories.category_entry import (
    ID_ROLE,
    CategoryItemDelegate,
    fill_category_item,
)
from salon_desk.ui.common.bus import DataBus

PANEL_WIDTH = 280


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
