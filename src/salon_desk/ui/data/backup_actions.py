"""Backups from the File menu and on a timer: "Back up now", and the automatic backup every 24 hours."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.data.backups import BackupResult, BackupService
from salon_desk.ui.data.backup_text import size_text
from salon_desk.ui.common.forms import show_error

log = logging.getLogger(__name__)
CHECK_EVERY_MS = 60 * 60 * 1000
"""The timer asks hourly whether a backup is due, so a computer woken from sleep catches up."""


def backup_service(services: Services) -> BackupService:
    """The backup service for the signed-in person."""
    return BackupService(services.db, services.workstation)


def _status(parent: QWidget, message: str) -> None:
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, 8000)


def report(parent: QWidget, result: BackupResult) -> None:
    """The copy in the status bar; a chosen folder that was not there as a warning the user sees."""
    _status(parent, _("Backup written: {name} ({size}).").format(name=result.backup.path.name,
                                                                 size=size_text(result.backup.size)))  # fmt: skip
    if result.warning:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Backup"), result.warning, QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("backupWarningBox")
        box.open()


def back_up_now(parent: QWidget, services: Services) -> BackupResult | None:
    """A manual backup (File → Back up now); on PostgreSQL, a pointer to the server's backups."""
    backups = backup_service(services)
    if not backups.supported:
        show_error(parent, _("This database runs on a PostgreSQL server: use the server's backups "
                             "(or pg_dump on the Your data page)."))  # fmt: skip
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = backups.back_up("manual")
    except SalonError as exc:
        QApplication.restoreOverrideCursor()
        show_error(parent, exc.message)
        return None
    QApplication.restoreOverrideCursor()
    report(parent, result)
    return result


class BackupScheduler(QObject):
    """The automatic backup: once at start, then whenever the last one is 24 hours old.

    The copy is written in a background thread (a large database takes seconds), so the
    desk stays usable; the outcome comes back to the window through ``sig_finished``.
    """

    sig_finished = Signal(object)
    """Emitted in the window's thread when a background run ends.

    Args:
        outcome (BackupResult | SalonError | None): the copy, the error, or None when none was due.
    """

    def __init__(self, parent: QWidget, services: Services) -> None:
        super().__init__(parent)
        self.window = parent
        self.services = services
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.run_in_background)
        self.sig_finished.connect(self.on_finished)

    def start(self) -> None:
        """Back up now if due, and check every hour from now on."""
        self.timer.start()
        QTimer.singleShot(0, self.run_in_background)

    def run_in_background(self) -> None:
        """Start a run in a thread unless one is under way."""
        if self.running:
            return
        self.running = True
        threading.Thread(target=self._work, name="salon-desk-backup", daemon=True).start()

    def _work(self) -> None:
        try:
            outcome: object = backup_service(self.services).back_up_if_due()
        except SalonError as exc:
            outcome = exc
        self.sig_finished.emit(outcome)

    def on_finished(self, outcome: object) -> None:
        """Show the copy, or the reason it failed."""
        self.running = False
        if isinstance(outcome, SalonError):
            log.warning("automatic backup failed: %s", outcome.message)
            show_error(self.window, outcome.message)
        elif isinstance(outcome, BackupResult):
            report(self.window, outcome)

    def run_if_due(self) -> BackupResult | None:
        """One automatic backup when due, in this thread; a failure is shown, never raised."""
        try:
            result = backup_service(self.services).back_up_if_due()
        except SalonError as exc:
            show_error(self.window, exc.message)
            return None
        if result is not None:
            report(self.window, result)
        return result


def install_data_actions(window: QMainWindow, services: Services, menu: QMenu, before: QAction) -> None:
    """File menu: "Back up now" and "Import clients…", placed before ``before``."""
    backup = QAction(_("&Back up now"), window)
    backup.setObjectName("backupNowAction")
    backup.triggered.connect(lambda: back_up_now(window, services))
    importing = QAction(_("&Import clients…"), window)
    importing.setObjectName("importClientsAction")
    importing.triggered.connect(lambda: open_import(window, services))
    menu.insertAction(before, backup)
    menu.insertAction(before, importing)
    menu.insertSeparator(before)
    window.addAction(backup)
    window.addAction(importing)


def open_import(window: QMainWindow, services: Services) -> None:
    """The import dialog; the lists reload once clients came in."""
    from salon_desk.ui.data.import_clients_dialog import ImportClientsDialog

    bus = getattr(window, "bus", None)
    ImportClientsDialog(services, bus, window).exec()


def start_backup_schedule(window: QMainWindow, services: Services) -> BackupScheduler:
    """The automatic backups of this window's database (SQLite only)."""
    scheduler = BackupScheduler(window, services)
    if backup_service(services).supported:
        scheduler.start()
    return scheduler
