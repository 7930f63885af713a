"""The settings dialog: language and database address."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QMessageBox

from salon_desk.settings import Settings
from salon_desk.ui.settings_dialog import SettingsDialog


def _ok(dialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_language_is_stored_and_a_restart_offered(qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("de"))
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert Settings.load().language == "de"
    assert asked, "a restart should be offered after changing the language"
    assert SettingsDialog.effective_language() == "de"
    Settings().save()


def test_wrong_database_address_is_refused_next_to_the_field(qtbot):
    Settings(language="en").save()
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.database_edit, "mysql://salon@server/db")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "SQLite and PostgreSQL" in dialog.errors.text("database_url")
    dialog.database_edit.setText("not a url at all")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert "not a database address" in dialog.errors.text("database_url")
    assert Settings.load().database_url == ""
    Settings().save()


def test_salon_details_for_receipts(qtbot, app_services):
    dialog = SettingsDialog(services=app_services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert "salon's name" in dialog.errors.text("business_name")
    qtbot.keyClicks(dialog.business_name_edit, "Salon Haarmonie")
    dialog.business_address_edit.setPlainText("Hauptstrasse 5\n80331 Muenchen")
    qtbot.keyClicks(dialog.tax_number_edit, "143/123/45678")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    business = app_services.checkout.business()
    assert (business.name, business.tax_number) == ("Salon Haarmonie", "143/123/45678")
    assert "80331" in business.address
    Settings().save()


def test_salon_details_are_read_only_for_front_desk(qtbot, app_services):
    from helpers_staff import signed_in

    from salon_desk.models import Role

    signed_in(app_services, Role.FRONT_DESK)
    dialog = SettingsDialog(services=app_services)
    qtbot.addWidget(dialog)
    assert not dialog.business_box.isEnabled()


def test_a_database_password_is_kept_out_of_the_settings_file(qtbot, monkeypatch):
    from salon_desk.services import secret_store

    monkeypatch.setattr(secret_store, "keyring_works", lambda: False)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert "a file only you can read" in dialog.findChild(QLabel, "databaseUrlHint").text()
    qtbot.keyClicks(dialog.database_edit, "postgresql://salon:Geheim1@server/salondesk")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert "Geheim1" not in Settings.path().read_text(encoding="utf-8")
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.database_edit.text() == "postgresql://salon@server/salondesk"
    Settings().save()


def test_the_tse_is_set_up_in_settings_by_managers_only(qtbot, app_services):
    from PySide6.QtWidgets import QLineEdit, QPushButton

    from salon_desk.models import Role
    from salon_desk.services import Actor
    from salon_desk.services.fiscal.fiskaly import DEFAULT_BASE_URL

    dialog = SettingsDialog(services=app_services)
    qtbot.addWidget(dialog)
    dialog.show()
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "TSE" in tabs
    dialog.tabs.setCurrentIndex(tabs.index("TSE"))
    address = dialog.findChild(QLineEdit, "tseBaseUrlEdit")
    address.setText("ftp://tse.example")
    qtbot.mouseClick(dialog.findChild(QPushButton, "saveTseSettingsButton"), Qt.MouseButton.LeftButton)
    assert "https://" in dialog.tse_panel.errors.text("base_url")  # the wrong entry itself: see the till's UI tests
    restore = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.RestoreDefaults)
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    assert address.text() == DEFAULT_BASE_URL and dialog.tse_panel.errors.text("base_url") == ""

    app_services.workstation.actor = Actor(staff_id=None, name="Clara", role=Role.CASHIER)
    cashier = SettingsDialog(services=app_services)
    qtbot.addWidget(cashier)
    assert "TSE" not in [cashier.tabs.tabText(i) for i in range(cashier.tabs.count())]


def test_the_backup_folder_is_chosen_in_settings_and_a_wrong_one_is_named(qtbot, app_services, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    Settings(language="en").save()
    dialog = SettingsDialog(services=app_services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.business_name_edit.setText("Salon Schön")
    edit = dialog.findChild(QLineEdit, "backupFolderEdit")
    assert edit.isVisible() and edit.isEnabled() and edit.text() == ""
    edit.setText(str(tmp_path / "no such stick"))
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "does not exist" in dialog.errors.text("folder")
    assert Settings.load().backup_folder == ""
    stick = tmp_path / "stick"
    stick.mkdir()
    edit.setText(str(stick))
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert Settings.load().backup_folder == str(stick) and Settings.load().language == "en"
    again = SettingsDialog(services=app_services)  # saving other settings keeps the folder
    qtbot.addWidget(again)
    assert again.backup_folder_edit.text() == str(stick)
    again.language_combo.setCurrentIndex(again.language_combo.findData("de"))
    qtbot.mouseClick(_ok(again), Qt.MouseButton.LeftButton)
    assert Settings.load().backup_folder == str(stick)
    Settings().save()
