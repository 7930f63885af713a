"""The very first start: set up the first manager (there is no default PIN)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _
from salon_desk.services import Actor, Services
from salon_desk.models import Role
from salon_desk.services.staff.staff import NAME_MAX, StaffData, validate_pin, validate_staff
from salon_desk.ui.common.forms import FieldErrors
from salon_desk.ui.staff.pin_edit import PinEdit


def check_repeated_pin(pin: str, repeated: str) -> None:
    """Refuse a PIN that was not typed the same way twice."""
    if pin != repeated:
        raise ValidationError(_("The two PINs are not the same. Please type the PIN again."), "pin_repeat")


class FirstManagerDialog(QDialog):
    """Name and PIN (twice) of the first manager, who is then signed in."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstManagerDialog")
        self.services = services
        self.actor: Actor | None = None
        self.errors = FieldErrors()
        self.setWindowTitle(_("Welcome to Salon Desk"))
        intro = QLabel(
            _(
                "Salon Desk starts with one manager: you. Managers set up categories, prices and staff. "
                "Choose a PIN of 4 to 8 digits that only you know; you will sign in with it."
            )
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_buttons())
        self.setMinimumWidth(440)

    def _build_form(self) -> QFormLayout:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("firstManagerNameEdit")
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText(_("e.g. Anna Berger"))
        self.pin_edit = PinEdit("firstManagerPinEdit")
        self.repeat_edit = PinEdit("firstManagerPinRepeatEdit")
        form = QFormLayout()
        self.errors.add_row(form, _("Your &name:"), "name", self.name_edit)
        self.errors.add_row(form, _("&PIN:"), "pin", self.pin_edit)
        self.errors.add_row(form, _("&Repeat PIN:"), "pin_repeat", self.repeat_edit)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.create_button = QPushButton(_("&Create manager and sign in"))
        self.create_button.setObjectName("createManagerButton")
        self.create_button.setDefault(True)
        quit_button = QPushButton(_("&Quit"))
        quit_button.setObjectName("quitFirstStartButton")
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.clicked.connect(self.create_and_accept)
        quit_button.clicked.connect(self.reject)
        return buttons

    def create_and_accept(self) -> None:
        """Create the manager and sign them in; a wrong entry is shown next to its field."""
        try:
            # Field by field from the top, so the first wrong one is the one named.
            validate_staff(StaffData(name=self.name_edit.text(), role=Role.MANAGER))
            validate_pin(self.pin_edit.text())
            check_repeated_pin(self.pin_edit.text(), self.repeat_edit.text())
            actor = self.services.staff.create_first_manager(self.name_edit.text(), self.pin_edit.text())
        except SalonError as exc:
            self.errors.show(exc, self)
            self.adjustSize()  # a wrapped message needs the height of its lines
            return
        self.actor = actor
        self.services.workstation.actor = actor
        self.accept()
