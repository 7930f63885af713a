"""Test set-up: a temporary data folder, offscreen Qt, English messages, and the databases."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = Path(tempfile.mkdtemp(prefix="salon-desk-test-home-"))
os.environ["SALON_DESK_HOME"] = str(_HOME)
os.environ.pop("SALON_DESK_DATABASE_URL", None)
# Never the machine's own credential store: secrets go to the data folder's owner-only file,
# here and in the sending process the tests start. Tests of the credential store set their own.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
sys.path.insert(0, str(Path(__file__).parent))

from salon_desk import i18n  # noqa: E402
from salon_desk.db import Database  # noqa: E402
from salon_desk.models import Base  # noqa: E402
from salon_desk.services import Services, open_services  # noqa: E402

SKIP_POSTGRES = os.environ.get("SALON_DESK_SKIP_POSTGRES") == "1"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages in English unless a test switches language; restored afterwards."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "salon.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated database on the PostgreSQL server started for this run."""
    import pg_server

    server = pg_server.start()
    db = Database(server.url)
    db.upgrade()
    db.dispose()
    yield server.url
    server.stop()


def _truncate_all(db: Database) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    if not db.is_sqlite:
        tables += ", client_search_words"  # PostgreSQL's words of the clients, kept by triggers (migration 0023)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        # as a freshly migrated database has them: the client total the triggers keep (migration 0018)
        # and the window of the last year's sales, not counted yet (0022)
        connection.exec_driver_sql("INSERT INTO client_totals (id, clients) VALUES (1, 0)")
        connection.exec_driver_sql("INSERT INTO sales_year_window (id, day, since) VALUES (1, NULL, NULL)")


def _sqlite_services(template: Path, target: Path) -> Services:
    shutil.copy(template, target)
    return open_services(f"sqlite:///{target}")


@pytest.fixture
def app_services(sqlite_template: Path, tmp_path: Path) -> Iterator[Services]:
    """Services on a fresh SQLite database with the template categories (for UI tests)."""
    services = _sqlite_services(sqlite_template, tmp_path / "salon.sqlite3")
    yield services
    services.db.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgresql),
    ]
)
def services(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> Iterator[Services]:
    """Services on a fresh database: every service test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        result = _sqlite_services(sqlite_template, tmp_path / "salon.sqlite3")
    else:
        if SKIP_POSTGRES:
            pytest.skip("PostgreSQL tests switched off with SALON_DESK_SKIP_POSTGRES=1")
        url = request.getfixturevalue("pg_url")
        _truncate_all(Database(url))
        result = open_services(url)
    yield result
    result.db.dispose()
