"""The managers' special-offers page: items, offer price or percentage, dates and state."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QTableView, QVBoxLayout, QWidget

from salon_desk.errors import SalonError
from salon_desk.textindex import fold
from salon_desk.i18n import _, format_date, format_money, format_percent
from salon_desk.services import Changes, Services
from salon_desk.services.catalogue.catalog import OfferInfo, OfferState
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.catalogue.offer_editor_dialog import OfferEditorDialog, state_label
from salon_desk.ui.common.page_parts import confirm, header_row, push_button, record_table, select_record, selected_records
from salon_desk.ui.common.row_table_model import NONE, RIGHT, Column, RowTableModel

NAME, ITEMS, OFFER, FROM, TO, STATE = range(6)
STATE_ORDER = {OfferState.ACTIVE: 0, OfferState.UPCOMING: 1, OfferState.ENDED: 2}


def offer_text(offer: OfferInfo) -> str:
    """``19,90 €`` for an offer price, ``−15 %`` for a percentage off."""
    if offer.offer_price is not None:
        return format_money(offer.offer_price)
    return "−" + format_percent(offer.percent_off) if offer.percent_off is not None else NONE


class OffersPage(QWidget):
    """Every special offer with its state today; New, Edit, Delete and a state filter."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offersPage")
        self.services = services
        self.bus = bus
        self.editor: OfferEditorDialog | None = None
        self._item_names: dict[int, str] = {}
        self.model = RowTableModel(self._columns(), lambda o: o.id, lambda o: o.state is OfferState.ENDED, self)
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("offerStateFilter")
        self.state_combo.addItem(_("All offers"), None)
        for state in (OfferState.ACTIVE, OfferState.UPCOMING, OfferState.ENDED):
            self.state_combo.addItem(state_label(state), state.value)
        self.state_combo.currentIndexChanged.connect(self.reload)
        self.new_button = push_button(_("&New offer…"), "newOfferButton", self.new_offer)
        self.edit_button = push_button(_("&Edit…"), "editOfferButton", self.edit_selected)
        self.delete_button = push_button(_("&Delete…"), "deleteOfferButton", self.delete_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        widgets = (self.state_combo, self.new_button, self.edit_button, self.delete_button)
        layout.addLayout(header_row(_("Special offers"), *widgets))
        layout.addWidget(self._build_table(), 1)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _columns(self) -> list[Column]:
        return [
            Column(_("Name"), lambda o: o.name),
            Column(_("Items"), self._items_text),
            Column(_("Offer"), offer_text, lambda o: (o.offer_price is None, o.offer_price or o.percent_off), RIGHT),
            Column(_("From"), lambda o: format_date(o.starts_on), lambda o: o.starts_on, RIGHT),
            Column(_("To"), lambda o: format_date(o.ends_on), lambda o: o.ends_on, RIGHT),
            Column(_("State"), lambda o: state_label(o.state), lambda o: (STATE_ORDER[o.state], o.starts_on)),
        ]

    def _items_text(self, offer: OfferInfo) -> str:
        names = sorted((self._item_names.get(i, "?") for i in offer.item_ids), key=fold)
        return ", ".join(names) if names else _("(no items)")

    def _build_table(self) -> QTableView:
        self.table = record_table("offersTable", self.model, stretch_column=ITEMS)
        self.table.sortByColumn(STATE, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.table.installEventFilter(self)
        return self.table

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the offers again with their state today, keeping the selection."""
        selected = self.selected_offer()
        self._item_names = {i.id: i.name for i in self.services.catalog.list_items()}
        wanted = self.state_combo.currentData()
        offers = [o for o in self.services.catalog.list_offers(date.today()) if wanted in (None, o.state.value)]
        self.model.set_rows(offers)
        if selected is not None:
            select_record(self.table, selected.id)
        self.update_buttons()

    def on_data_changed(self, changes: Changes) -> None:
        """Reload when catalogue items or offers changed."""
        if changes.catalog:
            self.reload()

    def selected_offer(self) -> OfferInfo | None:
        """The offer of the selected row, if any."""
        records = selected_records(self.table)
        return records[0] if records else None  # type: ignore[return-value]

    def update_buttons(self) -> None:
        """Edit and Delete need a selected offer."""
        selected = self.selected_offer() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # -- actions ----------------------------------------------------------------------

    def new_offer(self) -> None:
        """Open an empty offer editor."""
        self._open_editor(None)

    def edit_selected(self) -> None:
        """Open the editor on the selected offer."""
        offer = self.selected_offer()
        if offer is not None:
            self._open_editor(offer)

    def _open_editor(self, offer: OfferInfo | None) -> None:
        if self.editor is not None:
            self.editor.deleteLater()
        self.editor = OfferEditorDialog(self.services, self.bus, offer, self)
        self.editor.accepted.connect(self.select_saved)
        self.editor.open()

    def select_saved(self) -> None:
        """Select the offer the editor just saved (showing all offers if the filter hides it)."""
        if self.editor is None or self.editor.saved_offer_id is None:
            return
        if self.model.row_of(self.editor.saved_offer_id) < 0:
            self.state_combo.setCurrentIndex(0)
        select_record(self.table, self.editor.saved_offer_id)
        self.table.setFocus()

    def delete_selected(self) -> None:
        """Delete the selected offer after a confirmation."""
        offer = self.selected_offer()
        if offer is None:
            return
        question = "\n\n".join(
            [
                _("Delete the special offer “{name}”?").format(name=offer.name),
                _("Past sales keep the offer name and price they were sold with."),
            ]
        )
        if not confirm(self, _("Delete special offer"), question):
            return
        try:
            changes = self.services.catalog.delete_offer(offer.id)
        except SalonError as exc:
            show_error(self, exc.message)
            self.reload()
            return
        self.bus.publish(changes)
        if not changes.catalog:  # an offer without items touches no item, so no view would reload
            self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter edits and Delete deletes the selected offer."""
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_offer() is not None:
                self.edit_selected()
                return True
            if event.key() == Qt.Key.Key_Delete and self.selected_offer() is not None:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)
