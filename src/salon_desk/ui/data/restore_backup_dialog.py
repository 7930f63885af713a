"""Restore a backup: pick a copy, verify it, set the current file aside, replace, migrate, restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox, QVBoxLayout, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services.data.backup_files import BackupInfo, parse_name
from salon_desk.services.data.backups import BackupService
from salon_desk.ui.data.backup_text import backup_columns, when_text
from salon_desk.ui.data.restart import restart_application
from salon_desk.ui.common.forms import RememberedDialog, show_error
from salon_desk.ui.common.page_parts import confirm, hint_label, push_button, record_table, selected_records
from salon_desk.ui.common.row_table_model import RowTableModel


class RestoreBackupDialog(RememberedDialog):
    """The verified copies, newest first; Restore replaces the database with the chosen one."""

    def __init__(
        self, backups: BackupService, parent: QWidget | None = None, restart: Callable[[], None] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle(_("Restore a backup"))
        self.backups = backups
        self.restart = restart
        self.restored_from: Path | None = None
        self.model = RowTableModel(backup_columns(), lambda b: hash(b.path), parent=self)
        self.model.set_rows(backups.list())
        self.model.sort(0, Qt.SortOrder.DescendingOrder)
        self.table = record_table("restoreBackupTable", self.model, stretch_column=3)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        if self.model.rowCount():
            self.table.selectRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = push_button(_("Restore…"), "restoreButton", self.restore_selected)
        self.other_button = push_button(_("Other file…"), "restoreOtherFileButton", self.restore_other)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(_("The chosen copy is checked first. The current database is kept in the "
                                      "backups folder, then Salon Desk restarts with the copy.")))  # fmt: skip
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self.restore()

    def restore_selected(self) -> None:
        """Restore the selected copy."""
        chosen = selected_records(self.table)
        if not chosen:
            show_error(self, _("Please choose a backup."))
            return
        info = chosen[0]
        assert isinstance(info, BackupInfo)
        self.restore_file(info.path, when_text(info))

    def restore_other(self) -> None:
        """Restore a copy from elsewhere (a USB stick from another computer)."""
        name, _filter = QFileDialog.getOpenFileName(self, _("Restore which file?"), "", _("Salon Desk backups (*.sqlite3)"))
        if name:
            parsed = parse_name(Path(name))
            self.restore_file(Path(name), Path(name).name if parsed is None else str(parsed[0]))

    def restore_file(self, path: Path, label: str) -> None:
        """Verify, confirm, restore, then restart Salon Desk."""
        try:
            self.backups.verify(path)
        except SalonError as exc:
            show_error(self, exc.message)
            return
        question = _("Replace the current data with the backup of {when}? Everything entered since then is not in "
                     "the backup. The current database is kept in the backups folder.").format(when=label)  # fmt: skip
        if not confirm(self, _("Restore a backup"), question):
            return
        try:
            aside = self.backups.restore(path)
        except (SalonError, OSError) as exc:
            show_error(self, getattr(exc, "message", str(exc)))
            return
        self.restored_from = path
        kept = _("The former database was kept as {path}.").format(path=aside) if aside else ""
        QMessageBox.information(self, _("Restore a backup"), " ".join(
            [_("The backup was restored. Salon Desk restarts now."), kept]).strip())  # fmt: skip
        self.accept()
        (self.restart or restart_application)()
