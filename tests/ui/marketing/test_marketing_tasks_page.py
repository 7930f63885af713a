"""The tasks page and its navigation count, through the real widgets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QListWidget, QPlainTextEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from helpers_staff import add_member, signed_in
from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.services.clients.clients import ClientData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.main_window import MainWindow
from salon_desk.ui.marketing.tasks_page import TaskDoneDialog, TasksPage


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def tasks(app_services: Services) -> dict[str, int]:
    me = signed_in(app_services, Role.FRONT_DESK, "Lena")
    tom = add_member(app_services, "Tom", Role.FRONT_DESK)
    anna, _ = app_services.clients.create(ClientData(first_name="Anna", last_name="Albers", phone="0171 111"))
    ben, _ = app_services.clients.create(ClientData(first_name="Ben", last_name="Berg", phone="0171 222"))
    today = date.today()
    made = {
        "late": app_services.tasks.create(anna.id, "Rückruf", today - timedelta(days=3), me.staff_id)[0],
        "today": app_services.tasks.create(ben.id, "Termin bestätigen", today)[0],
        "tom": app_services.tasks.create(ben.id, "Angebot schicken", today + timedelta(days=2), tom.id)[0],
    }
    made["anna"], made["ben"] = anna.id, ben.id
    return made


def cells(table: QTableView, column: int) -> list[str]:
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_mine_or_everyones_by_due_date_overdue_in_red(qtbot: QtBot, app_services, tasks):
    page = TasksPage(app_services, DataBus())
    qtbot.addWidget(page)
    page.show()
    table = page.findChild(QTableView, "tasksTable")
    assert cells(table, 3) == ["Rückruf", "Termin bestätigen"]  # mine (and nobody's)
    assert cells(table, 0)[0].endswith("(overdue)") and not cells(table, 0)[1].endswith("(overdue)")
    assert table.model().index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#C62828")
    assert cells(table, 2) == ["0171 111", "0171 222"]
    combo = page.findChild(QComboBox, "taskScopeCombo")
    combo.setCurrentIndex(combo.findText("Everyone's"))
    assert cells(table, 3) == ["Rückruf", "Termin bestätigen", "Angebot schicken"]
    assert cells(table, 4)[2] == "Tom"


def test_done_with_an_outcome_and_open_the_card(qtbot: QtBot, app_services, tasks, monkeypatch):
    page = TasksPage(app_services, DataBus())
    qtbot.addWidget(page)
    page.show()
    table = page.findChild(QTableView, "tasksTable")
    table.selectRow(0)
    with qtbot.waitSignal(page.sig_open_client) as opened:
        qtbot.mouseClick(page.findChild(QPushButton, "openTaskClientButton"), Qt.MouseButton.LeftButton)
    assert opened.args == [tasks["anna"]]

    def answer(dialog: TaskDoneDialog) -> int:
        dialog.show()
        qtbot.keyClicks(dialog.findChild(QPlainTextEdit, "taskOutcomeEdit"), "Erreicht, kommt Freitag")
        qtbot.mouseClick(dialog.findChild(QPushButton, "taskDoneOkButton"), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(TaskDoneDialog, "exec", answer)
    qtbot.mouseClick(page.findChild(QPushButton, "doneTaskButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cells(table, 3) == ["Termin bestätigen"])
    done = [t for t in app_services.tasks.list(include_done=True) if t.id == tasks["late"]][0]
    assert done.outcome == "Erreicht, kommt Freitag" and done.done_at is not None


def test_the_navigation_counts_open_tasks_due_and_a_task_opens_the_card(qtbot: QtBot, app_services, tasks, monkeypatch):
    window = MainWindow(app_services)
    qtbot.addWidget(window)
    window.show()
    nav = window.findChild(QListWidget, "navigationList")
    item = nav.item(list(window.pages).index("tasks"))
    assert item.text() == "Tasks (2)"
    page = window.show_page("tasks")
    assert page.objectName() == "tasksPage"
    opened: list[int | None] = []
    monkeypatch.setattr(window.pages["clients"], "open_client", lambda client_id: opened.append(client_id))
    page.findChild(QTableView, "tasksTable").selectRow(1)
    qtbot.mouseClick(page.findChild(QPushButton, "openTaskClientButton"), Qt.MouseButton.LeftButton)
    assert opened == [tasks["ben"]]
    changes = app_services.tasks.mark_done(tasks["today"], "")
    window.bus.publish(changes)
    assert item.text() == "Tasks (1)"
