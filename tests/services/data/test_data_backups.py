"""Backups (DESIGN §8): verified online copies, listing, rotation, chosen folder, restore."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from salon_desk.errors import PermissionDeniedError, SalonError
from salon_desk.models.staff import Role
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.common import Actor
from salon_desk.services.data import backup_files as files
from salon_desk.services.data.backup_files import BackupInfo
from salon_desk.services.data.backups import BackupService
from salon_desk.settings import Settings


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _names(db_file: Path) -> set[str]:
    with sqlite3.connect(db_file) as connection:
        return {row[0] for row in connection.execute("SELECT last_name FROM clients")}


def test_backup_is_a_verified_owner_only_copy_listed_with_time_and_size(home, app_services):
    app_services.clients.create(ClientData(first_name="Anna", last_name="Berger"))
    backups = BackupService(app_services.db)
    result = backups.back_up("manual")
    assert result.warning == ""
    assert result.backup.path.parent == home / "backups"
    assert "Berger" in _names(result.backup.path)
    listed = backups.list()
    assert [b.path for b in listed] == [result.backup.path]
    assert listed[0].size == result.backup.path.stat().st_size > 0
    assert abs(listed[0].taken_at - datetime.now()) < timedelta(minutes=1)
    assert backups.verify(result.backup.path) == app_services.db.head_revision()
    if os.name == "posix":
        assert result.backup.path.stat().st_mode & 0o777 == 0o600
        assert (home / "backups").stat().st_mode & 0o777 == 0o700
    assert not list((home / "backups").glob("*-wal"))


def test_a_half_written_copy_is_never_listed_and_is_cleared_next_time(home, app_services):
    backups = BackupService(app_services.db)
    folder = backups.default_folder()
    stale = folder / (files.backup_name(datetime.now(), "auto") + files.PARTIAL)
    stale.write_bytes(b"SQLite format 3\0 half")
    assert backups.list() == []
    backups.back_up()
    assert not stale.exists()
    assert len(backups.list()) == 1


def test_a_damaged_copy_is_refused_by_verify(home, app_services):
    backups = BackupService(app_services.db)
    copy = backups.back_up().backup.path
    data = bytearray(copy.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    copy.write_bytes(bytes(data))
    with pytest.raises(SalonError) as error:
        backups.verify(copy)
    assert copy.name in error.value.message
    not_a_db = home / "backups" / "salon-20260101-120000-manual.sqlite3"
    not_a_db.write_text("hello")
    with pytest.raises(SalonError):
        backups.verify(not_a_db)


def test_missing_chosen_folder_warns_and_writes_to_the_default(home, app_services, tmp_path):
    backups = BackupService(app_services.db)
    stick = tmp_path / "stick"
    stick.mkdir()
    backups.set_folder(stick)
    assert backups.back_up().backup.path.parent == stick
    for copy in stick.iterdir():
        copy.unlink()
    stick.rmdir()  # the stick is pulled out
    result = backups.back_up()
    assert result.backup.path.parent == home / "backups"
    assert str(stick) in result.warning and "not available" in result.warning
    with pytest.raises(SalonError) as error:
        backups.set_folder(tmp_path / "nowhere")
    assert error.value.field == "folder"
    assert Settings.load().backup_folder == str(stick)  # the earlier choice is kept


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    start = datetime(2026, 11, 29, 3, 0)
    backups = [
        BackupInfo(Path(f"/b/{i}"), start - timedelta(days=i // 2, hours=i % 2), 1, "auto") for i in range(800)
    ]
    backups.append(BackupInfo(Path("/b/upgrade"), start - timedelta(days=500), 1, "before-upgrade-0006"))
    dropped = {b.path for b in files.to_rotate(backups)}
    kept = [b for b in backups if b.path not in dropped and b.kind == "auto"]
    days = {b.taken_at.date() for b in kept}
    assert {start.date() - timedelta(days=d) for d in range(7)} <= days
    assert len({b.taken_at.isocalendar()[:2] for b in kept}) >= 4
    assert len({(b.taken_at.year, b.taken_at.month) for b in kept}) == 12
    assert len(kept) <= 7 + 4 + 12
    assert Path("/b/upgrade") not in dropped
    assert Path("/b/0") not in dropped  # the newest copy of the day stays


def test_automatic_backup_runs_once_per_24_hours(home, app_services):
    backups = BackupService(app_services.db)
    first = backups.back_up_if_due()
    assert first is not None and first.backup.kind == "auto"
    assert backups.back_up_if_due() is None
    assert backups.back_up_if_due(datetime.now() + timedelta(hours=25)) is not None


def test_restore_brings_back_the_copy_and_sets_the_current_file_aside(home, app_services):
    card, _ = app_services.clients.create(ClientData(first_name="Anna", last_name="Berger"))
    backups = BackupService(app_services.db)
    copy = backups.back_up("auto").backup.path
    app_services.clients.create(ClientData(first_name="Later", last_name="Lang"))
    aside = backups.restore(copy)
    assert aside is not None and aside.parent == home / "backups" and "before-restore" in aside.name
    assert "Lang" in _names(aside)
    assert app_services.clients.get(card.id).data.last_name == "Berger"
    assert "Lang" not in _names(app_services.db.file)
    assert app_services.db.current_revision() == app_services.db.head_revision()


def test_restore_after_the_database_file_was_lost(home, app_services):
    app_services.clients.create(ClientData(first_name="Anna", last_name="Berger"))
    backups = BackupService(app_services.db)
    copy = backups.back_up("auto").backup.path
    app_services.db.dispose()
    for extra in ("", "-wal", "-shm"):
        Path(str(app_services.db.file) + extra).unlink(missing_ok=True)
    assert backups.restore(copy) is None
    assert "Berger" in _names(app_services.db.file)


def test_a_damaged_copy_is_not_restored_and_the_database_stays(home, app_services):
    app_services.clients.create(ClientData(first_name="Anna", last_name="Berger"))
    broken = home / "backups" / "salon-20260101-120000-manual.sqlite3"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(b"\0" * 10_000)
    with pytest.raises(SalonError):
        BackupService(app_services.db).restore(broken)
    assert "Berger" in _names(app_services.db.file)


def test_only_managers_restore(home, app_services):
    backups = BackupService(app_services.db)
    copy = backups.back_up().backup.path
    backups.workstation.actor = Actor(staff_id=2, name="Desk", role=Role.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        backups.restore(copy)


def test_postgresql_is_not_backed_up_by_the_app(services, home, tmp_path):
    backups = BackupService(services.db)
    if services.db.is_sqlite:
        assert backups.supported
        return
    assert not backups.supported
    assert backups.back_up_if_due() is None
    with pytest.raises(SalonError):
        backups.back_up()
    if backups.pg_dump_path() is not None:
        target = backups.pg_dump(tmp_path / "salon.dump")
        assert target.stat().st_size > 0
