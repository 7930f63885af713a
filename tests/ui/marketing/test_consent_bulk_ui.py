"""The client list's bulk action "Mark as unsubscribed": count first, a question above 100, consent withdrawn."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from marketing_world import build_world
from salon_desk.models import Client, ConsentRecord
from salon_desk.services import Services
from salon_desk.ui.clients.client_list_model import NAME
from salon_desk.ui.clients.client_list_page import ClientListPage
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.marketing.bulk_action_dialog import BulkActionDialog

CLIENTS = 120


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def page(qtbot: QtBot, app_services: Services) -> ClientListPage:
    build_world(app_services, clients=CLIENTS)
    widget = ClientListPage(app_services, DataBus())
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.count() == CLIENTS)
    return widget


def run_unsubscribe(qtbot: QtBot, page: ClientListPage, monkeypatch, whole_list: bool) -> dict[str, str]:
    seen: dict[str, str] = {}

    def run(dialog: BulkActionDialog) -> int:
        dialog.show()
        if whole_list:
            dialog.findChild(QRadioButton, "bulkScopeListRadio").setChecked(True)
        seen["count"] = dialog.findChild(QLabel, "bulkCountLabel").text()
        combo = dialog.findChild(QComboBox, "bulkChoiceCombo")
        seen["choice_shown"] = str(combo is not None and combo.isVisible())
        qtbot.mouseClick(dialog.findChild(QPushButton, "runBulkActionButton"), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(BulkActionDialog, "exec", run)
    button = page.findChild(QPushButton, "bulkActionsButton")
    action = next(a for a in button.menu().actions() if a.objectName() == "bulk_unsubscribeAction")
    assert action.text() == "Mark as unsubscribed…" and action.isEnabled()
    action.trigger()
    return seen


def counts(services: Services) -> tuple[int, int, int]:
    with services.db.read() as session:
        return (
            session.scalar(select(func.count()).where(Client.email_unsubscribed_at.is_not(None))),
            session.scalar(select(func.count()).where(Client.email_consent.is_(True))),
            session.scalar(select(func.count()).where(ConsentRecord.source == "unsubscribe")),
        )


def test_the_selection_is_unsubscribed_without_a_question(qtbot, page, app_services, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    for n in range(2):
        rect = page.view.visualRect(page.model.index(n, NAME))
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    ids = page.selected_client_ids()
    seen = run_unsubscribe(qtbot, page, monkeypatch, whole_list=False)
    assert seen == {"count": "This affects 2 clients.", "choice_shown": "False"}
    assert asked == []
    assert counts(app_services)[0] == 2
    for client_id in ids:
        assert app_services.consent.current(client_id).unsubscribed_at is not None


def test_the_whole_list_above_100_asks_first(qtbot, page, app_services, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    run_unsubscribe(qtbot, page, monkeypatch, whole_list=True)
    assert counts(app_services)[0] == 0  # "No": nothing changed
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    run_unsubscribe(qtbot, page, monkeypatch, whole_list=True)
    assert asked == [f"Mark {CLIENTS} clients as unsubscribed from email? This withdraws their email consent."]
    assert counts(app_services) == (CLIENTS, 0, CLIENTS)
