"""The till in German at 1240 × 760 and 1400 × 900: every column of a line readable, the VAT table unclipped."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from checkout_shop import Shop, make_shop
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.kinds import ItemKind
from salon_desk.pricing import ManualDiscount
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.ui.checkout.cart_item_delegate import PADDING
from salon_desk.ui.checkout.checkout_cart_model import DISCOUNT, ITEM, NOTE_ROLE, QUANTITY, TOTAL, UNIT, CartRow
from salon_desk.ui.checkout.checkout_window import CheckoutWindow
from salon_desk.ui.main_window import MainWindow

LONG_NAME = "Kinderhaarschnitt (bis 12 Jahre)"


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembered window sizes stay in this test's data folder."""
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    yield
    i18n.set_language("en")


@pytest.fixture
def till(qtbot: QtBot, app_services: Services, german: None) -> Iterator[tuple[MainWindow, CheckoutWindow]]:
    """The main window on the till, serving a club member: a group-price line, a manually discounted line."""
    shop: Shop = make_shop(app_services)
    long_item = app_services.catalog.create_item(
        ItemData(name=LONG_NAME, kind=ItemKind.SERVICE, price=Decimal("18.00"), vat_rate=Decimal("7"))
    )[0].id
    window = MainWindow(app_services)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("checkout")
    assert isinstance(page, CheckoutWindow)
    page.set_client(shop.anna)
    for item_id in (shop.cut, shop.shampoo, long_item, shop.book, shop.voucher):
        page.add_item(item_id)
    page.rows[1] = CartRow(page.rows[1].item, 2, ManualDiscount(Decimal("15"), "Maria", "Reklamation"))
    page.requote(select=1)
    yield window, page


def text_fits(view: QTableView, row: int, column: int, room: int) -> bool:
    text = str(view.model().index(row, column).data())
    return view.fontMetrics().horizontalAdvance(text) <= room


@pytest.mark.parametrize("size", [(1240, 760), (1400, 900)])
def test_every_column_of_a_line_is_readable_without_scrolling(
    qtbot: QtBot, till: tuple[MainWindow, CheckoutWindow], size: tuple[int, int]
) -> None:
    window, page = till
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    QApplication.processEvents()
    table = page.table
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    columns = (ITEM, QUANTITY, UNIT, DISCOUNT, TOTAL)
    assert sum(header.sectionSize(c) for c in columns) <= table.viewport().width()
    assert all(not header.isSectionHidden(c) for c in columns)
    model = table.model()
    assert "Gruppenpreis Club" in model.index(0, ITEM).data(NOTE_ROLE)
    assert model.index(1, DISCOUNT).data() == "−15\u00a0%"
    for row in range(model.rowCount()):
        # The name on the first line of its cell, never cut to "…"
        assert text_fits(table, row, ITEM, header.sectionSize(ITEM) - 2 * PADDING), model.index(row, ITEM).data()
        for column in (QUANTITY, UNIT, DISCOUNT, TOTAL):
            assert text_fits(table, row, column, header.sectionSize(column) - 2 * PADDING), (row, column)
    assert model.index(2, ITEM).data() == LONG_NAME


@pytest.mark.parametrize("size", [(1240, 760), (1400, 900)])
def test_the_vat_table_shows_its_header_and_amounts_in_full(
    qtbot: QtBot, till: tuple[MainWindow, CheckoutWindow], size: tuple[int, int]
) -> None:
    window, page = till
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    QApplication.processEvents()
    vat = page.vat_table
    header = vat.horizontalHeader()
    assert vat.horizontalHeaderItem(0).text() == "MwSt.-Satz"
    assert vat.rowCount() == 3  # 19 %, 7 % and 0 %
    margin = 2 * header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin) + 4
    for column in range(vat.columnCount()):
        title = vat.horizontalHeaderItem(column).text()
        assert header.fontMetrics().horizontalAdvance(title) + margin <= header.sectionSize(column), title
        for row in range(vat.rowCount()):
            amount = vat.item(row, column).text()
            assert vat.fontMetrics().horizontalAdvance(amount) + 8 <= header.sectionSize(column), amount
    assert not vat.verticalScrollBar().isVisible() and not vat.horizontalScrollBar().isVisible()
    last = vat.visualRect(vat.model().index(vat.rowCount() - 1, 0))
    assert last.bottom() <= vat.viewport().height()
    assert header.sectionResizeMode(0) != QHeaderView.ResizeMode.Interactive


def test_the_main_window_on_the_till_fits_1240_pixels(till: tuple[MainWindow, CheckoutWindow]) -> None:
    window, page = till
    assert window.minimumSizeHint().width() <= 1240
    assert page.minimumSizeHint().width() <= 1240 - 180
