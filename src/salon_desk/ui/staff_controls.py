"""The main window's part of staff sign-in: who is signed in, Switch user, Lock and the idle lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget

from salon_desk.i18n import _
from salon_desk.services.permissions import Permission, allows, role_label
from salon_desk.ui.idle_lock import IdleLock
from salon_desk.ui.sign_in_dialog import SignInDialog, SignInMode

if TYPE_CHECKING:
    from salon_desk.ui.main_window import MainWindow

# Pages shown only to roles with the permission (the services refuse the actions anyway).
PAGE_PERMISSIONS = {
    "staff": Permission.EDIT_STAFF,
    "audit": Permission.VIEW_AUDIT,
    "statistics": Permission.VIEW_STATISTICS,
}


class StaffControls(QObject):
    """Adds Switch user… and Lock to the File menu and shows the signed-in person in the status bar."""

    def __init__(self, window: MainWindow, menu: QMenu, before: QAction) -> None:
        super().__init__(window)
        self.window = window
        self.idle_lock: IdleLock | None = None
        self.lock_dialog: SignInDialog | None = None
        self.switch_dialog: SignInDialog | None = None
        self._veiled: list[QWidget] = []
        self.switch_action = self._action(_("S&witch user…"), "switchUserAction", "Ctrl+L", self.switch_user)
        self.lock_action = self._action(_("&Lock"), "lockAction", "Ctrl+Shift+L", self.lock)
        menu.insertAction(before, self.switch_action)
        menu.insertAction(before, self.lock_action)
        menu.insertSeparator(before)
        self.person_label = QLabel()
        self.person_label.setObjectName("signedInLabel")
        window.statusBar().addPermanentWidget(self.person_label)
        window.bus.sig_data_changed.connect(self.on_data_changed)
        self.apply_actor()

    def _action(self, text: str, name: str, shortcut: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def install_idle_lock(self, idle_lock: IdleLock) -> None:
        """Lock the workstation when ``idle_lock`` reports that nobody is using it."""
        self.idle_lock = idle_lock
        idle_lock.sig_idle.connect(self.lock)

    def apply_actor(self) -> None:
        """Show who is signed in and only the pages their role may use."""
        actor = self.window.services.workstation.actor
        role = role_label(actor.role)
        self.person_label.setText(f"{actor.name} · {role}" if role else actor.name)
        keys = list(self.window.pages)
        for key, permission in PAGE_PERMISSIONS.items():
            if key in keys:
                self.window.nav.item(keys.index(key)).setHidden(not allows(actor.role, permission))
        current = self.window.nav.currentItem()
        if current is not None and current.isHidden():
            self.window.show_page(keys[0])

    def switch_user(self) -> None:
        """Let another person sign in at this desk (Ctrl+L); cancelling keeps the current one."""
        if self.lock_dialog is not None:
            return
        self.switch_dialog = SignInDialog(self.window.services, SignInMode.SWITCH, self.window)
        self.switch_dialog.accepted.connect(self.apply_actor)
        self.switch_dialog.open()

    def lock(self) -> None:
        """Hide what is on screen and wait for someone to sign in with their PIN."""
        if self.lock_dialog is not None:
            return
        if self.switch_dialog is not None and self.switch_dialog.isVisible():
            self.switch_dialog.reject()
        self._veil()
        self.lock_dialog = SignInDialog(self.window.services, SignInMode.LOCK, self.window)
        self.lock_dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.lock_dialog.accepted.connect(self.unlock)
        self.lock_dialog.open()

    def unlock(self) -> None:
        """Someone signed in: show the windows again for them."""
        if self.lock_dialog is not None:
            self.lock_dialog.deleteLater()
            self.lock_dialog = None
        self._unveil()
        self.apply_actor()
        if self.idle_lock is not None:
            self.idle_lock.restart()

    def is_locked(self) -> bool:
        """True while the workstation waits for a PIN."""
        return self.lock_dialog is not None

    def _veil(self) -> None:
        """Make the page and every other open window unreadable without closing them (no typed work is lost)."""
        self.window.centralWidget().hide()
        self._veiled = [
            w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.window and w.isWindow()
        ]
        for widget in self._veiled:
            widget.setWindowOpacity(0.0)

    def _unveil(self) -> None:
        self.window.centralWidget().show()
        for widget in self._veiled:
            widget.setWindowOpacity(1.0)
        self._veiled = []

    def on_data_changed(self, changes: object) -> None:
        """The idle time may have been changed on the staff page."""
        if self.idle_lock is not None:
            self.idle_lock.refresh()
