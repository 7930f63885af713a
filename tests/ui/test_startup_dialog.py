"""At start, a database that will not open gets a dialog with ways out; an uncaught error is logged and shown."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from salon_desk import paths
from salon_desk.services.startup import Problem, explain
from salon_desk.settings import Settings
from salon_desk.ui import application
from salon_desk.ui.startup_dialog import StartupProblemDialog, WayOut


@pytest.fixture
def damaged(tmp_path):
    bad = tmp_path / "salon.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    return bad


def answer_with(monkeypatch, *clicks: str) -> list[StartupProblemDialog]:
    """Answer each start-up dialog by clicking the named button; the dialogs shown."""
    shown: list[StartupProblemDialog] = []
    answers = list(clicks)

    def exec_(dialog: StartupProblemDialog) -> int:
        shown.append(dialog)
        dialog.findChild(QPushButton, answers.pop(0)).click()
        return 0

    monkeypatch.setattr(StartupProblemDialog, "exec", exec_)
    return shown


def test_a_damaged_file_shows_the_problem_and_quit_ends_the_start(qtbot, monkeypatch, damaged):
    shown = answer_with(monkeypatch, "quitButton")
    assert application.open_with_ways_out(f"sqlite:///{damaged}") is None
    label = shown[0].findChild(QLabel, "startupProblemLabel")
    assert "damaged" in label.text() and str(damaged) in label.text()
    assert shown[0].findChild(QPushButton, "restoreBackupButton").isVisibleTo(shown[0])
    assert damaged.read_bytes() == b"not a database" * 100


def test_choosing_another_database_opens_it_and_remembers_it(qtbot, monkeypatch, damaged, tmp_path):
    fresh = tmp_path / "neu.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fresh), ""))
    shown = answer_with(monkeypatch, "chooseDatabaseButton")
    services = application.open_with_ways_out(f"sqlite:///{damaged}")
    assert services is not None and services.db.file == fresh
    assert len(shown) == 1 and shown[0].way_out is WayOut.OTHER_DATABASE
    assert Settings.load().database_url == f"sqlite:///{fresh}"
    services.db.dispose()


def test_an_unreachable_server_offers_no_restore(qtbot):
    url = "postgresql+psycopg://salon@127.0.0.1:1/salondesk"
    try:
        application.open_services(url)
    except Exception as error:  # noqa: BLE001 - the failure itself is the subject
        problem = explain(error, url)
    assert problem.problem is Problem.SERVER_UNREACHABLE
    dialog = StartupProblemDialog(problem)
    qtbot.addWidget(dialog)
    assert not dialog.findChild(QPushButton, "restoreBackupButton").isVisibleTo(dialog)


def test_an_uncaught_error_is_logged_in_the_data_folder_and_shown(qtbot, monkeypatch):
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    monkeypatch.setattr("sys.excepthook", application.sys.excepthook)
    application.install_exception_hook()
    try:
        raise RuntimeError("Drucker nicht erreichbar")
    except RuntimeError as error:
        application.sys.excepthook(RuntimeError, error, error.__traceback__)
    log = (paths.home_dir() / "salon-desk.log").read_text(encoding="utf-8")
    assert "Drucker nicht erreichbar" in log and "Traceback" in log
    assert shown and "Drucker nicht erreichbar" in shown[0].text()
    assert "salon-desk.log" in shown[0].informativeText()


def test_what_the_start_built_stays_out_of_the_collectors_full_passes():
    """Objects alive when the window is up are kept for good (``gc.freeze``); what comes later is collected as ever."""
    import gc
    import weakref

    class Held:
        pass

    def cycle() -> Held:
        held = Held()
        held.me = held  # once unreferenced, only the cycle collector frees it
        return held

    started = cycle()
    from_the_start = weakref.ref(started)
    application.keep_the_start_out_of_collections()
    try:
        later = weakref.ref(cycle())
        del started  # garbage now, like a start's object dropped later
        gc.collect()
        assert from_the_start() is not None  # frozen at the start: the full pass does not look at it
        assert later() is None
    finally:
        gc.unfreeze()
    gc.collect()
    assert from_the_start() is None
