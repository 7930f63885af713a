"""The category picker: filter, multi-selection, assigned categories, new category from the picker."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QPushButton
from pytestqt.qtbot import QtBot

from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.category_entry import BADGE_ROLE, DETAIL_ROLE
from salon_desk.ui.categories.category_picker import CategoryPickerDialog


def category_id(services: Services, name: str) -> int:
    return next(c.id for c in services.categories.list() if c.name == name)


def visible_names(view: QListWidget) -> list[str]:
    return [view.item(row).text() for row in range(view.count()) if not view.item(row).isHidden()]


def item_named(view: QListWidget, name: str) -> QListWidgetItem:
    return next(view.item(row) for row in range(view.count()) if view.item(row).text() == name)


def click_item(
    qtbot: QtBot, view: QListWidget, name: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    rect = view.visualItemRect(item_named(view, name))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def open_picker(qtbot: QtBot, services: Services, assigned: set[int] | None = None) -> CategoryPickerDialog:
    picker = CategoryPickerDialog(services, DataBus(), assigned or set())
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    return picker


def test_lists_all_categories_and_disables_assigned_ones(qtbot: QtBot, app_services: Services) -> None:
    student = category_id(app_services, "Student")
    picker = open_picker(qtbot, app_services, {student})
    assert len(visible_names(picker.list)) == 8
    item = item_named(picker.list, "Student")
    assert item.data(DETAIL_ROLE) == "(already assigned)"
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled

    select = picker.findChild(QPushButton, "selectCategoryButton")
    click_item(qtbot, picker.list, "Student")
    assert picker.selected_categories() == []
    assert not select.isEnabled()
    qtbot.mouseDClick(picker.list.viewport(), Qt.MouseButton.LeftButton, pos=picker.list.visualItemRect(item).center())
    assert picker.isVisible()


def test_filter_ignores_case_and_accents(qtbot: QtBot, app_services: Services) -> None:
    app_services.categories.create(CategoryData(name="Rückkehrerin", icon="heart"))
    picker = open_picker(qtbot, app_services)
    filter_edit = picker.findChild(QLineEdit, "pickerFilterEdit")
    qtbot.keyClicks(filter_edit, "RUCK")
    assert visible_names(picker.list) == ["Rückkehrerin"]
    filter_edit.clear()
    qtbot.keyClicks(filter_edit, "stu")
    assert visible_names(picker.list) == ["Student"]
    qtbot.keyClicks(filter_edit, "xyz")
    assert visible_names(picker.list) == []
    assert picker.no_match_label.isVisible()


def test_entries_show_the_discount_badge(qtbot: QtBot, app_services: Services) -> None:
    vip = app_services.categories.get(category_id(app_services, "VIP"))
    app_services.categories.update(vip.id, vip.version, replace(vip, discount_percent=Decimal("15")))
    picker = open_picker(qtbot, app_services)
    vip_item = item_named(picker.list, "VIP")
    assert vip_item.data(BADGE_ROLE) == "−15%"
    assert "15% off services and products" in vip_item.data(DETAIL_ROLE)
    assert item_named(picker.list, "Staff").data(BADGE_ROLE) == ""


def test_select_takes_several_categories(qtbot: QtBot, app_services: Services) -> None:
    picker = open_picker(qtbot, app_services)
    select = picker.findChild(QPushButton, "selectCategoryButton")
    assert not select.isEnabled()
    click_item(qtbot, picker.list, "VIP")
    click_item(qtbot, picker.list, "Referral", Qt.KeyboardModifier.ControlModifier)
    assert select.isEnabled() and select.text() == "Select (2)"
    with qtbot.waitSignal(picker.accepted):
        qtbot.mouseClick(select, Qt.MouseButton.LeftButton)
    assert [c.name for c in picker.selected_categories()] == ["Referral", "VIP"]


def test_double_click_takes_just_that_category(qtbot: QtBot, app_services: Services) -> None:
    picker = open_picker(qtbot, app_services)
    click_item(qtbot, picker.list, "VIP")
    center = picker.list.visualItemRect(item_named(picker.list, "Staff")).center()
    qtbot.mouseClick(picker.list.viewport(), Qt.MouseButton.LeftButton, pos=center)
    with qtbot.waitSignal(picker.accepted):
        qtbot.mouseDClick(picker.list.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert [c.name for c in picker.selected_categories()] == ["Staff"]


def test_enter_in_the_filter_takes_the_only_match(qtbot: QtBot, app_services: Services) -> None:
    picker = open_picker(qtbot, app_services)
    filter_edit = picker.findChild(QLineEdit, "pickerFilterEdit")
    qtbot.keyClicks(filter_edit, "flyer")
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(filter_edit, Qt.Key.Key_Return)
    assert [c.name for c in picker.selected_categories()] == ["Flyer campaign"]


def test_new_category_comes_back_selected(qtbot: QtBot, app_services: Services) -> None:
    picker = open_picker(qtbot, app_services)
    qtbot.keyClicks(picker.findChild(QLineEdit, "pickerFilterEdit"), "vip")
    qtbot.mouseClick(picker.findChild(QPushButton, "newCategoryButton"), Qt.MouseButton.LeftButton)
    editor = picker.editor
    assert editor is not None
    qtbot.waitExposed(editor)
    qtbot.keyClicks(editor.findChild(QLineEdit, "categoryNameEdit"), "Loyalty club")
    with qtbot.waitSignal(editor.accepted):
        qtbot.mouseClick(editor.findChild(QPushButton, "saveCategoryButton"), Qt.MouseButton.LeftButton)

    assert "Loyalty club" in [c.name for c in app_services.categories.list()]
    assert "Loyalty club" in visible_names(picker.list)
    assert [c.name for c in picker.selected_categories()] == ["Loyalty club"]
    assert picker.findChild(QPushButton, "selectCategoryButton").isEnabled()
    assert picker.isVisible()
