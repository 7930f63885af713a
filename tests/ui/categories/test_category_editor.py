"""The category editor: fields, discount input and calculator, default flag, uncategorised clients, errors."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.kinds import DiscountScope
from salon_desk.paths import icon_names
from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.services.clients.clients import CategoryChanges, ClientData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.category_editor import CategoryEditorDialog


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def by_name(services: Services, name: str) -> CategoryInfo:
    return next(c for c in services.categories.list() if c.name == name)


def open_editor(qtbot: QtBot, services: Services, category: CategoryInfo | None = None) -> CategoryEditorDialog:
    dialog = CategoryEditorDialog(services, DataBus(), category)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def tick(qtbot: QtBot, check: QWidget) -> None:
    """Click the box of a check box (the middle of a wide one is blank space)."""
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))


def click_ok(qtbot: QtBot, dialog: CategoryEditorDialog) -> None:
    qtbot.mouseClick(child(dialog, "saveCategoryButton"), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("en", "150", "A discount must be between 0.01% and 100%."),
        ("de", "150", "Ein Rabatt muss zwischen 0,01\xa0% und 100\xa0% liegen."),
        ("en", "abc", "“abc” is not a number. Type the discount as e.g. 12.5."),
        ("de", "10,123", "Ein Rabatt darf höchstens zwei Nachkommastellen haben."),
    ],
)
def test_wrong_percentage_is_refused_next_to_the_discount_field(
    qtbot: QtBot, app_services: Services, language: str, typed: str, message: str
) -> None:
    i18n.set_language(language)
    before = app_services.categories.list()
    dialog = open_editor(qtbot, app_services)
    qtbot.keyClicks(child(dialog, "categoryNameEdit"), "Apprentice")
    tick(qtbot, child(dialog, "discountCheck"))
    qtbot.keyClicks(child(dialog, "discountPercentEdit"), typed)
    click_ok(qtbot, dialog)

    error = child(dialog, "discountPercentEditError")
    assert error.isVisible()
    assert error.text() == message
    assert dialog.isVisible() and dialog.saved_category is None
    assert dialog.percent_edit.text() == typed
    assert dialog.name_edit.text() == "Apprentice"
    assert app_services.categories.list() == before


def test_leaving_the_percentage_field_shows_the_message_at_once(qtbot: QtBot, app_services: Services) -> None:
    dialog = open_editor(qtbot, app_services)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    tick(qtbot, child(dialog, "discountCheck"))
    dialog.percent_edit.setFocus()
    qtbot.keyClicks(dialog.percent_edit, "150")
    error = child(dialog, "discountPercentEditError")
    assert not error.isVisible()

    qtbot.keyClick(dialog.percent_edit, Qt.Key.Key_Tab)
    assert error.isVisible()
    assert dialog.focusWidget() is child(dialog, "discountCalculatorButton")  # not pulled back

    dialog.percent_edit.setFocus()
    dialog.percent_edit.end(False)
    qtbot.keyClick(dialog.percent_edit, Qt.Key.Key_Backspace)
    assert dialog.percent_edit.text() == "15"
    assert not error.isVisible()


def test_empty_percentage_with_discount_ticked_is_refused(qtbot: QtBot, app_services: Services) -> None:
    dialog = open_editor(qtbot, app_services)
    qtbot.keyClicks(dialog.name_edit, "Apprentice")
    tick(qtbot, child(dialog, "discountCheck"))
    click_ok(qtbot, dialog)
    assert "Please enter the discount in percent" in child(dialog, "discountPercentEditError").text()
    assert all(c.name != "Apprentice" for c in app_services.categories.list())


def test_duplicate_name_is_refused_next_to_the_name_field(qtbot: QtBot, app_services: Services) -> None:
    count = len(app_services.categories.list())
    dialog = open_editor(qtbot, app_services)
    qtbot.keyClicks(child(dialog, "categoryNameEdit"), "  student ")
    click_ok(qtbot, dialog)

    error = child(dialog, "categoryNameEditError")
    assert error.isVisible()
    assert error.text() == "A category named “student” already exists. Please choose another name."
    assert dialog.isVisible()
    assert dialog.name_edit.text() == "  student "
    assert len(app_services.categories.list()) == count


def test_empty_name_is_refused(qtbot: QtBot, app_services: Services) -> None:
    dialog = open_editor(qtbot, app_services)
    click_ok(qtbot, dialog)
    assert child(dialog, "categoryNameEditError").text() == "Please enter a name for the category."


def test_name_is_limited_to_sixty_characters(qtbot: QtBot, app_services: Services) -> None:
    dialog = open_editor(qtbot, app_services)
    qtbot.keyClicks(dialog.name_edit, "x" * 70)
    assert len(dialog.name_edit.text()) == 60


def test_new_category_with_every_field_is_saved_and_published(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    bus = DataBus()
    dialog = CategoryEditorDialog(app_services, bus, None)
    qtbot.addWidget(dialog)
    dialog.show()
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#123abc"))
    qtbot.keyClicks(child(dialog, "categoryNameEdit"), "Wedding party")
    qtbot.keyClicks(child(dialog, "categoryDescriptionEdit"), "Bride and guests")
    qtbot.mouseClick(child(dialog, "categoryColorButton"), Qt.MouseButton.LeftButton)
    dialog.icon_combo.setCurrentIndex(dialog.icon_combo.findData("heart"))
    tick(qtbot, child(dialog, "discountCheck"))
    qtbot.keyClicks(child(dialog, "discountPercentEdit"), "12.5")
    dialog.scope_combo.setCurrentIndex(dialog.scope_combo.findData("products"))
    tick(qtbot, child(dialog, "specialOffersCheck"))
    assert dialog.preview_label.text() == "A €50.00 product costs €43.75."
    with qtbot.waitSignal(bus.sig_data_changed) as published:
        click_ok(qtbot, dialog)

    saved = by_name(app_services, "Wedding party")
    assert (saved.description, saved.color, saved.icon) == ("Bride and guests", "#123ABC", "heart")
    assert saved.discount_percent == Decimal("12.5")
    assert saved.discount_scope is DiscountScope.PRODUCTS and saved.applies_to_offers
    assert dialog.saved_category == saved
    assert saved.id in published.args[0].categories
    assert dialog.result() == CategoryEditorDialog.DialogCode.Accepted


def test_colour_button_shows_the_hex_and_retints_the_icons(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_editor(qtbot, app_services)
    combo = dialog.icon_combo
    assert [combo.itemData(i) for i in range(combo.count())] == icon_names()
    assert combo.itemText(combo.findData("graduation")) == "Graduation cap"
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#00c853"))
    qtbot.mouseClick(dialog.color_button, Qt.MouseButton.LeftButton)
    assert dialog.color_button.text() == "#00C853"
    image = combo.itemIcon(combo.findData("star")).pixmap(20, 20).toImage()
    opaque = {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }
    assert opaque == {"#00c853"}


def test_cancelled_colour_dialog_keeps_the_colour(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    student = by_name(app_services, "Student")
    dialog = open_editor(qtbot, app_services, student)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor())
    qtbot.mouseClick(dialog.color_button, Qt.MouseButton.LeftButton)
    assert dialog.color_button.text() == student.color


def test_discount_fields_are_enabled_only_with_a_discount(qtbot: QtBot, app_services: Services) -> None:
    dialog = open_editor(qtbot, app_services)
    names = ("discountPercentEdit", "discountScopeCombo", "discountCalculatorButton", "specialOffersCheck")
    assert not any(child(dialog, name).isEnabled() for name in names)
    tick(qtbot, child(dialog, "discountCheck"))
    assert all(child(dialog, name).isEnabled() for name in names)


def test_unticking_the_discount_saves_a_category_without_discount(qtbot: QtBot, app_services: Services) -> None:
    vip = by_name(app_services, "VIP")
    app_services.categories.update(
        vip.id, vip.version, replace(vip, discount_percent=Decimal("15"), applies_to_offers=True)
    )
    dialog = open_editor(qtbot, app_services, by_name(app_services, "VIP"))
    assert dialog.percent_edit.text() == "15"
    assert dialog.offers_check.isChecked()
    tick(qtbot, child(dialog, "discountCheck"))
    assert "only marks clients" in dialog.preview_label.text()
    click_ok(qtbot, dialog)
    saved = by_name(app_services, "VIP")
    assert saved.discount_percent is None and not saved.applies_to_offers


def test_making_a_category_the_default_clears_the_previous_default(qtbot: QtBot, app_services: Services) -> None:
    assert by_name(app_services, "New client").is_default
    dialog = open_editor(qtbot, app_services, by_name(app_services, "Regular client"))
    assert not dialog.default_hint.isVisible()
    tick(qtbot, child(dialog, "categoryDefaultCheck"))
    assert dialog.default_hint.isVisible()
    assert dialog.default_hint.text() == "“New client” will no longer be the default category."
    click_ok(qtbot, dialog)

    assert by_name(app_services, "Regular client").is_default
    assert not by_name(app_services, "New client").is_default
    assert [c.name for c in app_services.categories.list() if c.is_default] == ["Regular client"]


def test_assign_uncategorised_shows_the_count_only_when_needed_and_assigns(
    qtbot: QtBot, app_services: Services
) -> None:
    dialog = open_editor(qtbot, app_services)
    assert not child(dialog, "assignUncategorizedCheck").isVisible()
    dialog.close()

    first, _ = app_services.clients.create(ClientData(last_name="X"), CategoryChanges(()))
    dialog = open_editor(qtbot, app_services)
    assert child(dialog, "assignUncategorizedCheck").isVisible()
    assert child(dialog, "assignUncategorizedCheck").text() == "Assign the 1 client without a category"
    dialog.close()

    second, _ = app_services.clients.create(ClientData(last_name="Y"), CategoryChanges(()))
    app_services.clients.create(ClientData(last_name="Z"))  # gets the default category
    dialog = open_editor(qtbot, app_services)
    check = child(dialog, "assignUncategorizedCheck")
    assert check.text() == "Assign the 2 clients without a category"
    qtbot.keyClicks(dialog.name_edit, "Walk-in")
    tick(qtbot, check)
    click_ok(qtbot, dialog)

    walk_in = by_name(app_services, "Walk-in")
    assert walk_in.client_count == 2
    for client in (first, second):
        assert [m.category_id for m in app_services.clients.get(client.id).memberships] == [walk_in.id]
    assert app_services.categories.uncategorised_count() == 0


def test_unticked_assign_option_leaves_the_clients_alone(qtbot: QtBot, app_services: Services) -> None:
    app_services.clients.create(ClientData(last_name="X"), CategoryChanges(()))
    dialog = open_editor(qtbot, app_services)
    qtbot.keyClicks(dialog.name_edit, "Walk-in")
    click_ok(qtbot, dialog)
    assert by_name(app_services, "Walk-in").client_count == 0
    assert app_services.categories.uncategorised_count() == 1


def test_calculator_result_is_written_back(qtbot: QtBot, app_services: Services) -> None:
    i18n.set_language("de")
    dialog = open_editor(qtbot, app_services)
    tick(qtbot, child(dialog, "discountCheck"))
    qtbot.keyClicks(dialog.percent_edit, "5")
    qtbot.mouseClick(child(dialog, "discountCalculatorButton"), Qt.MouseButton.LeftButton)
    calculator = dialog.calculator
    assert calculator is not None and calculator.isVisible()
    assert calculator.percent_edit.text() == "5"
    qtbot.keyClicks(calculator.price_edit, "39,90")
    qtbot.keyClicks(calculator.target_edit, "29,90")
    qtbot.mouseClick(calculator.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.percent_edit.text() == "25,06"
    assert dialog.preview_label.text() == "Eine Dienstleistung oder ein Produkt zu 50,00\xa0€ kostet 37,47\xa0€."


def test_cancelled_calculator_keeps_the_percentage(qtbot: QtBot, app_services: Services) -> None:
    dialog = open_editor(qtbot, app_services)
    tick(qtbot, child(dialog, "discountCheck"))
    qtbot.keyClicks(dialog.percent_edit, "5")
    qtbot.mouseClick(child(dialog, "discountCalculatorButton"), Qt.MouseButton.LeftButton)
    assert dialog.calculator is not None
    qtbot.keyClicks(dialog.calculator.percent_edit, "0")
    qtbot.keyClick(dialog.calculator, Qt.Key.Key_Escape)
    assert dialog.percent_edit.text() == "5"


def test_edit_loads_the_category_and_saves_changes(qtbot: QtBot, app_services: Services) -> None:
    student = by_name(app_services, "Student")
    dialog = open_editor(qtbot, app_services, student)
    assert dialog.windowTitle() == "Edit category “Student”"
    assert dialog.name_edit.text() == "Student"
    assert dialog.color_button.text() == student.color
    assert dialog.icon_combo.icon_name() == "graduation"
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Student/in")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    saved = app_services.categories.get(student.id)
    assert saved.name == "Student/in" and saved.version > student.version


def test_a_save_from_another_desk_is_reported_and_the_typing_kept(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *args: messages.append(text))
    student = by_name(app_services, "Student")
    dialog = open_editor(qtbot, app_services, student)
    app_services.categories.update(student.id, student.version, replace(student, description="changed elsewhere"))
    qtbot.keyClicks(dialog.name_edit, " (ID)")
    click_ok(qtbot, dialog)

    assert messages and "was changed at another desk" in messages[0]
    assert dialog.isVisible()
    assert dialog.name_edit.text() == "Student (ID)"
    assert app_services.categories.get(student.id).name == "Student"


def test_the_percentage_placeholder_reads_as_an_example_not_a_value(qtbot: QtBot, app_services: Services) -> None:
    i18n.set_language("de")
    dialog = open_editor(qtbot, app_services)
    edit = dialog.findChild(QWidget, "discountPercentEdit")
    assert edit.text() == ""
    assert edit.placeholderText() == "z. B. 10"
