"""Receipt PDFs as a client reads them: German to the last line, reprints marked, long names wrapped cleanly."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from checkout_shop import Shop, make_shop
from pypdf import PdfReader

from salon_desk import i18n
from salon_desk.kinds import ItemKind
from salon_desk.models import PaymentMethod
from salon_desk.pricing import ManualDiscount
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.checkout.checkout import BusinessInfo, Cart, CartLine, Payment, SaleRecord
from salon_desk.services.checkout.receipt import build_receipt
from salon_desk.ui.checkout import receipt_printer

BUSINESS = BusinessInfo("Salon Schön", "Hauptstraße 1\n80331 München", "143/123/45678")
LONG_WORD = "Haarpflegeintensivkurbehandlungsvorratspackungsinhalt"
LONG_NAME = f"Feuchtigkeitspflege für sehr trockenes Haar {LONG_WORD}"


@pytest.fixture(autouse=True)
def own_home(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Receipts go to this test's data folder; Qt lays them out, so it needs its application."""
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def sale(app_services: Services) -> Iterator[SaleRecord]:
    """A cash sale to a club member: a group price, a category discount, a manual discount, an offer."""
    shop: Shop = make_shop(app_services)
    app_services.checkout.set_business(BUSINESS)
    cart = Cart(
        (
            CartLine(shop.cut),
            CartLine(shop.shampoo, 2, ManualDiscount(Decimal("20"), "Salon Desk", "Reklamation")),
            CartLine(shop.colour),
            CartLine(shop.book),
        )
    )
    yield app_services.checkout.complete(shop.anna, cart, Payment(PaymentMethod.CASH, Decimal("300")))


def pdf_lines(path: Path) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return [" ".join(unicodedata.normalize("NFKC", line).split()) for line in text.splitlines() if line.strip()]


def receipt_pdf(services: Services, sale: SaleRecord, tmp_path: Path, language: str, copy: bool = False) -> list[str]:
    i18n.set_language(language)
    try:
        stored = services.checkout.get_sale(sale.id)
        receipt = build_receipt(stored, services.checkout.business(), copy=copy)
        path = receipt_printer.write_pdf(receipt, tmp_path / f"{language}-{copy}.pdf")
    finally:
        i18n.set_language("en")
    return pdf_lines(path)


WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")


def test_a_german_receipt_has_no_english_line(app_services: Services, sale: SaleRecord, tmp_path: Path) -> None:
    german = receipt_pdf(app_services, sale, tmp_path, "de")
    english = receipt_pdf(app_services, sale, tmp_path, "en")
    # Words that are the salon's data (names, address) stand in both; every other English word is a leak.
    data = " ".join(
        (BUSINESS.name, BUSINESS.address, "Anna Müller Club Student/in Colour week Salon Desk Reklamation TSE")
    )
    data += " " + " ".join(line.item_name for line in sale.lines)
    english_words = set(WORD.findall(" ".join(english))) - set(WORD.findall(data))
    assert "Thank" in english_words and "Total" in english_words  # the comparison can find a leak
    for line in german:
        leaks = set(WORD.findall(line)) & english_words
        assert not leaks, f"English in the German receipt: {line!r}"
    assert german[-1] == "Vielen Dank für Ihren Besuch!"
    assert any(line.startswith("Summe:") or line.startswith("Gesamt:") for line in german), german


def test_a_reprint_is_marked_as_a_copy(app_services: Services, sale: SaleRecord, tmp_path: Path) -> None:
    original = receipt_pdf(app_services, sale, tmp_path, "de")
    german = receipt_pdf(app_services, sale, tmp_path, "de", copy=True)
    english = receipt_pdf(app_services, sale, tmp_path, "en", copy=True)
    assert "*** KOPIE ***" in german and "*** COPY ***" in english
    assert not any("KOPIE" in line for line in original)


def test_a_reprint_keeps_the_original_pdf(app_services: Services, sale: SaleRecord) -> None:
    stored = app_services.checkout.get_sale(sale.id)
    original = receipt_printer.write_pdf(build_receipt(stored, BUSINESS))
    copy = receipt_printer.write_pdf(build_receipt(stored, BUSINESS, copy=True))
    assert original != copy and original.exists() and copy.name.endswith("-copy.pdf")


def test_a_long_item_name_wraps_at_words_and_never_runs_into_the_amounts(
    app_services: Services, tmp_path: Path
) -> None:
    app_services.checkout.set_business(BUSINESS)
    item = app_services.catalog.create_item(
        ItemData(name=LONG_NAME, kind=ItemKind.PRODUCT, price=Decimal("19.90"), vat_rate=Decimal("19"))
    )[0].id
    sale = app_services.checkout.complete(None, Cart((CartLine(item, 2),)), Payment(PaymentMethod.CARD))
    lines = receipt_pdf(app_services, sale, tmp_path, "de")

    start = next(i for i, line in enumerate(lines) if line.startswith("Feuchtigkeitspflege"))
    amounts = lines.index("2 ×", start)
    name_lines = lines[start:amounts]
    assert len(name_lines) >= 3  # wrapped onto several lines
    # Whole words at each line's end, except the one word too long for a line, broken with a hyphen
    joined = ""
    for line in name_lines:
        joined += line[:-1] if line.endswith("-") else line + " "
    assert " ".join(joined.split()) == LONG_NAME
    assert any(line.endswith("-") for line in name_lines)
    for line in name_lines:
        for word in line.rstrip("-").split():
            assert word in LONG_NAME.split() or (line.endswith("-") or word in LONG_WORD), word
    # Quantity, unit price and amount under the name, each in a cell of its own (pypdf reads one a line)
    assert lines[amounts : amounts + 3] == ["2 ×", "19,90 €", "39,80 €"]
