"""A manager gives a staff member a new PIN (typed twice); this also lifts a lock-out."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.staff.staff import StaffInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.staff.first_manager_dialog import check_repeated_pin
from salon_desk.ui.common.forms import FieldErrors
from salon_desk.ui.staff.pin_edit import PinEdit


class PinResetDialog(QDialog):
    """New PIN and its repetition for one member."""

    def __init__(self, services: Services, bus: DataBus, member: StaffInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinResetDialog")
        self.services = services
        self.bus = bus
        self.member = member
        self.errors = FieldErrors()
        self.setWindowTitle(_("New PIN for {name}").format(name=member.name))
        intro = QLabel(
            _("Type the new PIN together with {name}, or let them type it. The old PIN stops working.").format(
                name=member.name
            )
        )
        intro.setWordWrap(True)
        self.pin_edit = PinEdit("newPinEdit")
        self.repeat_edit = PinEdit("newPinRepeatEdit")
        form = QFormLayout()
        self.errors.add_row(form, _("New &PIN:"), "pin", self.pin_edit)
        self.errors.add_row(form, _("&Repeat PIN:"), "pin_repeat", self.repeat_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("savePinButton")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelPinButton")
        buttons.accepted.connect(self.save_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(400)

    def save_and_accept(self) -> None:
        """Save the new PIN; a wrong entry is shown next to its field."""
        try:
            check_repeated_pin(self.pin_edit.text(), self.repeat_edit.text())
            changes = self.services.staff.reset_pin(self.member.id, self.pin_edit.text())
        except SalonError as exc:
            self.errors.show(exc, self)
            return
        self.bus.publish(changes)
        self.accept()
