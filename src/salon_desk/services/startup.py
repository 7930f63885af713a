"""What went wrong when the database would not open at start, in words, with the ways out that fit.

Each failure of ``open_services`` at start is named: a damaged or truncated SQLite file,
a read-only file or folder, a full disk, a locked file, a PostgreSQL server that does
not answer, an address of an unknown kind. The start-up dialog then offers what helps
(another database, a backup, quit). Nothing here writes to the file that failed.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from salon_desk.db import normal_url
from salon_desk.errors import SalonError
from salon_desk.i18n import _


class Problem(StrEnum):
    """The kinds of failure at start."""

    DAMAGED = "damaged"
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    LOCKED = "locked"
    SERVER_UNREACHABLE = "server_unreachable"
    UNKNOWN_SCHEME = "unknown_scheme"
    OTHER = "other"


@dataclass(frozen=True)
class StartupProblem:
    """A failed start: what, the plain message, and which ways out make sense."""

    problem: Problem
    message: str
    url: str
    file: Path | None
    detail: str = ""

    @property
    def can_restore(self) -> bool:
        """A SQLite file can be replaced by one of its backups."""
        return self.file is not None and self.problem in (Problem.DAMAGED, Problem.OTHER)


_SIGNS: tuple[tuple[Problem, tuple[str, ...]], ...] = (
    (Problem.DISK_FULL, ("disk is full", "no space left", "could not extend file")),
    (Problem.READ_ONLY, ("readonly database", "read-only", "permission denied", "unable to open database file")),
    (Problem.LOCKED, ("database is locked",)),
    (Problem.DAMAGED, ("not a database", "malformed", "file is encrypted", "corrupt")),
    (
        Problem.SERVER_UNREACHABLE,
        ("connection refused", "could not connect", "connection failed", "timeout expired", "no route to host",
         "could not translate host name", "name or service not known"),
    ),  # fmt: skip
)


def _sqlite_file(url: str) -> Path | None:
    try:
        parsed = make_url(normal_url(url))
    except ArgumentError:
        return None
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def _kind(error: BaseException) -> Problem:
    if isinstance(error, (NoSuchModuleError, ArgumentError, ImportError)):
        return Problem.UNKNOWN_SCHEME  # ImportError: a database whose driver Salon Desk does not bring
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return Problem.DISK_FULL
    if isinstance(error, (PermissionError, FileNotFoundError)) or (
        isinstance(error, OSError) and error.errno == errno.EROFS
    ):
        return Problem.READ_ONLY  # the file cannot be written, or not even created there
    text = " ".join(str(e).lower() for e in _chain(error))
    for problem, signs in _SIGNS:
        if any(sign in text for sign in signs):
            return problem
    if any(isinstance(e, sqlite3.DatabaseError) for e in _chain(error)):
        return Problem.DAMAGED
    return Problem.OTHER


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    while error is not None and error not in found:
        found.append(error)
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__  # type: ignore[assignment]
    return found


def explain(error: BaseException, url: str) -> StartupProblem:
    """The start-up problem behind ``error`` (raised while opening ``url``)."""
    kind = _kind(error)
    file = _sqlite_file(url)
    where = str(file) if file is not None else make_safe(url)
    messages = {
        Problem.DAMAGED: _(
            "The database file {where} is damaged or is not a Salon Desk database. It has not been changed. "
            "Restore a backup, or choose another database."
        ),
        Problem.READ_ONLY: _(
            "The database {where} cannot be written: the file or its folder is read-only, or the drive is. "
            "Make it writable, or choose another database."
        ),
        Problem.DISK_FULL: _("The drive of the database {where} is full. Free some space, then start again."),
        Problem.LOCKED: _(
            "The database {where} is in use by another program and stays locked. Close it, then start again."
        ),
        Problem.SERVER_UNREACHABLE: _(
            "The database server at {where} does not answer. Is it running, and is the network there? "
            "Start again once it is, or choose another database."
        ),
        Problem.UNKNOWN_SCHEME: _(
            "“{where}” is no database address Salon Desk knows. Use a SQLite file or an address "
            "like postgresql://user@server/salondesk."
        ),
        Problem.OTHER: _("The database {where} could not be opened."),
    }
    detail = str(error.message if isinstance(error, SalonError) else error).splitlines()[0][:300]
    return StartupProblem(kind, messages[kind].format(where=where), url, file, detail)


def make_safe(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        return make_url(normal_url(url)).render_as_string(hide_password=True)
    except (ArgumentError, SQLAlchemyError, ValueError):
        return url
