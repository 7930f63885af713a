"""The data-safety windows as a salon uses them: back up, restore, import a client file, export and erase."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from data_files import write_csv, write_salon_file
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QLabel, QLineEdit, QListWidget, QMessageBox, QWidget
from pypdf import PdfReader

from salon_desk.models.staff import Role
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.common import Actor
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.clients.client_card import ClientCardWindow
from salon_desk.ui.data.import_clients_dialog import ImportClientsDialog
from salon_desk.ui.data.restore_backup_dialog import RestoreBackupDialog
from salon_desk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


def child(widget: QWidget, name: str, kind: type = QWidget):
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot, name: str, parent: QWidget) -> None:
    qtbot.mouseClick(child(parent, name), Qt.MouseButton.LeftButton)


def answer_yes(monkeypatch) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    return asked


@pytest.fixture
def window(qtbot, app_services):
    main = MainWindow(app_services)
    qtbot.addWidget(main)
    main.show()
    return main


def _names(db_file: Path) -> set[str]:
    with sqlite3.connect(db_file) as connection:
        return {row[0] for row in connection.execute("SELECT last_name FROM clients")}


def test_back_up_now_from_the_file_menu_lists_the_copy_on_the_page(qtbot, window, app_services, tmp_path):
    app_services.clients.create(ClientData(first_name="Anna", last_name="Berger"))
    action = child(window, "backupNowAction", QAction)
    action.trigger()
    assert "Backup written" in window.statusBar().currentMessage()
    page = window.show_page("data")
    table = child(page, "backupsTable")
    assert table.model().rowCount() == 1
    assert table.model().index(0, 1).data() == "Manual"
    assert table.model().index(0, 2).data().endswith("MB")
    copy = next((tmp_path / "home" / "backups").glob("salon-*-manual.sqlite3"))
    assert "Berger" in _names(copy)


def test_a_chosen_folder_that_is_gone_gives_a_warning_and_the_copy_goes_to_the_data_folder(
    qtbot, window, tmp_path, monkeypatch
):
    stick = tmp_path / "stick"
    stick.mkdir()
    page = window.show_page("data")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(stick))
    click(qtbot, "backupFolderButton", page)
    assert str(stick) in child(page, "backupFolderLabel", QLabel).text()
    stick.rmdir()
    click(qtbot, "backupNowButton", page)
    box = child(window, "backupWarningBox", QMessageBox)
    assert "not available" in box.text() and str(stick) in box.text()
    assert child(page, "backupsTable").model().rowCount() == 1
    assert list((tmp_path / "home" / "backups").glob("salon-*.sqlite3"))


def test_restore_through_the_dialog_after_losing_the_database(qtbot, app_services, tmp_path, monkeypatch):
    """Done when: yesterday's automatic backup comes back through the app's own dialog, nothing before it missing."""
    from salon_desk.services.data.backups import BackupService

    for last in ("Berger", "Meier"):
        app_services.clients.create(ClientData(first_name="Anna", last_name=last))
    backups = BackupService(app_services.db)
    auto = backups.back_up("auto").backup.path
    app_services.db.dispose()
    for extra in ("", "-wal", "-shm"):
        Path(str(app_services.db.file) + extra).unlink(missing_ok=True)  # the disk "lost" the file
    app_services.db.upgrade()  # the next start finds no file and creates an empty database
    assert _names(app_services.db.file) == set()
    asked = answer_yes(monkeypatch)
    restarted: list[bool] = []
    dialog = RestoreBackupDialog(backups, restart=lambda: restarted.append(True))
    qtbot.addWidget(dialog)
    table = child(dialog, "restoreBackupTable")
    assert table.model().rowCount() == 1 and table.model().index(0, 1).data() == "Automatic"
    click(qtbot, "restoreButton", dialog)
    assert asked and "Everything entered since then is not in the backup" in asked[0]
    assert restarted == [True]
    assert _names(app_services.db.file) == {"Berger", "Meier"}
    assert {c.data.last_name for c in map(app_services.clients.get, (1, 2))} == {"Berger", "Meier"}
    assert auto.exists()


def test_restore_refuses_a_damaged_copy_and_keeps_the_database(qtbot, app_services, monkeypatch, tmp_path):
    from salon_desk.services.data.backups import BackupService

    app_services.clients.create(ClientData(first_name="Anna", last_name="Berger"))
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\0" + b"\x00" * 5000)
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: errors.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    dialog = RestoreBackupDialog(BackupService(app_services.db), restart=lambda: pytest.fail("restarted"))
    qtbot.addWidget(dialog)
    click(qtbot, "restoreOtherFileButton", dialog)
    assert errors and "broken.sqlite3" in errors[0] and "damaged" in errors[0]
    assert "Berger" in _names(app_services.db.file)


def _combo_fields(dialog: QWidget, columns: int) -> list[str]:
    return [child(dialog, f"importFieldCombo{i}", QComboBox).currentData() for i in range(columns)]


def test_import_a_5000_row_excel_file_with_three_wrong_rows_named_and_fixed(qtbot, app_services, tmp_path):
    path = write_salon_file(tmp_path / "kunden.xlsx", bad=True)
    bus = DataBus()
    dialog = ImportClientsDialog(app_services, bus)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = child(dialog, "importFileEdit", QLineEdit)
    qtbot.keyClicks(edit, str(path))
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert _combo_fields(dialog, 6) == ["first_name", "last_name", "phone", "email", "birthday", "categories"]
    preview = child(dialog, "importMappingTable")
    assert preview.item(1, 1).text() == "Kunde1"  # the first data row under the field choices
    assert not child(dialog, "importRunButton").isEnabled()
    click(qtbot, "importDryRunButton", dialog)
    errors = child(dialog, "importErrorList", QListWidget)
    lines = [errors.item(i).text() for i in range(errors.count())]
    assert lines[0].startswith("Row 11 · Email:")
    assert lines[1].startswith("Row 201 · Birthday:")
    assert lines[2].startswith("Row 4001 · Last name:")
    assert "3 rows with errors" in child(dialog, "importSummaryLabel", QLabel).text()
    assert app_services.search.count("kunde") == 0  # a dry run writes nothing
    write_salon_file(path, bad=False)  # the salon corrects the three rows in Excel
    click(qtbot, "importDryRunButton", dialog)
    assert errors.count() == 0 and "5000 new clients" in child(dialog, "importSummaryLabel", QLabel).text()
    with qtbot.waitSignal(bus.sig_data_changed):
        click(qtbot, "importRunButton", dialog)
    assert "Imported: 5000 new" in child(dialog, "importSummaryLabel", QLabel).text()
    assert app_services.search.count("kunde") == 5000


def test_import_dialog_refuses_a_file_that_is_no_table(qtbot, app_services, tmp_path):
    empty = tmp_path / "leer.csv"
    empty.write_bytes(b"")
    dialog = ImportClientsDialog(app_services, None)
    qtbot.addWidget(dialog)
    child(dialog, "importFileEdit", QLineEdit).setText(str(empty))
    click(qtbot, "importDryRunButton", dialog)
    assert "leer.csv is empty" in child(dialog, "importFileError", QLabel).text()
    assert not child(dialog, "importRunButton").isEnabled()


def test_import_unknown_categories_only_when_asked(qtbot, app_services, tmp_path):
    path = write_csv(tmp_path / "k.csv", [["Name", "Kategorie"], ["Ort", "Balayage"]])
    dialog = ImportClientsDialog(app_services, None)
    qtbot.addWidget(dialog)
    child(dialog, "importFileEdit", QLineEdit).setText(str(path))
    click(qtbot, "importDryRunButton", dialog)
    errors = child(dialog, "importErrorList", QListWidget)
    assert errors.count() == 1 and "Row 2 · Categories" in errors.item(0).text()
    child(dialog, "importCreateCategoriesCheck", QCheckBox).setChecked(True)
    assert not child(dialog, "importRunButton").isEnabled()  # a changed setting needs a new check
    click(qtbot, "importDryRunButton", dialog)
    assert "New categories: Balayage" in child(dialog, "importSummaryLabel", QLabel).text()
    click(qtbot, "importRunButton", dialog)
    assert "Balayage" in [c.name for c in app_services.categories.list()]


def _card(qtbot, app_services, client_id: int) -> ClientCardWindow:
    card = ClientCardWindow(app_services, DataBus(), client_id)
    qtbot.addWidget(card)
    card.show()
    return card


def test_export_client_data_writes_json_and_a_readable_pdf(qtbot, app_services, tmp_path, monkeypatch):
    anna, _ = app_services.clients.create(ClientData(first_name="Anna", last_name="Berger", email="a@example.de"))
    card = _card(qtbot, app_services, anna.id)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    child(card, "exportClientDataAction", QAction).trigger()
    data = json.loads((tmp_path / f"client-{anna.id}-data.json").read_text(encoding="utf-8"))
    assert data["details"]["email"] == "a@example.de"
    pages = PdfReader(tmp_path / f"client-{anna.id}-data.pdf").pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Data held about Anna Berger" in text and "a@example.de" in text
    assert "exported" in child(card, "cardStatusLabel", QLabel).text()


def test_the_readable_export_lists_the_campaign_messages(qtbot, app_services, tmp_path, monkeypatch):
    from campaign_world import campaign_to, recipient_list, smtp_to

    from salon_desk.models.base import utcnow
    from salon_desk.models.campaign import CampaignRecipient, RecipientState

    anna, _ = app_services.clients.create(ClientData(first_name="Anna", last_name="Berger", email="a@example.de",
                                                     email_consent=True))
    smtp_to(app_services, 2525)
    campaign_id = campaign_to(app_services, recipient_list(app_services, [anna.id]), subject="Hallo {first_name}")
    app_services.campaigns.queue(campaign_id)
    with app_services.db.transaction() as session:  # as the sender leaves it once the server took the message
        row = session.query(CampaignRecipient).filter_by(client_id=anna.id).one()
        row.state, row.sent_at = RecipientState.SENT, utcnow()
    card = _card(qtbot, app_services, anna.id)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    child(card, "exportClientDataAction", QAction).trigger()
    pages = PdfReader(tmp_path / f"client-{anna.id}-data.pdf").pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Campaign messages" in text and "Sommer, “Hallo Anna” (sent)" in text


def test_erase_client_is_for_managers_and_names_what_is_kept(qtbot, app_services, monkeypatch):
    anna, _ = app_services.clients.create(ClientData(first_name="Anna", last_name="Berger"))
    app_services.workstation.actor = Actor(staff_id=5, name="Desk", role=Role.FRONT_DESK)
    assert not child(_card(qtbot, app_services, anna.id), "eraseClientAction", QAction).isEnabled()
    app_services.workstation.actor = Actor(staff_id=None, name="Salon Desk")
    card = _card(qtbot, app_services, anna.id)
    asked = answer_yes(monkeypatch)
    child(card, "eraseClientAction", QAction).trigger()
    assert "8 years" in asked[0] and "10 years" in asked[0] and "Sales stay" in asked[0]
    assert app_services.clients.get(anna.id).data.last_name == f"erased client #{anna.id}"
    assert not card.isVisible()


def test_inactive_clients_report_erases_the_selection(qtbot, window, app_services, monkeypatch):
    from datetime import date, timedelta

    from sqlalchemy import update

    from salon_desk.models import Client

    ids = [app_services.clients.create(ClientData(first_name="Alt", last_name=n))[0].id for n in ("Eins", "Zwei")]
    app_services.clients.create(ClientData(first_name="Neu", last_name="Drei"))
    with app_services.db.transaction() as session:
        session.execute(update(Client).where(Client.id.in_(ids)).values(last_visit=date.today() - timedelta(days=1500)))
    page = window.show_page("data")
    click(qtbot, "findInactiveButton", page)
    table = child(page, "inactiveClientsTable")
    assert table.model().rowCount() == 2
    answer_yes(monkeypatch)
    click(qtbot, "selectAllInactiveButton", page)
    click(qtbot, "eraseInactiveButton", page)
    assert table.model().rowCount() == 0
    assert "2 clients erased" in child(page, "inactiveCountLabel", QLabel).text()
    assert app_services.clients.get(ids[0]).data.first_name == ""


def test_automatic_backup_at_start_and_only_when_24_hours_old(qtbot, window, app_services, tmp_path):
    from salon_desk.ui.data.backup_actions import start_backup_schedule

    folder = tmp_path / "home" / "backups"
    scheduler = start_backup_schedule(window, app_services)
    with qtbot.waitSignal(scheduler.sig_finished, timeout=20_000):
        pass  # written in a background thread
    assert len(list(folder.glob("salon-*-auto.sqlite3"))) == 1
    assert "Backup written" in window.statusBar().currentMessage()
    assert scheduler.timer.isActive() and scheduler.timer.interval() == 60 * 60 * 1000
    assert scheduler.run_if_due() is None  # the next one waits for 24 hours
    assert len(list(folder.glob("salon-*-auto.sqlite3"))) == 1


def test_the_import_speaks_german(qtbot, app_services, tmp_path):
    from salon_desk import i18n

    i18n.set_language("de")
    path = write_csv(tmp_path / "kunden.csv", [["Vorname", "Nachname", "E-Mail"], ["Eva", "Fehler", "eva@"]])
    dialog = ImportClientsDialog(app_services, None)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Kunden importieren"
    child(dialog, "importFileEdit", QLineEdit).setText(str(path))
    click(qtbot, "importDryRunButton", dialog)
    errors = child(dialog, "importErrorList", QListWidget)
    # the same words as the client card's, from the one email check (services.text)
    assert errors.item(0).text() == "Zeile 2 · E-Mail: „eva@“ ist keine gültige E-Mail-Adresse (z. B. anna@example.de)."
    assert "1 Zeile mit Fehlern (ausgelassen)" in child(dialog, "importSummaryLabel", QLabel).text()
