"""The Z-report as an A4 PDF: the report's HTML laid out by QTextDocument."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from salon_desk.i18n import _
from salon_desk.paths import home_dir
from salon_desk.services.fiscal.closing import ClosingRecord
from salon_desk.services.fiscal.zreport import zreport_html

MARGIN_MM = 15
RESOLUTION_DPI = 300


def zreports_dir() -> Path:
    """The folder the Z-report PDFs are kept in."""
    folder = home_dir() / "z-reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_zreport(closing: ClosingRecord, business: tuple[str, str, str], path: Path | None = None) -> Path:
    """Save the Z-report of ``closing`` as a PDF (``z-reports/z-report-0001.pdf``) and return its path."""
    target = path or zreports_dir() / f"z-report-{closing.number:04d}.pdf"
    writer = QPdfWriter(str(target))
    writer.setResolution(RESOLUTION_DPI)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            margins,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(_("Z-report no. {number}").format(number=closing.number))
    writer.setCreator("Salon Desk")
    document = QTextDocument()
    font = QFont()
    font.setPointSize(10)
    document.setDefaultFont(font)
    points = (210 - 2 * MARGIN_MM) * 72 / 25.4, (297 - 2 * MARGIN_MM) * 72 / 25.4
    document.setPageSize(QSizeF(*points))
    document.setHtml(zreport_html(closing, business))
    document.print_(writer)
    del writer  # the file is complete once the writer is gone
    return target


def open_pdf(path: Path) -> None:
    """Show the PDF in the system's viewer."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
