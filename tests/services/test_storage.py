"""Storage (DESIGN §2): SQLite settings, data folder, URL choice, backups before migrating."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salon_desk import db as dbmod
from salon_desk.db import Database
from salon_desk.errors import SalonError


def test_sqlite_pragmas(app_services):
    with app_services.db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000


def test_default_database_lives_in_salon_desk_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SALON_DESK_DATABASE_URL", raising=False)
    assert dbmod.default_url() == f"sqlite:///{tmp_path / 'home' / 'salon.sqlite3'}"
    monkeypatch.setenv("SALON_DESK_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert dbmod.default_url() == "postgresql+psycopg://u@h/db"


def test_first_start_creates_the_schema(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert database.current_revision() is None
    assert database.upgrade() is None  # nothing to back up yet
    assert database.current_revision() == database.head_revision()
    database.dispose()


def test_backup_copy_is_a_working_database(tmp_path, monkeypatch, app_services):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))
    target = app_services.db.backup("manual")
    names = {r[0] for r in sqlite3.connect(target).execute("SELECT name FROM categories")}
    assert "VIP" in names


def test_upgrade_from_an_older_revision_backs_up_first(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))
    path = tmp_path / "old.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    stored = database.current_revision()
    monkeypatch.setattr(Database, "head_revision", lambda self: "9999-not-yet-written")
    monkeypatch.setattr(dbmod.command, "upgrade", lambda config, rev: None)
    backup = database.upgrade()
    database.dispose()
    assert backup is not None and backup.exists()
    assert backup.parent == tmp_path / "home" / "backups"
    assert f"before-upgrade-{stored}" in backup.name


def test_sqlite_on_a_network_share_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(dbmod, "is_network_path", lambda path: True)
    with pytest.raises(SalonError) as error:
        Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert "PostgreSQL" in error.value.message
    assert error.value.field == "database_url"


def test_unc_paths_count_as_network():
    assert dbmod.is_network_path(Path("//server/share/salon.sqlite3"))
    assert not dbmod.is_network_path(Path("/tmp"))


def test_migrations_match_the_models(services):
    """Autogenerate finds nothing to add: the shipped migrations build exactly the models' schema."""
    from alembic import command

    command.check(services.db._alembic_config())


def test_a_unit_of_work_holds_the_write_lock_from_its_first_read(app_services):
    """Reads inside a transaction (unique-name and version checks) belong to it on SQLite too."""
    import sqlite3 as raw

    from sqlalchemy import select

    from salon_desk.models import Category

    with app_services.db.transaction() as session:
        session.scalars(select(Category.id)).all()
        other = raw.connect(str(app_services.db.file), timeout=0.1)
        try:
            with pytest.raises(raw.OperationalError, match="locked"):
                other.execute("INSERT INTO app_meta(key, value) VALUES ('x', 'y')")
        finally:
            other.close()


def test_indexes_made_anew_get_statistics_where_sqlite_keeps_them(app_services):
    """Migration 0019 made the (group, creation date) index anew without statistics; beside the others' statistics
    SQLite then took it for a very selective one and sorted a group's clients with it (2.3 s instead of 30 ms for
    1,000,000 clients). Migration 0020 analyses it."""
    from alembic import command
    from sqlalchemy import text

    from salon_desk.services.clients.clients import ClientData
    from salon_desk.services.groups.groups import GroupData

    group = app_services.groups.create(GroupData(name="Club"))[0].id
    for n in range(20):
        app_services.clients.create(ClientData(first_name=f"K{n}", last_name="Test", group_id=group if n < 6 else None))
    config = app_services.db._alembic_config()
    command.downgrade(config, "0019")
    with app_services.db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))  # statistics, as a database that was analysed once has them
        connection.execute(text("DELETE FROM sqlite_stat1 WHERE idx = 'ix_clients_group_created'"))  # what 0019 left
    command.upgrade(config, "head")
    with app_services.db.engine.connect() as connection:
        found = connection.execute(text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_clients_group_created'"))
        assert found.scalar() == "6 6 1"  # the six clients with a group, all in one


def test_a_database_without_statistics_gets_none_from_the_migrations(app_services):
    from sqlalchemy import text

    with app_services.db.engine.connect() as connection:
        assert connection.execute(text("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'")).first() is None
