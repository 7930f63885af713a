"""Connecting to the database, SQLite settings, backups and schema migrations."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Integer, create_engine, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from salon_desk import paths
from salon_desk.errors import NotFoundError, SalonError, StorageError, ValidationError
from salon_desk.i18n import _

log = logging.getLogger(__name__)

DB_FILE_NAME = "salon.sqlite3"
BUSY_TIMEOUT_MS = 10_000
SQLITE_CACHE_KIB = 64 * 1024
"""Page cache per connection (SQLite's default is 2 MB; a page takes memory only once read).

With 1,000,000 clients the client list steps through two indexes of about 27 MB each:
by name for a jump, and the one its count reads. Both held, a jump to the middle takes
8 instead of 14 ms and the count 15 instead of 24 ms."""
SQLITE_BULK_CACHE_KIB = 512 * 1024
"""Page cache of a connection during a bulk change (``transaction(bulk=True)``), set back afterwards.

A bulk change and the rules it sets off rewrite the same 100,000 client rows and their
index entries several times in one transaction. With the everyday cache the dirty pages
spill to the journal between those passes and are written again at the commit; held in
memory they are written once (100,000 clients with five rules: 15.7 s → 13.1 s).

Its commit also leaves no checkpoint to the user's wait: the pages it wrote to the WAL
(some 300 MB for 100,000 clients) are copied into the database file by a thread right
after it (``Database._checkpoint_soon``), about a second less to wait. Other desks
read and write meanwhile; a passive checkpoint blocks neither."""
SQLITE_BULK_MMAP_BYTES = 2**31 - 2**16
"""Memory-mapped reads of the database file during a bulk change, off again afterwards.

A bulk change reads the rows and index pages it rewrites; mapped, each page read is a
memory access instead of a system call and a copy. 100,000 clients with five rules:
10.0–10.2 s → 9.2–9.8 s. 2 GB is the most SQLite maps by default (its
``SQLITE_MAX_MMAP_SIZE``); beyond it the file is read as before. The everyday connection
does not map: a mapped page counts in the process's memory, and the list's reads are
served by the page cache."""
SQLITE_AUTOCHECKPOINT_PAGES = 1000
"""SQLite's default: a commit that leaves the WAL longer than this copies it into the database file."""
IMMEDIATE = "salon_desk_sqlite_immediate"
_BULK_CACHE = "salon_desk_bulk_cache"
NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smbfs",
    "smb2",
    "smb3",
    "afpfs",
    "webdav",
    "davfs",
    "fuse.sshfs",
    "9p",
}


def normal_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (as servers and hosting panels write them) mean psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_url() -> str:
    """``SALON_DESK_DATABASE_URL``, the settings' URL, or the SQLite file in the data folder."""
    from salon_desk.settings import Settings

    from salon_desk.settings import with_password

    url = os.environ.get(paths.DATABASE_URL_ENV) or with_password(Settings.load().database_url)
    return url or f"sqlite:///{paths.home_dir() / DB_FILE_NAME}"


def _mount_fs_type(path: Path) -> str:
    """File-system type of the mount holding ``path`` (Linux and macOS), or ''."""
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return ""
    best, fs_type = "", ""
    for line in mounts.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 3 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
            best, fs_type = parts[1], parts[2]
    return fs_type


