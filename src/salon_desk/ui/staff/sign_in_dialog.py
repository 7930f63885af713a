"""Sign in with a PIN: at start, to switch the person at the desk, and to unlock an idle workstation."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Actor, Services
from salon_desk.services.permissions import role_label
from salon_desk.ui.common.forms import ERROR_STYLE
from salon_desk.ui.staff.pin_edit import PinEdit


class SignInMode(Enum):
    """Why the dialog is shown: it decides the title and whether it can be left without signing in."""

    START = "start"
    SWITCH = "switch"
    LOCK = "lock"


class SignInDialog(QDialog):
    """Pick your name, type your PIN; sets the person signed in at this workstation."""

    sig_signed_in = Signal(object)
    """Emitted after a successful sign-in.

    Args:
        actor (Actor): the person now signed in.
    """

    def __init__(self, services: Services, mode: SignInMode = SignInMode.START, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.services = services
        self.mode = mode
        self.actor: Actor | None = None
        self.setWindowTitle(_("Salon Desk is locked") if mode is SignInMode.LOCK else _("Sign in"))
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self._build_heading())
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_buttons())
        if mode is SignInMode.LOCK:
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(380)
        self._load_members()
        self.update_button()

    def _build_heading(self) -> QLabel:
        texts = {
            SignInMode.START: _("Who is working? Choose your name and type your PIN."),
            SignInMode.SWITCH: _("Who takes over the desk? Choose your name and type your PIN."),
            SignInMode.LOCK: _("The workstation was locked. Sign in to continue."),
        }
        heading = QLabel(texts[self.mode])
        heading.setObjectName("signInHeadingLabel")
        heading.setWordWrap(True)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        return heading

    def _build_form(self) -> QFormLayout:
        self.member_combo = QComboBox()
        self.member_combo.setObjectName("signInMemberCombo")
        self.pin_edit = PinEdit("signInPinEdit")
        self.message_label = QLabel()
        self.message_label.setObjectName("signInMessageLabel")
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        form = QFormLayout()
        form.addRow(_("&Name:"), self.member_combo)
        form.addRow(_("&PIN:"), self.pin_edit)
        form.addRow("", self.message_label)
        self.pin_edit.textChanged.connect(self.update_button)
        self.member_combo.currentIndexChanged.connect(self.clear_message)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton(_("&Sign in"))
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.clicked.connect(self.sign_in)
        if self.mode is not SignInMode.LOCK:
            text = _("&Quit") if self.mode is SignInMode.START else _("Cancel")
            cancel = QPushButton(text)
            cancel.setObjectName("cancelSignInButton")
            self.buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
            cancel.clicked.connect(self.reject)
        return self.buttons

    def _load_members(self) -> None:
        """Active members by name; the person signed in last is preselected."""
        current = self.services.workstation.actor.staff_id
        for member in self.services.staff.list(include_inactive=False):
            self.member_combo.addItem(f"{member.name} ({role_label(member.role)})", member.id)
            if member.id == current:
                self.member_combo.setCurrentIndex(self.member_combo.count() - 1)
        if self.member_combo.count() == 0:
            self.show_message(_("Nobody can sign in: there is no active staff member."))
        self.pin_edit.setFocus()

    def update_button(self) -> None:
        """Signing in needs a name and a PIN of 4 to 8 digits."""
        self.sign_in_button.setEnabled(self.member_combo.count() > 0 and self.pin_edit.is_complete())

    def show_message(self, message: str) -> None:
        """Say why signing in did not work."""
        self.message_label.setText(message)
        self.message_label.show()
        self.adjustSize()  # a wrapped message needs the height of its lines

    def clear_message(self) -> None:
        """Hide the message (another name was chosen)."""
        self.message_label.hide()

    def sign_in(self) -> None:
        """Check the PIN; on success set the workstation's person and close."""
        if not self.sign_in_button.isEnabled():
            return
        try:
            actor = self.services.staff.sign_in(self.member_combo.currentData(), self.pin_edit.text())
        except SalonError as exc:
            self.pin_edit.clear()
            self.pin_edit.setFocus()
            self.show_message(exc.message)
            return
        self.actor = actor
        self.services.workstation.actor = actor
        self.sig_signed_in.emit(actor)
        self.accept()

    def reject(self) -> None:
        """Escape leaves the dialog, except on a locked workstation."""
        if self.mode is not SignInMode.LOCK:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.mode is SignInMode.LOCK:
            event.ignore()  # a locked workstation opens only with a PIN
            return
        super().closeEvent(event)
