"""Settings: language, database and backup folder (General), the mail server (Email), the TSE (TSE)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from salon_desk import i18n
from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import BusinessInfo
from salon_desk.services import secret_store
from salon_desk.services.permissions import Permission, allows
from salon_desk.settings import Settings
from salon_desk.ui.common.forms import FieldErrors, restore_geometry, save_geometry
from salon_desk.ui.marketing.smtp_settings_panel import SmtpSettingsPanel

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
MIN_WIDTH = 480


def validate_database_url(url: str) -> str:
    """An empty string (the built-in SQLite file) or a SQLite/PostgreSQL URL; ValidationError otherwise."""
    url = url.strip()
    if not url:
        return ""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise ValidationError(
            _("This is not a database address. Example: postgresql+psycopg://salon@server/salondesk"), "database_url"
        ) from None
    if backend not in SUPPORTED_BACKENDS:
        raise ValidationError(_("Salon Desk works with SQLite and PostgreSQL only."), "database_url")
    return url


class SettingsDialog(QDialog):
    """Language and database; both take effect when Salon Desk starts again."""

    def __init__(self, parent: QWidget | None = None, services: Services | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.errors = FieldErrors()
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.addItem(_("System language"), "")
        self.language_combo.addItem("Deutsch", "de")
        self.language_combo.addItem("English", "en")
        self.database_edit = QLineEdit()
        self.database_edit.setObjectName("databaseUrlEdit")
        self.database_edit.setPlaceholderText(_("Built-in database on this computer"))
        form = QFormLayout()
        form.addRow(_("&Language:"), self.language_combo)
        self.errors.add_row(form, _("&Database:"), "database_url", self.database_edit)
        keyring = secret_store.backend() == "keyring"
        store = _("the system's credential store") if keyring else _("a file only you can read")
        hint = QLabel(
            _("For several workstations, enter the address of a PostgreSQL server. "
              "A password in it is kept in {store}, not in the settings file.").format(store=store)
        )  # fmt: skip
        hint.setObjectName("databaseUrlHint")
        hint.setWordWrap(True)
        form.addRow("", hint)
        self._backup_row(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.save_and_accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        general = QWidget(objectName="generalSettingsTab")
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        self.business_box = self._business_box()
        general_layout.addWidget(self.business_box)
        general_layout.addStretch(1)
        self.tabs = QTabWidget(objectName="settingsTabs")
        self.tabs.addTab(general, _("General"))
        self.email_panel = self._email_panel()
        self.tse_panel = self._tse_panel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.loaded = Settings.load()
        self.load()
        self.setMinimumWidth(MIN_WIDTH)
        restore_geometry(self)

    def _backup_row(self, form: QFormLayout) -> None:
        """Where the automatic backups go (a USB stick, a NAS); empty is the data folder. Managers, SQLite only."""
        self.backup_folder_edit = QLineEdit(objectName="backupFolderEdit")
        self.backup_folder_edit.setPlaceholderText(_("The data folder"))
        choose = QPushButton(_("C&hoose…"), objectName="chooseBackupFolderButton")
        choose.clicked.connect(self.choose_backup_folder)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.backup_folder_edit, 1)
        line.addWidget(choose)
        form.addRow(_("&Backups into:"), row)
        form.addRow("", self.errors.label_for("folder", self.backup_folder_edit))
        usable = self.services is not None and self.services.db.is_sqlite
        row.setEnabled(usable and allows(self.services.workstation.actor.role, Permission.EDIT_SETTINGS))  # type: ignore[union-attr]
        form.labelForField(row).setVisible(usable)
        row.setVisible(usable)

    def choose_backup_folder(self) -> None:
        """A folder picked in the system's dialog."""
        folder = QFileDialog.getExistingDirectory(self, _("Back up into which folder?"), self.backup_folder_edit.text())
        if folder:
            self.backup_folder_edit.setText(folder)

    def _save_backup_folder(self) -> bool:
        """Store the backup folder when it changed; a folder that cannot be written is named next to the field."""
        if not self.backup_folder_edit.isEnabled() or self.services is None:
            return True
        text = self.backup_folder_edit.text().strip()
        if text == Settings.load().backup_folder:
            return True
        from salon_desk.services.data.backups import BackupService

        try:
            BackupService(self.services.db, self.services.workstation).set_folder(Path(text) if text else None)
        except SalonError as error:
            self.show_error(error)
            return False
        return True

    def _business_box(self) -> QGroupBox:
        """The salon's name, address and tax number as printed on every receipt."""
        box = QGroupBox(_("Salon on receipts"))
        self.business_name_edit = QLineEdit(objectName="businessNameEdit")
        self.business_address_edit = QPlainTextEdit(objectName="businessAddressEdit")
        self.business_address_edit.setFixedHeight(60)
        self.tax_number_edit = QLineEdit(objectName="taxNumberEdit")
        form = QFormLayout(box)
        self.errors.add_row(form, _("Salon &name:"), "business_name", self.business_name_edit)
        form.addRow(_("&Address:"), self.business_address_edit)
        form.addRow(_("&Tax number:"), self.tax_number_edit)
        box.setVisible(self.services is not None)
        if self.services is not None:
            box.setEnabled(allows(self.services.workstation.actor.role, Permission.EDIT_SETTINGS))
        return box

    def _email_panel(self) -> SmtpSettingsPanel | None:
        """The Email tab (the salon's mail server for campaigns), when a database is open."""
        if self.services is None:
            return None
        panel = SmtpSettingsPanel(self.services)
        self.tabs.addTab(panel, _("Email"))
        return panel

    def _tse_panel(self) -> QWidget | None:
        """The TSE tab (managers): the cloud TSE the checkout signs with."""
        if self.services is None or not allows(self.services.workstation.actor.role, Permission.EDIT_SETTINGS):
            return None
        from salon_desk.services.fiscal.tse_settings import TseSettingsService
        from salon_desk.ui.fiscal.tse_settings_panel import TseSettingsPanel

        services = self.services
        service = TseSettingsService(services.db, services.workstation)

        def use_it() -> None:
            services.checkout.tse = service.adapter()  # the next sale signs with it

        panel = TseSettingsPanel(service, use_it)
        page = QWidget(objectName="tseSettingsTab")
        column = QVBoxLayout(page)
        column.addWidget(panel)
        column.addStretch(1)
        self.tabs.addTab(page, _("TSE"))
        return panel

    def load(self) -> None:
        """Show the stored settings."""
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self.loaded.language)))
        self.database_edit.setText(self.loaded.database_url)
        self.backup_folder_edit.setText(self.loaded.backup_folder)
        if self.services is not None:
            stored = dict(self.services.checkout.stored_business())
            self.business_name_edit.setText(stored.get("business_name", ""))
            self.business_address_edit.setPlainText(stored.get("business_address", ""))
            self.tax_number_edit.setText(stored.get("tax_number", ""))

    def restore_defaults(self) -> None:
        """System language and the built-in database; on the Email tab its own defaults."""
        if self.email_panel is not None and self.tabs.currentWidget() is self.email_panel:
            self.email_panel.restore_defaults()
            return
        if self.tse_panel is not None and self.tabs.currentWidget() is self.tse_panel.parentWidget():
            self.tse_panel.restore_defaults()  # type: ignore[attr-defined]
            return
        self.language_combo.setCurrentIndex(0)
        self.database_edit.clear()

    def save(self) -> bool:
        """Validate and store; False (with the message next to the field) when something is wrong."""
        try:
            url = validate_database_url(self.database_edit.text())
        except ValidationError as error:
            self.show_error(error)
            return False
        if self.services is not None and self.business_box.isEnabled():
            try:
                self.services.checkout.set_business(
                    BusinessInfo(
                        name=self.business_name_edit.text(),
                        address=self.business_address_edit.toPlainText(),
                        tax_number=self.tax_number_edit.text(),
                    )
                )
            except SalonError as error:
                self.show_error(error)
                return False
        if not self._save_email() or not self._save_backup_folder():
            return False
        settings = Settings.load()  # keeps what other places set (the backup folder)
        settings.language, settings.database_url = self.language_combo.currentData(), url
        settings.save()
        return True

    def _save_email(self) -> bool:
        """Store the Email tab (when filled in and allowed); a wrong field is shown on its tab."""
        panel = self.email_panel
        if panel is None or not panel.isEnabled() or panel.is_empty():
            return True
        try:
            panel.save()
        except SalonError as error:
            self.tabs.setCurrentWidget(panel)
            if not panel.show_error(error):
                self.show_error(error)
            return False
        return True

    def show_error(self, error: SalonError) -> None:
        """The message next to its field, the dialog grown to fit it (wrapped labels need the room)."""
        self.errors.show(error, self)
        self.adjustSize()

    def save_and_accept(self) -> None:
        """Store the settings and offer a restart when something that needs one changed."""
        if not self.save():
            return
        save_geometry(self)
        stored = Settings.load()
        if (stored.language, stored.database_url) != (self.loaded.language, self.loaded.database_url):
            self.offer_restart()
        self.accept()

    def offer_restart(self) -> None:
        """Ask to restart so that the new language or database is used."""
        answer = QMessageBox.question(
            self,
            _("Settings"),
            _("The new settings take effect when Salon Desk starts again. Restart now?"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            QProcess.startDetached(sys.executable, ["-m", "salon_desk", *sys.argv[1:]])
            QApplication.quit()

    @staticmethod
    def effective_language() -> str:
        """The language the next start will use."""
        return Settings.load().language or i18n.detect_language()
