"""The client check-in screen: identification that reveals nothing, offers by group, joining a group."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.kinds import ItemKind
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.groups.check_in import NOT_FOUND
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.groups.check_in_window import MAX_TRIES, CheckInWindow
from salon_desk.ui.main_window import MainWindow

TODAY = date.today()


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def texts(widget: QListWidget) -> list[str]:
    return [widget.item(n).text() for n in range(widget.count())]


@pytest.fixture
def salon(app_services: Services) -> dict[str, int]:
    """A member-only item on offer, an offer for everyone, an open group and a club with a password."""
    club = app_services.groups.create(GroupData(name="Club", self_assignable=True, password="club-2026"))[0].id
    open_group = app_services.groups.create(GroupData(name="Friends", self_assignable=True, description="Free"))[0].id
    app_services.groups.create(GroupData(name="Staff"))
    cut = app_services.catalog.create_item(ItemData("Cut", ItemKind.SERVICE, Decimal(40)))[0].id
    care = app_services.catalog.create_item(
        ItemData("Club care", ItemKind.SERVICE, Decimal(30), restricted_to=frozenset({club}))
    )[0].id
    week = TODAY + timedelta(days=7)
    app_services.catalog.create_offer(OfferData("May", frozenset({cut, care}), TODAY, week, percent_off=Decimal(25)))
    anna = app_services.clients.create(
        ClientData(first_name="Anna", last_name="Müller", phone="0171 1234567", email="anna@example.de")
    )[0].id
    ben = app_services.clients.create(ClientData(first_name="Ben", last_name="Koch", phone="030 555", group_id=club))[
        0
    ].id
    return {"club": club, "open": open_group, "anna": anna, "ben": ben}


def make_window(qtbot: QtBot, services: Services, bus: DataBus | None = None) -> CheckInWindow:
    window = CheckInWindow(services, bus or DataBus())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window


def check_in(qtbot: QtBot, window: CheckInWindow, contact: str, last_name: str) -> None:
    for name, text in (("checkInContactEdit", contact), ("checkInLastNameEdit", last_name)):
        edit = child(window, name)
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(child(window, "checkInButton"), Qt.MouseButton.LeftButton)


def choose_group(qtbot: QtBot, window: CheckInWindow, name: str) -> None:
    groups = child(window, "checkInGroupList")
    row = [t.split("\n")[0] for t in texts(groups)].index(name)
    rect = groups.visualItemRect(groups.item(row))
    qtbot.mouseClick(groups.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_client_identifies_and_sees_only_offers_for_everyone(qtbot: QtBot, app_services: Services, salon):
    window = make_window(qtbot, app_services)
    assert window.objectName() == "checkInWindow"
    check_in(qtbot, window, "+49 171 1234567", "mueller")
    assert window.stack.currentIndex() == 1
    assert child(window, "checkInGreeting").text() == "Hello, Anna!"
    assert child(window, "checkInGroupLabel").text() == "You are not in a customer group yet."
    offers = texts(child(window, "checkInOfferList"))
    assert len(offers) == 1 and offers[0].startswith("Cut\n€30.00 instead of €40.00 · May")
    assert texts(child(window, "checkInGroupList")) == ["Club\nWith a password (ask at the desk)", "Friends\nFree"]


def test_member_sees_the_item_restricted_to_their_group(qtbot: QtBot, app_services: Services, salon):
    window = make_window(qtbot, app_services)
    check_in(qtbot, window, "030 555", "Koch")
    assert child(window, "checkInGroupLabel").text() == "You are in the customer group “Club”."
    assert [t.split("\n")[0] for t in texts(child(window, "checkInOfferList"))] == ["Club care", "Cut"]
    assert [t.split("\n")[0] for t in texts(child(window, "checkInGroupList"))] == ["Friends"]


@pytest.mark.parametrize(
    ("contact", "last_name"),
    [("0171 1234567", "Meier"), ("0171 7654321", "Müller"), ("anna@example.com", "Müller"), ("030 555", "Müller")],
)
def test_every_failed_identification_shows_the_same_message(
    qtbot: QtBot, app_services: Services, salon, contact: str, last_name: str
):
    window = make_window(qtbot, app_services)
    contact_edit = child(window, "checkInContactEdit")
    qtbot.keyClicks(contact_edit, contact)
    child(window, "checkInLastNameEdit").setText(last_name)
    qtbot.keyClick(contact_edit, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == 0
    error = child(window, "checkInError")
    assert error.isVisible() and error.text() == NOT_FOUND
    assert "Anna" not in error.text() and "Koch" not in error.text()


def test_repeated_failures_pause_the_form(qtbot: QtBot, app_services: Services, salon):
    window = make_window(qtbot, app_services)
    window.pause_timer.setInterval(200)
    for _ in range(MAX_TRIES):
        check_in(qtbot, window, "0171 0000000", "Nobody")
    button = child(window, "checkInButton")
    assert not button.isEnabled()
    assert child(window, "checkInError").text() == "Please wait a moment before trying again, or ask at the desk."
    qtbot.waitUntil(button.isEnabled, timeout=2000)
    check_in(qtbot, window, "0171 1234567", "Muller")
    assert window.stack.currentIndex() == 1


def test_joining_an_open_group_needs_no_password(qtbot: QtBot, app_services: Services, salon):
    bus = DataBus()
    published = []
    bus.sig_data_changed.connect(published.append)
    window = make_window(qtbot, app_services, bus)
    check_in(qtbot, window, "anna@example.de", "MULLER")
    assert not child(window, "checkInJoinButton").isEnabled()
    choose_group(qtbot, window, "Friends")
    assert not child(window, "checkInPasswordEdit").isVisible()
    qtbot.mouseClick(child(window, "checkInJoinButton"), Qt.MouseButton.LeftButton)
    assert app_services.clients.get(salon["anna"]).data.group_id == salon["open"]
    assert child(window, "checkInJoinMessage").text() == "Welcome to “Friends”! Your group prices apply from now on."
    assert child(window, "checkInGroupLabel").text() == "You are in the customer group “Friends”."
    assert published[0].clients == frozenset({salon["anna"]})


def test_wrong_passwords_then_lock_out(qtbot: QtBot, app_services: Services, salon):
    window = make_window(qtbot, app_services)
    check_in(qtbot, window, "0171 1234567", "Mueller")
    choose_group(qtbot, window, "Club")
    password = child(window, "checkInPasswordEdit")
    message: QLabel = child(window, "checkInJoinMessage")  # type: ignore[assignment]
    assert password.isVisible()
    for _ in range(4):
        qtbot.keyClicks(password, "guess")
        qtbot.keyClick(password, Qt.Key.Key_Return)
        assert message.text() == "The password is not correct."
        assert password.text() == ""
    qtbot.keyClicks(password, "guess")
    qtbot.mouseClick(child(window, "checkInJoinButton"), Qt.MouseButton.LeftButton)
    assert message.text() == "Too many wrong passwords. Please try again in 15 minutes or ask at the desk."
    qtbot.keyClicks(password, "club-2026")
    qtbot.keyClick(password, Qt.Key.Key_Return)
    assert message.text().startswith("Too many wrong passwords.")
    assert app_services.clients.get(salon["anna"]).data.group_id is None


def test_right_password_joins(qtbot: QtBot, app_services: Services, salon):
    window = make_window(qtbot, app_services)
    check_in(qtbot, window, "0171 1234567", "Mueller")
    choose_group(qtbot, window, "Club")
    qtbot.keyClicks(child(window, "checkInPasswordEdit"), "club-2026")
    qtbot.keyClick(child(window, "checkInPasswordEdit"), Qt.Key.Key_Return)
    assert app_services.clients.get(salon["anna"]).data.group_id == salon["club"]
    assert [t.split("\n")[0] for t in texts(child(window, "checkInOfferList"))] == ["Club care", "Cut"]


def test_done_and_idle_time_forget_the_client(qtbot: QtBot, app_services: Services, salon):
    window = make_window(qtbot, app_services)
    check_in(qtbot, window, "0171 1234567", "Mueller")
    qtbot.mouseClick(child(window, "checkInDoneButton"), Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == 0 and window.client is None
    assert child(window, "checkInContactEdit").text() == "" and child(window, "checkInLastNameEdit").text() == ""
    assert texts(child(window, "checkInOfferList")) == []
    window.idle_timer.setInterval(100)
    check_in(qtbot, window, "0171 1234567", "Mueller")
    assert window.stack.currentIndex() == 1
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 0, timeout=2000)
    assert window.client is None and texts(child(window, "checkInGroupList")) == []


def test_main_window_opens_the_check_in_screen_full_screen(qtbot: QtBot, app_services: Services):
    main = MainWindow(app_services)
    qtbot.addWidget(main)
    main.check_in_action.trigger()
    window = main.findChild(QWidget, "checkInWindow")
    assert isinstance(window, CheckInWindow)
    assert window.isVisible() and window.isFullScreen() and window.isWindow()
    main.check_in_action.trigger()
    assert main.findChildren(CheckInWindow) == [window]


def test_a_shared_phone_and_last_name_asks_for_the_first_name(qtbot: QtBot, app_services: Services, salon):
    app_services.clients.create(ClientData(first_name="Lea", last_name="Koch", phone="+49 30 555"))
    window = make_window(qtbot, app_services)
    check_in(qtbot, window, "030 555", "Koch")
    assert window.stack.currentIndex() == 0
    assert "Please add your first name" in child(window, "checkInError").text()
    assert window.focusWidget() is child(window, "checkInFirstNameEdit")
    qtbot.keyClicks(child(window, "checkInFirstNameEdit"), "Ben")
    qtbot.mouseClick(child(window, "checkInButton"), Qt.MouseButton.LeftButton)
    assert child(window, "checkInGreeting").text() == "Hello, Ben!"
