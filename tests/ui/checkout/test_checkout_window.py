"""The checkout window: a whole sale through the UI, its receipt PDF, refusals, discounts, past sales."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from checkout_shop import MANAGER_PIN, Shop, add_staff, make_shop, sign_in_cashier
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QPushButton, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.models import PaymentMethod
from salon_desk.pricing import ManualDiscount
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import BusinessInfo, Cart, CartLine, Payment
from salon_desk.services.checkout.receipt import build_receipt
from salon_desk.services.checkout.tse import FakeTse
from salon_desk.ui.checkout import checkout_window, receipt_printer
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.checkout.checkout_window import CheckoutWindow
from salon_desk.ui.checkout.checkout_cart_model import NOTE_ROLE
from salon_desk.ui.clients.client_card import ClientCardWindow


def child(widget: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot: QtBot, widget: QWidget, name: str) -> None:
    qtbot.mouseClick(child(widget, name), Qt.MouseButton.LeftButton)


def cell(window: CheckoutWindow, row: int, column: int) -> str:
    model = window.table.model()
    return str(model.data(model.index(row, column)))


def note(window: CheckoutWindow, row: int) -> str:
    """The item cell's second line: where the price and the discount came from."""
    model = window.table.model()
    return str(model.data(model.index(row, 0), NOTE_ROLE))


