"""A signed receipt prints the TSE's QR code; an unsigned one prints none."""

from __future__ import annotations

from pathlib import Path

from checkout_shop import make_shop
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pypdf import PdfReader

from salon_desk.services import Services
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.checkout.receipt import TSE_QR_RESOURCE, build_receipt
from salon_desk.models import PaymentMethod
from salon_desk.services.checkout.sale_records import SaleRecord
from salon_desk.services.checkout.tse import FakeTse, TseSignature
from salon_desk.ui.checkout import receipt_printer
from salon_desk.ui.fiscal.qr_image import qr_matrix

QR = "V0;client-0001;Kassenbeleg-V1;Beleg^49.00_0.00_0.00_0.00_0.00^49.00:Bar;7;12;1764417600;1764417601;ecdsa-plain-SHA384;unixTime;MEUCIQ;BHhW"


def signed(sale: SaleRecord) -> SaleRecord:
    from dataclasses import replace

    return replace(sale, tse=TseSignature("signed", "SERIAL", "7", "12", "MEUCIQ", "1", "2", qr_code=QR))


def test_a_signed_receipt_carries_the_qr_code(qapp: object, app_services: Services, tmp_path: Path) -> None:
    shop = make_shop(app_services)
    sale = app_services.checkout.complete(None, Cart((CartLine(shop.cut),)), Payment(PaymentMethod.CARD), tse=FakeTse())
    receipt = build_receipt(signed(sale), app_services.checkout.business())
    document = receipt_printer.receipt_document(receipt)
    image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(TSE_QR_RESOURCE))
    assert isinstance(image, QImage) and not image.isNull() and image.width() == image.height()
    matrix = qr_matrix(QR)
    assert len(matrix) == len(matrix[0]) >= 41 and matrix[4][4]  # the finder pattern's corner, inside the quiet zone
    pdf = receipt_printer.write_pdf(receipt, tmp_path / "signed.pdf")
    assert any("/Image" in str(page.get("/Resources", {}).get("/XObject", {}).values()) or page.images for page in PdfReader(str(pdf)).pages)

    plain = build_receipt(sale, app_services.checkout.business())  # FakeTse gives no QR data
    assert plain.tse_qr == "" and "tse-qr" not in receipt_printer.receipt_document(plain).toHtml()
