"""The managers' staff page: people, their roles and PINs, and the rules for discounts and locking."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Changes, Services
from salon_desk.services.permissions import role_label
from salon_desk.services.staff.staff import StaffInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import header_row, push_button
from salon_desk.ui.staff.pin_reset_dialog import PinResetDialog
from salon_desk.ui.staff.staff_editor_dialog import StaffEditorDialog
from salon_desk.ui.staff.staff_rules_panel import StaffRulesPanel

NAME, ROLE, STATUS = range(3)
ROW_HEIGHT = 28
INACTIVE_COLOR = QColor("#9E9E9E")


def status_text(member: StaffInfo) -> str:
    """Active, deactivated, or locked after wrong PINs (until when)."""
    if not member.active:
        return _("Deactivated")
    if member.is_locked() and member.locked_until is not None:
        return _("Locked until {time} (wrong PINs)").format(time=member.locked_until.astimezone().strftime("%H:%M"))
    return _("Active")


class StaffPage(QWidget):
    """Staff members in a table with New, Edit, Deactivate and Reset PIN; the rules below."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffPage")
        self.services = services
        self.bus = bus
        self.members: list[StaffInfo] = []
        self.dialog: StaffEditorDialog | PinResetDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_table(), 1)
        self.rules = StaffRulesPanel(services, bus, self)
        layout.addWidget(self.rules)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _build_header(self) -> QHBoxLayout:
        self.new_button = push_button(_("&New staff member…"), "newStaffButton", self.new_member)
        self.edit_button = push_button(_("&Edit…"), "editStaffButton", self.edit_selected)
        self.active_button = push_button(_("&Deactivate…"), "deactivateStaffButton", self.toggle_active)
        self.pin_button = push_button(_("Reset &PIN…"), "resetPinButton", self.reset_pin)
        return header_row(_("Staff members"), self.new_button, self.edit_button, self.active_button, self.pin_button)

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("staffTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(120)
        self.table.itemSelectionChanged.connect(self.update_buttons)
        self.table.itemDoubleClicked.connect(self.edit_selected)
        return self.table

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the members again, keeping the selection on the same person."""
        selected = self.selected_member()
        self.members = self.services.staff.list()
        self.table.setRowCount(len(self.members))
        for row, member in enumerate(self.members):
            for column, text in enumerate((member.name, role_label(member.role), status_text(member))):
                item = QTableWidgetItem(text)
                if not member.active:
                    item.setForeground(INACTIVE_COLOR)
                self.table.setItem(row, column, item)
        if selected is not None:
            self.select_member(selected.id)
        self.update_buttons()

    def on_data_changed(self, changes: Changes) -> None:
        """Reload when staff changed."""
        if changes.staff:
            self.reload()

    def selected_member(self) -> StaffInfo | None:
        """The member of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.members[rows[0].row()] if rows and rows[0].row() < len(self.members) else None

    def select_member(self, staff_id: int) -> None:
        """Select the row of ``staff_id`` (if shown)."""
        row = next((n for n, m in enumerate(self.members) if m.id == staff_id), -1)
        if row >= 0:
            self.table.selectRow(row)

    def update_buttons(self) -> None:
        """Edit, (de)activate and Reset PIN need a selected member."""
        member = self.selected_member()
        for button in (self.edit_button, self.active_button, self.pin_button):
            button.setEnabled(member is not None)
        reactivate = member is not None and not member.active
        self.active_button.setText(_("Re&activate") if reactivate else _("&Deactivate…"))

    # -- actions ----------------------------------------------------------------------

    def new_member(self) -> None:
        """Open an empty staff editor."""
        self._open(StaffEditorDialog(self.services, self.bus, None, self))

    def edit_selected(self) -> None:
        """Open the editor on the selected member."""
        member = self.selected_member()
        if member is not None:
            self._open(StaffEditorDialog(self.services, self.bus, member, self))

    def reset_pin(self) -> None:
        """Give the selected member a new PIN."""
        member = self.selected_member()
        if member is not None:
            self._open(PinResetDialog(self.services, self.bus, member, self))

    def _open(self, dialog: StaffEditorDialog | PinResetDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        if isinstance(dialog, StaffEditorDialog):
            dialog.accepted.connect(self.select_saved)
        dialog.open()

    def select_saved(self) -> None:
        """Select the member the editor just saved."""
        if isinstance(self.dialog, StaffEditorDialog) and self.dialog.saved is not None:
            self.select_member(self.dialog.saved.id)

    def toggle_active(self) -> None:
        """Deactivate the selected member after confirming, or reactivate them."""
        member = self.selected_member()
        if member is None:
            return
        try:
            if member.active:
                if not self._confirm_deactivate(member):
                    return
                changes = self.services.staff.deactivate(member.id, member.version)
            else:
                changes = self.services.staff.reactivate(member.id, member.version)
        except SalonError as exc:
            show_error(self, exc.message)
            self.reload()
            return
        self.bus.publish(changes)

    def _confirm_deactivate(self, member: StaffInfo) -> bool:
        answer = QMessageBox.question(
            self,
            _("Deactivate staff member"),
            _(
                "Deactivate {name}? They can no longer sign in. "
                "Their entries in the audit log stay, and you can reactivate them later."
            ).format(name=member.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
