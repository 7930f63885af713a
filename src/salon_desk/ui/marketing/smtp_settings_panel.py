"""The Settings dialog's Email tab: the salon's SMTP server, sender and rate limit, and "Send test message".

Follows the settings pages' contract: ``load()``, ``save()``, ``restore_defaults()``.
The test message goes out in a worker thread; its answer comes back in plain words.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.marketing.smtp_link import Security, SmtpProblem
from salon_desk.services.marketing.smtp_settings import DEFAULT_RATE, MAX_RATE, SmtpSettings, password_store
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.forms import FieldErrors

SECURITY_LABELS = ((Security.STARTTLS, "STARTTLS"), (Security.SSL, "SSL/TLS"), (Security.NONE, None))
DEFAULT_PORTS = {Security.STARTTLS: 587, Security.SSL: 465, Security.NONE: 25}
OK_STYLE, BAD_STYLE = "color: #2E7D32;", "color: #C62828;"


class _Answer(QObject):
    sig_answer = Signal(bool, str)
    """The test message's outcome (from the worker thread).

    Args:
        ok (bool): the server accepted it.
        text (str): the answer in plain words.
    """


class SmtpSettingsPanel(QWidget):
    """Host, port, security, user, password, sender name and address, messages per minute; test message."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("smtpSettingsPanel")
        self.services = services
        self.errors = FieldErrors()
        self.answer = _Answer(self)
        self.answer.sig_answer.connect(self.show_answer)
        self._build()
        self.setEnabled(allows(services.workstation.actor.role, Permission.EDIT_SETTINGS))
        self.load()

    def _build(self) -> None:
        self.host_edit = QLineEdit(objectName="smtpHostEdit")
        self.host_edit.setPlaceholderText(_("e.g. smtp.example.com"))
        self.port_spin = QSpinBox(objectName="smtpPortSpin", minimum=1, maximum=65535)
        self.security_combo = QComboBox(objectName="smtpSecurityCombo")
        for security, label in SECURITY_LABELS:
            self.security_combo.addItem(label or _("None (only inside the salon's network)"), security.value)
        self.security_combo.currentIndexChanged.connect(self._default_port)
        self.user_edit = QLineEdit(objectName="smtpUserEdit")
        self.password_edit = QLineEdit(objectName="smtpPasswordEdit", echoMode=QLineEdit.EchoMode.Password)
        self.sender_name_edit = QLineEdit(objectName="smtpSenderNameEdit")
        self.sender_address_edit = QLineEdit(objectName="smtpSenderAddressEdit")
        self.rate_spin = QSpinBox(objectName="smtpRateSpin", minimum=0, maximum=MAX_RATE)
        self.rate_spin.setSpecialValueText(_("no limit"))
        self.rate_spin.setSuffix(_(" per minute"))
        self.password_hint = QLabel(objectName="smtpPasswordHint", wordWrap=True)
        self.password_hint.setText(self._where_password())
        self.test_address_edit = QLineEdit(objectName="smtpTestAddressEdit")
        self.test_address_edit.setPlaceholderText(_("the sender address"))
        self.test_button = QPushButton(_("Send &test message"), objectName="smtpTestButton")
        self.test_button.clicked.connect(self.send_test)
        self.test_result = QLabel(objectName="smtpTestResult", wordWrap=True)
        form = QFormLayout(self)
        self.errors.add_row(form, _("Mail &server:"), "host", self.host_edit)
        self.errors.add_row(form, _("&Port:"), "port", self.port_spin)
        form.addRow(_("Se&curity:"), self.security_combo)
        form.addRow(_("&User name:"), self.user_edit)
        form.addRow(_("Pass&word:"), self.password_edit)
        form.addRow("", self.password_hint)
        form.addRow(_("Sender &name:"), self.sender_name_edit)
        self.errors.add_row(form, _("Sender &address:"), "sender_address", self.sender_address_edit)
        self.errors.add_row(form, _("&Rate limit:"), "rate_per_minute", self.rate_spin)
        test_box = QWidget(objectName="smtpTestBox")
        test_row = QHBoxLayout(test_box)
        test_row.setContentsMargins(0, 0, 0, 0)
        test_row.addWidget(self.test_address_edit, 1)
        test_row.addWidget(self.test_button)
        test_box.setFocusProxy(self.test_address_edit)
        self.errors.add_row(form, _("Test to:"), "test_address", test_box)
        form.addRow("", self.test_result)

    @staticmethod
    def _where_password() -> str:
        if password_store() == "keyring":
            return _("The password is kept in this computer's credential store, not in the database.")
        return _("This computer has no credential store: the password is kept in a file in the data folder that "
                 "only your user account can read, not in the database.")

    def _default_port(self) -> None:
        if self.port_spin.value() in DEFAULT_PORTS.values():
            self.port_spin.setValue(DEFAULT_PORTS[Security(self.security_combo.currentData())])

    def load(self) -> None:
        """Show the stored settings (the password stays hidden: empty keeps the stored one)."""
        self.show_settings(self.services.smtp.load())

    def show_settings(self, settings: SmtpSettings) -> None:
        """Put ``settings`` into the fields."""
        self.host_edit.setText(settings.host)
        self.security_combo.blockSignals(True)
        self.security_combo.setCurrentIndex(max(0, self.security_combo.findData(settings.security.value)))
        self.security_combo.blockSignals(False)
        self.port_spin.setValue(settings.port)
        self.user_edit.setText(settings.user)
        self.password_edit.clear()
        self.password_edit.setPlaceholderText(_("unchanged") if settings.host else "")
        self.sender_name_edit.setText(settings.sender_name)
        self.sender_address_edit.setText(settings.sender_address)
        self.rate_spin.setValue(settings.rate_per_minute)

    def restore_defaults(self) -> None:
        """STARTTLS on port 587, 60 messages a minute; the server fields stay."""
        self.security_combo.setCurrentIndex(0)
        self.port_spin.setValue(587)
        self.rate_spin.setValue(DEFAULT_RATE)

    def settings(self) -> SmtpSettings:
        """The fields as settings."""
        return SmtpSettings(
            host=self.host_edit.text(), port=self.port_spin.value(), security=Security(self.security_combo.currentData()),
            user=self.user_edit.text(), password=self.password_edit.text(), sender_name=self.sender_name_edit.text(),
            sender_address=self.sender_address_edit.text(), rate_per_minute=self.rate_spin.value(),
        )

    def is_empty(self) -> bool:
        """True when no server was entered (nothing to save)."""
        return not self.host_edit.text().strip() and not self.sender_address_edit.text().strip()

    def save(self) -> None:
        """Store the settings; raises SalonError (shown next to its field by the caller)."""
        self.services.smtp.save(self.settings())
        self.password_edit.clear()
        self.password_edit.setPlaceholderText(_("unchanged"))

    def show_error(self, error: SalonError) -> bool:
        """Show ``error`` next to its field; False when it names none of this tab's fields."""
        if (error.field or "") not in ("host", "port", "sender_address", "rate_per_minute", "test_address"):
            return False
        self.errors.show(error, self)
        return True

    # -- test message -----------------------------------------------------------------------

    def send_test(self) -> None:
        """Send a test message in a worker thread; the answer appears under the button."""
        self.errors.clear()
        settings, to = self.settings(), self.test_address_edit.text()
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(_("Sending a test message…"))

        def work() -> None:
            try:
                self.answer.sig_answer.emit(True, self.services.smtp.send_test(settings, to))
            except SmtpProblem as problem:
                self.answer.sig_answer.emit(False, problem.message)
            except SalonError as error:
                self.answer.sig_answer.emit(False, error.message)

        threading.Thread(target=work, name="smtp-test", daemon=True).start()

    def show_answer(self, ok: bool, text: str) -> None:
        """The server's answer in plain words, green or red."""
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.test_result.setText(text)
