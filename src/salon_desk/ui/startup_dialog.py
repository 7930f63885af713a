"""The start-up dialog when the database will not open: what is wrong, and the ways out."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from salon_desk.i18n import _
from salon_desk.services.startup import StartupProblem


class WayOut(StrEnum):
    """What the person chose."""

    QUIT = "quit"
    OTHER_DATABASE = "other_database"
    RESTORE = "restore"


class StartupProblemDialog(QDialog):
    """Names the problem; Choose another database…, Restore a backup… (for a SQLite file) and Quit."""

    def __init__(self, problem: StartupProblem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startupProblemDialog")
        self.setWindowTitle(_("Salon Desk cannot open its database"))
        self.problem = problem
        self.way_out = WayOut.QUIT
        self.chosen_url: str | None = None
        message = QLabel(problem.message)
        message.setObjectName("startupProblemLabel")
        message.setWordWrap(True)
        message.setMinimumWidth(460)
        detail = QLabel(problem.detail)
        detail.setObjectName("startupDetailLabel")
        detail.setWordWrap(True)
        detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail.setStyleSheet("color: palette(placeholder-text);")
        buttons = QHBoxLayout()
        self.choose_button = self._button(_("Choose another database…"), "chooseDatabaseButton", self.choose_database)
        self.restore_button = self._button(_("Restore a backup…"), "restoreBackupButton", self.restore)
        self.restore_button.setVisible(problem.can_restore)
        quit_button = self._button(_("Quit"), "quitButton", self.reject)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(detail)
        layout.addSpacing(8)
        layout.addLayout(buttons)

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def choose_database(self) -> None:
        """Pick a SQLite file (an existing one, or a new one to start afresh)."""
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Choose a database file"),
            str(self.problem.file.parent) if self.problem.file is not None else "",
            _("Salon Desk database (*.sqlite3);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.way_out, self.chosen_url = WayOut.OTHER_DATABASE, f"sqlite:///{path}"
            self.accept()

    def restore(self) -> None:
        """Replace the damaged file with one of its verified backups."""
        self.way_out = WayOut.RESTORE
        self.accept()
