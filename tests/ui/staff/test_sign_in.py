"""Sign-in, first start, switching the person, locking (by hand and when idle) through real widgets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers_staff import PINS, add_member
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.models import Role
from salon_desk.services import SYSTEM, Services
from salon_desk.services.staff.staff import StaffInfo
from salon_desk.ui import application
from salon_desk.ui.staff.first_manager_dialog import FirstManagerDialog
from salon_desk.ui.staff.idle_lock import IdleLock
from salon_desk.ui.main_window import MainWindow
from salon_desk.ui.staff.sign_in_dialog import SignInDialog, SignInMode

WRONG = "The PIN is not correct."


def child(widget: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot: QtBot, widget: QWidget, name: str) -> None:
    qtbot.mouseClick(child(widget, name), Qt.MouseButton.LeftButton)


def type_pin(qtbot: QtBot, dialog: QWidget, name: str, pin: str) -> None:
    edit = child(dialog, name, QLineEdit)
    edit.clear()
    qtbot.keyClicks(edit, pin)


def choose(dialog: QWidget, member: StaffInfo) -> None:
    combo = child(dialog, "signInMemberCombo", QComboBox)
    combo.setCurrentIndex(combo.findData(member.id))


def message(dialog: QWidget) -> str:
    label = child(dialog, "signInMessageLabel", QLabel)
    return label.text() if label.isVisibleTo(dialog) else ""


@pytest.fixture
def team(app_services: Services) -> dict[str, StaffInfo]:
    return {
        "anna": add_member(app_services, "Anna", Role.MANAGER),
        "clara": add_member(app_services, "Clara", Role.CASHIER),
        "gone": add_member(app_services, "Gone", Role.FRONT_DESK),
    }


def open_dialog(qtbot: QtBot, services: Services, mode: SignInMode = SignInMode.START) -> SignInDialog:
    dialog = SignInDialog(services, mode)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_lists_active_members_and_accepts_only_digits(qtbot, app_services, team):
    app_services.staff.deactivate(team["gone"].id)
    dialog = open_dialog(qtbot, app_services)
    combo = child(dialog, "signInMemberCombo", QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Anna (Manager)", "Clara (Cashier)"]
    pin = child(dialog, "signInPinEdit", QLineEdit)
    assert pin.echoMode() is QLineEdit.EchoMode.Password
    qtbot.keyClicks(pin, "1a2b3")
    assert pin.text() == "123"
    assert not child(dialog, "signInButton").isEnabled()
    qtbot.keyClicks(pin, "4567890")
    assert pin.text() == "12345678"  # at most eight digits
    assert child(dialog, "signInButton").isEnabled()


def test_right_pin_signs_in_and_sets_the_workstation(qtbot, app_services, team):
    dialog = open_dialog(qtbot, app_services)
    choose(dialog, team["clara"])
    type_pin(qtbot, dialog, "signInPinEdit", PINS[Role.CASHIER])
    with qtbot.waitSignal(dialog.sig_signed_in) as signed:
        click(qtbot, dialog, "signInButton")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert signed.args[0].name == "Clara"
    assert app_services.workstation.actor == signed.args[0]


def test_wrong_pin_says_only_that_the_pin_is_wrong(qtbot, app_services, team):
    dialog = open_dialog(qtbot, app_services)
    choose(dialog, team["anna"])
    type_pin(qtbot, dialog, "signInPinEdit", "0000")
    qtbot.keyClick(child(dialog, "signInPinEdit"), Qt.Key.Key_Return)
    assert message(dialog) == WRONG
    assert child(dialog, "signInPinEdit", QLineEdit).text() == ""
    assert dialog.isVisible() and app_services.workstation.actor == SYSTEM
    app_services.staff.deactivate(team["clara"].id)  # deactivated at another desk while the list was open
    choose(dialog, team["clara"])
    type_pin(qtbot, dialog, "signInPinEdit", PINS[Role.CASHIER])
    click(qtbot, dialog, "signInButton")
    assert message(dialog) == WRONG


def test_five_wrong_pins_lock_the_member(qtbot, app_services, team):
    dialog = open_dialog(qtbot, app_services)
    choose(dialog, team["clara"])
    for _ in range(5):
        type_pin(qtbot, dialog, "signInPinEdit", "0000")
        click(qtbot, dialog, "signInButton")
    assert message(dialog) == "Too many wrong PINs. Please try again in 5 minutes or ask a manager."
    type_pin(qtbot, dialog, "signInPinEdit", PINS[Role.CASHIER])
    click(qtbot, dialog, "signInButton")
    assert "Too many wrong PINs" in message(dialog)
    assert app_services.workstation.actor == SYSTEM
    choose(dialog, team["anna"])  # another person is not affected
    type_pin(qtbot, dialog, "signInPinEdit", PINS[Role.MANAGER])
    click(qtbot, dialog, "signInButton")
    assert app_services.workstation.actor.name == "Anna"


def test_a_locked_workstation_cannot_be_closed_without_a_pin(qtbot, app_services, team):
    dialog = open_dialog(qtbot, app_services, SignInMode.LOCK)
    assert dialog.findChild(QPushButton, "cancelSignInButton") is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert dialog.isVisible()
    choose(dialog, team["anna"])
    type_pin(qtbot, dialog, "signInPinEdit", PINS[Role.MANAGER])
    click(qtbot, dialog, "signInButton")
    assert not dialog.isVisible() and app_services.workstation.actor.name == "Anna"


def test_first_start_creates_the_manager_after_the_pin_was_typed_twice(qtbot, app_services):
    dialog = FirstManagerDialog(app_services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(child(dialog, "firstManagerNameEdit"), "Anna Berger")
    type_pin(qtbot, dialog, "firstManagerPinEdit", "482913")
    type_pin(qtbot, dialog, "firstManagerPinRepeatEdit", "482914")
    click(qtbot, dialog, "createManagerButton")
    assert child(dialog, "firstManagerPinRepeatEditError", QLabel).text().startswith("The two PINs are not the same")
    assert app_services.staff.first_manager_needed()
    type_pin(qtbot, dialog, "firstManagerPinRepeatEdit", "482913")
    click(qtbot, dialog, "createManagerButton")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (app_services.workstation.actor.name, app_services.workstation.actor.role) == ("Anna Berger", Role.MANAGER)
    assert not app_services.staff.first_manager_needed()


def when_modal(handle: Callable[[QWidget], None]) -> None:
    """Answer the next modal dialog with ``handle`` once it is shown."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        handle(dialog)

    QTimer.singleShot(0, answer)


