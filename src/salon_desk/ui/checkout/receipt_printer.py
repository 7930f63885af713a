"""Receipts on paper and as PDF: the receipt's HTML laid out by QTextDocument on 80 mm till-roll pages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QDialog, QWidget

from salon_desk.i18n import _
from salon_desk.paths import home_dir
from salon_desk.services.checkout.receipt import TSE_QR_RESOURCE, Receipt, receipt_html

try:  # part of PySide6-Essentials; kept optional so a stripped-down Qt still saves the PDF
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
except ImportError:  # pragma: no cover - depends on the Qt build
    QPrinter = None  # type: ignore[assignment,misc]
    QPrintPreviewDialog = None  # type: ignore[assignment,misc]

ROLL_WIDTH_MM = 80
PAGE_HEIGHT_MM = 297
MARGIN_MM = 4
FONT_POINTS = 8
RESOLUTION_DPI = 300


def receipts_dir() -> Path:
    """The folder the receipt PDFs are kept in."""
    folder = home_dir() / "receipts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def receipt_path(receipt: Receipt) -> Path:
    """Where the PDF of ``receipt`` goes: ``receipts/receipt-000042.pdf`` (a reprint: ``receipt-000042-copy.pdf``)."""
    suffix = "-copy" if receipt.copy else ""
    return receipts_dir() / f"receipt-{receipt.number:06d}{suffix}.pdf"


def _points(millimetres: float) -> float:
    return millimetres * 72 / 25.4


def receipt_document(receipt: Receipt) -> QTextDocument:
    """The receipt laid out as a text document on the printable area of a till-roll page."""
    document = QTextDocument()
    font = QFont()
    font.setPointSize(FONT_POINTS)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    # With its own page size the document is scaled onto the device as it is; without one,
    # QTextDocument.print_() would add 2 cm margins, leaving half of an 80 mm roll for the text.
    printable = QSizeF(_points(ROLL_WIDTH_MM - 2 * MARGIN_MM), _points(PAGE_HEIGHT_MM - 2 * MARGIN_MM))
    document.setPageSize(printable)
    if receipt.tse_qr:  # the TSE's QR code, painted for the <img> the receipt's HTML holds
        from salon_desk.ui.fiscal.qr_image import qr_image

        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(TSE_QR_RESOURCE), qr_image(receipt.tse_qr))
    document.setHtml(receipt_html(receipt))
    return document


def page_layout() -> QPageLayout:
    """An 80 mm till-roll page with small margins."""
    size = QPageSize(QSizeF(ROLL_WIDTH_MM, PAGE_HEIGHT_MM), QPageSize.Unit.Millimeter, _("Till roll"))
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)


def paint(receipt: Receipt, device: QPagedPaintDevice) -> None:
    """Lay the receipt out on ``device`` (a PDF writer or a printer)."""
    receipt_document(receipt).print_(device)


def write_pdf(receipt: Receipt, path: Path | None = None) -> Path:
    """Save the receipt as a PDF and return its path."""
    target = path or receipt_path(receipt)
    writer = QPdfWriter(str(target))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(page_layout())
    writer.setTitle(_("Receipt no. {number}").format(number=receipt.number))
    writer.setCreator("Salon Desk")
    paint(receipt, writer)
    del writer  # the file is complete once the writer is gone
    return target


def show_preview(receipt: Receipt, pdf: Path, parent: QWidget | None) -> QDialog | None:
    """Open the print preview (with its Print button); without print support, open the PDF instead."""
    if QPrinter is None or QPrintPreviewDialog is None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf)))
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(_("Receipt no. {number}").format(number=receipt.number))
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("receiptPreviewDialog")
    dialog.setWindowTitle(_("Receipt no. {number}").format(number=receipt.number))
    dialog.paintRequested.connect(lambda device: paint(receipt, device))
    dialog.printer = printer  # type: ignore[attr-defined] - keeps the printer alive with the dialog
    dialog.open()
    return dialog
