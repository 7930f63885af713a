"""Start the Qt application: translators, database, main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from salon_desk import APP_NAME
from salon_desk.errors import SalonError
from salon_desk.i18n import _, language
from salon_desk.services import Services, open_services


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
    try:
        services = open_services(database_url)
    except SalonError as exc:
        QMessageBox.critical(None, _("Salon Desk"), exc.message)
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
    return app.exec()


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
