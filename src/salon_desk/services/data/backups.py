"""Verified backups of the SQLite database (online backup API), their rotation, and restore."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from salon_desk import paths
from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services.common import Service
from salon_desk.services.data import backup_files as files
from salon_desk.services.data.backup_files import BackupInfo
from salon_desk.services.permissions import Permission
from salon_desk.settings import Settings

log = logging.getLogger(__name__)
AUTO_INTERVAL = timedelta(hours=24)
STEP_PAGES = 4096
"""Pages copied per step of the backup API: other desks may write between the steps."""


@dataclass(frozen=True)
class BackupResult:
    """A finished, verified copy; ``warning`` says why it went to the default folder instead."""

    backup: BackupInfo
    warning: str = ""
    rotated: tuple[Path, ...] = ()


class BackupService(Service):
    """Back up, list, rotate and restore copies of the SQLite database."""

    # -- where ----------------------------------------------------------------------

    def default_folder(self) -> Path:
        """The data folder's ``backups/``."""
        folder = paths.home_dir() / "backups"
        files.owner_only_folder(folder)
        return folder

    def chosen_folder(self) -> Path | None:
        """The folder chosen in the settings (a USB stick, a NAS), or None."""
        chosen = Settings.load().backup_folder.strip()
        return Path(chosen) if chosen else None

    def target_folder(self) -> tuple[Path, str]:
        """Where the next copy goes, and a warning when the chosen folder cannot be used."""
        chosen = self.chosen_folder()
        if chosen is None:
            return self.default_folder(), ""
        if not chosen.is_dir() or not os.access(chosen, os.W_OK):
            warning = _(
                "The backup folder {folder} is not available (is the USB stick or network drive connected?). "
                "The backup was written to {default} instead."
            ).format(folder=chosen, default=self.default_folder())
            return self.default_folder(), warning
        return chosen, ""

    def set_folder(self, folder: Path | None) -> None:
        """Choose the folder for backups (None: the data folder's); it must exist and be writable."""
        self.require(Permission.EDIT_SETTINGS)
        if folder is not None and (not folder.is_dir() or not os.access(folder, os.W_OK)):
            raise SalonError(_("The folder {folder} does not exist or cannot be written.").format(folder=folder), "folder")
        settings = Settings.load()
        settings.backup_folder = str(folder) if folder is not None else ""
        settings.save()

    # -- backing up -------------------------------------------------------------------

    @property
    def supported(self) -> bool:
        """True for a SQLite file; PostgreSQL is backed up by its server."""
        return self.db.file is not None

    def back_up(self, kind: str = "manual") -> BackupResult:
        """Write a copy with the online backup API, verify it, give it its name, then rotate."""
        if self.db.file is None:
            raise SalonError(_("Only SQLite databases can be backed up by Salon Desk."), "database_url")
        folder, warning = self.target_folder()
        files.remove_partials(folder)
        now = datetime.now()
        target = files.free_name(folder, now, kind)
        partial = target.with_name(target.name + files.PARTIAL)
        try:
            self._copy(partial)
            files.check_copy(partial, full=False)
            _fsync(partial)
            os.replace(partial, target)
        except (OSError, sqlite3.Error, SalonError) as exc:
            partial.unlink(missing_ok=True)
            raise SalonError(
                _("The backup could not be written to {folder}: {detail}").format(folder=folder, detail=exc), "backup"
            ) from exc
        info = BackupInfo(target, now.replace(microsecond=0), target.stat().st_size, kind)
        log.info("backed up %s to %s", self.db.file, target)
        return BackupResult(info, warning, tuple(self._rotate(folder)))

    def _copy(self, partial: Path) -> None:
        source = sqlite3.connect(self.db.file)
        try:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination, pages=STEP_PAGES)
                # A self-contained file: no WAL beside it, readable from a read-only stick.
                destination.execute("PRAGMA journal_mode=DELETE")
            finally:
                destination.close()
        finally:
            source.close()
        files.owner_only_file(partial)

    def _rotate(self, folder: Path) -> list[Path]:
        removed = []
        for backup in files.to_rotate(files.list_folder(folder)):
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
        return removed

    def back_up_if_due(self, now: datetime | None = None) -> BackupResult | None:
        """The automatic backup: when the newest automatic copy is 24 hours old or there is none."""
        if not self.supported:
            return None
        now = now or datetime.now()
        autos = [b for b in self.list() if b.kind == "auto"]
        if autos and now - autos[0].taken_at < AUTO_INTERVAL:
            return None
        return self.back_up("auto")

    # -- listing and checking -----------------------------------------------------------

    def folders(self) -> list[Path]:
        """The folders whose copies are listed: the default one and the chosen one."""
        chosen = self.chosen_folder()
        found = [self.default_folder()]
        if chosen is not None and chosen.resolve() != found[0].resolve():
            found.append(chosen)
        return found

    def list(self) -> list[BackupInfo]:
        """Every finished copy in the backup folders, newest first."""
        found = [b for folder in self.folders() for b in files.list_folder(folder)]
        return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)

    def verify(self, path: Path) -> str | None:
        """Integrity check of a copy and its schema revision; SalonError when it cannot be restored."""
        revision = files.check_copy(path)
        script = ScriptDirectory.from_config(self.db._alembic_config())
        try:
            known = revision is None or script.get_revision(revision) is not None
        except CommandError:
            known = False
        if not known:
            raise SalonError(
                _("The backup {name} was made by a newer version of Salon Desk. Update Salon Desk first.").format(
                    name=path.name
                ),
                "backup",
            )
        return revision

    # -- restoring --------------------------------------------------------------------

    def restore(self, path: Path) -> Path | None:
        """Verify the copy, set the current file aside, put the copy in its place and migrate it.

        Returns where the current file was set aside (None when there was none). Salon Desk
        must restart afterwards: every open window still shows the old data.
        """
        self.require(Permission.EDIT_SETTINGS)
        if self.db.file is None:
            raise SalonError(_("Only SQLite databases can be restored by Salon Desk."), "database_url")
        self.verify(path)
        live = self.db.file
        incoming = live.with_name(live.name + ".restoring")
        shutil.copyfile(path, incoming)
        _fsync(incoming)
        self.db.dispose()
        aside = self._set_aside(live)
        os.replace(incoming, live)
        files.owner_only_file(live)
        self.db.upgrade()
        self.db.dispose()
        log.info("restored %s from %s; the former file is %s", live, path, aside)
        return aside

    def _set_aside(self, live: Path) -> Path | None:
        """Move the database file and its WAL into ``backups/`` under a name saying why."""
        if not live.exists():
            for extra in ("-wal", "-shm"):
                live.with_name(live.name + extra).unlink(missing_ok=True)
            return None
        target = files.free_name(self.default_folder(), datetime.now(), "before-restore")
        for extra in ("-wal", "-shm"):
            sidecar = live.with_name(live.name + extra)
            if sidecar.exists():
                os.replace(sidecar, target.with_name(target.name + extra))
        os.replace(live, target)
        return target

    # -- PostgreSQL ---------------------------------------------------------------------

    @staticmethod
    def pg_dump_path() -> str | None:
        """The ``pg_dump`` program, when installed."""
        return shutil.which("pg_dump")

    def pg_dump(self, target: Path) -> Path:
        """A ``pg_dump -Fc`` archive of the PostgreSQL database in ``target``."""
        program = self.pg_dump_path()
        if self.db.is_sqlite or program is None:
            raise SalonError(_("pg_dump is not installed on this computer."), "pg_dump")
        url = self.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(
            [program, "-Fc", "--file", str(target), "--dbname", url], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            raise SalonError(_("pg_dump failed: {detail}").format(detail=result.stderr.strip()), "pg_dump")
        files.owner_only_file(target)
        return target


def _fsync(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())
