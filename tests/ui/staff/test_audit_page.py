"""The audit log page: rows with who/what/values, filters, paging while scrolling, CSV export, managers only."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal

import pytest
from helpers_staff import signed_in
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QFileDialog, QLabel, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from salon_desk.models import AuditEntry, Role, utcnow
from salon_desk.services import SYSTEM, Services
from salon_desk.services.staff.audit import PAGE, record
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.groups.groups import GroupData
from salon_desk.ui.staff.audit_page import AuditPage
from salon_desk.ui.staff.audit_table_model import ACTION, AFTER, BEFORE, RECORD, WHO
from salon_desk.ui.common.bus import DataBus


def child(widget: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def column(page: AuditPage, number: int) -> list[str]:
    view = child(page, "auditTable", QTableView)
    model = view.model()
    return [str(model.index(row, number).data()) for row in range(model.rowCount())]


def choose(page: AuditPage, name: str, text: str) -> None:
    combo = child(page, name, QComboBox)
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def make_page(qtbot: QtBot, services: Services, bus: DataBus | None = None) -> AuditPage:
    page = AuditPage(services, bus or DataBus())
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    return page


@pytest.fixture
def history(app_services: Services) -> Services:
    """Anna edits a category discount, Bert creates a group."""
    signed_in(app_services, Role.MANAGER, "Bert")
    app_services.groups.create(GroupData(name="Firma"))
    signed_in(app_services, Role.MANAGER, "Anna")
    vip = next(c for c in app_services.categories.list() if c.name == "VIP")
    app_services.categories.update(vip.id, vip.version, CategoryData(name="VIP", icon="crown", color="#C9A227",
                                                                     discount_percent=Decimal("15")))  # fmt: skip
    return app_services


def test_rows_show_who_did_what_with_the_changed_values(qtbot, history):
    page = make_page(qtbot, history)
    assert column(page, WHO) == ["Anna", "Salon Desk", "Bert", "Salon Desk"]  # the test created both members
    assert column(page, ACTION) == ["Changed", "Created", "Created", "Created"]
    assert column(page, RECORD) == ["Category", "Staff member", "Customer group", "Staff member"]
    assert column(page, BEFORE)[0] == "name: VIP; discount: —"
    assert column(page, AFTER)[0] == "name: VIP; discount: 15%"


def test_entries_show_the_client_name_then_and_german_field_names_and_money(qtbot, app_services):
    from salon_desk import i18n
    from salon_desk.services.clients.clients import ClientData
    from salon_desk.services.staff.audit import Action, Entity

    signed_in(app_services, Role.MANAGER, "Anna")
    card, _ = app_services.clients.create(ClientData(first_name="Eva", last_name="Klein", phone="0171 111"))
    app_services.clients.save(card.id, card.version, ClientData(first_name="Eva", last_name="Groß", phone="0171 222"))
    with app_services.db.transaction() as session:  # what cancelling a sale writes
        record(session, SYSTEM, Action.CANCEL, Entity.SALE, 5, {"number": 4, "total": "57.86"},
               {"reversal_id": 6, "number": 5, "total": "-57.86"}, reason="Falsch gebucht")  # fmt: skip
    i18n.set_language("de")
    page = make_page(qtbot, app_services)
    rows = [" | ".join(str(page.model.index(r, c).data()) for c in range(9)) for r in range(page.model.rowCount())]
    text = "\n".join(rows)
    assert "Kunde · Eva Groß" in text and "Kunde · Eva Klein" in text  # each entry with the name it had then
    assert "Nachname: Klein; Telefon: 0171 111" in text and "Nachname: Groß; Telefon: 0171 222" in text
    assert "Summe: −57,86 €" in text and "Summe: 57,86 €" in text
    for raw in ("reversal_id", "-57.86", "last_name", "phone:", "total"):
        assert raw not in text, raw


def test_filters_by_who_what_and_dates(qtbot, history):
    page = make_page(qtbot, history)
    choose(page, "auditWhoCombo", "Bert")
    assert column(page, RECORD) == ["Customer group"]
    choose(page, "auditWhoCombo", "Everyone")
    choose(page, "auditWhatCombo", "Staff member")
    assert column(page, WHO) == ["Salon Desk", "Salon Desk"]
    choose(page, "auditWhatCombo", "Everything")
    yesterday = date.today() - timedelta(days=1)
    child(page, "auditToEdit", QDateEdit).setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    assert column(page, WHO) == []


def test_old_entries_are_outside_the_default_thirty_days(qtbot, history):
    with history.db.transaction() as session:
        session.execute(update(AuditEntry).where(AuditEntry.entity == "group").values(at=utcnow() - timedelta(days=40)))
    page = make_page(qtbot, history)
    assert "Customer group" not in column(page, RECORD)
    older = date.today() - timedelta(days=60)
    child(page, "auditFromEdit", QDateEdit).setDate(QDate(older.year, older.month, older.day))
    assert "Customer group" in column(page, RECORD)


def test_new_entries_appear_after_a_save(qtbot, history):
    bus = DataBus()
    page = make_page(qtbot, history, bus)
    count = len(column(page, WHO))
    _info, changes = history.groups.create(GroupData(name="Verein"))
    bus.publish(changes)
    assert len(column(page, WHO)) == count + 1


def test_older_pages_load_while_scrolling(qtbot, history):
    with history.db.transaction() as session:
        for n in range(PAGE + 5):
            record(session, SYSTEM, "update", "setting", None, {"n": n}, {"n": n + 1})
    page = make_page(qtbot, history)
    view = child(page, "auditTable", QTableView)
    assert view.model().rowCount() == PAGE
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.model().rowCount() > PAGE)
    while view.model().canFetchMore():
        view.model().fetchMore()
    assert view.model().rowCount() == PAGE + 5 + 4  # and the four entries of the history


def test_export_writes_the_filtered_entries(qtbot, history, tmp_path, monkeypatch):
    target = tmp_path / "log"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV files (*.csv)"))
    page = make_page(qtbot, history)
    choose(page, "auditWhoCombo", "Anna")
    qtbot.mouseClick(child(page, "auditExportButton", QPushButton), Qt.MouseButton.LeftButton)
    written = tmp_path / "log.csv"
    lines = list(csv.reader(written.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0][:3] == ["Time", "Who", "Action"]
    assert [line[1] for line in lines[1:]] == ["Anna"]
    assert child(page, "auditMessageLabel", QLabel).text() == f"1 entry exported to {written}."


def test_export_cancelled_writes_nothing(qtbot, history, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    page = make_page(qtbot, history)
    qtbot.mouseClick(child(page, "auditExportButton", QPushButton), Qt.MouseButton.LeftButton)
    assert list(folder.iterdir()) == []
    assert not child(page, "auditMessageLabel", QLabel).isVisible()


def test_anyone_but_a_manager_is_told_which_role_is_needed(qtbot, history):
    signed_in(history, Role.FRONT_DESK, "Dora")
    page = make_page(qtbot, history)
    assert column(page, WHO) == []
    label = child(page, "auditMessageLabel", QLabel)
    assert label.isVisible() and label.text() == "This needs the role Manager."