def test_start_asks_for_the_first_manager_then_for_a_pin(qtbot, app_services):
    def first_manager(dialog: QWidget) -> None:
        assert dialog.objectName() == "firstManagerDialog"
        qtbot.keyClicks(child(dialog, "firstManagerNameEdit"), "Anna")
        type_pin(qtbot, dialog, "firstManagerPinEdit", "2580")
        type_pin(qtbot, dialog, "firstManagerPinRepeatEdit", "2580")
        click(qtbot, dialog, "createManagerButton")

    when_modal(first_manager)
    assert application.sign_in_at_start(app_services)
    app_services.workstation.actor = SYSTEM

    def quit_at_sign_in(dialog: QWidget) -> None:
        assert dialog.objectName() == "signInDialog"
        click(qtbot, dialog, "cancelSignInButton")

    when_modal(quit_at_sign_in)
    assert not application.sign_in_at_start(app_services)
    assert app_services.workstation.actor == SYSTEM


def make_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    return window


def nav_titles(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]


def test_switch_user_shows_the_person_and_hides_manager_pages(qtbot, app_services, team):
    app_services.workstation.actor = app_services.staff.sign_in(team["anna"].id, PINS[Role.MANAGER])
    window = make_window(qtbot, app_services)
    window.show_page("audit")
    assert child(window, "signedInLabel", QLabel).text() == "Anna · Manager"
    assert {"Staff members", "Audit log"} <= set(nav_titles(window))
    window.staff_controls.switch_action.trigger()
    dialog = window.staff_controls.switch_dialog
    choose(dialog, team["clara"])
    type_pin(qtbot, dialog, "signInPinEdit", PINS[Role.CASHIER])
    click(qtbot, dialog, "signInButton")
    assert child(window, "signedInLabel", QLabel).text() == "Clara · Cashier"
    assert "Staff members" not in nav_titles(window) and "Audit log" not in nav_titles(window)
    assert window.stack.currentWidget() is window.pages["clients"]


