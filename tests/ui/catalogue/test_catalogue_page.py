"""The catalogue page: items table, the item editor with restriction to groups, delete or deactivate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QListWidget, QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot
from services.catalogue.test_catalog import sell

from salon_desk import i18n
from salon_desk.kinds import ItemKind
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData, ItemInfo
from salon_desk.services.groups.groups import GroupData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.catalogue.catalogue_page import CataloguePage
from salon_desk.ui.catalogue.item_editor_dialog import ItemEditorDialog


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def make_page(qtbot: QtBot, services: Services) -> CataloguePage:
    page = CataloguePage(services, DataBus())
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    return page


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[str(model.index(r, c).data()) for c in range(model.columnCount())] for r in range(model.rowCount())]


def click_row(qtbot: QtBot, view: QTableView, name: str) -> None:
    row = [r[0] for r in rows(view)].index(name)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(row, 0)).center()
    )


def tick(qtbot: QtBot, check: QWidget) -> None:
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))


def tick_entry(qtbot: QtBot, widget: QListWidget, text: str) -> None:
    entry = next(widget.item(n) for n in range(widget.count()) if widget.item(n).text() == text)
    rect = widget.visualItemRect(entry)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))


def open_editor(qtbot: QtBot, page: CataloguePage, button: str) -> ItemEditorDialog:
    qtbot.mouseClick(child(page, button), Qt.MouseButton.LeftButton)
    assert page.editor is not None and page.editor.isVisible()
    return page.editor


def item(services: Services, name: str) -> ItemInfo:
    return next(i for i in services.catalog.list_items() if i.name == name)


def test_table_shows_items_with_price_vat_flags_and_groups(qtbot: QtBot, app_services: Services):
    firma, _ = app_services.groups.create(GroupData(name="Firma"))
    app_services.catalog.create_item(ItemData("Gutschein 25 €", ItemKind.PRODUCT, Decimal(25), Decimal(0), True))
    app_services.catalog.create_item(
        ItemData("Express-Schnitt", ItemKind.SERVICE, Decimal("25.5"), restricted_to=frozenset({firma.id}))
    )
    app_services.catalog.create_item(ItemData("Altes Set", ItemKind.PRODUCT, Decimal(9), Decimal(7), active=False))
    page = make_page(qtbot, app_services)
    table = child(page, "catalogueTable")
    assert rows(table) == [
        ["Express-Schnitt", "Service", "€25.50", "19%", "", "✓", "Firma"],
        ["Gutschein 25 €", "Product", "€25.00", "0%", "✓", "✓", "—"],
    ]
    tick(qtbot, child(page, "showInactiveCheck"))
    assert [r[0] for r in rows(table)] == ["Altes Set", "Express-Schnitt", "Gutschein 25 €"]
    assert rows(table)[0][5] == ""


def test_new_item_typed_in_german_format_with_restriction(qtbot: QtBot, app_services: Services):
    i18n.set_language("de")
    app_services.groups.create(GroupData(name="Club"))
    firma, _ = app_services.groups.create(GroupData(name="Firma"))
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newItemButton")
    qtbot.keyClicks(child(dialog, "itemNameEdit"), "Argan oil")
    child(dialog, "itemKindCombo").setCurrentIndex(1)
    qtbot.keyClicks(child(dialog, "itemPriceEdit"), "24,90")
    child(dialog, "itemVatCombo").setCurrentIndex(1)
    tick_entry(qtbot, child(dialog, "itemGroupList"), "Firma")
    qtbot.mouseClick(child(dialog, "saveItemButton"), Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    saved = item(app_services, "Argan oil")
    assert (saved.kind, saved.price, saved.vat_rate, saved.restricted_to) == (
        ItemKind.PRODUCT,
        Decimal("24.90"),
        Decimal("7.00"),
        frozenset({firma.id}),
    )
    assert saved.active and not saved.no_discounts
    table = child(page, "catalogueTable")
    assert table.model().record(table.selectionModel().selectedRows()[0].row()).id == saved.id


@pytest.mark.parametrize(
    ("name", "price", "field", "message"),
    [
        ("", "10", "itemNameEdit", "Please enter a name for the item."),
        ("Blow-dry", "", "itemPriceEdit", "Please enter the price including VAT."),
        ("Blow-dry", "zehn", "itemPriceEdit", "Please enter the price as an amount such as 39.90."),
        ("Blow-dry", "-3", "itemPriceEdit", "A price must be a number of at least 0,00 €."),
        ("Blow-dry", "3.999", "itemPriceEdit", "A price may have at most two decimal places (cents)."),
    ],
)
def test_wrong_input_shown_next_to_the_field_nothing_saved(
    qtbot: QtBot, app_services: Services, name: str, price: str, field: str, message: str
):
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newItemButton")
    qtbot.keyClicks(child(dialog, "itemNameEdit"), name)
    qtbot.keyClicks(child(dialog, "itemPriceEdit"), price)
    qtbot.mouseClick(child(dialog, "saveItemButton"), Qt.MouseButton.LeftButton)
    error = child(dialog, f"{field}Error")
    assert error.isVisible() and error.text() == message
    assert dialog.isVisible() and app_services.catalog.list_items() == []
    assert child(dialog, "itemPriceEdit").text() == price


def test_edit_loads_and_saves_changes(qtbot: QtBot, app_services: Services):
    club, _ = app_services.groups.create(GroupData(name="Club"))
    app_services.catalog.create_item(
        ItemData("Schnitt", ItemKind.SERVICE, Decimal(49), restricted_to=frozenset({club.id}))
    )
    page = make_page(qtbot, app_services)
    click_row(qtbot, child(page, "catalogueTable"), "Schnitt")
    dialog = open_editor(qtbot, page, "editItemButton")
    assert child(dialog, "itemPriceEdit").text() == "49.00"
    groups = child(dialog, "itemGroupList")
    assert groups.item(0).checkState() == Qt.CheckState.Checked
    tick_entry(qtbot, groups, "Club")
    tick(qtbot, child(dialog, "itemNoDiscountsCheck"))
    child(dialog, "itemPriceEdit").setText("52.50")
    qtbot.mouseClick(child(dialog, "saveItemButton"), Qt.MouseButton.LeftButton)
    saved = item(app_services, "Schnitt")
    assert (saved.price, saved.no_discounts, saved.restricted_to) == (Decimal("52.50"), True, frozenset())
    assert rows(child(page, "catalogueTable"))[0][2:] == ["€52.50", "19%", "✓", "✓", "—"]


def test_unsold_item_is_deleted_after_confirmation(qtbot: QtBot, app_services: Services, monkeypatch):
    app_services.catalog.create_item(ItemData("Föhnen", ItemKind.SERVICE, Decimal(25)))
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda p, t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    page = make_page(qtbot, app_services)
    click_row(qtbot, child(page, "catalogueTable"), "Föhnen")
    qtbot.mouseClick(child(page, "deleteItemButton"), Qt.MouseButton.LeftButton)
    assert asked[0].startswith("Delete “Föhnen”?")
    assert app_services.catalog.list_items() == []
    assert rows(child(page, "catalogueTable")) == []


def test_sold_item_is_deactivated_instead_of_deleted(qtbot: QtBot, app_services: Services, monkeypatch):
    info, _ = app_services.catalog.create_item(ItemData("Föhnen", ItemKind.SERVICE, Decimal(25)))
    sell(app_services, info.id)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda p, t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warned.append(text))
    page = make_page(qtbot, app_services)
    table = child(page, "catalogueTable")
    click_row(qtbot, table, "Föhnen")
    qtbot.mouseClick(child(page, "deleteItemButton"), Qt.MouseButton.LeftButton)
    assert "appears on 1 past sale line, so it cannot be deleted" in asked[0]
    assert "Deactivate it instead?" in asked[0]
    kept = item(app_services, "Föhnen")
    assert not kept.active
    assert rows(table) == []  # inactive items are hidden until asked for
    tick(qtbot, child(page, "showInactiveCheck"))
    click_row(qtbot, table, "Föhnen")
    qtbot.mouseClick(child(page, "deleteItemButton"), Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "already inactive" in warned[0]
    assert item(app_services, "Föhnen").id == info.id


def test_delete_answered_no_keeps_the_item(qtbot: QtBot, app_services: Services, monkeypatch):
    app_services.catalog.create_item(ItemData("Föhnen", ItemKind.SERVICE, Decimal(25)))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    page = make_page(qtbot, app_services)
    click_row(qtbot, child(page, "catalogueTable"), "Föhnen")
    qtbot.keyClick(child(page, "catalogueTable"), Qt.Key.Key_Delete)
    assert [i.name for i in app_services.catalog.list_items()] == ["Föhnen"]


def test_umlauts_sort_as_in_the_client_list(qtbot, app_services):
    from salon_desk.ui.catalogue.catalogue_page import CataloguePage
    from salon_desk.ui.common.bus import DataBus

    for name in ("Zopf flechten", "Öl-Haarkur", "Ohrringe stechen", "Ärmel", "Augenbrauen", "Ölpflege"):
        app_services.catalog.create_item(ItemData(name, ItemKind.SERVICE, Decimal("10")))
    page = CataloguePage(app_services, DataBus())
    qtbot.addWidget(page)
    model = page.model
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == ["Ärmel", "Augenbrauen", "Ohrringe stechen", "Öl-Haarkur", "Ölpflege", "Zopf flechten"]
    assert [i.name for i in app_services.catalog.list_items()] == names
    assert [i.name for i in app_services.checkout.sellable_items()] == names
