"""The discount calculator: typed percentages, percentages worked out from prices, and wrong input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.ui.categories.discount_calculator import DiscountCalculatorDialog


def make_dialog(qtbot: QtBot, initial: Decimal | None = None) -> DiscountCalculatorDialog:
    dialog = DiscountCalculatorDialog(initial)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_prices(qtbot: QtBot, dialog: DiscountCalculatorDialog, price: str, target: str) -> None:
    qtbot.keyClicks(dialog.findChild(object, "calcPriceEdit"), price)
    qtbot.keyClicks(dialog.findChild(object, "calcTargetPriceEdit"), target)


def test_german_price_and_target_give_ten_percent(qtbot: QtBot) -> None:
    i18n.set_language("de")
    dialog = make_dialog(qtbot)
    assert not dialog.ok_button().isEnabled()

    type_prices(qtbot, dialog, "50,00", "45,00")

    assert dialog.percent_edit.text() == "10"
    assert dialog.preview_label.text() == "50,00\xa0€ → 45,00\xa0€ (−10\xa0%)"
    assert dialog.ok_button().isEnabled()
    assert not dialog.message_label.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.percent() == Decimal("10")


def test_percentage_is_rounded_half_up_to_two_places(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    type_prices(qtbot, dialog, "200", "189.99")  # 5.005 %: half-even would give 5.00
    assert dialog.percent_edit.text() == "5.01"
    assert dialog.percent() == Decimal("5.01")


def test_changing_the_sample_price_recomputes_the_percentage(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    type_prices(qtbot, dialog, "30", "20")
    assert dialog.percent_edit.text() == "33.33"
    dialog.price_edit.clear()
    qtbot.keyClicks(dialog.price_edit, "40")
    assert dialog.percent_edit.text() == "50"
    assert dialog.preview_label.text() == "€40.00 → €20.00 (−50%)"


def test_typed_percentage_previews_on_the_sample_price(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    qtbot.keyClicks(dialog.percent_edit, "12.5")
    assert dialog.preview_label.text() == "€50.00 → €43.75 (−12.5%)"
    assert dialog.ok_button().isEnabled()
    assert dialog.percent() == Decimal("12.5")


def test_initial_percentage_is_filled_in(qtbot: QtBot) -> None:
    i18n.set_language("de")
    dialog = make_dialog(qtbot, Decimal("7.50"))
    assert dialog.percent_edit.text() == "7,50"
    assert dialog.ok_button().isEnabled()
    assert dialog.preview_label.text() == "50,00\xa0€ → 46,25\xa0€ (−7,5\xa0%)"


@pytest.mark.parametrize(
    ("price", "target", "message"),
    [
        ("50", "60", "The price to pay cannot be higher than the sample price."),
        ("-50", "", "The sample price cannot be negative."),
        ("50", "-1", "The price to pay cannot be negative."),
        ("fifty", "45", "The sample price: “fifty” is not a price."),
        ("50", "45.001", "The price to pay may have at most two decimal places"),
        ("50", "50", "The price to pay is the same as the sample price: that is no discount."),
        ("0", "", "The sample price must be more than 0."),
    ],
)
def test_wrong_prices_show_a_message_and_disable_ok(qtbot: QtBot, price: str, target: str, message: str) -> None:
    dialog = make_dialog(qtbot, Decimal("10") if target == "" else None)
    type_prices(qtbot, dialog, price, target)
    assert message in dialog.message_label.text()
    assert dialog.message_label.isVisible()
    assert not dialog.ok_button().isEnabled()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("150", "A discount must be between 0.01% and 100%."),
        ("0", "A discount must be between 0.01% and 100%."),
        ("-5", "A discount must be between 0.01% and 100%."),
        ("abc", "“abc” is not a number."),
        ("10.123", "at most two decimal places"),
    ],
)
def test_wrong_percentages_show_a_message_and_disable_ok(qtbot: QtBot, typed: str, message: str) -> None:
    dialog = make_dialog(qtbot)
    qtbot.keyClicks(dialog.percent_edit, typed)
    assert message in dialog.message_label.text()
    assert not dialog.ok_button().isEnabled()
    with pytest.raises(ValueError):
        dialog.percent()


def test_correcting_the_input_clears_the_message(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    type_prices(qtbot, dialog, "50", "60")
    assert dialog.message_label.isVisible()
    dialog.target_edit.clear()
    qtbot.keyClicks(dialog.target_edit, "40")
    assert not dialog.message_label.isVisible()
    assert dialog.percent_edit.text() == "20"
    assert dialog.ok_button().isEnabled()


def test_escape_cancels(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Decimal("10"))
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.percent_edit, Qt.Key.Key_Escape)


def test_the_result_is_cleared_while_the_prices_are_wrong(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    type_prices(qtbot, dialog, "50", "45")
    assert dialog.percent_edit.text() == "10" and dialog.ok_button().isEnabled()

    qtbot.keyClicks(dialog.target_edit, "x")  # "45x"
    assert dialog.percent_edit.text() == "" and not dialog.ok_button().isEnabled()
    assert "not a price" in dialog.message_label.text() and dialog.message_label.isVisible()
    assert "10" not in dialog.preview_label.text()

    qtbot.keyClick(dialog.target_edit, Qt.Key.Key_Backspace)  # "45" again
    assert dialog.percent_edit.text() == "10" and not dialog.message_label.isVisible()

    qtbot.keyClicks(dialog.target_edit, "0")  # 450 to pay for 50
    assert dialog.percent_edit.text() == "" and not dialog.ok_button().isEnabled()
    assert dialog.message_label.text() == "The price to pay cannot be higher than the sample price."

    dialog.target_edit.clear()
    qtbot.keyClicks(dialog.target_edit, "45")
    dialog.price_edit.clear()
    qtbot.keyClicks(dialog.price_edit, "abc")
    assert dialog.percent_edit.text() == "" and not dialog.ok_button().isEnabled()


def test_the_fields_hint_with_an_example_never_a_bare_number(qtbot: QtBot) -> None:
    i18n.set_language("de")
    dialog = make_dialog(qtbot)
    hints = [edit.placeholderText() for edit in (dialog.percent_edit, dialog.price_edit, dialog.target_edit)]
    assert hints == ["z. B. 10", "z. B. 50,00", "z. B. 45,00"]
