"""The managers' catalogue page: services and products with price, VAT, flags and group restriction."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QTableView, QVBoxLayout, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_money, format_percent, ngettext
from salon_desk.services import Changes, Services
from salon_desk.services.catalogue.catalog import ItemInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.groups.group_prices_page import kind_label
from salon_desk.ui.catalogue.item_editor_dialog import ItemEditorDialog
from salon_desk.ui.common.page_parts import confirm, header_row, push_button, record_table, select_record, selected_records
from salon_desk.ui.common.row_table_model import CENTER, CHECK, NONE, RIGHT, Column, RowTableModel

NAME, KIND, PRICE, VAT, NO_DISCOUNTS, ACTIVE, GROUPS = range(7)


class CataloguePage(QWidget):
    """Every catalogue item in a table, with New, Edit and Delete (deactivate when already sold)."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cataloguePage")
        self.services = services
        self.bus = bus
        self.editor: ItemEditorDialog | None = None
        self._group_names: dict[int, str] = {}
        self.model = RowTableModel(self._columns(), lambda i: i.id, lambda i: not i.active, self)
        self.inactive_check = QCheckBox(_("Show &inactive items"))
        self.inactive_check.setObjectName("showInactiveCheck")
        self.inactive_check.toggled.connect(self.reload)
        self.new_button = push_button(_("&New item…"), "newItemButton", self.new_item)
        self.edit_button = push_button(_("&Edit…"), "editItemButton", self.edit_selected)
        self.delete_button = push_button(_("&Delete…"), "deleteItemButton", self.delete_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        buttons = (self.inactive_check, self.new_button, self.edit_button, self.delete_button)
        layout.addLayout(header_row(_("Catalogue: services and products"), *buttons))
        layout.addWidget(self._build_table(), 1)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _columns(self) -> list[Column]:
        return [
            Column(_("Name"), lambda i: i.name),
            Column(_("Kind"), lambda i: kind_label(i.kind)),
            Column(_("Price"), lambda i: format_money(i.price), lambda i: i.price, RIGHT),
            Column(_("VAT"), lambda i: format_percent(i.vat_rate), lambda i: i.vat_rate, RIGHT),
            Column(_("No discounts"), lambda i: CHECK if i.no_discounts else "", lambda i: i.no_discounts, CENTER),
            Column(_("Active"), lambda i: CHECK if i.active else "", lambda i: i.active, CENTER),
            Column(_("Only for groups"), self._groups_text),
        ]

    def _groups_text(self, item: ItemInfo) -> str:
        names = sorted(self._group_names.get(g, "?") for g in item.restricted_to)
        return ", ".join(names) if names else NONE

    def _build_table(self) -> QTableView:
        self.table = record_table("catalogueTable", self.model, stretch_column=GROUPS)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.table.installEventFilter(self)
        return self.table

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the items again (inactive ones only when asked), keeping the selection."""
        selected = self.selected_item()
        self._group_names = {g.id: g.name for g in self.services.groups.list(counts=False)}
        self.model.set_rows(self.services.catalog.list_items(include_inactive=self.inactive_check.isChecked()))
        if selected is not None:
            select_record(self.table, selected.id)
        self.update_buttons()

    def on_data_changed(self, changes: Changes) -> None:
        """Reload when items or groups (the restriction names) changed."""
        if changes.catalog or changes.groups:
            self.reload()

    def selected_item(self) -> ItemInfo | None:
        """The item of the selected row, if any."""
        records = selected_records(self.table)
        return records[0] if records else None  # type: ignore[return-value]

    def update_buttons(self) -> None:
        """Edit and Delete need a selected item."""
        selected = self.selected_item() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # -- actions ----------------------------------------------------------------------

    def new_item(self) -> None:
        """Open an empty item editor."""
        self._open_editor(None)

    def edit_selected(self) -> None:
        """Open the editor on the selected item."""
        item = self.selected_item()
        if item is not None:
            self._open_editor(item)

    def _open_editor(self, item: ItemInfo | None) -> None:
        if self.editor is not None:
            self.editor.deleteLater()
        self.editor = ItemEditorDialog(self.services, self.bus, item, self)
        self.editor.accepted.connect(self.select_saved)
        self.editor.open()

    def select_saved(self) -> None:
        """Select the item the editor just saved."""
        if self.editor is not None and self.editor.saved_item is not None:
            if not self.editor.saved_item.active:
                self.inactive_check.setChecked(True)
            select_record(self.table, self.editor.saved_item.id)
            self.table.setFocus()

    def delete_selected(self) -> None:
        """Delete the selected item, or deactivate it when it appears in past sales."""
        item = self.selected_item()
        if item is None:
            return
        if not item.active and self.services.catalog.times_sold(item.id):
            show_error(
                self,
                _("“{name}” is already inactive. It stays in the catalogue because past sales show it.").format(
                    name=item.name
                ),
            )
            return
        if not confirm(self, _("Delete item"), self.delete_question(item)):
            return
        try:
            _deleted, changes = self.services.catalog.delete_item(item.id)
        except SalonError as exc:
            show_error(self, exc.message)
            self.reload()
            return
        self.bus.publish(changes)

    def delete_question(self, item: ItemInfo) -> str:
        """The confirmation: deleting an unsold item, or deactivating a sold one (receipts keep it)."""
        sold = self.services.catalog.times_sold(item.id)
        if sold:
            return "\n\n".join(
                [
                    ngettext(
                        "“{name}” appears on {count} past sale line, so it cannot be deleted.",
                        "“{name}” appears on {count} past sale lines, so it cannot be deleted.",
                        sold,
                    ).format(name=item.name, count=sold),
                    _("Deactivate it instead? It can no longer be sold; past sales and receipts keep it."),
                ]
            )
        return "\n\n".join(
            [
                _("Delete “{name}”?").format(name=item.name),
                _("Its group prices are removed and it is taken out of special offers."),
            ]
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter edits and Delete deletes the selected item."""
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_item() is not None:
                self.edit_selected()
                return True
            if event.key() == Qt.Key.Key_Delete and self.selected_item() is not None:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)
