"""The receipt (DESIGN §6): every field a German receipt needs, from the stored sale, in the active language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from checkout_shop import MANAGER_PIN, Shop, add_staff, make_shop

from salon_desk import i18n
from salon_desk.services.staff.approval import ApprovalPurpose
from salon_desk.models import PaymentMethod
from salon_desk.pricing import ManualDiscount
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import BusinessInfo, Cart, CartLine, Payment
from salon_desk.services.checkout.receipt import build_receipt, receipt_html, receipt_text
from salon_desk.services.checkout.tse import FakeTse

BUSINESS = BusinessInfo("Salon Schön", "Hauptstraße 1\n80331 München", "143/123/45678")


@pytest.fixture
def shop(services: Services) -> Shop:
    shop = make_shop(services)
    services.checkout.set_business(BUSINESS)
    return shop


def test_receipt_carries_every_required_field(services: Services, shop: Shop) -> None:
    cart = Cart(
        (
            CartLine(shop.cut),
            CartLine(shop.book, 2),
            CartLine(shop.colour),
            CartLine(shop.shampoo, manual=ManualDiscount(Decimal("5"), "Salon Desk", "loyal")),
        )
    )
    sale = services.checkout.complete(shop.anna, cart, Payment(PaymentMethod.CASH, Decimal("200")))
    receipt = build_receipt(services.checkout.get_sale(sale.id), services.checkout.business())
    text = receipt_text(receipt)

    for expected in (
        "Salon Schön",
        "80331 München",
        "Tax number: 143/123/45678",
        "Receipt no.: 1",
        f"Start: {receipt.start_time}",
        f"End: {receipt.end_time}",
        "1 × Haircut  €39.90  €35.91",
        "Group price Club · −10% Student/in",
        "2 × Hair book  €20.00  €36.00",
        "Offer “Colour week”",
        "List price · −10% Student/in",  # the manual 5 % is lower than Student/in's 10 %
        "Total: €143.52",
        "VAT 19%: net €90.35, VAT €17.17, gross €107.52",
        "VAT 7%: net €33.64, VAT €2.36, gross €36.00",
        "Payment: Cash",
        "Given: €200.00",
        "Change: €56.48",
        "TSE: No TSE connected",
        "Client: Anna Müller",
    ):
        assert expected in text, expected
    assert receipt.date and receipt.start_time <= receipt.end_time
    html = receipt_html(receipt)
    assert "Salon Schön" in html and "80331 München" in html and "No TSE connected" in html


def test_signed_receipt_shows_the_tse_fields(services: Services, shop: Shop) -> None:
    sale = services.checkout.complete(
        None, Cart((CartLine(shop.voucher),)), Payment(PaymentMethod.CARD), tse=FakeTse(serial="SN-9")
    )
    text = receipt_text(build_receipt(sale, services.checkout.business()))
    for expected in ("TSE serial number: SN-9", "TSE transaction: 1", "Signature counter: 1", "Signature: SIG-1-"):
        assert expected in text
    assert "No TSE connected" not in text and "Given" not in text and "Payment: Card" in text


def test_cancellation_receipt_names_the_original(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    sale = services.checkout.complete(None, Cart((CartLine(shop.shampoo),)), Payment(PaymentMethod.CARD))
    approval = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Returned unopened", purpose=ApprovalPurpose.CANCEL_SALE, subject=sale.id
    )
    reversal = services.checkout.cancel(sale.id, approval)
    text = receipt_text(build_receipt(reversal, services.checkout.business()))
    assert "Cancellation" in text and "Cancels receipt no. 1." in text and "Reason: Returned unopened" in text
    assert "-1 × Shampoo" in text and "Total: -€12.90" in text
    original = receipt_text(build_receipt(services.checkout.get_sale(sale.id), services.checkout.business()))
    assert "Cancelled by receipt no. 2." in original


def test_receipt_follows_the_language(services: Services, shop: Shop) -> None:
    sale = services.checkout.complete(shop.anna, Cart((CartLine(shop.cut),)), Payment(PaymentMethod.CARD))
    i18n.set_language("de")
    text = receipt_text(build_receipt(sale, services.checkout.business()))
    for expected in (
        "Beleg-Nr.: 1",
        "Gruppenpreis Club · −10\xa0% Student/in",
        "Gesamt: 35,91\xa0€",
        "MwSt. 19\xa0%: netto 30,18\xa0€, MwSt. 5,73\xa0€, brutto 35,91\xa0€",
        "Zahlung: Karte",
        "TSE: Keine TSE angeschlossen",
    ):
        assert expected in text, expected
