"""The categories page: the table, sorting, New/Edit/Delete and reloading on data changes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.categories_page import CategoriesPage
from salon_desk.ui.categories.category_table_model import CLIENTS, DISCOUNT, NAME

HEADERS = ["ID", "Name", "Colour", "Icon", "Default", "Discount", "Scope", "Applies to offers", "Clients"]


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def by_name(services: Services, name: str) -> CategoryInfo:
    return next(c for c in services.categories.list() if c.name == name)


def make_page(qtbot: QtBot, services: Services, bus: DataBus | None = None) -> CategoriesPage:
    page = CategoriesPage(services, bus or DataBus())
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    return page


def table(page: CategoriesPage) -> QTableView:
    view = child(page, "categoriesTable")
    assert isinstance(view, QTableView)
    return view


def cell(view: QTableView, row: int, column: int) -> str:
    return str(view.model().index(row, column).data())


def column_texts(view: QTableView, column: int) -> list[str]:
    return [cell(view, row, column) for row in range(view.model().rowCount())]


def row_texts(view: QTableView, name: str) -> list[str]:
    row = column_texts(view, NAME).index(name)
    return [cell(view, row, column) for column in range(view.model().columnCount())]


def click_row(qtbot: QtBot, view: QTableView, name: str) -> None:
    row = column_texts(view, NAME).index(name)
    index = view.model().index(row, NAME)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def tick(qtbot: QtBot, check: QWidget) -> None:
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))


def client_with(services: Services, last_name: str, *category_ids: int) -> int:
    card, _ = services.clients.create(
        ClientData(last_name=last_name), CategoryChanges(tuple(MembershipData(i) for i in category_ids))
    )
    return card.id


def test_table_shows_every_category_with_its_details(qtbot: QtBot, app_services: Services) -> None:
    student = by_name(app_services, "Student")
    app_services.categories.update(
        student.id, student.version, replace(student, discount_percent=Decimal("10"), applies_to_offers=True)
    )
    client_with(app_services, "A", student.id)
    client_with(app_services, "B", student.id)
    page = make_page(qtbot, app_services)
    view = table(page)

    model = view.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == HEADERS
    assert sorted(column_texts(view, NAME)) == sorted(c.name for c in app_services.categories.list())
    assert row_texts(view, "Student") == [
        str(student.id),
        "Student",
        "#6A1B9A",
        "Graduation cap",
        "",
        "10%",
        "Services and products",
        "✓",
        "2",
    ]
    assert row_texts(view, "New client")[4:] == ["✓", "—", "—", "—", "0"]
    assert not model.index(0, NAME).data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.index(0, NAME).data(Qt.ItemDataRole.UserRole) is None


def test_clicking_a_header_sorts_the_table(qtbot: QtBot, app_services: Services) -> None:
    client_with(app_services, "A", by_name(app_services, "VIP").id)
    client_with(app_services, "B", by_name(app_services, "VIP").id)
    client_with(app_services, "C", by_name(app_services, "Staff").id)
    page = make_page(qtbot, app_services)
    view = table(page)
    assert column_texts(view, NAME) == sorted(column_texts(view, NAME), key=str.casefold)
    header = view.horizontalHeader()

    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(CLIENTS) + 5, 5)
    )
    counts = [int(text) for text in column_texts(view, CLIENTS)]
    assert counts == sorted(counts)
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(CLIENTS) + 5, 5)
    )
    assert column_texts(view, NAME)[:2] == ["VIP", "Staff"]


def test_sorting_keeps_the_selected_category(qtbot: QtBot, app_services: Services) -> None:
    page = make_page(qtbot, app_services)
    view = table(page)
    click_row(qtbot, view, "Senior")
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert page.selected_category() is not None and page.selected_category().name == "Senior"


def test_edit_and_delete_need_a_selection(qtbot: QtBot, app_services: Services) -> None:
    page = make_page(qtbot, app_services)
    edit, delete = child(page, "editCategoryButton"), child(page, "deleteCategoryButton")
    assert child(page, "newCategoryPageButton").isEnabled()
    assert not edit.isEnabled() and not delete.isEnabled()
    click_row(qtbot, table(page), "VIP")
    assert edit.isEnabled() and delete.isEnabled()
    table(page).clearSelection()
    assert not edit.isEnabled() and not delete.isEnabled()


def test_new_category_through_the_calculator_appears_in_the_table(qtbot: QtBot, app_services: Services) -> None:
    i18n.set_language("de")
    bus = DataBus()
    page = make_page(qtbot, app_services, bus)
    qtbot.mouseClick(child(page, "newCategoryPageButton"), Qt.MouseButton.LeftButton)
    editor = page.editor
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(child(editor, "categoryNameEdit"), "Student/in")
    tick(qtbot, child(editor, "discountCheck"))
    qtbot.mouseClick(child(editor, "discountCalculatorButton"), Qt.MouseButton.LeftButton)
    calculator = editor.calculator
    assert calculator is not None and calculator.isVisible()
    qtbot.keyClicks(child(calculator, "calcPriceEdit"), "50,00")
    qtbot.keyClicks(child(calculator, "calcTargetPriceEdit"), "45,00")
    qtbot.mouseClick(calculator.ok_button(), Qt.MouseButton.LeftButton)
    assert child(editor, "discountPercentEdit").text() == "10"
    assert editor.preview_label.text() == "Eine Dienstleistung oder ein Produkt zu 50,00\xa0€ kostet 45,00\xa0€."
    qtbot.mouseClick(child(editor, "saveCategoryButton"), Qt.MouseButton.LeftButton)

    assert not editor.isVisible()
    view = table(page)
    assert row_texts(view, "Student/in")[DISCOUNT] == "10\xa0%"
    assert page.selected_category() is not None and page.selected_category().name == "Student/in"
    assert by_name(app_services, "Student/in").discount_percent == Decimal("10")


def test_edit_button_double_click_and_enter_open_the_editor(qtbot: QtBot, app_services: Services) -> None:
    page = make_page(qtbot, app_services)
    view = table(page)
    click_row(qtbot, view, "Senior")
    qtbot.mouseClick(child(page, "editCategoryButton"), Qt.MouseButton.LeftButton)
    assert page.editor is not None and page.editor.name_edit.text() == "Senior"
    page.editor.reject()

    row = column_texts(view, NAME).index("VIP")
    spot = view.visualRect(view.model().index(row, NAME)).center()
    # A real double-click starts with a press; QTest sends only the double-click event itself.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert page.editor.isVisible() and page.editor.name_edit.text() == "VIP"
    page.editor.reject()

    click_row(qtbot, view, "Staff")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert page.editor.isVisible() and page.editor.name_edit.text() == "Staff"


def test_saving_in_the_editor_updates_the_row(qtbot: QtBot, app_services: Services) -> None:
    page = make_page(qtbot, app_services)
    view = table(page)
    click_row(qtbot, view, "Regular client")
    qtbot.mouseClick(child(page, "editCategoryButton"), Qt.MouseButton.LeftButton)
    tick(qtbot, child(page.editor, "categoryDefaultCheck"))
    qtbot.mouseClick(child(page.editor, "saveCategoryButton"), Qt.MouseButton.LeftButton)
    assert row_texts(view, "Regular client")[4] == "✓"
    assert row_texts(view, "New client")[4] == ""
    assert [c.name for c in app_services.categories.list() if c.is_default] == ["Regular client"]


def test_delete_names_the_clients_and_gives_them_the_default_category(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    student, vip = by_name(app_services, "Student"), by_name(app_services, "VIP")
    only_student = [client_with(app_services, name, student.id) for name in ("A", "B")]
    also_vip = client_with(app_services, "C", student.id, vip.id)
    asked: list[str] = []

    def answer(parent: QWidget, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page = make_page(qtbot, app_services)
    click_row(qtbot, table(page), "Student")
    qtbot.mouseClick(child(page, "deleteCategoryButton"), Qt.MouseButton.LeftButton)

    assert len(asked) == 1
    assert "Delete the category “Student”?" in asked[0]
    assert "It will be removed from all its 3 clients." in asked[0]
    assert "Clients left without any category get the default category “New client”." in asked[0]
    assert "Past sales keep the category name and the discount they were sold with." in asked[0]
    assert "Student" not in column_texts(table(page), NAME)
    default_id = by_name(app_services, "New client").id
    for client_id in only_student:
        assert [m.category_id for m in app_services.clients.get(client_id).memberships] == [default_id]
    assert [m.category_id for m in app_services.clients.get(also_vip).memberships] == [vip.id]
    assert row_texts(table(page), "New client")[-1] == "2"
    assert not child(page, "deleteCategoryButton").isEnabled()


def test_delete_without_a_default_leaves_clients_uncategorised(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_client = by_name(app_services, "New client")
    app_services.categories.update(new_client.id, new_client.version, replace(new_client, is_default=False))
    senior = by_name(app_services, "Senior")
    client_id = client_with(app_services, "A", senior.id)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    page = make_page(qtbot, app_services)
    click_row(qtbot, table(page), "Senior")
    qtbot.keyClick(table(page), Qt.Key.Key_Delete)

    assert "It will be removed from its 1 client." in asked[0]
    assert "Clients left without any category stay uncategorised." in asked[0]
    assert app_services.clients.get(client_id).memberships == ()
    assert app_services.categories.uncategorised_count() == 1


def test_delete_of_an_unused_category_says_so_and_no_keeps_it(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.No
    )
    page = make_page(qtbot, app_services)
    click_row(qtbot, table(page), "Referral")
    qtbot.mouseClick(child(page, "deleteCategoryButton"), Qt.MouseButton.LeftButton)
    assert "No client has this category." in asked[0]
    assert "default category" not in asked[0]
    assert "Referral" in column_texts(table(page), NAME)
    assert any(c.name == "Referral" for c in app_services.categories.list())


def test_delete_of_a_category_deleted_elsewhere_reports_it(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: errors.append(text))
    page = make_page(qtbot, app_services)
    click_row(qtbot, table(page), "Referral")
    app_services.categories.delete(by_name(app_services, "Referral").id)
    qtbot.mouseClick(child(page, "deleteCategoryButton"), Qt.MouseButton.LeftButton)
    assert errors and "no longer exists" in errors[0]
    assert "Referral" not in column_texts(table(page), NAME)


def test_client_changes_on_the_bus_update_the_counts(qtbot: QtBot, app_services: Services) -> None:
    bus = DataBus()
    page = make_page(qtbot, app_services, bus)
    view = table(page)
    click_row(qtbot, view, "VIP")
    assert row_texts(view, "VIP")[-1] == "0"
    _, changes = app_services.clients.create(
        ClientData(last_name="A"), CategoryChanges((MembershipData(by_name(app_services, "VIP").id),))
    )
    bus.publish(changes)
    assert row_texts(view, "VIP")[-1] == "1"
    assert page.selected_category() is not None and page.selected_category().name == "VIP"


def test_deleting_the_default_category_warns_that_new_clients_get_none(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.No
    )
    page = make_page(qtbot, app_services)
    click_row(qtbot, table(page), "New client")  # the default
    qtbot.mouseClick(child(page, "deleteCategoryButton"), Qt.MouseButton.LeftButton)
    assert "It is the default category: new clients will then get no category." in asked[0]
    click_row(qtbot, table(page), "Referral")
    qtbot.mouseClick(child(page, "deleteCategoryButton"), Qt.MouseButton.LeftButton)
    assert "default category:" not in asked[1]
