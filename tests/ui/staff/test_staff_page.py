"""The staff page: the table, New/Edit/Deactivate/Reset PIN dialogs and the rules box, driven through widgets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers_staff import PINS, add_member, signed_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.services.staff.staff import WrongPinError
from salon_desk.errors import LockedError
from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.staff.staff_page import StaffPage


def child(widget: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot: QtBot, widget: QWidget, name: str) -> None:
    qtbot.mouseClick(child(widget, name), Qt.MouseButton.LeftButton)


def shown_error(widget: QWidget, name: str) -> str:
    label = child(widget, f"{name}Error", QLabel)
    return label.text() if label.isVisibleTo(widget) else ""


def rows(page: StaffPage) -> list[list[str]]:
    table = child(page, "staffTable", QTableWidget)
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def select(qtbot: QtBot, page: StaffPage, name: str) -> None:
    table = child(page, "staffTable", QTableWidget)
    row = [r[0] for r in rows(page)].index(name)
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_into(qtbot: QtBot, widget: QWidget, name: str, text: str) -> None:
    edit = child(widget, name, QLineEdit)
    edit.clear()
    qtbot.keyClicks(edit, text)


@pytest.fixture
def page(qtbot: QtBot, app_services: Services) -> StaffPage:
    signed_in(app_services, Role.MANAGER, "Anna")
    add_member(app_services, "Clara", Role.CASHIER)
    widget = StaffPage(app_services, DataBus())
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


def test_table_lists_people_with_role_and_status(page, app_services):
    assert rows(page) == [["Anna", "Manager", "Active"], ["Clara", "Cashier", "Active"]]
    assert not child(page, "editStaffButton").isEnabled()


def test_new_member_needs_the_pin_twice_and_then_can_sign_in(qtbot, page, app_services):
    click(qtbot, page, "newStaffButton")
    dialog = page.dialog
    type_into(qtbot, dialog, "staffNameEdit", "Dora Fink")
    role = child(dialog, "staffRoleCombo", QComboBox)
    role.setCurrentIndex(role.findText("Front desk"))
    type_into(qtbot, dialog, "staffPinEdit", "73917391")
    type_into(qtbot, dialog, "staffPinRepeatEdit", "7391")
    click(qtbot, dialog, "saveStaffButton")
    assert shown_error(dialog, "staffPinRepeatEdit").startswith("The two PINs are not the same")
    type_into(qtbot, dialog, "staffPinRepeatEdit", "73917391")
    click(qtbot, dialog, "saveStaffButton")
    assert not dialog.isVisible()
    assert ["Dora Fink", "Front desk", "Active"] in rows(page)
    dora = next(m for m in app_services.staff.list() if m.name == "Dora Fink")
    assert app_services.staff.sign_in(dora.id, "73917391").role is Role.FRONT_DESK


def test_a_short_pin_and_a_taken_name_are_refused_next_to_their_fields(qtbot, page):
    click(qtbot, page, "newStaffButton")
    dialog = page.dialog
    type_into(qtbot, dialog, "staffNameEdit", "clara")
    type_into(qtbot, dialog, "staffPinEdit", "123")
    type_into(qtbot, dialog, "staffPinRepeatEdit", "123")
    click(qtbot, dialog, "saveStaffButton")
    assert shown_error(dialog, "staffPinEdit") == "The PIN must have 4 to 8 digits."
    type_into(qtbot, dialog, "staffPinEdit", "1234")
    type_into(qtbot, dialog, "staffPinRepeatEdit", "1234")
    click(qtbot, dialog, "saveStaffButton")
    assert shown_error(dialog, "staffNameEdit") == "A staff member named “clara” already exists."
    assert dialog.isVisible() and len(rows(page)) == 2


def test_edit_changes_the_role_but_never_removes_the_last_manager(qtbot, page):
    select(qtbot, page, "Anna")
    click(qtbot, page, "editStaffButton")
    dialog = page.dialog
    assert child(dialog, "staffNameEdit", QLineEdit).text() == "Anna"
    assert dialog.findChild(QLineEdit, "staffPinEdit") is None  # the PIN is changed only by Reset PIN
    role = child(dialog, "staffRoleCombo", QComboBox)
    role.setCurrentIndex(role.findText("Cashier"))
    click(qtbot, dialog, "saveStaffButton")
    assert "at least one active manager" in shown_error(dialog, "staffRoleCombo")
    dialog.reject()
    select(qtbot, page, "Clara")
    click(qtbot, page, "editStaffButton")
    dialog = page.dialog
    role = child(dialog, "staffRoleCombo", QComboBox)
    role.setCurrentIndex(role.findText("Manager"))
    click(qtbot, dialog, "saveStaffButton")
    assert ["Clara", "Manager", "Active"] in rows(page)


def test_deactivate_asks_first_and_reactivate_brings_the_person_back(qtbot, page, app_services, monkeypatch):
    questions: list[str] = []

    def answer(parent, title, text, *args):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    select(qtbot, page, "Clara")
    click(qtbot, page, "deactivateStaffButton")
    assert "audit log stay" in questions[0]
    assert ["Clara", "Cashier", "Deactivated"] in rows(page)
    button = child(page, "deactivateStaffButton", QPushButton)
    assert button.text().replace("&", "") == "Reactivate"
    assert [m.name for m in app_services.staff.list(include_inactive=False)] == ["Anna"]
    click(qtbot, page, "deactivateStaffButton")
    assert ["Clara", "Cashier", "Active"] in rows(page)


def test_deactivating_the_last_manager_is_refused_with_a_message(qtbot, page, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: errors.append(text))
    select(qtbot, page, "Anna")
    click(qtbot, page, "deactivateStaffButton")
    assert errors and "at least one active manager" in errors[0]
    assert ["Anna", "Manager", "Active"] in rows(page)


def test_reset_pin_replaces_the_pin_and_lifts_the_lock(qtbot, page, app_services):
    clara = next(m for m in app_services.staff.list() if m.name == "Clara")
    for _ in range(5):
        with pytest.raises((WrongPinError, LockedError)):
            app_services.staff.sign_in(clara.id, "0000")
    page.reload()
    assert rows(page)[1][2].startswith("Locked until")
    select(qtbot, page, "Clara")
    click(qtbot, page, "resetPinButton")
    dialog = page.dialog
    type_into(qtbot, dialog, "newPinEdit", "86428642")
    type_into(qtbot, dialog, "newPinRepeatEdit", "86428642")
    click(qtbot, dialog, "savePinButton")
    assert not dialog.isVisible()
    assert rows(page)[1] == ["Clara", "Cashier", "Active"]
    with pytest.raises(WrongPinError):
        app_services.staff.sign_in(clara.id, PINS[Role.CASHIER])
    assert app_services.staff.sign_in(clara.id, "86428642").name == "Clara"


def test_rules_change_the_discount_limits_and_the_idle_time(qtbot, page, app_services):
    assert child(page, "limitCashierEdit", QLineEdit).text() == "10"
    assert child(page, "limitManagerEdit", QLineEdit).text() == "100"
    type_into(qtbot, page, "limitCashierEdit", "12.5")
    spin = child(page, "idleMinutesSpin", QSpinBox)
    spin.setValue(0)
    assert spin.text() == "Never"
    click(qtbot, page, "saveRulesButton")
    assert app_services.staff.manual_discount_limit(Role.CASHIER) == Decimal("12.50")
    assert app_services.staff.idle_lock_minutes() == 0
    type_into(qtbot, page, "limitFrontDeskEdit", "101")
    click(qtbot, page, "saveRulesButton")
    assert shown_error(page, "limitFrontDeskEdit") == "The limit must be a percentage between 0 and 100."
    type_into(qtbot, page, "limitFrontDeskEdit", "zehn")
    click(qtbot, page, "saveRulesButton")
    assert shown_error(page, "limitFrontDeskEdit") == "Please enter a percentage between 0 and 100."
    assert app_services.staff.manual_discount_limit(Role.FRONT_DESK) == Decimal("10")


def test_a_front_desk_member_is_told_which_role_is_needed(qtbot, page, app_services, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: errors.append(text))
    app_services.workstation.actor = signed_in(app_services, Role.FRONT_DESK, "Dora")
    click(qtbot, page, "newStaffButton")
    dialog = page.dialog
    type_into(qtbot, dialog, "staffNameEdit", "Eve")
    type_into(qtbot, dialog, "staffPinEdit", "1234")
    type_into(qtbot, dialog, "staffPinRepeatEdit", "1234")
    click(qtbot, dialog, "saveStaffButton")
    assert errors == ["This needs the role Manager."]
    type_into(qtbot, page, "limitCashierEdit", "50")
    click(qtbot, page, "saveRulesButton")
    assert errors[-1] == "This needs the role Manager."
    assert app_services.staff.manual_discount_limit(Role.CASHIER) == Decimal("10")
    assert "Eve" not in [m.name for m in app_services.staff.list()]
