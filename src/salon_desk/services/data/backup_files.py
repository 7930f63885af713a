"""Backup copies on disk: their names, the listing with time and size, rotation, owner-only files."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from salon_desk import paths
from salon_desk.errors import SalonError
from salon_desk.i18n import _

PREFIX = "salon-"
SUFFIX = ".sqlite3"
PARTIAL = ".partial"
"""A copy being written carries this ending until it is verified; it is never listed."""
STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^salon-(\d{8}-\d{6})(?:-(\d+))?-(.+)\.sqlite3$")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
ROTATED_KINDS = frozenset({"auto", "manual"})
"""Copies written before a migration or a restore are kept until removed by hand."""


@dataclass(frozen=True)
class BackupInfo:
    """One verified copy of the database, as the backups list shows it."""

    path: Path
    taken_at: datetime
    size: int
    kind: str


def backup_name(taken_at: datetime, kind: str, sequence: int = 0) -> str:
    """``salon-20261129-120000-auto.sqlite3`` (a sequence number when two fall in one second)."""
    extra = f"-{sequence}" if sequence else ""
    return f"{PREFIX}{taken_at.strftime(STAMP)}{extra}-{kind}{SUFFIX}"


def free_name(folder: Path, taken_at: datetime, kind: str) -> Path:
    """A name in ``folder`` that no copy (finished or partial) uses yet."""
    sequence = 0
    while True:
        target = folder / backup_name(taken_at, kind, sequence)
        if not target.exists() and not target.with_name(target.name + PARTIAL).exists():
            return target
        sequence += 1


def parse_name(path: Path) -> tuple[datetime, str] | None:
    """The time and kind of a backup file name; None for any other file."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), STAMP), match.group(3)
    except ValueError:
        return None


def list_folder(folder: Path) -> list[BackupInfo]:
    """The finished copies in ``folder``, newest first (partial copies are never listed)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        parsed = parse_name(path)
        if parsed is not None and path.is_file():
            found.append(BackupInfo(path, parsed[0], path.stat().st_size, parsed[1]))
    return sorted(found, key=lambda info: (info.taken_at, info.path.name), reverse=True)


def remove_partials(folder: Path) -> list[Path]:
    """Delete copies left half-written by a crash or a full disk (with their journals)."""
    removed = []
    for path in folder.glob(f"*{PARTIAL}*") if folder.is_dir() else []:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def to_rotate(backups: list[BackupInfo]) -> list[BackupInfo]:
    """The automatic and manual copies that rotation drops: it keeps the newest copy of each of
    the last 7 days, 4 weeks and 12 months that have one."""
    rotated = sorted((b for b in backups if b.kind in ROTATED_KINDS), key=lambda b: b.taken_at, reverse=True)
    keep: set[Path] = set()
    for period, count in (
        (lambda t: t.date(), KEEP_DAILY),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
        (lambda t: (t.year, t.month), KEEP_MONTHLY),
    ):
        seen: list[object] = []
        for backup in rotated:
            key = period(backup.taken_at)
            if key not in seen:
                seen.append(key)
                if len(seen) > count:
                    break
                keep.add(backup.path)
    return [b for b in rotated if b.path not in keep]


def owner_only_folder(folder: Path) -> None:
    """Create ``folder`` readable only by its owner (on POSIX); see ``paths.private_dir``."""
    paths.private_dir(folder)


def owner_only_file(path: Path) -> None:
    """Make ``path`` readable only by its owner (on POSIX); see ``paths.make_private``."""
    paths.make_private(path)


def check_copy(path: Path, full: bool = True) -> str | None:
    """Integrity check of a SQLite copy: the Alembic revision it carries; SalonError when damaged.

    ``full`` runs ``integrity_check``, which also compares every index with its table (about
    80 s for 1,000,000 clients on a busy machine); otherwise ``quick_check`` reads every page
    and checks the structure of each b-tree (about 7 s). A fresh copy from the backup API
    holds the same pages as the live file, so the quick check finds what writing it could
    have broken; a restore, which takes a file of unknown history, gets the full check.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            raise sqlite3.DatabaseError("empty or missing")
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise sqlite3.DatabaseError(str(result))
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "clients" not in tables or "alembic_version" not in tables:
                raise sqlite3.DatabaseError("not a Salon Desk database")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise SalonError(
            _("The backup {name} is damaged or is not a Salon Desk database ({detail}).").format(
                name=path.name, detail=exc
            ),
            "backup",
        ) from exc
    return row[0] if row else None
