"""The manager approval dialog: manager, PIN and reason; refusals next to the field; the approval is logged."""

from __future__ import annotations

import pytest
from helpers_staff import PINS, add_member, signed_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.models import Role
from salon_desk.services.staff.approval import ApprovalPurpose
from salon_desk.services import Services
from salon_desk.services.staff.audit import AuditFilter
from salon_desk.ui.staff.approval_dialog import ApprovalDialog

ACTION = "Manual discount of 25 % on Balayage"


def child(widget: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def error(dialog: QWidget, field_widget: str) -> str:
    label = child(dialog, f"{field_widget}Error", QLabel)
    return label.text() if label.isVisibleTo(dialog) else ""


@pytest.fixture
def managers(app_services: Services) -> dict[str, int]:
    anna = add_member(app_services, "Anna", Role.MANAGER)
    bert = add_member(app_services, "Bert", Role.MANAGER, "24682468")
    gone = add_member(app_services, "Gone", Role.MANAGER, "11112222")
    app_services.staff.deactivate(gone.id)
    add_member(app_services, "Dora", Role.FRONT_DESK)
    signed_in(app_services, Role.CASHIER, "Clara")
    return {"anna": anna.id, "bert": bert.id}


def open_dialog(qtbot: QtBot, services: Services) -> ApprovalDialog:
    dialog = ApprovalDialog(services, ACTION, ApprovalPurpose.MANUAL_DISCOUNT, "20")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(qtbot: QtBot, dialog: ApprovalDialog, manager: int, pin: str, reason: str) -> None:
    combo = child(dialog, "approvalManagerCombo", QComboBox)
    combo.setCurrentIndex(combo.findData(manager))
    pin_edit = child(dialog, "approvalPinEdit", QLineEdit)
    pin_edit.clear()
    qtbot.keyClicks(pin_edit, pin)
    reason_combo = child(dialog, "approvalReasonCombo", QComboBox)
    reason_combo.setEditText("")
    qtbot.keyClicks(reason_combo.lineEdit(), reason)


def test_shows_the_action_active_managers_and_common_reasons(qtbot, app_services, managers):
    dialog = open_dialog(qtbot, app_services)
    assert ACTION in child(dialog, "approvalActionLabel", QLabel).text()
    combo = child(dialog, "approvalManagerCombo", QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Anna", "Bert"]
    reasons = child(dialog, "approvalReasonCombo", QComboBox)
    assert reasons.isEditable() and reasons.count() >= 5 and reasons.currentText() == ""
    assert child(dialog, "approvalPinEdit", QLineEdit).echoMode() is QLineEdit.EchoMode.Password


def test_a_right_pin_and_a_typed_reason_approve_and_are_logged(qtbot, app_services, managers):
    dialog = open_dialog(qtbot, app_services)
    fill(qtbot, dialog, managers["bert"], "24682468", "Hair colour went wrong last time")
    qtbot.mouseClick(child(dialog, "approveButton"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.approval is not None
    assert (dialog.approval.manager_name, dialog.approval.reason) == ("Bert", "Hair colour went wrong last time")
    app_services.workstation.actor = app_services.staff.sign_in(managers["anna"], PINS[Role.MANAGER])
    entry = app_services.audit.list(AuditFilter(action="approve"))[0]
    assert (entry.staff_name, entry.approved_by, entry.after) == ("Clara", "Bert", {"action": ACTION})


def test_a_picked_common_reason_is_enough(qtbot, app_services, managers):
    dialog = open_dialog(qtbot, app_services)
    fill(qtbot, dialog, managers["anna"], PINS[Role.MANAGER], "")
    child(dialog, "approvalReasonCombo", QComboBox).setCurrentIndex(0)
    qtbot.mouseClick(child(dialog, "approveButton"), Qt.MouseButton.LeftButton)
    assert dialog.approval is not None and dialog.approval.reason == "Complaint"


def test_wrong_pin_and_missing_reason_are_refused_next_to_their_fields(qtbot, app_services, managers):
    dialog = open_dialog(qtbot, app_services)
    fill(qtbot, dialog, managers["anna"], PINS[Role.MANAGER], "   ")
    qtbot.mouseClick(child(dialog, "approveButton"), Qt.MouseButton.LeftButton)
    assert error(dialog, "approvalReasonCombo") == "Please pick or type a reason."
    fill(qtbot, dialog, managers["anna"], "9999", "Complaint")
    qtbot.mouseClick(child(dialog, "approveButton"), Qt.MouseButton.LeftButton)
    assert error(dialog, "approvalPinEdit") == "The PIN is not correct."
    assert child(dialog, "approvalPinEdit", QLineEdit).text() == ""
    assert dialog.isVisible() and dialog.approval is None


def test_five_wrong_pins_lock_the_manager(qtbot, app_services, managers):
    dialog = open_dialog(qtbot, app_services)
    for _ in range(5):
        fill(qtbot, dialog, managers["anna"], "9999", "Complaint")
        qtbot.mouseClick(child(dialog, "approveButton"), Qt.MouseButton.LeftButton)
    assert error(dialog, "approvalPinEdit").startswith("Too many wrong PINs.")
    fill(qtbot, dialog, managers["anna"], PINS[Role.MANAGER], "Complaint")
    qtbot.mouseClick(child(dialog, "approveButton"), Qt.MouseButton.LeftButton)
    assert dialog.approval is None


def test_cancel_leaves_without_an_approval(qtbot, app_services, managers):
    dialog = open_dialog(qtbot, app_services)
    fill(qtbot, dialog, managers["anna"], PINS[Role.MANAGER], "Complaint")
    qtbot.mouseClick(child(dialog, "cancelApprovalButton"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.approval is None
