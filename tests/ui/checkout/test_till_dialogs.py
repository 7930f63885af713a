"""The till's dialogs in German: the manual discount and the manager's approval of a discount or a cancellation."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from helpers_staff import PINS, add_member, signed_in
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.services.staff.approval import ApprovalPurpose
from salon_desk.ui.checkout.manual_discount_dialog import ManualDiscountDialog
from salon_desk.ui.staff.approval_dialog import ApprovalDialog


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    yield
    i18n.set_language("en")


def shown_whole(dialog: QDialog, label: QLabel) -> bool:
    """The label is visible with all its lines, inside the dialog."""
    bottom = label.mapTo(dialog, QPoint(0, label.height())).y()
    return label.isVisible() and label.height() >= label.heightForWidth(label.width()) and bottom <= dialog.height()


def open_discount(qtbot: QtBot, limit: str = "10") -> ManualDiscountDialog:
    dialog = ManualDiscountDialog("Rabatt auf „Färben (komplett)“", "Clara", Decimal(limit))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def error(dialog: QWidget, name: str) -> QLabel:
    label = dialog.findChild(QLabel, f"{name}Error")
    assert label is not None
    return label


def test_the_limit_hint_shows_both_lines_in_full(qtbot: QtBot, german: None) -> None:
    dialog = open_discount(qtbot)
    qtbot.keyClicks(dialog.percent_edit, "25")
    hint = dialog.findChild(QLabel, "manualLimitHint")
    assert hint.text().startswith("Über Ihrer Grenze von 10")
    assert hint.heightForWidth(hint.width()) >= 2 * hint.fontMetrics().height()  # two lines or more
    assert shown_whole(dialog, hint)


def test_wrong_percentage_and_missing_reason_show_in_field_order_and_go_when_corrected(
    qtbot: QtBot, german: None
) -> None:
    dialog = open_discount(qtbot)
    qtbot.keyClicks(dialog.percent_edit, "zehn")
    dialog.reason_combo.setEditText("")
    dialog.save_and_accept()
    percent, reason = error(dialog, "manualPercentEdit"), error(dialog, "manualReasonCombo")
    assert dialog.errors.shown() == ["percent", "reason"]
    assert "„zehn“ ist keine Zahl" in percent.text() and reason.text() == "Bitte wählen Sie einen Grund für den Rabatt oder geben Sie einen ein."
    assert shown_whole(dialog, percent) and shown_whole(dialog, reason)
    assert percent.mapTo(dialog, QPoint()).y() < reason.mapTo(dialog, QPoint()).y()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted

    dialog.percent_edit.clear()
    qtbot.keyClicks(dialog.percent_edit, "15")
    assert not percent.isVisible() and reason.isVisible()
    dialog.reason_combo.setCurrentIndex(0)
    assert not reason.isVisible()
    dialog.save_and_accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.discount is not None and dialog.discount.reason == "Reklamation"


def test_the_discount_reasons_are_offered_and_the_field_says_what_to_do(qtbot: QtBot, german: None) -> None:
    dialog = open_discount(qtbot)
    items = [dialog.reason_combo.itemText(i) for i in range(dialog.reason_combo.count())]
    assert "Reklamation" in items and "Falsche Position" not in items
    assert dialog.reason_combo.currentText() == ""
    assert dialog.reason_combo.lineEdit().placeholderText() == "Grund wählen oder eingeben"


@pytest.fixture
def manager(app_services: Services) -> int:
    anna = add_member(app_services, "Anna", Role.MANAGER)
    signed_in(app_services, Role.CASHIER, "Clara")
    return anna.id


def open_approval(qtbot: QtBot, services: Services, purpose: ApprovalPurpose, reason: str = "") -> ApprovalDialog:
    subject = "20" if purpose is ApprovalPurpose.MANUAL_DISCOUNT else 7
    dialog = ApprovalDialog(services, "Beleg Nr. 7 stornieren", purpose, subject, None, reason)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def reasons(dialog: ApprovalDialog) -> list[str]:
    combo = dialog.findChild(QComboBox, "approvalReasonCombo")
    return [combo.itemText(i) for i in range(combo.count())]


def test_cancelling_a_sale_offers_cancellation_reasons(
    qtbot: QtBot, app_services: Services, manager: int, german: None
) -> None:
    cancel = open_approval(qtbot, app_services, ApprovalPurpose.CANCEL_SALE)
    assert reasons(cancel)[:2] == ["Falsche Position", "Falscher Betrag oder falsche Menge"]
    assert {"Kunde hat es sich anders überlegt", "Doppelt gebucht", "Sonstiges"} <= set(reasons(cancel))
    assert "Reklamation" not in reasons(cancel)
    discount = open_approval(qtbot, app_services, ApprovalPurpose.MANUAL_DISCOUNT)
    assert "Reklamation" in reasons(discount) and "Doppelt gebucht" not in reasons(discount)


def test_empty_pin_and_reason_are_named_together_in_field_order(
    qtbot: QtBot, app_services: Services, manager: int, german: None
) -> None:
    dialog = open_approval(qtbot, app_services, ApprovalPurpose.CANCEL_SALE)
    dialog.approve_and_accept()
    assert dialog.errors.shown() == ["pin", "reason"]
    pin, reason = error(dialog, "approvalPinEdit"), error(dialog, "approvalReasonCombo")
    assert pin.text() == "Bitte geben Sie die PIN der Managerin oder des Managers ein."
    assert shown_whole(dialog, pin) and shown_whole(dialog, reason)
    qtbot.keyClicks(dialog.pin_edit, "9")
    assert dialog.errors.shown() == ["reason"]
    dialog.reason_combo.setCurrentIndex(2)
    assert dialog.errors.shown() == []


def test_the_reason_the_cashier_gave_stands_in_the_approval(
    qtbot: QtBot, app_services: Services, manager: int
) -> None:
    dialog = open_approval(qtbot, app_services, ApprovalPurpose.MANUAL_DISCOUNT, "Hair colour went wrong")
    assert dialog.reason() == "Hair colour went wrong"
    qtbot.keyClicks(dialog.pin_edit, PINS[Role.MANAGER])
    dialog.approve_and_accept()
    assert dialog.approval is not None and dialog.approval.reason == "Hair colour went wrong"
