"""Crash safety: a process killed (SIGKILL) during a backup or an import leaves nothing half done."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[3]

IMPORT_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from data_files import write_csv
from salon_desk.services import open_services
from salon_desk.services.data import client_import
from salon_desk.services.data.import_files import read_table
from salon_desk.services.data.import_rows import ImportOptions, guess_mapping

rows = [["Vorname", "Nachname", "Telefon"]] + [["Kim", f"Kunde{{i}}", f"0171 {{i}}"] for i in range({rows})]
table = read_table(write_csv(Path({folder!r}) / "k.csv", rows))
services = open_services("sqlite:///" + {db!r})
original = client_import._new_ids
def reserving(session, count):
    print("writing", flush=True)  # the import's transaction has begun writing
    return original(session, count)
client_import._new_ids = reserving
client_import.ImportService(services.db).run(table, ImportOptions(guess_mapping(table.headers)))
print("done", flush=True)
"""

BACKUP_CHILD = """
from salon_desk.db import Database
from salon_desk.services.data import backups
backups.STEP_PAGES = 16  # many small steps: the copy is under way for a while
original = backups.BackupService._copy
def copying(self, partial):
    print("copying", flush=True)
    return original(self, partial)
backups.BackupService._copy = copying
backups.BackupService(Database("sqlite:///" + {db!r})).back_up("auto")
print("done", flush=True)
"""


def _kill_when(script: str, signal_line: str, delay: float, home: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SALON_DESK_HOME=str(home))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == signal_line, line
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait(timeout=30)
    return rest


def _integrity(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.execute("INSERT INTO client_search(client_search) VALUES ('integrity-check')")
        triggers = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "clients_search_ai" in triggers  # the import's deferred text index left the schema whole


@pytest.mark.parametrize("delay", [0.0, 0.4, 1.2])
def test_killed_import_leaves_no_partial_import(sqlite_template, tmp_path, delay):
    db = tmp_path / "salon.sqlite3"
    shutil.copy(sqlite_template, db)
    rows = 20_000
    script = IMPORT_CHILD.format(tests=str(ROOT / "tests"), rows=rows, folder=str(tmp_path), db=str(db))
    finished = "done" in _kill_when(script, "writing", delay, tmp_path / "home")
    _integrity(db)
    with sqlite3.connect(db) as connection:
        clients = connection.execute("SELECT count(*) FROM clients").fetchone()[0]
        runs = connection.execute("SELECT count(*) FROM import_runs").fetchone()[0]
        indexed = connection.execute("SELECT count(*) FROM client_search WHERE client_search MATCH 'kim'").fetchone()[0]
    assert (clients, runs, indexed) in ((0, 0, 0), (rows, 1, rows))
    assert finished == (clients == rows)


@pytest.mark.parametrize("delay", [0.05, 0.3])
def test_killed_backup_is_never_listed_as_good(app_services, tmp_path, monkeypatch, delay):
    home = tmp_path / "home"
    monkeypatch.setenv("SALON_DESK_HOME", str(home))
    with app_services.db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TEMP TABLE n(i)")
        connection.exec_driver_sql(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 30000) "
            "INSERT INTO clients (first_name, last_name, phone, email, street, postal_code, city, notes, "
            "email_consent, sms_consent, search_text, sort_name, category_label, version) "
            "SELECT 'Kim', 'Kunde' || i, '', '', printf('%0200d', i), '', '', '', 0, 0, 'kunde | kim', 'kunde', '', 1 "
            "FROM s"
        )
    app_services.db.dispose()
    from salon_desk.services.data.backups import BackupService

    script = BACKUP_CHILD.format(db=str(app_services.db.file))
    finished = "done" in _kill_when(script, "copying", delay, home)
    backups = BackupService(app_services.db)
    listed = backups.list()
    assert len(listed) == (1 if finished else 0)
    for copy in listed:
        backups.verify(copy.path)
    _integrity(app_services.db.file)
    result = backups.back_up()  # the next backup clears what the killed one left
    assert not list((home / "backups").glob("*.partial*"))
    assert backups.verify(result.backup.path)
