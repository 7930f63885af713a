"""Screens follow the role (issue: a cashier is not walked through what the services would refuse)."""

from __future__ import annotations

import pytest
from helpers_staff import PINS, add_member
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.services.staff.staff import StaffInfo
from salon_desk.ui.main_window import MainWindow

MANAGER_ONLY = {"Categories", "Groups", "Catalogue", "Special offers", "Statistics", "Staff members", "Audit log"}
NEEDS_CLIENT_EDITING = {"Recipient groups", "Tasks", "Your data"}


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def team(app_services: Services) -> dict[str, StaffInfo]:
    return {
        "anna": add_member(app_services, "Anna", Role.MANAGER),
        "clara": add_member(app_services, "Clara", Role.CASHIER),
        "frank": add_member(app_services, "Frank", Role.FRONT_DESK),
    }


def sign_in(services: Services, member: StaffInfo, role: Role) -> None:
    services.workstation.actor = services.staff.sign_in(member.id, PINS[role])


def switch_to(qtbot: QtBot, window: MainWindow, member: StaffInfo, role: Role) -> None:
    """Ctrl+L's dialog, as a person uses it."""
    window.staff_controls.switch_action.trigger()
    dialog = window.staff_controls.switch_dialog
    combo = dialog.findChild(QComboBox, "signInMemberCombo")
    combo.setCurrentIndex(combo.findData(member.id))
    qtbot.keyClicks(dialog.findChild(QLineEdit, "signInPinEdit"), PINS[role])
    qtbot.mouseClick(dialog.findChild(QPushButton, "signInButton"), Qt.MouseButton.LeftButton)


def make_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    return window


def shown_pages(window: MainWindow) -> set[str]:
    return {window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()}


def button(window: MainWindow, page: str, name: str) -> QWidget:
    found = window.pages[page].findChild(QWidget, name)
    assert found is not None, name
    return found


def test_a_cashier_sees_only_the_clients_and_the_till(qtbot, app_services, team):
    sign_in(app_services, team["clara"], Role.CASHIER)
    window = make_window(qtbot, app_services)
    assert not shown_pages(window) & (MANAGER_ONLY | NEEDS_CLIENT_EDITING)
    assert {"Clients", "Checkout", "Till"} <= shown_pages(window)
    assert not window.new_client_action.isEnabled()
    export = button(window, "till", "openDsfinvkExportButton")
    assert not export.isEnabled() and "Manager" in export.toolTip()


def test_front_desk_edits_clients_but_not_prices_nor_backups(qtbot, app_services, team):
    sign_in(app_services, team["frank"], Role.FRONT_DESK)
    window = make_window(qtbot, app_services)
    assert not shown_pages(window) & MANAGER_ONLY
    assert NEEDS_CLIENT_EDITING <= shown_pages(window)
    assert window.new_client_action.isEnabled()
    window.show_page("data")
    for name in ("backupNowButton", "openRestoreButton", "backupFolderButton"):
        assert not button(window, "data", name).isEnabled(), name
    assert button(window, "data", "importClientsButton").isEnabled()
    window.show_page("recipients")
    assert not button(window, "recipients", "newRecipientGroupButton").isVisible()


def test_switching_user_updates_pages_buttons_and_forgets_the_search(qtbot, app_services, team):
    sign_in(app_services, team["anna"], Role.MANAGER)
    window = make_window(qtbot, app_services)
    assert MANAGER_ONLY <= shown_pages(window)
    export = button(window, "till", "openDsfinvkExportButton")
    assert export.isEnabled()
    search = window.pages["clients"].findChild(QLineEdit, "clientSearchEdit")
    qtbot.keyClicks(search, "Berger")
    window.statusBar().showMessage("Anna's last message")

    switch_to(qtbot, window, team["clara"], Role.CASHIER)
    assert not shown_pages(window) & MANAGER_ONLY
    assert not export.isEnabled()
    assert search.text() == ""
    assert window.statusBar().currentMessage() == ""

    switch_to(qtbot, window, team["anna"], Role.MANAGER)
    assert MANAGER_ONLY <= shown_pages(window) and export.isEnabled()
    assert export.toolTip() == ""


def test_a_cashier_may_look_at_a_card_but_is_not_invited_to_save_it(qtbot, app_services, team):
    from salon_desk.services.clients.clients import ClientData
    from salon_desk.ui.clients.client_card import ClientCardWindow

    card, _changes = app_services.clients.create(ClientData(first_name="Eva", last_name="Kasse"))
    sign_in(app_services, team["clara"], Role.CASHIER)
    window = make_window(qtbot, app_services)
    assert not button(window, "clients", "newClientButton").isEnabled()
    opened = ClientCardWindow(app_services, window.bus, card.id)
    qtbot.addWidget(opened)
    opened.show()
    save = opened.findChild(QPushButton, "saveClientButton")
    assert not save.isEnabled() and "Manager" in save.toolTip()
    opened.first_name_edit.setText("Evi")
    qtbot.keyClick(opened.first_name_edit, Qt.Key.Key_Return)  # Enter saves only where saving is allowed
    assert app_services.clients.get(card.id).data.first_name == "Eva"
    opened.first_name_edit.setText("Eva")  # unchanged again: closing asks nothing
