"""Create or edit a staff member: name, role, active; a new member also gets their first PIN."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import N_, _
from salon_desk.models import Role
from salon_desk.services import Changes, Services
from salon_desk.services.permissions import ROLE_ORDER, role_label
from salon_desk.services.staff.staff import NAME_MAX, StaffData, StaffInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.staff.first_manager_dialog import check_repeated_pin
from salon_desk.ui.common.forms import EditorDialog, FieldErrors
from salon_desk.ui.staff.pin_edit import PinEdit

ROLE_HINTS = {
    Role.MANAGER: N_("Everything, including staff, prices and settings."),
    Role.FRONT_DESK: N_("Clients and their categories; selling."),
    Role.CASHIER: N_("Selling only."),
}


class StaffEditorDialog(EditorDialog):
    """Saves through the services on OK and stays open, with the reason, when the save is refused."""

    def __init__(
        self, services: Services, bus: DataBus, member: StaffInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffEditorDialog")
        self.services = services
        self.bus = bus
        self.member = member
        self.saved: StaffInfo | None = None
        self.errors = FieldErrors()
        if member is None:
            self.setWindowTitle(_("New staff member"))
        else:
            self.setWindowTitle(_("Edit “{name}”").format(name=member.name))
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_buttons())
        self._load(member)
        self.setMinimumWidth(440)
        self.restore()

    def _build_form(self) -> QFormLayout:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("staffNameEdit")
        self.name_edit.setMaxLength(NAME_MAX)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("staffRoleCombo")
        for role in ROLE_ORDER:
            self.role_combo.addItem(role_label(role), role.value)
        self.role_hint = QLabel()
        self.role_hint.setWordWrap(True)
        self.role_combo.currentIndexChanged.connect(self.update_role_hint)
        self.active_check = QCheckBox(_("&Active (can sign in)"))
        self.active_check.setObjectName("staffActiveCheck")
        self.pin_edit = PinEdit("staffPinEdit")
        self.repeat_edit = PinEdit("staffPinRepeatEdit")
        form = QFormLayout()
        self.errors.add_row(form, _("&Name:"), "name", self.name_edit)
        form.addRow(_("&Role:"), self.role_combo)
        form.addRow("", self.role_hint)
        form.addRow("", self.errors.label_for("role", self.role_combo))
        self.errors.add_row(form, "", "active", self.active_check)
        if self.member is None:
            self.errors.add_row(form, _("&PIN:"), "pin", self.pin_edit)
            self.errors.add_row(form, _("R&epeat PIN:"), "pin_repeat", self.repeat_edit)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("saveStaffButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelStaffButton")
        self.buttons.accepted.connect(self.save_and_accept)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def _load(self, member: StaffInfo | None) -> None:
        self.name_edit.setText(member.name if member else "")
        role = member.role if member else Role.CASHIER
        self.role_combo.setCurrentIndex(ROLE_ORDER.index(role))
        self.active_check.setChecked(member.active if member else True)
        self.active_check.setVisible(member is not None)
        self.update_role_hint()

    def update_role_hint(self) -> None:
        """Say in one line what the chosen role may do."""
        self.role_hint.setText(_(ROLE_HINTS[self.role()]))

    def role(self) -> Role:
        """The chosen role."""
        return Role(self.role_combo.currentData())

    def data(self) -> StaffData:
        """What the form holds."""
        return StaffData(name=self.name_edit.text(), role=self.role(), active=self.active_check.isChecked())

    def save(self) -> Changes:
        """Create the member with their PIN, or update them."""
        if self.member is None:
            check_repeated_pin(self.pin_edit.text(), self.repeat_edit.text())
            self.saved, changes = self.services.staff.create(self.data(), self.pin_edit.text())
        else:
            self.saved, changes = self.services.staff.update(self.member.id, self.member.version, self.data())
        return changes