def test_lock_hides_the_window_until_someone_signs_in(qtbot, app_services, team):
    app_services.workstation.actor = app_services.staff.sign_in(team["clara"].id, PINS[Role.CASHIER])
    window = make_window(qtbot, app_services)
    window.staff_controls.lock_action.trigger()
    dialog = window.staff_controls.lock_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    assert not window.centralWidget().isVisible()
    window.staff_controls.lock_action.trigger()  # a second lock changes nothing
    assert window.staff_controls.lock_dialog is dialog
    choose(dialog, team["anna"])
    type_pin(qtbot, dialog, "signInPinEdit", "1111")
    click(qtbot, dialog, "signInButton")
    assert window.staff_controls.is_locked() and message(dialog) == WRONG
    type_pin(qtbot, dialog, "signInPinEdit", PINS[Role.MANAGER])
    click(qtbot, dialog, "signInButton")
    assert not window.staff_controls.is_locked()
    assert window.centralWidget().isVisible()
    assert child(window, "signedInLabel", QLabel).text() == "Anna · Manager"


def test_idle_time_locks_the_window_and_input_postpones_it(qtbot, app_services, team):
    app_services.workstation.actor = app_services.staff.sign_in(team["anna"].id, PINS[Role.MANAGER])
    window = make_window(qtbot, app_services)
    idle = IdleLock(app_services, window)
    window.staff_controls.install_idle_lock(idle)
    assert idle.timer.interval() == 5 * 60_000  # the default five minutes
    idle.set_timeout_ms(3000)
    for _ in range(3):  # typing starts the count again (read from the timer: a loaded machine is slow)
        qtbot.wait(500)
        before = idle.timer.remainingTime()
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
        assert idle.timer.remainingTime() > before
        assert not window.staff_controls.is_locked()
    idle.set_timeout_ms(200)
    qtbot.waitUntil(window.staff_controls.is_locked, timeout=5000)
    assert window.staff_controls.lock_dialog.isVisible()
    idle.uninstall()


def test_idle_lock_off_and_changed_setting_is_picked_up(qtbot, app_services, team):
    app_services.workstation.actor = app_services.staff.sign_in(team["anna"].id, PINS[Role.MANAGER])
    window = make_window(qtbot, app_services)
    idle = IdleLock(app_services, window)
    window.staff_controls.install_idle_lock(idle)
    changes = app_services.staff.set_idle_lock_minutes(0)
    window.bus.publish(changes)
    assert not idle.is_counting()
    window.bus.publish(app_services.staff.set_idle_lock_minutes(2))
    assert idle.is_counting() and idle.timer.interval() == 120_000
    idle.uninstall()


def shows_in_full(label: QLabel) -> bool:
    """The label is as tall as its wrapped text needs, inside its window."""
    window = label.window()
    bottom = label.mapTo(window, label.rect().bottomLeft()).y()
    return label.height() >= label.heightForWidth(label.width()) and bottom <= window.height()


def test_first_start_names_the_first_wrong_field_and_shows_two_lines_in_full(qtbot, app_services):
    i18n.set_language("de")
    dialog = FirstManagerDialog(app_services)
    qtbot.addWidget(dialog)
    dialog.show()
    type_pin(qtbot, dialog, "firstManagerPinEdit", "12")
    type_pin(qtbot, dialog, "firstManagerPinRepeatEdit", "13")
    click(qtbot, dialog, "createManagerButton")
    assert child(dialog, "firstManagerNameEditError", QLabel).isVisibleTo(dialog)  # the name comes first
    assert not child(dialog, "firstManagerPinRepeatEditError", QLabel).isVisibleTo(dialog)
    qtbot.keyClicks(child(dialog, "firstManagerNameEdit"), "Anna")
    click(qtbot, dialog, "createManagerButton")
    assert not child(dialog, "firstManagerNameEditError", QLabel).isVisibleTo(dialog)
    assert child(dialog, "firstManagerPinEditError", QLabel).isVisibleTo(dialog)  # then the PIN, then the repeat
    type_pin(qtbot, dialog, "firstManagerPinEdit", "2580")
    click(qtbot, dialog, "createManagerButton")
    label = child(dialog, "firstManagerPinRepeatEditError", QLabel)
    assert label.text().startswith("Die beiden PINs")
    qtbot.waitUntil(lambda: shows_in_full(label))


def test_the_lock_screen_shows_the_lock_out_message_in_full(qtbot, app_services, team):
    i18n.set_language("de")
    dialog = open_dialog(qtbot, app_services, SignInMode.LOCK)
    choose(dialog, team["anna"])
    for _ in range(6):
        type_pin(qtbot, dialog, "signInPinEdit", "9999")
        click(qtbot, dialog, "signInButton")
    label = child(dialog, "signInMessageLabel", QLabel)
    assert label.text().startswith("Zu viele falsche PINs")
    qtbot.waitUntil(lambda: shows_in_full(label))
