"""Start the Qt application: translators, database, main window."""

from __future__ import annotations

import gc
import logging
import sqlite3
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from sqlalchemy.exc import SQLAlchemyError

from salon_desk import APP_NAME, paths
from salon_desk.errors import SalonError
from salon_desk.i18n import _, language
from salon_desk.services import Services, open_services
from salon_desk.settings import Settings

log = logging.getLogger(__name__)
OPEN_ERRORS = (SalonError, SQLAlchemyError, sqlite3.Error, OSError)


def install_qt_translations(app: QApplication) -> None:
    """Qt's own strings (standard buttons, colour and file dialogs) in the active language."""
    QLocale.setDefault(QLocale(language()))
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language()}", directory):
            app.installTranslator(translator)


def run(database_url: str | None, demo: bool) -> int:
    """Open the database and show the main window until the user quits."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(_("Salon Desk"))
    install_qt_translations(app)
    install_exception_hook()
    services = open_with_ways_out(database_url)
    if services is None:
        return 1
    if demo:
        fill_demo(services)
    if not sign_in_at_start(services):
        return 0
    from salon_desk.ui.staff.idle_lock import IdleLock
    from salon_desk.ui.main_window import MainWindow

    window = MainWindow(services)
    window.staff_controls.install_idle_lock(IdleLock(services, window))
    window.show()
    from salon_desk.ui.data.backup_actions import start_backup_schedule

    window.backup_schedule = start_backup_schedule(window, services)  # type: ignore[attr-defined]
    keep_the_start_out_of_collections()
    return app.exec()


def keep_the_start_out_of_collections() -> None:
    """Leave what the start built out of the garbage collector's full passes: it lives as long as the process.

    Modules, Qt's wrappers of the window's widgets and the mapped classes are most of
    the objects the collector tracks. A full pass over them stopped the window for
    80–115 ms at moments of its own choosing (a sort of the client list took 95 ms
    instead of 15); the objects made later, pages of rows and dialogs, are few. The
    price: an object of the start dropped later (the first page of rows the window
    showed) is freed only with the process.
    """
    gc.collect()
    gc.freeze()


def open_with_ways_out(database_url: str | None) -> Services | None:
    """Open the database; while that fails, say why and offer another database, a backup or quitting."""
    from salon_desk.db import default_url
    from salon_desk.services.startup import explain
    from salon_desk.ui.startup_dialog import StartupProblemDialog, WayOut

    url = database_url or default_url()
    while True:
        try:
            services = open_services(url)
        except OPEN_ERRORS as error:
            log.warning("the database %s did not open", url, exc_info=True)
            dialog = StartupProblemDialog(explain(error, url))
            dialog.exec()
            if dialog.way_out is WayOut.OTHER_DATABASE and dialog.chosen_url:
                url = dialog.chosen_url
            elif dialog.way_out is WayOut.RESTORE:
                restore_at_start(url)
            else:
                return None
            continue
        if url != (database_url or default_url()) and services.db.is_sqlite:
            remember_database(url)
        return services


def restore_at_start(url: str) -> None:
    """Let the person put a verified backup in place of the file that did not open."""
    from salon_desk.db import Database
    from salon_desk.services.data.backups import BackupService
    from salon_desk.ui.data.restore_backup_dialog import RestoreBackupDialog

    try:
        db = Database(url)
    except SalonError as error:
        QMessageBox.warning(None, _("Salon Desk"), error.message)
        return
    RestoreBackupDialog(BackupService(db)).exec()
    db.dispose()


def remember_database(url: str) -> None:
    """The database chosen at start is the one to open next time."""
    settings = Settings.load()
    settings.database_url = url
    settings.save()


def install_exception_hook() -> None:
    """An error no window caught is written to the log in the data folder and shown, never a silent exit."""

    def report(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        log_file = write_crash_log(kind, error, trace)
        summary = str(error).splitlines()[0][:200] if str(error) else kind.__name__
        box = QMessageBox(QMessageBox.Icon.Critical, _("Salon Desk"), _("Something went wrong: {error}").format(error=summary))
        box.setObjectName("crashMessageBox")
        box.setInformativeText(_("What you saved before is safe. The details are in {path}.").format(path=log_file))
        box.exec()

    sys.excepthook = report


def write_crash_log(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> Path:
    """Append the traceback to ``salon-desk.log`` in the data folder; its path."""
    log_file = paths.home_dir() / "salon-desk.log"
    with open(log_file, "a", encoding="utf-8") as out:
        out.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
        out.write("".join(traceback.format_exception(kind, error, trace)))
    paths.make_private(log_file)
    return log_file


def sign_in_at_start(services: Services) -> bool:
    """The first start sets up the first manager; every later start asks who is working. False: quit."""
    from PySide6.QtWidgets import QDialog

    from salon_desk.ui.staff.first_manager_dialog import FirstManagerDialog
    from salon_desk.ui.staff.sign_in_dialog import SignInDialog

    dialog = FirstManagerDialog(services) if services.staff.first_manager_needed() else SignInDialog(services)
    return dialog.exec() == QDialog.DialogCode.Accepted


def fill_demo(services: Services) -> None:
    """Fill an empty database with demo data (nothing happens when clients exist)."""
    from salon_desk.services.demo import fill_demo_data

    fill_demo_data(services)
