"""Files with personal data are the owner's alone (POSIX), and a failed backup leaves no file behind."""

from __future__ import annotations

import os
import stat
import sqlite3
from pathlib import Path

import pytest

from salon_desk import db as db_module
from salon_desk import paths
from salon_desk.errors import SalonError
from salon_desk.services import open_services
from salon_desk.services.clients.clients import ClientData
from salon_desk.settings import Settings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_its_journal_backups_and_settings_are_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    old_umask = os.umask(0o022)  # a usual umask: files would be world-readable
    try:
        services = open_services(f"sqlite:///{tmp_path / 'home' / 'salon.sqlite3'}")
        services.clients.create(ClientData(last_name="Privat"))
        database = tmp_path / "home" / "salon.sqlite3"
        assert mode(database) == 0o600
        for companion in ("-wal", "-shm"):
            file = database.with_name(database.name + companion)
            if file.exists():
                assert mode(file) == 0o600, companion
        backup = services.db.backup("manual")
        assert mode(backup) == 0o600 and mode(backup.parent) == 0o700
        assert mode(tmp_path / "home") == 0o700
        Settings().save()
        assert mode(Settings.path()) == 0o600
        services.db.dispose()
    finally:
        os.umask(old_umask)


def test_a_failed_backup_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    services = open_services(f"sqlite:///{tmp_path / 'home' / 'salon.sqlite3'}")
    services.clients.create(ClientData(last_name="Voll"))
    before = sorted(paths.backup_dir().iterdir())

    class FullDisk:
        """sqlite3 as the backup sees it when the disk fills up halfway through the copy."""

        Error, DatabaseError, OperationalError = sqlite3.Error, sqlite3.DatabaseError, sqlite3.OperationalError

        @staticmethod
        def connect(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            real = sqlite3.connect(path, *args, **kwargs)
            if Path(path).parent != paths.backup_dir():  # the copy, whatever its name
                return real

            class Copy:
                def __enter__(self):  # type: ignore[no-untyped-def]
                    real.execute("CREATE TABLE half(x)")  # the file is no longer empty
                    real.commit()
                    raise sqlite3.OperationalError("database or disk is full")

                def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                    return False

                def __getattr__(self, name):  # type: ignore[no-untyped-def]
                    return getattr(real, name)

            return Copy()

    monkeypatch.setattr(db_module, "sqlite3", FullDisk)
    with pytest.raises(SalonError) as error:
        services.db.backup("manual")
    assert "disk is full" in error.value.message and "Nothing was changed" in error.value.message
    assert sorted(paths.backup_dir().iterdir()) == before
    services.db.dispose()
