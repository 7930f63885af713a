"""The client list's context menu: a group for the selection in one step, the selection onto a recipient group."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QTableView
from pytestqt.qtbot import QtBot

from salon_desk.services import Services
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.choice_dialog import ChoiceDialog
from salon_desk.ui.clients.client_list_model import GROUP, NAME
from salon_desk.ui.clients.client_list_page import ClientListPage

NAMES = ("Adler", "Berg", "Cramer", "Dorn")


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    """Each test keeps its remembered columns in its own data folder."""
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def page(qtbot: QtBot, app_services: Services) -> ClientListPage:
    for name in NAMES:
        app_services.clients.create(ClientData(first_name="Eva", last_name=name))
    widget = ClientListPage(app_services, DataBus())
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.rowCount() == len(NAMES))
    return widget


def view(page: ClientListPage) -> QTableView:
    return page.view


def cell(page: ClientListPage, row: int, column: int) -> str:
    return str(page.model.index(row, column).data() or "")


def click_rows(qtbot: QtBot, page: ClientListPage, *rows: int) -> None:
    table = view(page)
    for n, row in enumerate(rows):
        rect = table.visualRect(page.model.index(row, NAME))
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def choose(monkeypatch, text: str) -> list[list[str]]:
    """ChoiceDialog picks the entry ``text``; returns the entries each dialog offered."""
    offered: list[list[str]] = []

    def pick(dialog: ChoiceDialog) -> int:
        entries = [dialog.list.item(n).text() for n in range(dialog.list.count())]
        offered.append(entries)
        dialog.choose(entries.index(text))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChoiceDialog, "exec", pick)
    return offered


def action(menu: QMenu, name: str):
    found = next((a for a in menu.actions() if a.objectName() == name), None)
    assert found is not None, name
    return found


def test_right_click_offers_the_actions_on_the_selection(qtbot: QtBot, page: ClientListPage):
    table = view(page)
    rect = table.visualRect(page.model.index(2, NAME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=rect.center())  # selects the row
    # QTest's clicks skip the window, which turns a right click into a context-menu event: send that one.
    where = rect.center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, table.viewport().mapToGlobal(where))
    QApplication.sendEvent(table.viewport(), event)
    menu = page.findChild(QMenu, "clientSelectionMenu")
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    assert [a.text() for a in menu.actions()] == [
        "Assign &group…", "Add to &recipient group…", "&Merge with another card…", "&Bulk actions"
    ]
    assert all(a.isEnabled() for a in menu.actions())
    assert page.selected_client_ids() == [page.model.client_id(2)]
    menu.close()


def test_assign_group_to_the_selection_in_one_step(qtbot: QtBot, page: ClientListPage, app_services, monkeypatch):
    app_services.groups.create(GroupData(name="Club"))
    page.bus.publish(app_services.groups.create(GroupData(name="Firma"))[1])
    offered = choose(monkeypatch, "Firma")
    click_rows(qtbot, page, 0, 2)
    action(page.selection_menu(), "assignGroupAction").trigger()
    assert offered == [["— no group —", "Club", "Firma"]]
    firma = next(g.id for g in app_services.groups.list() if g.name == "Firma")
    assert [app_services.clients.get(page.model.client_id(r)).data.group_id for r in range(4)] == [
        firma,
        None,
        firma,
        None,
    ]
    qtbot.waitUntil(lambda: [cell(page, r, GROUP) for r in range(4)] == ["Firma", "", "Firma", ""])
    page.view.sortByColumn(GROUP, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: [cell(page, r, GROUP) for r in range(4)] == ["Firma", "Firma", "", ""])


def test_add_the_selection_to_a_recipient_group(qtbot: QtBot, page: ClientListPage, app_services, monkeypatch):
    info, _ = app_services.recipients.create("Newsletter")
    choose(monkeypatch, "Newsletter (0)")
    click_rows(qtbot, page, 1, 3)
    action(page.selection_menu(), "addToRecipientsAction").trigger()
    assert app_services.recipients.members(info.id) == [page.model.client_id(1), page.model.client_id(3)]


def test_without_a_selection_the_actions_are_disabled(page: ClientListPage):
    page.view.clearSelection()
    # the bulk actions stay: they can act on the whole list
    assert [a.isEnabled() for a in page.selection_menu().actions()] == [False, False, False, True]