def pdf_text(path: Path) -> str:
    """The PDF's text with ligatures undone and whitespace collapsed."""
    text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def when_modal(qtbot: QtBot, handle: Callable[[QWidget], None]) -> None:
    """Answer the next modal dialog with ``handle`` once it is shown."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        handle(dialog)

    QTimer.singleShot(0, answer)


@pytest.fixture
def shop(app_services: Services) -> Shop:
    shop = make_shop(app_services)
    app_services.checkout.set_business(BusinessInfo("Salon Schön", "Hauptstraße 1, 80331 München", "143/123/45678"))
    return shop


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Path]]:
    """Receipt previews shown (title and PDF), without opening the print preview window."""
    shown: list[tuple[str, Path]] = []
    monkeypatch.setattr(
        "salon_desk.ui.checkout.receipt_printer.show_preview", lambda receipt, pdf, parent: shown.append((receipt.title, pdf))
    )
    return shown


def open_checkout(qtbot: QtBot, services: Services, client_id: int | None = None) -> CheckoutWindow:
    window = CheckoutWindow(services, DataBus(), None, client_id=client_id, as_window=True)
    qtbot.addWidget(window)
    window.show()
    return window


def choose_client(qtbot: QtBot, window: CheckoutWindow, text: str) -> None:
    qtbot.keyClicks(child(window, "checkoutClientSearchEdit"), text)
    results = child(window, "checkoutClientResults")
    qtbot.waitUntil(lambda: results.isVisible() and results.count() > 0)
    qtbot.keyClick(child(window, "checkoutClientSearchEdit"), Qt.Key.Key_Return)


def add_by_search(qtbot: QtBot, window: CheckoutWindow, text: str) -> None:
    search = child(window, "itemSearchEdit")
    search.clear()
    qtbot.keyClicks(search, text)
    qtbot.keyClick(search, Qt.Key.Key_Return)


def quick_button(window: CheckoutWindow, name: str) -> QPushButton:
    buttons = [b for b in window.findChildren(QPushButton) if b.objectName().startswith("quickItemButton")]
    return next(b for b in buttons if b.text().startswith(name))


# -- a whole sale -------------------------------------------------------------------------


def test_a_whole_sale_through_the_window_with_its_receipt_pdf(
    qtbot: QtBot, app_services: Services, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_checkout(qtbot, app_services)
    assert child(window, "checkoutClientLabel", QLabel).text() == "No client"

    choose_client(qtbot, window, "mul")
    assert child(window, "checkoutClientLabel", QLabel).text() == "Anna Müller"
    assert child(window, "checkoutGroupLabel", QLabel).text() == "Group: Club"
    categories = child(window, "checkoutCategoryList")
    assert categories.item(0).text() == "Student/in · −10%"  # type: ignore[attr-defined]

    add_by_search(qtbot, window, "hairc")
    qtbot.mouseClick(quick_button(window, "Shampoo"), Qt.MouseButton.LeftButton)
    click(qtbot, window, "increaseQuantityButton")
    add_by_search(qtbot, window, "colour")
    assert [cell(window, r, 0) for r in range(3)] == ["Haircut", "Shampoo", "Colour"]
    assert [cell(window, 0, c) for c in range(1, 5)] == ["1", "€39.90", "−10%", "€35.91"]
    assert note(window, 0) == "Group price Club · −10% Student/in"
    assert [cell(window, 1, c) for c in (1, 3, 4)] == ["2", "−10%", "€23.22"]
    assert note(window, 1) == "List price · −10% Student/in"
    assert [cell(window, 2, c) for c in (3, 4)] == ["—", "€60.00"] and note(window, 2) == "Offer “Colour week”"
    assert child(window, "totalLabel", QLabel).text() == "€119.13"
    vat = child(window, "vatTable")
    assert [vat.item(0, c).text() for c in range(4)] == ["19%", "€100.11", "€19.02", "€119.13"]  # type: ignore[attr-defined]

    qtbot.keyClicks(child(window, "givenEdit"), "150")
    assert child(window, "changeLabel", QLabel).text() == "€30.87"
    shown: list[QDialog] = []
    real_preview = checkout_window.receipt_printer.show_preview

    def preview(receipt, pdf, parent):  # type: ignore[no-untyped-def]
        dialog = real_preview(receipt, pdf, parent)
        shown.append(dialog)
        return dialog

    monkeypatch.setattr(checkout_window.receipt_printer, "show_preview", preview)
    click(qtbot, window, "completeSaleButton")

    sales = app_services.checkout.list_sales()
    assert [(s.number, s.client_name, s.total_gross) for s in sales] == [(1, "Anna Müller", Decimal("119.13"))]
    sale = app_services.checkout.get_sale(sales[0].id)
    assert (sale.given, sale.change, sale.payment_method) == (Decimal("150.00"), Decimal("30.87"), PaymentMethod.CASH)
    assert shown and shown[0].isVisible() and shown[0].objectName() == "receiptPreviewDialog"
    shown[0].close()
    assert "Sale no. 1 completed." in child(window, "saleStatusLabel", QLabel).text()
    assert window.model.rowCount() == 0 and child(window, "checkoutClientLabel", QLabel).text() == "No client"

    text = pdf_text(window.last_pdf)
    for expected in (
        "Salon Schön",
        "Hauptstraße 1, 80331 München",
        "Tax number: 143/123/45678",
        "Receipt no. 1",
        "Client Anna Müller",
        "Haircut 1 × €39.90 €35.91",
        "Group price Club · −10% Student/in · 19%",
        "Shampoo 2 × €12.90 €23.22",
        "Offer “Colour week” · 19%",
        "Total: €119.13",
        "19% €100.11 €19.02 €119.13",
        "Payment Cash",
        "Given €150.00",
        "Change €30.87",
        "TSE No TSE connected",
    ):
        assert expected in text, expected
    local_start, local_end = sale.started_at.astimezone(), sale.completed_at.astimezone()
    assert f"Start {local_start:%H:%M:%S}" in text and f"End {local_end:%H:%M:%S}" in text


def test_the_receipt_pdf_is_german_in_german(qtbot: QtBot, app_services: Services, shop: Shop) -> None:
    sale = app_services.checkout.complete(
        shop.anna, Cart((CartLine(shop.colour), CartLine(shop.shampoo))), Payment(PaymentMethod.CASH, Decimal(100))
    )
    i18n.set_language("de")
    pdf = receipt_printer.write_pdf(build_receipt(sale, app_services.checkout.business()))
    text = pdf_text(pdf)
    for expected in (
        "Beleg-Nr. 1",
        "Angebot „Colour week“ · 19 %",
        "Listenpreis · −10 % Student/in · 19 %",
        "Gesamt: 71,61 €",
        "Zahlung Bar",
        "Gegeben 100,00 €",
        "Rückgeld 28,39 €",
        "TSE Keine TSE angeschlossen",
    ):
        assert expected in text, expected


def test_paying_too_little_cash_keeps_the_cart_and_says_why(
    qtbot: QtBot, app_services: Services, shop: Shop, previews: list[tuple[str, Path]]
) -> None:
    window = open_checkout(qtbot, app_services, shop.carla)
    add_by_search(qtbot, window, "shamp")
    qtbot.keyClicks(child(window, "givenEdit"), "10")
    click(qtbot, window, "completeSaleButton")
    error = child(window, "givenEditError", QLabel)
    assert error.text() == "The cash given (€10.00) is less than the total (€12.90): €2.90 missing."
    assert error.isVisible()
    assert app_services.checkout.list_sales() == [] and window.model.rowCount() == 1 and previews == []

    click(qtbot, window, "cardRadio")
    click(qtbot, window, "completeSaleButton")
    assert app_services.checkout.list_sales()[0].payment_method is PaymentMethod.CARD
    assert [title for title, _ in previews] == ["Receipt"]


def test_a_tse_failure_does_not_stop_the_sale_and_the_receipt_says_so(
    qtbot: QtBot, app_services: Services, shop: Shop, previews: list[tuple[str, Path]]
) -> None:
    app_services.checkout.tse = FakeTse(fail_on_finish=True)
    window = open_checkout(qtbot, app_services, shop.anna)
    add_by_search(qtbot, window, "hairc")
    click(qtbot, window, "completeSaleButton")
    sales = app_services.checkout.list_sales()
    assert len(sales) == 1 and window.model.rowCount() == 0
    assert [title for title, _ in previews] == ["Receipt"]
    assert "TSE TSE failed" in pdf_text(previews[0][1])


def test_quantities_are_typed_or_stepped_and_lines_removed(qtbot: QtBot, app_services: Services, shop: Shop) -> None:
    window = open_checkout(qtbot, app_services, shop.anna)
    add_by_search(qtbot, window, "shamp")
    add_by_search(qtbot, window, "shamp")  # the same item again: one line, two of it
    add_by_search(qtbot, window, "book")
    assert [(cell(window, r, 0), cell(window, r, 1)) for r in range(2)] == [("Shampoo", "2"), ("Hair book", "1")]

    table = child(window, "cartTable")
    table.setCurrentIndex(window.model.index(1, 1))  # type: ignore[attr-defined]
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.findChild(QSpinBox)
    assert editor is not None and editor.value() == 1
    editor.selectAll()
    qtbot.keyClicks(editor, "4")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits the edit through the event loop
    qtbot.waitUntil(lambda: cell(window, 1, 1) == "4")
    assert cell(window, 1, 4) == "€72.00"

    click(qtbot, window, "decreaseQuantityButton")
    assert cell(window, 1, 1) == "3"
    table.selectRow(0)  # type: ignore[attr-defined]
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert window.model.rowCount() == 1 and cell(window, 0, 0) == "Hair book"
    assert child(window, "totalLabel", QLabel).text() == "€54.00"


# -- refusals and discounts ---------------------------------------------------------------


def test_restricted_item_is_refused_with_a_message(qtbot: QtBot, app_services: Services, shop: Shop) -> None:
    window = open_checkout(qtbot, app_services, shop.carla)
    add_by_search(qtbot, window, "club")
    message = child(window, "cartMessageLabel", QLabel)
    assert message.text() == "“Club treatment” is sold only to members of “Club”; this client is not a member."
    assert window.model.rowCount() == 0

    choose_client(qtbot, window, "anna")
    add_by_search(qtbot, window, "club")
    assert window.model.rowCount() == 1 and cell(window, 0, 0) == "Club treatment"
    click(qtbot, window, "noClientButton")
    assert window.model.rowCount() == 0
    assert "Taken out of the sale" in message.text() and "“Club treatment”" in message.text()


def test_expired_category_is_shown_as_expired(qtbot: QtBot, app_services: Services, shop: Shop) -> None:
    window = open_checkout(qtbot, app_services, shop.ben)
    texts = [child(window, "checkoutCategoryList").item(i).text() for i in range(2)]  # type: ignore[attr-defined]
    assert texts[0].startswith("VIP-Club · −15% · expired ") and texts[0].endswith(": no discount")
    assert texts[1] == "Student/in · −10%"
    assert child(window, "renewMembershipButton").isVisible()


def test_why_this_price_explains_the_line(qtbot: QtBot, app_services: Services, shop: Shop) -> None:
    window = open_checkout(qtbot, app_services, shop.ben)
    add_by_search(qtbot, window, "hairc")
    seen: list[str] = []

    def read(dialog: QWidget) -> None:
        seen.extend(dialog.sentences)  # type: ignore[attr-defined]
        dialog.close()

    when_modal(qtbot, read)
    click(qtbot, window, "whyPriceButton")
    assert seen[0] == "List price: €49.00."
    assert "Category “Student/in” (10%): gives this line its discount." in seen
    assert any(s.startswith("Category “VIP-Club” (15%): membership expired") for s in seen)
    assert seen[-1] == "1 × €49.00 less 10% = €44.10 (rounded to the cent)."


def approve_in_dialog(qtbot: QtBot, reason: str | None, pins: tuple[str, ...] = (MANAGER_PIN,)) -> list[str]:
    """Answer the next approval dialog: the manager types each PIN in turn (and ``reason``, unless None:
    then the reason filled in stays); returns the action text shown and the reason filled in."""
    shown: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert dialog.objectName() == "approvalDialog"
        shown.append(child(dialog, "approvalActionLabel", QLabel).text())
        shown.append(child(dialog, "approvalReasonCombo").currentText())  # type: ignore[attr-defined]
        if reason is not None:
            child(dialog, "approvalReasonCombo").setCurrentText(reason)  # type: ignore[attr-defined]
        for pin in pins:
            pin_edit = child(dialog, "approvalPinEdit")
            pin_edit.clear()  # type: ignore[attr-defined]
            qtbot.keyClicks(pin_edit, pin)
            click(qtbot, dialog, "approveButton")

    when_modal(qtbot, answer)
    return shown


def test_a_manual_discount_above_the_limit_needs_a_manager(
    qtbot: QtBot, app_services: Services, shop: Shop, previews: list[tuple[str, Path]]
) -> None:
    add_staff(app_services, shop)
    sign_in_cashier(app_services, shop)
    window = open_checkout(qtbot, app_services, shop.carla)
    add_by_search(qtbot, window, "hairc")

    def discount(dialog: QWidget) -> None:
        qtbot.keyClicks(child(dialog, "manualPercentEdit"), "20")
        assert "Above your limit of 10%" in child(dialog, "manualLimitHint", QLabel).text()
        child(dialog, "manualReasonCombo").setCurrentText("Complaint")  # type: ignore[attr-defined]
        click(qtbot, dialog, "okManualDiscountButton")

    when_modal(qtbot, discount)
    click(qtbot, window, "lineDiscountButton")
    assert cell(window, 0, 3) == "−20%" and cell(window, 0, 4) == "€39.20"
    assert note(window, 0).endswith("−20% manual discount")
    click(qtbot, window, "cardRadio")
    shown = approve_in_dialog(qtbot, None, pins=("0000", MANAGER_PIN))
    click(qtbot, window, "completeSaleButton")

    assert "A manual discount of 20% is above your limit of 10%: a manager must approve it." in shown[0]
    assert shown[1] == "Complaint"  # the cashier's reason, not typed again
    sale = app_services.checkout.get_sale(app_services.checkout.list_sales()[0].id)
    assert sale.staff_name == "Cem Cashier" and sale.total_gross == Decimal("39.20")
    assert sale.lines[0].manual_by == "Cem Cashier" and sale.lines[0].why["manual"]["approved_by"] == "Maria Manager"
    assert [title for title, _ in previews] == ["Receipt"]


def test_refusing_the_approval_stores_nothing(
    qtbot: QtBot, app_services: Services, shop: Shop, previews: list[tuple[str, Path]]
) -> None:
    add_staff(app_services, shop)
    sign_in_cashier(app_services, shop)
    window = open_checkout(qtbot, app_services, shop.carla)
    add_by_search(qtbot, window, "hairc")

    def discount(dialog: QWidget) -> None:
        qtbot.keyClicks(child(dialog, "manualPercentEdit"), "30")
        qtbot.keyClicks(child(dialog, "manualReasonCombo"), "Friend")
        click(qtbot, dialog, "okManualDiscountButton")

    when_modal(qtbot, discount)
    click(qtbot, window, "saleDiscountButton")
    assert child(window, "saleDiscountLabel", QLabel).text() == "Manual discount on the whole sale: −30% (Friend)"
    assert window.sale_manual == ManualDiscount(Decimal("30"), "Cem Cashier", "Friend")
    when_modal(qtbot, lambda dialog: click(qtbot, dialog, "cancelApprovalButton"))
    click(qtbot, window, "cardRadio")
    click(qtbot, window, "completeSaleButton")
    assert app_services.checkout.list_sales() == [] and window.model.rowCount() == 1 and previews == []


# -- past sales ---------------------------------------------------------------------------


def test_past_sales_reprint_and_cancel(
    qtbot: QtBot,
    app_services: Services,
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
    previews: list[tuple[str, Path]],
) -> None:
    add_staff(app_services, shop)
    first = app_services.checkout.complete(shop.anna, Cart((CartLine(shop.cut),)), Payment(PaymentMethod.CARD))
    app_services.checkout.complete(None, Cart((CartLine(shop.shampoo),)), Payment(PaymentMethod.CASH))
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    window = open_checkout(qtbot, app_services)
    click(qtbot, window, "pastSalesButton")
    dialog = window.sales_dialog
    assert dialog is not None and dialog.isVisible()
    table = child(dialog, "salesTable")
    assert [table.item(r, 0).text() for r in range(2)] == ["2", "1"]  # type: ignore[attr-defined]

    table.selectRow(1)  # type: ignore[attr-defined]
    click(qtbot, dialog, "reprintSaleButton")
    assert previews[-1][0] == "Receipt" and "Haircut 1 × €39.90 €35.91" in pdf_text(previews[-1][1])
    assert "*** COPY ***" in pdf_text(previews[-1][1])

    approve_in_dialog(qtbot, "Wrong client")
    click(qtbot, dialog, "cancelSaleButton")
    assert [table.item(r, 0).text() for r in range(3)] == ["3", "2", "1"]  # type: ignore[attr-defined]
    assert table.item(0, 6).text() == "cancels no. 1" and table.item(2, 6).text() == "cancelled by no. 3"  # type: ignore[attr-defined]
    assert previews[-1][0] == "Cancellation"
    assert "Cancels receipt no. 1. Reason: Wrong client" in pdf_text(previews[-1][1])
    assert app_services.checkout.get_sale(first.id).reversed_by_number == 3

    table.selectRow(2)  # type: ignore[attr-defined]
    click(qtbot, dialog, "cancelSaleButton")  # refused before a manager is asked
    assert child(dialog, "salesMessageLabel", QLabel).text() == "Receipt no. 1 was already cancelled by receipt no. 3."
    assert len(app_services.checkout.list_sales()) == 3


# -- from the client card -------------------------------------------------------------------


def test_the_client_card_asks_for_the_checkout_with_its_client(qtbot: QtBot, app_services: Services, shop: Shop) -> None:
    bus = DataBus()
    card = ClientCardWindow(app_services, bus, shop.anna)
    qtbot.addWidget(card)
    card.show()
    with qtbot.waitSignal(bus.sig_open_checkout) as asked:
        click(qtbot, card, "checkoutClientButton")
    assert asked.args == [shop.anna]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, CheckoutWindow) and w.isVisible()]


def test_a_busy_checkout_page_leaves_the_card_a_checkout_window_of_its_own(
    qtbot: QtBot, app_services: Services, shop: Shop
) -> None:
    from salon_desk.ui.main_window import MainWindow

    main = MainWindow(app_services)
    qtbot.addWidget(main)
    main.show()
    page = main.pages["checkout"]
    assert isinstance(page, CheckoutWindow)
    page.add_item(shop.cut)  # someone is being served at the page
    card = main.pages["clients"].open_client(shop.anna)  # type: ignore[attr-defined]
    click(qtbot, card, "checkoutClientButton")
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, CheckoutWindow) and w.isVisible()]
    assert len(windows) == 1 and windows[0] is not page
    checkout = windows[0]
    assert checkout.client_id == shop.anna
    assert child(checkout, "checkoutClientLabel", QLabel).text() == "Anna Müller"
    assert len(page.rows) == 1 and page.client_id is None  # the sale at the page is untouched
    checkout.close()
    card.close()


def test_the_checkout_opens_the_client_card_through_the_main_window(
    qtbot: QtBot, app_services: Services, shop: Shop
) -> None:
    from salon_desk.ui.main_window import MainWindow

    main = MainWindow(app_services)
    qtbot.addWidget(main)
    main.show()
    page = main.pages["checkout"]
    assert isinstance(page, CheckoutWindow)
    page.set_client(shop.ben)
    page.open_card(shop.ben)
    cards = [card for _, card in main.pages["clients"].cards]  # type: ignore[attr-defined]
    assert len(cards) == 1 and cards[0].isVisible()
    assert cards[0].card is not None and cards[0].card.id == shop.ben
    cards[0].close()


def test_the_main_window_checkout_takes_the_client_from_the_card(
    qtbot: QtBot, app_services: Services, shop: Shop
) -> None:
    from salon_desk.ui.main_window import MainWindow

    main = MainWindow(app_services)
    qtbot.addWidget(main)
    main.show()
    card = main.pages["clients"].open_client(shop.ben)  # type: ignore[attr-defined]
    click(qtbot, card, "checkoutClientButton")
    page = main.pages["checkout"]
    assert isinstance(page, CheckoutWindow) and main.stack.currentWidget() is page
    assert page.client_id == shop.ben
    assert child(main, "checkoutWindow") is page


def test_a_new_client_is_saved_before_the_checkout(qtbot: QtBot, app_services: Services, shop: Shop) -> None:
    card = ClientCardWindow(app_services, DataBus(), None)
    qtbot.addWidget(card)
    card.show()
    click(qtbot, card, "checkoutClientButton")
    assert child(card, "cardStatusLabel", QLabel).text() == "Save the new client first, then open the checkout."
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, CheckoutWindow) and w.isVisible()]


def test_an_ampersand_in_an_item_name_is_shown_on_its_quick_button(qtbot: QtBot, app_services: Services) -> None:
    from salon_desk.kinds import ItemKind
    from salon_desk.services.catalogue.catalog import ItemData

    app_services.catalog.create_item(ItemData(name="Waschen & Föhnen", kind=ItemKind.SERVICE, price=Decimal("25")))
    window = open_checkout(qtbot, app_services)
    button = quick_button(window, "Waschen && Föhnen")
    assert button.text().startswith("Waschen && Föhnen")  # "&&" is how Qt shows one "&"
