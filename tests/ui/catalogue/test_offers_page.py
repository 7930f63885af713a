"""The special-offers page: table with state, the offer editor, the state filter, delete."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QListWidget, QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.i18n import format_date
from salon_desk.kinds import ItemKind
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData, OfferData, OfferState
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.catalogue.offer_editor_dialog import OfferEditorDialog, state_label
from salon_desk.ui.catalogue.offers_page import OffersPage

TODAY = date.today()


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def make_page(qtbot: QtBot, services: Services) -> OffersPage:
    page = OffersPage(services, DataBus())
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


def tick_entry(qtbot: QtBot, widget: QListWidget, text: str) -> None:
    entry = next(widget.item(n) for n in range(widget.count()) if widget.item(n).text() == text)
    rect = widget.visualItemRect(entry)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


@pytest.fixture
def items(app_services: Services) -> dict[str, int]:
    names = {"Cut": "40", "Colour": "80", "Shampoo": "12.90"}
    return {
        name: app_services.catalog.create_item(ItemData(name, ItemKind.SERVICE, Decimal(price)))[0].id
        for name, price in names.items()
    }


def open_editor(qtbot: QtBot, page: OffersPage, button: str) -> OfferEditorDialog:
    qtbot.mouseClick(child(page, button), Qt.MouseButton.LeftButton)
    assert page.editor is not None and page.editor.isVisible()
    return page.editor


def test_table_shows_offers_with_price_dates_and_state(qtbot: QtBot, app_services: Services, items):
    week = timedelta(days=7)
    app_services.catalog.create_offer(
        OfferData("Now", frozenset({items["Cut"], items["Colour"]}), TODAY, TODAY + week, percent_off=Decimal(15))
    )
    app_services.catalog.create_offer(
        OfferData("Later", frozenset({items["Cut"]}), TODAY + week, TODAY + 2 * week, offer_price=Decimal("29.90"))
    )
    app_services.catalog.create_offer(
        OfferData("Past", frozenset({items["Shampoo"]}), TODAY - 2 * week, TODAY - week, percent_off=Decimal("12.5"))
    )
    page = make_page(qtbot, app_services)
    table = child(page, "offersTable")
    assert rows(table) == [
        ["Now", "Colour, Cut", "−15%", format_date(TODAY), format_date(TODAY + week), "Active"],
        ["Later", "Cut", "€29.90", format_date(TODAY + week), format_date(TODAY + 2 * week), "Upcoming"],
        ["Past", "Shampoo", "−12.5%", format_date(TODAY - 2 * week), format_date(TODAY - week), "Ended"],
    ]
    combo = child(page, "offerStateFilter")
    combo.setCurrentIndex(combo.findData(OfferState.ENDED.value))
    assert [r[0] for r in rows(table)] == ["Past"]


def test_new_offer_with_percentage_in_german_format(qtbot: QtBot, app_services: Services, items):
    i18n.set_language("de")
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newOfferButton")
    qtbot.keyClicks(child(dialog, "offerNameEdit"), "Summer colour")
    qtbot.keyClicks(child(dialog, "offerItemFilterEdit"), "col")
    item_list = child(dialog, "offerItemList")
    assert [item_list.item(n).isHidden() for n in range(item_list.count())] == [False, True, True]
    tick_entry(qtbot, item_list, "Colour")
    qtbot.mouseClick(child(dialog, "percentOffRadio"), Qt.MouseButton.LeftButton)
    assert not child(dialog, "offerPriceEdit").isEnabled()
    qtbot.keyClicks(child(dialog, "percentOffEdit"), "12,5")
    child(dialog, "offerStartEdit").setDate(qdate(TODAY + timedelta(days=1)))
    child(dialog, "offerEndEdit").setDate(qdate(TODAY + timedelta(days=10)))
    state = child(dialog, "offerStateLabel").text()
    assert state.startswith(state_label(OfferState.UPCOMING)) and format_date(TODAY + timedelta(days=10)) in state
    qtbot.mouseClick(child(dialog, "saveOfferButton"), Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    (saved,) = app_services.catalog.list_offers(TODAY)
    assert (saved.name, saved.item_ids, saved.percent_off, saved.offer_price) == (
        "Summer colour",
        frozenset({items["Colour"]}),
        Decimal("12.50"),
        None,
    )
    assert (saved.starts_on, saved.ends_on, saved.state) == (
        TODAY + timedelta(days=1),
        TODAY + timedelta(days=10),
        OfferState.UPCOMING,
    )


@pytest.mark.parametrize(
    ("setup", "field", "message"),
    [
        ("no_items", "offerItemList", "Choose at least one item for the offer."),
        ("no_price", "offerPriceEdit", "Please enter the offer price."),
        ("bad_price", "offerPriceEdit", "Please enter the price as an amount such as 39.90."),
        ("bad_percent", "percentOffEdit", "The percentage off must be between 0.01 and 100."),
        ("ends_first", "offerEndEdit", "The offer cannot end before it starts."),
    ],
)
def test_wrong_offer_refused_next_to_the_field(qtbot: QtBot, app_services: Services, items, setup, field, message):
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newOfferButton")
    qtbot.keyClicks(child(dialog, "offerNameEdit"), "Spring")
    if setup != "no_items":
        tick_entry(qtbot, child(dialog, "offerItemList"), "Cut")
    if setup == "bad_price":
        qtbot.keyClicks(child(dialog, "offerPriceEdit"), "abc")
    if setup == "bad_percent":
        qtbot.mouseClick(child(dialog, "percentOffRadio"), Qt.MouseButton.LeftButton)
        qtbot.keyClicks(child(dialog, "percentOffEdit"), "150")
    if setup in ("no_items", "ends_first"):
        qtbot.keyClicks(child(dialog, "offerPriceEdit"), "30")
    if setup == "ends_first":
        child(dialog, "offerEndEdit").setDate(qdate(TODAY - timedelta(days=1)))
    qtbot.mouseClick(child(dialog, "saveOfferButton"), Qt.MouseButton.LeftButton)
    error = child(dialog, f"{field}Error")
    assert error.isVisible() and error.text() == message
    assert dialog.isVisible() and app_services.catalog.list_offers() == []


def test_edit_offer_switches_to_a_fixed_price(qtbot: QtBot, app_services: Services, items):
    app_services.catalog.create_offer(
        OfferData("Spring", frozenset({items["Cut"]}), TODAY, TODAY, percent_off=Decimal(10))
    )
    page = make_page(qtbot, app_services)
    click_row(qtbot, child(page, "offersTable"), "Spring")
    dialog = open_editor(qtbot, page, "editOfferButton")
    assert child(dialog, "percentOffRadio").isChecked() and child(dialog, "percentOffEdit").text() == "10"
    tick_entry(qtbot, child(dialog, "offerItemList"), "Shampoo")
    qtbot.mouseClick(child(dialog, "offerPriceRadio"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(dialog, "offerPriceEdit"), "9.99")
    qtbot.mouseClick(child(dialog, "saveOfferButton"), Qt.MouseButton.LeftButton)
    (saved,) = app_services.catalog.list_offers(TODAY)
    assert (saved.item_ids, saved.offer_price, saved.percent_off) == (
        frozenset({items["Cut"], items["Shampoo"]}),
        Decimal("9.99"),
        None,
    )
    assert rows(child(page, "offersTable"))[0][1:3] == ["Cut, Shampoo", "€9.99"]


def test_delete_offer_after_confirmation(qtbot: QtBot, app_services: Services, items, monkeypatch):
    app_services.catalog.create_offer(OfferData("Spring", frozenset({items["Cut"]}), TODAY, TODAY, Decimal(30)))
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda p, t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    page = make_page(qtbot, app_services)
    click_row(qtbot, child(page, "offersTable"), "Spring")
    qtbot.mouseClick(child(page, "deleteOfferButton"), Qt.MouseButton.LeftButton)
    assert asked[0].startswith("Delete the special offer “Spring”?")
    assert app_services.catalog.list_offers() == []
    assert rows(child(page, "offersTable")) == []


def test_an_offer_price_at_or_above_the_list_price_warns(qtbot: QtBot, app_services: Services, items):
    page = make_page(qtbot, app_services)
    dialog = open_editor(qtbot, page, "newOfferButton")
    warning = child(dialog, "offerPriceWarning")
    tick_entry(qtbot, child(dialog, "offerItemList"), "Cut")  # 40,00
    tick_entry(qtbot, child(dialog, "offerItemList"), "Shampoo")  # 12,90
    qtbot.keyClicks(child(dialog, "offerPriceEdit"), "39.99")
    assert "Shampoo (€12.90)" in warning.text() and "Cut" not in warning.text() and warning.isVisible()
    child(dialog, "offerPriceEdit").clear()
    qtbot.keyClicks(child(dialog, "offerPriceEdit"), "40")
    assert "Cut (€40.00), Shampoo (€12.90)" in warning.text()
    tick_entry(qtbot, child(dialog, "offerItemList"), "Cut")
    tick_entry(qtbot, child(dialog, "offerItemList"), "Shampoo")  # nothing ticked: nothing to warn about
    assert not warning.isVisible()
    tick_entry(qtbot, child(dialog, "offerItemList"), "Colour")  # 80,00
    assert not warning.isVisible()
    qtbot.mouseClick(child(dialog, "percentOffRadio"), Qt.MouseButton.LeftButton)
    assert not warning.isVisible()


def test_the_price_fields_hint_with_an_example(qtbot: QtBot, app_services: Services, items):
    i18n.set_language("de")
    dialog = open_editor(qtbot, make_page(qtbot, app_services), "newOfferButton")
    assert child(dialog, "offerPriceEdit").placeholderText().startswith("z. B. ")
    assert child(dialog, "percentOffEdit").placeholderText() == "z. B. 15"
