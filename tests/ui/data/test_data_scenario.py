"""The issue's finish line: a new salon imports its 5,000-row Excel file with three wrong rows named and
fixed, works a day, then restores yesterday's automatic backup through the app after losing the database."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from data_files import write_salon_file
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QMessageBox, QWidget

from salon_desk.services.clients.clients import ClientData
from salon_desk.services.data import backup_files
from salon_desk.ui.data import restore_backup_dialog
from salon_desk.ui.data.backup_actions import BackupScheduler
from salon_desk.ui.data.import_clients_dialog import ImportClientsDialog
from salon_desk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


def child(widget: QWidget, name: str, kind: type = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot, parent: QWidget, name: str) -> None:
    qtbot.mouseClick(child(parent, name), Qt.MouseButton.LeftButton)


def test_import_work_a_day_lose_the_database_and_restore_yesterdays_backup(qtbot, app_services, tmp_path, monkeypatch):
    window = MainWindow(app_services)
    qtbot.addWidget(window)
    window.show()
    # 1. The Excel file: three wrong rows are named by row and field, fixed, and the file imported.
    path = write_salon_file(tmp_path / "kunden.xlsx", bad=True)
    dialog = ImportClientsDialog(app_services, window.bus, window)
    qtbot.addWidget(dialog)
    child(dialog, "importFileEdit", QLineEdit).setText(str(path))
    click(qtbot, dialog, "importDryRunButton")
    errors = child(dialog, "importErrorList", QListWidget)
    assert [errors.item(i).text().split(":")[0] for i in range(3)] == [
        "Row 11 · Email", "Row 201 · Birthday", "Row 4001 · Last name"]  # fmt: skip
    write_salon_file(path, bad=False)
    click(qtbot, dialog, "importDryRunButton")
    click(qtbot, dialog, "importRunButton")
    assert app_services.search.count("kunde") == 5000
    dialog.close()
    # 2. That evening's automatic backup, dated yesterday.
    assert BackupScheduler(window, app_services).run_if_due() is not None
    written = next((tmp_path / "home" / "backups").glob("salon-*-auto.sqlite3"))
    yesterday = written.with_name(backup_files.backup_name(datetime.now() - timedelta(days=1), "auto"))
    os.replace(written, yesterday)
    # 3. A day's work, then the database file is lost.
    app_services.clients.create(ClientData(first_name="Neu", last_name="Heute"))
    app_services.db.dispose()
    for extra in ("", "-wal", "-shm"):
        Path(str(app_services.db.file) + extra).unlink(missing_ok=True)
    app_services.db.upgrade()  # Salon Desk starts again on an empty database
    assert app_services.search.count("kunde") == 0
    # 4. Restore through the page's dialog.
    restarted: list[bool] = []
    monkeypatch.setattr(restore_backup_dialog, "restart_application", lambda: restarted.append(True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    page = window.show_page("data")
    assert child(page, "backupsTable").model().index(0, 1).data() == "Automatic"
    click(qtbot, page, "openRestoreButton")
    restore = child(page, "restoreBackupDialog")
    click(qtbot, restore, "restoreButton")
    assert restarted == [True]
    # 5. Nothing from before the backup is missing.
    assert app_services.search.count("kunde") == 5000
    assert app_services.search.count("kunde4001") == 1
    assert app_services.db.current_revision() == app_services.db.head_revision()