def is_network_path(path: Path) -> bool:
    """True for a UNC path, a mapped network drive or a network mount."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # DRIVE_REMOTE
    return _mount_fs_type(path.resolve()) in NETWORK_FILESYSTEMS


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Python's sqlite3 would open a transaction only at the first write, leaving the reads
    # before it (unique-name checks, version checks) outside; SQLAlchemy emits BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A unit of work takes the write lock at once: two desks saving never deadlock on the
    # upgrade from a read lock, the second simply waits for the busy timeout.
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def in_bulk(connection: Connection) -> bool:
    """True inside ``Database.transaction(bulk=True)`` on SQLite (the transaction holds the write lock)."""
    return bool(connection.info.get(_BULK_CACHE, False))


class CheckedSession(Session):
    """A session whose ``get`` takes only whole-number ids: anything else names no record.

    Every service looks records up with ``session.get``; checking the id here keeps a
    wrong type (text, a list, ``None``) from reaching the driver or the identity map.
    """

    def get(self, entity: Any, ident: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        values = ident if isinstance(ident, tuple) else (ident,)
        for value, column in zip(values, sa_inspect(entity).primary_key, strict=False):
            if isinstance(column.type, Integer) and (not isinstance(value, int) or isinstance(value, bool)):
                raise NotFoundError(_("There is no record with that number."))
        return super().get(entity, ident, *args, **kwargs)


def _unbindable(exc: StatementError) -> bool:
    """A value of the wrong type for its column: SQLite cannot bind it, PostgreSQL cannot compare it."""
    text = str(getattr(exc, "orig", exc))
    wrong = ("binding parameter", "cannot adapt", "operator does not exist", "cannot cast type")
    return isinstance(exc, ProgrammingError) and any(reason in text for reason in wrong)


@contextmanager
def _domain_errors() -> Iterator[None]:
    """Values the database cannot even compare become domain errors, not driver exceptions.

    An id beyond the column's range (SQLite: OverflowError, PostgreSQL: "out of range")
    names no record; a value of the wrong type is refused. The caller sees a message.
    """
    try:
        yield
    except OverflowError as exc:
        raise NotFoundError(_("There is no record with that number.")) from exc
    except StatementError as exc:
        original = getattr(exc, "orig", None)
        if isinstance(original, OverflowError) or "out of range" in str(original):
            raise NotFoundError(_("There is no record with that number.")) from exc
        if isinstance(original, (TypeError, ValueError)) or isinstance(exc, DataError) or _unbindable(exc):
            raise ValidationError(_("A value does not fit its field: {error}").format(error=original), "") from exc
        if isinstance(exc, OperationalError):  # disk full, file read-only or locked, server gone
            reason = str(original or exc).splitlines()[0][:200]
            raise StorageError(_("The database could not be used ({reason}).").format(reason=reason)) from exc
        raise


class Database:
    """One database (SQLite file or PostgreSQL server) with its engine and session factory."""

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = make_url(normal_url(url or default_url()))
        self.file = self._sqlite_file()
        if self.file is not None:
            if is_network_path(self.file.parent):
                raise SalonError(
                    _(
                        "The database file {path} is on a network drive. SQLite files must not be shared "
                        "over a network: set up PostgreSQL for several workstations."
                    ).format(path=self.file),
                    "database_url",
                )
            self.file.parent.mkdir(parents=True, exist_ok=True)
            # SQLite gives its -wal and -shm files the database file's permissions.
            paths.create_private(self.file)
            for companion in ("-wal", "-shm"):
                paths.make_private(self.file.with_name(self.file.name + companion))
        self.engine: Engine = create_engine(self.url, echo=echo, **self._engine_options())
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
            event.listen(self.engine, "checkin", self._sqlite_checkin)
        self._checkpoint: threading.Thread | None = None
        self.session_factory = sessionmaker(self.engine, class_=CheckedSession, expire_on_commit=False)

    def _sqlite_checkin(self, dbapi_connection: sqlite3.Connection, record: Any) -> None:
        # after a bulk change: the everyday page cache again (SQLite frees the pages above it), the checkpoint in a thread
        if record is not None and record.info.pop(_BULK_CACHE, False):
            dbapi_connection.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            dbapi_connection.execute("PRAGMA mmap_size=0")
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")
            self._checkpoint_soon()

    def _checkpoint_soon(self) -> None:
        """Copy the WAL into the database file in a thread of its own, on a connection of its own."""
        if self.file is None or (self._checkpoint is not None and self._checkpoint.is_alive()):
            return
        path = self.file

        def checkpoint() -> None:
            try:
                with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as connection:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:  # the next commit's own checkpoint does it then
                log.warning("checkpoint after a bulk change failed", exc_info=True)

        self._checkpoint = threading.Thread(target=checkpoint, name="salon-desk-checkpoint", daemon=True)
        self._checkpoint.start()

    @property
    def is_sqlite(self) -> bool:
        """True for SQLite, False for PostgreSQL."""
        return self.url.get_backend_name() == "sqlite"

    def _sqlite_file(self) -> Path | None:
        if self.url.get_backend_name() != "sqlite" or self.url.database in (None, "", ":memory:"):
            return None
        return Path(self.url.database)

    def _engine_options(self) -> dict[str, Any]:
        if self.is_sqlite:
            # The most recently used connection is handed out again, with its page cache warm.
            return {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}, "pool_use_lifo": True}
        return {"pool_pre_ping": True}

    @contextmanager
    def transaction(self, bulk: bool = False) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error.

        ``bulk``: it rewrites many thousands of rows; on SQLite it gets a larger page cache.
        """
        with _domain_errors(), self.session_factory() as session, session.begin():
            if self.is_sqlite:
                connection = session.connection(execution_options={IMMEDIATE: True})
                if bulk:
                    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
                    connection.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_BULK_MMAP_BYTES}")
                    connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
                    connection.info[_BULK_CACHE] = True
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only, closed at the end."""
        with _domain_errors(), self.session_factory() as session:
            yield session

    # -- schema -----------------------------------------------------------------

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        config.set_main_option("sqlalchemy.url", self.url.render_as_string(hide_password=False))
        return config

    def current_revision(self) -> str | None:
        """The schema revision in the database, or None for an empty one."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def head_revision(self) -> str | None:
        """The newest schema revision this version of the program knows."""
        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def upgrade(self) -> Path | None:
        """Create or migrate the schema to the newest revision; backs up an existing SQLite file first."""
        current = self.current_revision()
        if current == self.head_revision():
            return None
        backup = self.backup(f"before-upgrade-{current}") if current is not None and self.file else None
        config = self._alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return backup

    def backup(self, label: str) -> Path:
        """Copy the SQLite database with the online backup API into the backups folder.

        The copy is written under a temporary name, checked and only then renamed: a
        failure (a full disk) leaves no file that would open as an empty database.
        """
        if self.file is None:
            raise SalonError(_("Only SQLite databases can be backed up by Salon Desk."), "database_url")
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = paths.backup_dir() / f"salon-{stamp}-{label}.sqlite3"
        partial = target.with_name(target.name + ".partial")
        try:
            paths.create_private(partial)
            source = sqlite3.connect(self.file)
            try:
                destination = sqlite3.connect(partial)
                try:
                    with destination:
                        source.backup(destination)
                    if destination.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                        raise sqlite3.DatabaseError("the copy failed its check")
                finally:
                    destination.close()
            finally:
                source.close()
            partial.replace(target)
        except (OSError, sqlite3.Error) as error:
            partial.unlink(missing_ok=True)
            raise SalonError(
                _("The backup could not be written: {error}. Nothing was changed.").format(error=error), "backup"
            ) from error
        log.info("backed up %s to %s", self.file, target)
        return target

    def wait_for_checkpoint(self) -> None:
        """Return when the checkpoint after a bulk change, if one is under way, is done."""
        if self._checkpoint is not None:
            self._checkpoint.join()

    def dispose(self) -> None:
        """Close every pooled connection (after a checkpoint still under way)."""
        self.wait_for_checkpoint()
        self.engine.dispose()
