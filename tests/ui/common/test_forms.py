"""FieldErrors, the messages under a form's fields: shown whole, gone once the field is edited, in field order."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot

from salon_desk.errors import ValidationError
from salon_desk.ui.common.forms import FieldErrors

LONG = (
    "Übersteigt Ihr Limit von 10 %: Eine Managerin oder ein Manager gibt den Rabatt mit der PIN frei, "
    "wenn der Verkauf abgeschlossen wird. Ärger über Öffnungszeiten zählt nicht."
)


class Form(QDialog):
    def __init__(self) -> None:
        super().__init__()
        self.errors = FieldErrors()
        self.name = QLineEdit(objectName="nameEdit")
        self.reason = QComboBox(objectName="reasonCombo")
        self.reason.setEditable(True)
        self.reason.addItems(["Reklamation", "Sonstiges"])
        self.amount = QLineEdit(objectName="amountEdit")
        form = QFormLayout()
        self.errors.add_row(form, "Name:", "name", self.name)
        self.errors.add_row(form, "Grund:", "reason", self.reason)
        self.errors.add_row(form, "Betrag:", "amount", self.amount)
        QVBoxLayout(self).addLayout(form)
        self.resize(360, 10)


def open_form(qtbot: QtBot) -> Form:
    form = Form()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def label(form: Form, name: str) -> QLabel:
    found = form.findChild(QLabel, f"{name}Error")
    assert found is not None
    return found


def shown_whole(form: Form, message: QLabel) -> bool:
    """Every line of the message inside the label, and the label inside the dialog."""
    bottom = message.mapTo(form, QPoint(0, message.height())).y()
    return message.height() >= message.heightForWidth(message.width()) and bottom <= form.height()


def test_a_long_message_wraps_and_the_dialog_grows_to_show_it(qtbot: QtBot) -> None:
    form = open_form(qtbot)
    before = form.height()
    form.errors.show(ValidationError(LONG, "amount"), form)
    qtbot.waitUntil(lambda: label(form, "amountEdit").isVisible())
    message = label(form, "amountEdit")
    lines = message.heightForWidth(message.width()) // message.fontMetrics().height()
    assert lines >= 3 and form.height() > before
    assert shown_whole(form, message)
    assert form.width() == 360  # it grows downwards, the fields keep their width


def test_the_message_goes_once_its_field_is_edited(qtbot: QtBot) -> None:
    form = open_form(qtbot)
    form.errors.show_all([ValidationError("Bitte einen Namen eingeben.", "name"), ValidationError("Zu hoch.", "amount")])
    assert form.errors.shown() == ["name", "amount"]
    qtbot.keyClicks(form.name, "Jonas")
    assert form.errors.shown() == ["amount"] and not label(form, "nameEdit").isVisible()
    qtbot.keyClicks(form.amount, "5")
    assert form.errors.shown() == []


def test_a_combo_message_goes_once_a_reason_is_picked_or_typed(qtbot: QtBot) -> None:
    form = open_form(qtbot)
    form.errors.show(ValidationError("Bitte einen Grund wählen.", "reason"))
    form.reason.setCurrentIndex(1)
    assert form.errors.text("reason") == ""
    form.errors.show(ValidationError("Bitte einen Grund wählen.", "reason"))
    qtbot.keyClicks(form.reason.lineEdit(), "x")
    assert form.errors.text("reason") == ""


def test_several_wrong_fields_show_in_the_form_order_and_the_first_gets_the_focus(qtbot: QtBot) -> None:
    form = open_form(qtbot)
    form.errors.show_all(
        [ValidationError("Zu hoch.", "amount"), ValidationError("Fehlt.", "name"), ValidationError("Auch.", "reason")]
    )
    assert form.errors.shown() == ["name", "reason", "amount"]
    labels = [label(form, n) for n in ("nameEdit", "reasonCombo", "amountEdit")]
    tops = [m.mapTo(form, QPoint(0, 0)).y() for m in labels]
    assert tops == sorted(tops)
    qtbot.waitUntil(lambda: form.name.hasFocus())


def test_showing_one_error_hides_the_earlier_ones(qtbot: QtBot) -> None:
    form = open_form(qtbot)
    form.errors.show_all([ValidationError("Fehlt.", "name"), ValidationError("Zu hoch.", "amount")])
    form.errors.show(ValidationError("Auch.", "reason"))
    assert form.errors.shown() == ["reason"]
