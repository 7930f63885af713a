"""Bulk actions from the client list through the real widgets: scope, count first, confirmation above 100."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QLabel, QMenu, QMessageBox, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from helpers_staff import signed_in
from marketing_world import build_world
from salon_desk.models import Category, Client, ClientCategory, RecipientGroupMember, Role
from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.clients.client_list_model import NAME
from salon_desk.ui.clients.client_list_page import ClientListPage
from salon_desk.ui.marketing.bulk_action_dialog import BulkActionDialog
from salon_desk.ui.marketing.call_list_dialog import CallListDialog

CLIENTS = 250


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def world(app_services: Services):
    return build_world(app_services, clients=CLIENTS)


@pytest.fixture
def page(qtbot: QtBot, app_services: Services, world) -> ClientListPage:
    widget = ClientListPage(app_services, DataBus())
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.count() == CLIENTS)
    return widget


@pytest.fixture
def questions(monkeypatch) -> list[str]:
    """Every confirmation asked, answered Yes."""
    asked: list[str] = []

    def answer(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


def drive(monkeypatch, cls, script) -> None:
    """``cls.exec()`` runs ``script`` on the shown dialog instead of waiting for a person."""

    def run(dialog) -> int:
        dialog.show()
        script(dialog)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", run)


def select_rows(qtbot: QtBot, page: ClientListPage, rows: range) -> list[int]:
    for n, row in enumerate(rows):
        rect = page.view.visualRect(page.model.index(row, NAME))
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    return page.selected_client_ids()


def trigger(page: ClientListPage, name: str) -> None:
    button = page.findChild(QPushButton, "bulkActionsButton")
    action = next(a for a in button.menu().actions() if a.objectName() == name)
    assert action.isEnabled()
    action.trigger()


def run_with(qtbot: QtBot, choice: str | None = None, whole_list: bool = False, until: bool = False):
    def script(dialog: BulkActionDialog) -> None:
        if whole_list:
            dialog.findChild(QRadioButton, "bulkScopeListRadio").setChecked(True)
        if choice is not None:
            combo = dialog.findChild(QComboBox, "bulkChoiceCombo")
            combo.setCurrentIndex(combo.findText(choice))
        if until:
            dialog.findChild(QCheckBox, "bulkValidUntilCheck").setChecked(True)
        script.count_text = dialog.findChild(QLabel, "bulkCountLabel").text()  # type: ignore[attr-defined]
        qtbot.mouseClick(dialog.findChild(QPushButton, "runBulkActionButton"), Qt.MouseButton.LeftButton)

    return script


def members(services: Services, category_name: str) -> tuple[int, int]:
    with services.db.read() as session:
        category = session.scalar(select(Category).where(Category.name == category_name))
        real = session.scalar(select(func.count()).where(ClientCategory.category_id == category.id))
        return category.client_count, real


def test_assign_a_category_to_the_selection_without_a_question(qtbot, page, app_services, monkeypatch, questions):
    app_services.categories.create(CategoryData(name="Reaktivierung"))
    ids = select_rows(qtbot, page, range(3))
    script = run_with(qtbot, "Reaktivierung", until=True)
    drive(monkeypatch, BulkActionDialog, script)
    trigger(page, "bulk_assign_categoryAction")
    assert script.count_text == "This affects 3 clients."
    assert questions == []  # 3 clients: no confirmation
    assert members(app_services, "Reaktivierung") == (3, 3)
    qtbot.waitUntil(lambda: "Reaktivierung" in page.model.index(0, 1).data())
    with app_services.db.read() as session:
        labels = set(session.scalars(select(Client.category_label).where(Client.id.in_(ids))))
    assert all("Reaktivierung" in label for label in labels)


def test_the_whole_list_above_100_asks_first_and_no_means_nothing_changes(qtbot, page, app_services, monkeypatch):
    app_services.categories.create(CategoryData(name="Reaktivierung"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    drive(monkeypatch, BulkActionDialog, run_with(qtbot, "Reaktivierung", whole_list=True))
    trigger(page, "bulk_assign_categoryAction")
    assert members(app_services, "Reaktivierung") == (0, 0)


def test_remove_set_group_and_recipients_on_the_whole_list(qtbot, page, app_services, world, monkeypatch, questions):
    drive(monkeypatch, BulkActionDialog, run_with(qtbot, "VIP", whole_list=True))
    trigger(page, "bulk_remove_categoryAction")
    assert members(app_services, "VIP") == (0, 0)
    assert questions[-1] == f"Take the category “VIP” from {CLIENTS} clients?"
    drive(monkeypatch, BulkActionDialog, run_with(qtbot, "Firma", whole_list=True))
    trigger(page, "bulk_set_groupAction")
    with app_services.db.read() as session:
        assert session.scalar(select(func.count()).where(Client.group_id == world.group_ids[0])) == CLIENTS
    drive(monkeypatch, BulkActionDialog, run_with(qtbot, "Sommer", whole_list=True))
    trigger(page, "bulk_add_recipientsAction")
    with app_services.db.read() as session:
        on_list = session.scalar(select(func.count()).where(RecipientGroupMember.recipient_group_id == world.recipient_group_ids[1]))
    assert on_list == CLIENTS
    assert len(questions) == 3


def test_export_csv_asks_for_a_file_and_writes_the_list(qtbot, page, app_services, monkeypatch, questions, tmp_path):
    target = tmp_path / "kunden.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    drive(monkeypatch, BulkActionDialog, run_with(qtbot, whole_list=True))
    trigger(page, "bulk_export_csvAction")
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == CLIENTS + 1


def test_front_desk_may_not_change_groups_or_export(qtbot, page, app_services):
    signed_in(app_services, Role.FRONT_DESK)
    menu: QMenu = page.findChild(QPushButton, "bulkActionsButton").menu()
    menu.aboutToShow.emit()
    enabled = {a.objectName(): a.isEnabled() for a in menu.actions() if a.objectName()}
    assert enabled["bulk_set_groupAction"] is False and enabled["bulk_export_csvAction"] is False
    assert enabled["bulk_assign_categoryAction"] is True and enabled["bulk_call_listAction"] is True


def test_call_list_from_the_selection_makes_tasks_and_a_pdf(qtbot, page, app_services, world, monkeypatch, questions):
    ids = select_rows(qtbot, page, range(12))
    dialogs: list[CallListDialog] = []

    def make(dialog: CallListDialog) -> None:
        dialogs.append(dialog)
        qtbot.mouseClick(dialog.findChild(QPushButton, "createCallListButton"), Qt.MouseButton.LeftButton)

    drive(monkeypatch, CallListDialog, make)
    trigger(page, "bulk_call_listAction")
    [dialog] = dialogs
    people = {p.id: p for p in world.people}
    callable_ = [i for i in ids if people[i].phone and people[i].phone_consent]
    assert len(app_services.tasks.list()) == len(callable_)
    assert dialog.pdf is not None and dialog.pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(str(dialog.pdf)).pages[0].extract_text().replace("\t", " ")
    for heading in ("Name", "Phone", "Last visit", "Categories", "Notes"):
        assert heading in text
    if callable_:
        assert people[callable_[0]].phone.split()[-1] in text
    summary = dialog.findChild(QLabel, "callListSummaryLabel").text()
    assert summary.startswith(f"{len(callable_)} task")
    if any(people[i].phone and not people[i].phone_consent for i in ids):
        assert "without phone consent" in summary
    assert questions == []


def test_a_service_call_list_includes_clients_without_phone_consent(qtbot, page, app_services, world, monkeypatch, questions):
    ids = select_rows(qtbot, page, range(12))

    def make(dialog: CallListDialog) -> None:
        dialog.findChild(QCheckBox, "callListServiceCheck").setChecked(True)
        qtbot.mouseClick(dialog.findChild(QPushButton, "createCallListButton"), Qt.MouseButton.LeftButton)

    drive(monkeypatch, CallListDialog, make)
    trigger(page, "bulk_call_listAction")
    people = {p.id: p for p in world.people}
    assert len(app_services.tasks.list()) == sum(1 for i in ids if people[i].phone)
    assert date.today() == app_services.tasks.list()[0].due_on
