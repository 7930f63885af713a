"""The till by keyboard: Enter in the amount given completes the sale when the cash suffices."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkout_shop import Shop, make_shop
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from salon_desk.models import PaymentMethod
from salon_desk.services import Services
from salon_desk.ui.checkout.checkout_window import CheckoutWindow
from salon_desk.ui.common.bus import DataBus


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))
    shown: list[str] = []
    monkeypatch.setattr(
        "salon_desk.ui.checkout.receipt_printer.show_preview", lambda receipt, pdf, parent: shown.append(receipt.title)
    )
    return shown


@pytest.fixture
def till(qtbot: QtBot, app_services: Services) -> tuple[CheckoutWindow, Shop]:
    shop = make_shop(app_services)
    window = CheckoutWindow(app_services, DataBus(), None, client_id=shop.carla, as_window=True)
    qtbot.addWidget(window)
    window.show()
    window.add_item(shop.shampoo)  # 12,90 €
    return window, shop


def given(window: CheckoutWindow) -> QLineEdit:
    edit = window.findChild(QLineEdit, "givenEdit")
    assert edit is not None
    return edit


def test_enter_in_the_amount_given_completes_the_sale(
    qtbot: QtBot, app_services: Services, till: tuple[CheckoutWindow, Shop]
) -> None:
    window, _shop = till
    qtbot.keyClicks(given(window), "20")
    qtbot.keyClick(given(window), Qt.Key.Key_Return)
    sales = app_services.checkout.list_sales()
    assert len(sales) == 1 and sales[0].payment_method is PaymentMethod.CASH
    assert "Change: €7.10" in window.findChild(QLabel, "saleStatusLabel").text()
    assert window.model.rowCount() == 0 and given(window).text() == ""


def test_enter_with_too_little_cash_shows_what_is_missing_and_keeps_the_sale(
    qtbot: QtBot, app_services: Services, till: tuple[CheckoutWindow, Shop]
) -> None:
    window, _shop = till
    qtbot.keyClicks(given(window), "10")
    qtbot.keyClick(given(window), Qt.Key.Key_Return)
    error = window.findChild(QLabel, "givenEditError")
    assert error.isVisible() and "€2.90 missing" in error.text()
    assert app_services.checkout.list_sales() == [] and window.model.rowCount() == 1
    assert given(window).text() == "10"

    qtbot.keyClicks(given(window), "0")  # 100
    assert not error.isVisible()
    qtbot.keyClick(given(window), Qt.Key.Key_Enter)
    assert len(app_services.checkout.list_sales()) == 1


def test_enter_in_an_empty_amount_means_paid_exactly(
    qtbot: QtBot, app_services: Services, till: tuple[CheckoutWindow, Shop]
) -> None:
    window, _shop = till
    assert given(window).placeholderText() == "exactly €12.90"
    qtbot.keyClick(given(window), Qt.Key.Key_Return)
    sale = app_services.checkout.list_sales()[0]
    assert sale.total_gross == app_services.checkout.get_sale(sale.id).given


def test_enter_with_an_empty_cart_completes_nothing(qtbot: QtBot, app_services: Services) -> None:
    make_shop(app_services)
    window = CheckoutWindow(app_services, DataBus(), None, as_window=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(given(window), "50")
    qtbot.keyClick(given(window), Qt.Key.Key_Return)
    assert app_services.checkout.list_sales() == []
    assert window.message_label.text() == "Add at least one item to the sale."
