"""The groups page: the table, the group editor with its password, deleting, the price grid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.kinds import ItemKind
from salon_desk.models import CustomerGroup
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData, GroupInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.choice_dialog import ChoiceDialog
from salon_desk.ui.groups.group_editor_dialog import GroupEditorDialog
from salon_desk.ui.groups.group_prices_page import FIRST_GROUP
from salon_desk.ui.groups.groups_page import GroupsPage, assign_group


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def make_page(qtbot: QtBot, services: Services) -> GroupsPage:
    page = GroupsPage(services, DataBus())
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    return page


def cells(view: QTableView, row: int) -> list[str]:
    return [str(view.model().index(row, c).data() or "") for c in range(view.model().columnCount())]


def rows(view: QTableView) -> list[list[str]]:
    return [cells(view, r) for r in range(view.model().rowCount())]


def click_cell(qtbot: QtBot, view: QTableView, row: int, column: int) -> None:
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def double_click_cell(qtbot: QtBot, view: QTableView, row: int, column: int) -> None:
    click_cell(qtbot, view, row, column)
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def tick(qtbot: QtBot, check: QWidget) -> None:
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))


def open_editor(qtbot: QtBot, page: GroupsPage, button: str) -> GroupEditorDialog:
    qtbot.mouseClick(child(page, button), Qt.MouseButton.LeftButton)
    dialog = page.editor
    assert dialog is not None and dialog.isVisible()
    return dialog


def save(qtbot: QtBot, dialog: GroupEditorDialog) -> None:
    qtbot.mouseClick(child(dialog, "saveGroupButton"), Qt.MouseButton.LeftButton)


def group(services: Services, name: str) -> GroupInfo:
    return next(g for g in services.groups.list() if g.name == name)


def stored_hash(services: Services, group_id: int) -> str | None:
    with services.db.read() as session:
        return session.get(CustomerGroup, group_id).password_hash


def visible_texts(widget: QWidget) -> list[str]:
    found = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QLineEdit) if w.isVisible()]
    return found + [widget.windowTitle()]


def test_table_shows_members_self_assignment_and_only_a_password_indicator(qtbot: QtBot, app_services: Services):
    club, _ = app_services.groups.create(
        GroupData(name="Club", description="Stamm", self_assignable=True, password="geheim-1")
    )
    firma, _ = app_services.groups.create(GroupData(name="Firma"))
    for name in ("A", "B"):
        app_services.clients.create(ClientData(last_name=name, group_id=club.id))
    page = make_page(qtbot, app_services)
    table = child(page, "groupsTable")
    assert rows(table) == [["Club", "Stamm", "✓", "set", "2"], ["Firma", "", "", "—", "0"]]
    assert all("geheim" not in text for row in rows(table) for text in row)
    assert firma.member_count == 0


def test_new_group_with_password_saved_as_hash(qtbot: QtBot, app_services: Services):
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newGroupButton")
    qtbot.keyClicks(child(dialog, "groupNameEdit"), "Stammkundenclub")
    assert not child(dialog, "groupPasswordButton").isEnabled()  # only with self-assignment
    tick(qtbot, child(dialog, "groupSelfAssignCheck"))
    qtbot.mouseClick(child(dialog, "groupPasswordButton"), Qt.MouseButton.LeftButton)
    password, repeat = child(dialog, "groupPasswordEdit"), child(dialog, "groupPasswordRepeatEdit")
    assert password.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(password, "club-2026")
    qtbot.keyClicks(repeat, "club-2026")
    save(qtbot, dialog)

    assert not dialog.isVisible()
    saved = group(app_services, "Stammkundenclub")
    assert saved.self_assignable and saved.has_password
    assert stored_hash(app_services, saved.id).startswith("$argon2")
    table = child(page, "groupsTable")
    assert cells(table, table.selectionModel().selectedRows()[0].row())[:4] == ["Stammkundenclub", "", "✓", "set"]


def test_editor_shows_that_a_password_is_set_never_the_password(qtbot: QtBot, app_services: Services):
    app_services.groups.create(GroupData(name="Club", self_assignable=True, password="geheim-1"))
    page = make_page(qtbot, app_services)
    click_cell(qtbot, child(page, "groupsTable"), 0, 0)
    dialog = open_editor(qtbot, page, "editGroupButton")
    assert child(dialog, "groupPasswordStatus").text() == "A password is set. Clients must enter it to join."
    assert child(dialog, "groupPasswordButton").text() == "&Change password…"
    assert not child(dialog, "groupPasswordEdit").isVisible()
    assert all("geheim" not in text and "argon" not in text for text in visible_texts(dialog))


def test_password_changed_then_removed(qtbot: QtBot, app_services: Services):
    club, _ = app_services.groups.create(GroupData(name="Club", self_assignable=True, password="alt-1234"))
    old_hash = stored_hash(app_services, club.id)
    page = make_page(qtbot, app_services)
    click_cell(qtbot, child(page, "groupsTable"), 0, 0)
    dialog = open_editor(qtbot, page, "editGroupButton")
    qtbot.mouseClick(child(dialog, "groupPasswordButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(dialog, "groupPasswordEdit"), "neu-5678")
    qtbot.keyClicks(child(dialog, "groupPasswordRepeatEdit"), "neu-5678")
    save(qtbot, dialog)
    assert stored_hash(app_services, club.id) not in (None, old_hash)
    client, _ = app_services.clients.create(ClientData(last_name="Neu"))
    app_services.groups.join(client.id, club.id, "neu-5678")  # the new password is the one that works
    assert app_services.clients.get(client.id).data.group_id == club.id
    dialog = open_editor(qtbot, page, "editGroupButton")
    qtbot.mouseClick(child(dialog, "removePasswordButton"), Qt.MouseButton.LeftButton)
    assert "will be removed" in child(dialog, "groupPasswordStatus").text()
    save(qtbot, dialog)
    assert stored_hash(app_services, club.id) is None
    assert cells(child(page, "groupsTable"), 0)[3] == "—"


def test_different_or_short_passwords_are_refused_next_to_the_field(qtbot: QtBot, app_services: Services):
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newGroupButton")
    qtbot.keyClicks(child(dialog, "groupNameEdit"), "Club")
    tick(qtbot, child(dialog, "groupSelfAssignCheck"))
    qtbot.mouseClick(child(dialog, "groupPasswordButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(dialog, "groupPasswordEdit"), "abcdef")
    qtbot.keyClicks(child(dialog, "groupPasswordRepeatEdit"), "abcdeg")
    save(qtbot, dialog)
    error = child(dialog, "groupPasswordEditError")
    assert error.isVisible() and error.text() == "The two passwords are not the same. Please type them again."
    child(dialog, "groupPasswordEdit").setText("abc")
    child(dialog, "groupPasswordRepeatEdit").setText("abc")
    save(qtbot, dialog)
    assert error.text() == "The password must have at least 4 characters."
    assert dialog.isVisible() and app_services.groups.list() == []
    assert child(dialog, "groupNameEdit").text() == "Club"


def test_duplicate_name_is_refused_next_to_the_name(qtbot: QtBot, app_services: Services):
    app_services.groups.create(GroupData(name="Firma"))
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newGroupButton")
    qtbot.keyClicks(child(dialog, "groupNameEdit"), " firma ")
    save(qtbot, dialog)
    assert child(dialog, "groupNameEditError").text() == "A group named “firma” already exists."
    assert len(app_services.groups.list()) == 1


def test_delete_names_the_members_and_keeps_them(qtbot: QtBot, app_services: Services, monkeypatch):
    club, _ = app_services.groups.create(GroupData(name="Club"))
    item, _ = app_services.catalog.create_item(
        ItemData("Club-Pflege", ItemKind.SERVICE, Decimal(30), restricted_to=frozenset({club.id}))
    )
    client, _ = app_services.clients.create(ClientData(last_name="Bleibt", group_id=club.id))
    asked: list[str] = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page = make_page(qtbot, app_services)
    click_cell(qtbot, child(page, "groupsTable"), 0, 0)
    qtbot.mouseClick(child(page, "deleteGroupButton"), Qt.MouseButton.LeftButton)
    assert "Its 1 member keeps the client card and pays list prices again." in asked[0]
    assert "“Club-Pflege” is sold only to this group; afterwards everyone can buy it." in asked[0]
    assert app_services.groups.list() == []
    assert child(page, "groupsTable").model().rowCount() == 0
    assert app_services.clients.get(client.id).data.last_name == "Bleibt"
    assert item.id in {i.id for i in app_services.catalog.list_items()}


def test_delete_answered_no_keeps_the_group(qtbot: QtBot, app_services: Services, monkeypatch):
    app_services.groups.create(GroupData(name="Club"))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    page = make_page(qtbot, app_services)
    click_cell(qtbot, child(page, "groupsTable"), 0, 0)
    qtbot.mouseClick(child(page, "deleteGroupButton"), Qt.MouseButton.LeftButton)
    assert [g.name for g in app_services.groups.list()] == ["Club"]


# -- the price grid ----------------------------------------------------------------------


@pytest.fixture
def priced(app_services: Services) -> tuple[int, int, int]:
    cut = app_services.catalog.create_item(ItemData("Schnitt", ItemKind.SERVICE, Decimal(49)))[0].id
    app_services.catalog.create_item(ItemData("Shampoo", ItemKind.PRODUCT, Decimal("12.90")))
    club = app_services.groups.create(GroupData(name="Club"))[0].id
    firma = app_services.groups.create(GroupData(name="Firma"))[0].id
    app_services.groups.set_price(firma, cut, Decimal(42))
    return cut, club, firma


def grid(page: GroupsPage) -> QTableView:
    view = child(page, "groupPricesTable")
    assert isinstance(view, QTableView)
    return view


def type_into_cell(qtbot: QtBot, view: QTableView, row: int, column: int, text: str) -> None:
    double_click_cell(qtbot, view, row, column)
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]  # closed ones linger hidden
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QTableView.State.EditingState)  # the delegate commits queued


def test_grid_shows_items_against_groups_empty_for_list_price(qtbot: QtBot, app_services: Services, priced):
    page = make_page(qtbot, app_services)
    view = grid(page)
    headers = [view.model().headerData(c, Qt.Orientation.Horizontal) for c in range(view.model().columnCount())]
    assert headers == ["Item", "Kind", "List price", "Club", "Firma"]
    assert rows(view) == [["Schnitt", "Service", "€49.00", "", "€42.00"], ["Shampoo", "Product", "€12.90", "", ""]]
    tip = view.model().index(0, FIRST_GROUP).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Empty: members pay the list price (€49.00)."
    i18n.set_language("de")
    page = make_page(qtbot, app_services)
    assert [r[2:] for r in rows(grid(page))] == [["49,00\xa0€", "", "42,00\xa0€"], ["12,90\xa0€", "", ""]]


def test_typing_a_price_in_the_locale_format_saves_it(qtbot: QtBot, app_services: Services, priced):
    i18n.set_language("de")
    cut, club, firma = priced
    page = make_page(qtbot, app_services)
    view = grid(page)
    type_into_cell(qtbot, view, 0, FIRST_GROUP, "39,90")
    assert app_services.groups.prices(club) == {cut: Decimal("39.90")}
    qtbot.waitUntil(lambda: cells(view, 0)[FIRST_GROUP] == "39,90\xa0€")
    assert not child(page, "groupPriceError").isVisible()
    type_into_cell(qtbot, view, 0, FIRST_GROUP + 1, "1.234,5")
    assert app_services.groups.prices(firma) == {cut: Decimal("1234.50")}


def test_emptying_a_cell_or_pressing_delete_restores_the_list_price(qtbot: QtBot, app_services: Services, priced):
    cut, club, firma = priced
    app_services.groups.set_price(club, cut, Decimal(40))
    page = make_page(qtbot, app_services)
    view = grid(page)
    type_into_cell(qtbot, view, 0, FIRST_GROUP + 1, "")
    assert app_services.groups.prices(firma) == {}
    click_cell(qtbot, view, 0, FIRST_GROUP)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert app_services.groups.prices(club) == {}
    qtbot.waitUntil(lambda: cells(view, 0)[FIRST_GROUP:] == ["", ""])


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        (
            "en",
            "39.9x",
            (
                "“39.9x” is not a price (Schnitt, group “Firma”). Type an amount such as 39.90, "
                "or leave the cell empty for the list price. Nothing was saved."
            ),
        ),
        ("en", "-5", "Schnitt, group “Firma”: A price must be a number of at least 0,00 €."),
        ("en", "12.345", "Schnitt, group “Firma”: A price may have at most two decimal places (cents)."),
    ],
)
def test_wrong_price_names_item_and_group_and_saves_nothing(
    qtbot: QtBot, app_services: Services, priced, language: str, typed: str, message: str
):
    i18n.set_language(language)
    cut, club, firma = priced
    page = make_page(qtbot, app_services)
    view = grid(page)
    type_into_cell(qtbot, view, 0, FIRST_GROUP + 1, typed)
    error = child(page, "groupPriceError")
    assert error.isVisible() and error.text() == message
    assert app_services.groups.prices(firma) == {cut: Decimal("42.00")}
    assert app_services.groups.prices(club) == {}
    assert cells(view, 0)[FIRST_GROUP + 1] == "€42.00"


def test_grid_follows_new_groups_and_items(qtbot: QtBot, app_services: Services, priced):
    bus = DataBus()
    page = GroupsPage(app_services, bus)
    qtbot.addWidget(page)
    _info, changes = app_services.groups.create(GroupData(name="Azubis"))
    bus.publish(changes)
    assert grid(page).model().headerData(FIRST_GROUP, Qt.Orientation.Horizontal) == "Azubis"
    assert [r[0] for r in rows(child(page, "groupsTable"))] == ["Azubis", "Club", "Firma"]
    _item, changes = app_services.catalog.create_item(ItemData("Bart", ItemKind.SERVICE, Decimal(15)))
    bus.publish(changes)
    assert [r[0] for r in rows(grid(page))] == ["Bart", "Schnitt", "Shampoo"]


# -- assigning a group to a selection of clients -------------------------------------------


def test_assign_group_to_clients_in_one_step(qtbot: QtBot, app_services: Services, monkeypatch):
    club, _ = app_services.groups.create(GroupData(name="Club"))
    ids = [app_services.clients.create(ClientData(last_name=n))[0].id for n in ("A", "B", "C")]
    shown: list[ChoiceDialog] = []

    def choose_club(dialog: ChoiceDialog) -> int:
        shown.append(dialog)
        entries = [dialog.list.item(n).text() for n in range(dialog.list.count())]
        assert entries == ["— no group —", "Club"]
        dialog.choose(1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChoiceDialog, "exec", choose_club)
    bus = DataBus()
    published = []
    bus.sig_data_changed.connect(published.append)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert assign_group(parent, app_services, bus, ids[:2])
    assert shown[0].objectName() == "assignGroupDialog"
    assert [app_services.clients.get(i).data.group_id for i in ids] == [club.id, club.id, None]
    assert published and published[0].clients == frozenset(ids[:2])

    monkeypatch.setattr(ChoiceDialog, "exec", lambda dialog: (dialog.choose(0), QDialog.DialogCode.Accepted)[1])
    assert assign_group(parent, app_services, bus, ids[:1])
    assert app_services.clients.get(ids[0]).data.group_id is None
