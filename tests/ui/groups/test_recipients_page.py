"""The recipient groups page: create, rename, delete, members; adding a client-list selection."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QListWidget, QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.services import Services
from salon_desk.services.clients.clients import ClientData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.choice_dialog import ChoiceDialog
from salon_desk.ui.groups.recipients_page import RecipientsPage, add_to_recipient_group


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def make_page(qtbot: QtBot, services: Services, bus: DataBus | None = None) -> RecipientsPage:
    page = RecipientsPage(services, bus or DataBus())
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    return page


def list_texts(widget: QListWidget) -> list[str]:
    return [widget.item(n).text() for n in range(widget.count())]


def member_rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[str(model.index(r, c).data()) for c in range(model.columnCount())] for r in range(model.rowCount())]


def answer_names(monkeypatch, *names: str) -> list[tuple[str, str]]:
    """QInputDialog.getText answers ``names`` in turn; returns (title, offered text) of each question."""
    answers = list(names)
    asked: list[tuple[str, str]] = []

    def get_text(parent, title, label, text=""):
        asked.append((title, text))
        return (answers.pop(0), True) if answers else ("", False)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return asked


def clients(services: Services, *names: str) -> list[int]:
    return [services.clients.create(ClientData(first_name="Eva", last_name=n, phone="030 1"))[0].id for n in names]


def test_create_rename_and_delete(qtbot: QtBot, app_services: Services, monkeypatch):
    page = make_page(qtbot, app_services)
    groups = child(page, "recipientGroupList")
    assert child(page, "recipientMembersTitle").text() == "No recipient group yet"
    assert not child(page, "renameRecipientGroupButton").isEnabled()
    answer_names(monkeypatch, "Newsletter Herbst")
    qtbot.mouseClick(child(page, "newRecipientGroupButton"), Qt.MouseButton.LeftButton)
    assert list_texts(groups) == ["Newsletter Herbst (0)"]
    assert child(page, "recipientMembersTitle").text() == "Members of “Newsletter Herbst”"

    asked = answer_names(monkeypatch, "Newsletter Winter")
    qtbot.mouseClick(child(page, "renameRecipientGroupButton"), Qt.MouseButton.LeftButton)
    assert asked == [("Rename recipient group", "Newsletter Herbst")]
    assert [g.name for g in app_services.recipients.list()] == ["Newsletter Winter"]
    assert list_texts(groups) == ["Newsletter Winter (0)"]

    questions: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda p, t, text, *a: questions.append(text) or QMessageBox.StandardButton.Yes
    )
    qtbot.mouseClick(child(page, "deleteRecipientGroupButton"), Qt.MouseButton.LeftButton)
    assert "Delete the recipient group “Newsletter Winter”?" in questions[0]
    assert app_services.recipients.list() == [] and list_texts(groups) == []


def test_a_refused_name_is_shown_and_offered_again(qtbot: QtBot, app_services: Services, monkeypatch):
    app_services.recipients.create("VIP")
    page = make_page(qtbot, app_services)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warnings.append(text))
    asked = answer_names(monkeypatch, " vip ", "VIP Sommer")
    qtbot.mouseClick(child(page, "newRecipientGroupButton"), Qt.MouseButton.LeftButton)
    assert warnings == ["A recipient group named “vip” already exists."]
    assert asked == [("New recipient group", ""), ("New recipient group", " vip ")]
    assert [g.name for g in app_services.recipients.list()] == ["VIP", "VIP Sommer"]


def test_members_listed_by_last_name_and_removed(qtbot: QtBot, app_services: Services):
    info, _ = app_services.recipients.create("Newsletter")
    ids = clients(app_services, "Zander", "Adler", "Müller")
    app_services.recipients.add_members(info.id, ids)
    page = make_page(qtbot, app_services)
    table = child(page, "recipientMembersTable")
    assert member_rows(table) == [["Eva Adler", "030 1", ""], ["Eva Müller", "030 1", ""], ["Eva Zander", "030 1", ""]]
    assert not child(page, "removeMembersButton").isEnabled()
    for row, modifier in ((0, Qt.KeyboardModifier.NoModifier), (2, Qt.KeyboardModifier.ControlModifier)):
        rect = table.visualRect(table.model().index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    qtbot.mouseClick(child(page, "removeMembersButton"), Qt.MouseButton.LeftButton)
    assert app_services.recipients.members(info.id) == [ids[2]]
    assert member_rows(table) == [["Eva Müller", "030 1", ""]]
    assert list_texts(child(page, "recipientGroupList")) == ["Newsletter (1)"]


def test_add_a_selection_to_an_existing_list(qtbot: QtBot, app_services: Services, monkeypatch):
    info, _ = app_services.recipients.create("Newsletter")
    ids = clients(app_services, "Adler", "Berg")
    bus = DataBus()
    page = make_page(qtbot, app_services, bus)
    offered: list[list[str]] = []

    def accept_default(dialog: ChoiceDialog) -> int:
        offered.append(list_texts(dialog.list))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChoiceDialog, "exec", accept_default)
    assert add_to_recipient_group(page, app_services, bus, ids) == info.id
    assert offered == [["New recipient group…", "Newsletter (0)"]]
    assert app_services.recipients.members(info.id) == ids
    assert member_rows(child(page, "recipientMembersTable"))[0][0] == "Eva Adler"  # the page followed the bus


def test_add_a_selection_to_a_new_list(qtbot: QtBot, app_services: Services, monkeypatch):
    ids = clients(app_services, "Adler")
    monkeypatch.setattr(ChoiceDialog, "exec", lambda dialog: (dialog.choose(0), QDialog.DialogCode.Accepted)[1])
    answer_names(monkeypatch, "Call list May")
    parent = QWidget()
    qtbot.addWidget(parent)
    group_id = add_to_recipient_group(parent, app_services, DataBus(), ids)
    assert [(g.id, g.name, g.member_count) for g in app_services.recipients.list()] == [(group_id, "Call list May", 1)]


def test_cancelled_choice_adds_nobody(qtbot: QtBot, app_services: Services, monkeypatch):
    info, _ = app_services.recipients.create("Newsletter")
    ids = clients(app_services, "Adler")
    monkeypatch.setattr(ChoiceDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert add_to_recipient_group(parent, app_services, DataBus(), ids) is None
    assert app_services.recipients.members(info.id) == []
