"""Every way the database can fail at start is named in words, and the failing file is left as it was."""

from __future__ import annotations

import errno

import pytest

from salon_desk.services import open_services
from salon_desk.services.startup import Problem, explain


def failure(url: str) -> BaseException:
    with pytest.raises(Exception) as error:
        open_services(url)
    return error.value


def test_a_file_that_is_no_database_is_named_damaged_and_left_untouched(tmp_path):
    bad = tmp_path / "salon.sqlite3"
    bad.write_bytes(b"Kundenliste 2019\n" * 200)
    url = f"sqlite:///{bad}"
    problem = explain(failure(url), url)
    assert problem.problem is Problem.DAMAGED and problem.can_restore
    assert str(bad) in problem.message and "has not been changed" in problem.message
    assert bad.read_bytes() == b"Kundenliste 2019\n" * 200


def test_a_truncated_database_is_named_damaged(tmp_path):
    good = tmp_path / "good.sqlite3"
    open_services(f"sqlite:///{good}").db.dispose()
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    before = cut.read_bytes()
    url = f"sqlite:///{cut}"
    assert explain(failure(url), url).problem is Problem.DAMAGED
    assert cut.read_bytes() == before


def test_a_folder_that_cannot_be_written_is_named(tmp_path):
    url = "sqlite:////sys/salon-desk-test.sqlite3"  # sysfs refuses new files, even to root
    problem = explain(failure(url), url)
    assert problem.problem is Problem.READ_ONLY and "read-only" in problem.message


def test_a_postgresql_server_that_does_not_answer_is_named():
    url = "postgresql://salon:geheim@127.0.0.1:1/salondesk"
    problem = explain(failure(url), url)
    assert problem.problem is Problem.SERVER_UNREACHABLE and not problem.can_restore
    assert "does not answer" in problem.message and "geheim" not in problem.message


@pytest.mark.parametrize("url", ["foo://x", "mysql://salon@server/db", "nonsense"])
def test_an_unknown_kind_of_address_is_named(url):
    assert explain(failure(url), url).problem is Problem.UNKNOWN_SCHEME


def test_a_full_disk_and_a_locked_file_are_named(tmp_path):
    url = f"sqlite:///{tmp_path / 'salon.sqlite3'}"
    assert explain(OSError(errno.ENOSPC, "No space left on device"), url).problem is Problem.DISK_FULL
    locked = explain(RuntimeError("(sqlite3.OperationalError) database is locked"), url)
    assert locked.problem is Problem.LOCKED and "another program" in locked.message


@pytest.mark.postgresql
def test_postgres_addresses_are_accepted_as_postgresql(pg_url):
    short = pg_url.replace("postgresql+psycopg://", "postgres://")
    services = open_services(short)
    assert services.db.engine.dialect.name == "postgresql"
    services.db.dispose()
