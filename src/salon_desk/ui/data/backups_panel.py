"""The backups part of the "Your data" page: folder, Back up now, the verified copies, Restore."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.permissions import Permission
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.data.backup_actions import back_up_now, backup_service
from salon_desk.ui.data.backup_text import backup_columns
from salon_desk.ui.data.restore_backup_dialog import RestoreBackupDialog
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import hint_label, push_button, record_table
from salon_desk.ui.common.role_gate import gate
from salon_desk.ui.common.row_table_model import RowTableModel


class BackupsPanel(QGroupBox):
    """Backups of the SQLite file; on PostgreSQL a pointer to the server's backups and pg_dump."""

    def __init__(self, services: Services, bus: DataBus | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Backups"), parent)
        self.setObjectName("backupsPanel")
        self.services = services
        self.bus = bus
        self.backups = backup_service(services)
        layout = QVBoxLayout(self)
        if self.backups.supported:
            self._build_sqlite(layout)
            self.reload()
        else:
            self._build_postgresql(layout)

    def _build_sqlite(self, layout: QVBoxLayout) -> None:
        layout.addWidget(hint_label(_("Salon Desk backs up its database when it starts and every 24 hours while it "
                                      "is open. It keeps 7 daily, 4 weekly and 12 monthly copies, each checked "
                                      "after writing.")))  # fmt: skip
        self.folder_label = QLabel()
        self.folder_label.setObjectName("backupFolderLabel")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.folder_label, 1)
        managed = [
            push_button(_("Choose folder…"), "backupFolderButton", self.choose_folder),
            push_button(_("Data folder"), "backupDefaultFolderButton", lambda: self.set_folder(None)),
        ]
        for button in managed:
            row.addWidget(button)
        layout.addLayout(row)
        self.model = RowTableModel(backup_columns(), lambda b: hash(b.path), parent=self)
        self.table = record_table("backupsTable", self.model, stretch_column=3)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        managed.append(push_button(_("Back up now"), "backupNowButton", self.back_up))
        managed.append(push_button(_("Restore…"), "openRestoreButton", self.open_restore))
        for button in managed[2:]:
            buttons.addWidget(button)
        layout.addLayout(buttons)
        for button in managed:
            gate(button, Permission.EDIT_SETTINGS, self.services, self.bus)

    def _build_postgresql(self, layout: QVBoxLayout) -> None:
        layout.addWidget(hint_label(_("This database runs on a PostgreSQL server. Back it up with the server's own "
                                      "backups (ask whoever runs the server)."), "postgresqlBackupHint"))  # fmt: skip
        button = push_button(_("Save a copy with pg_dump…"), "pgDumpButton", self.pg_dump)
        installed = self.backups.pg_dump_path() is not None
        button.setEnabled(installed)
        if not installed:
            layout.addWidget(hint_label(_("pg_dump is not installed on this computer."), "pgDumpMissingHint"))
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def reload(self) -> None:
        """Show the folder and the copies as they are on disk now."""
        chosen = self.backups.chosen_folder()
        folder = chosen if chosen is not None else self.backups.default_folder()
        self.folder_label.setText(_("Backup folder: {folder}").format(folder=folder))
        self.model.set_rows(self.backups.list())
        self.model.sort(0, Qt.SortOrder.DescendingOrder)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

    def choose_folder(self) -> None:
        """A folder on a USB stick or a NAS."""
        folder = QFileDialog.getExistingDirectory(self, _("Back up into which folder?"))
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path | None) -> None:
        """Use ``folder`` for the next copies (None: the data folder)."""
        try:
            self.backups.set_folder(folder)
        except SalonError as exc:
            show_error(self, exc.message)
        self.reload()

    def back_up(self) -> None:
        """Back up now, then list the copy."""
        back_up_now(self, self.services)
        self.reload()

    def open_restore(self) -> RestoreBackupDialog:
        """The restore dialog."""
        dialog = RestoreBackupDialog(self.backups, self)
        dialog.open()
        return dialog

    def pg_dump(self) -> None:
        """Write a ``pg_dump -Fc`` archive where the user chooses."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the copy as"), f"salon-{stamp}.dump")
        if not name:
            return
        try:
            self.backups.pg_dump(Path(name))
        except SalonError as exc:
            show_error(self, exc.message)
