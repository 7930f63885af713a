"""The TSE settings (managers): fiskaly's address, TSS and client IDs, the API key and secret; a test call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services.fiscal.fiskaly import DEFAULT_BASE_URL
from salon_desk.services.fiscal.tse_settings import TseSettings, TseSettingsService, secret_store
from salon_desk.ui.common.forms import FieldErrors


class TseSettingsPanel(QGroupBox):
    """load() / save() / test_connection(), like the other settings pages."""

    def __init__(
        self, service: TseSettingsService, on_saved: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Technical security device (TSE)"), parent)
        self.setObjectName("tseSettingsGroup")
        self.service, self.on_saved = service, on_saved
        self.errors = FieldErrors()
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        labels = {
            "base_url": _("API &address:"),
            "tss_id": _("&TSS ID:"),
            "client_id": _("&Client ID:"),
            "api_key": _("API &key:"),
            "api_secret": _("API &secret:"),
        }
        for field, label in labels.items():
            edit = QLineEdit()
            edit.setObjectName("tse" + "".join(p.title() for p in field.split("_")) + "Edit")
            self.edits[field] = edit
            self.errors.add_row(form, label, field, edit)
        self.edits["api_secret"].setEchoMode(QLineEdit.EchoMode.Password)
        store = _("the system's credential store") if secret_store() == "keyring" else _("a file only you can read")
        form.addRow("", QLabel(_("The key and secret are kept in {store}.").format(store=store)))
        save = QPushButton(_("Save TSE settings"))
        save.setObjectName("saveTseSettingsButton")
        save.clicked.connect(self.save)
        test = QPushButton(_("Test the connection"))
        test.setObjectName("testTseButton")
        test.clicked.connect(self.test_connection)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addWidget(test)
        row.addStretch(1)
        form.addRow(row)
        self.status = QLabel()
        self.status.setObjectName("tseStatusLabel")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.load()

    def load(self) -> None:
        """Show the stored settings; the key and secret fields stay empty (empty keeps them)."""
        settings = self.service.load()
        self.edits["base_url"].setText(settings.base_url)
        self.edits["tss_id"].setText(settings.tss_id)
        self.edits["client_id"].setText(settings.client_id)
        self.edits["api_key"].setPlaceholderText(_("unchanged") if settings.tss_id else "")
        self.edits["api_secret"].setPlaceholderText(_("unchanged") if settings.tss_id else "")

    def restore_defaults(self) -> None:
        """fiskaly's own address and empty IDs (stored only when saved; empty key fields keep the stored ones)."""
        self.edits["base_url"].setText(DEFAULT_BASE_URL)
        for field in ("tss_id", "client_id", "api_key", "api_secret"):
            self.edits[field].clear()
        self.errors.clear()
        self.status.clear()

    def save(self) -> None:
        """Store the settings; the checkout signs with the new TSE from the next sale on."""
        self.errors.clear()
        text = {field: edit.text() for field, edit in self.edits.items()}
        try:
            self.service.save(TseSettings(**text))
        except SalonError as error:
            self.errors.show(error, self)
            return
        self.edits["api_key"].clear()
        self.edits["api_secret"].clear()
        self.load()
        self.status.setText(_("Saved."))
        self.on_saved()

    def test_connection(self) -> None:
        """Ask the TSE for its TSS and register this till; say what it answered."""
        try:
            serial = self.service.test_connection()
        except SalonError as error:
            self.status.setText(error.message)
            return
        self.status.setText(_("The TSE answered: TSS serial number {serial}.").format(serial=serial))
