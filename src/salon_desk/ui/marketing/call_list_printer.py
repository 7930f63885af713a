"""The call list on A4 paper: name, phone, last visit, categories and an empty column for notes.

Painted row by row with QPainter: a QTextDocument lays a 1,000-row HTML table out in
about 8 s, the painter needs a fraction of a second, and every page repeats the header.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from salon_desk.i18n import _, format_date, ngettext
from salon_desk.paths import home_dir
from salon_desk.services.marketing.tasks import CallList, CallListRow

MARGIN_MM = 12
FONT_POINTS = 9
RESOLUTION_DPI = 150
COLUMNS = (0.24, 0.17, 0.15, 0.2, 0.24)
"""Shares of the page width: name, phone, last visit, categories, notes."""
LINE = QColor("#90A4AE")
HEADER_FILL = QColor("#ECEFF1")


def call_lists_dir() -> Path:
    """Where printed call lists are kept."""
    folder = home_dir() / "call-lists"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cells(row: CallListRow) -> tuple[str, ...]:
    return (row.name, row.phone, format_date(row.last_visit), row.categories, "")


class _Pages:
    """Lays the rows out on pages of one painter: a title on the first, the column header on each."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer, self.painter = writer, painter
        self.area = QRectF(painter.viewport())
        font = QFont()
        font.setPointSize(FONT_POINTS)
        painter.setFont(font)
        self.metrics = QFontMetricsF(font, writer)
        self.row_height = self.metrics.height() * 2.2
        self.lefts = [self.area.left()]
        for share in COLUMNS[:-1]:
            self.lefts.append(self.lefts[-1] + share * self.area.width())
        self.y = self.area.top()

    def title(self, text: str, subtitle: str) -> None:
        bold = QFont(self.painter.font())
        bold.setPointSize(FONT_POINTS + 5)
        bold.setBold(True)
        normal = self.painter.font()
        self.painter.setFont(bold)
        height = QFontMetricsF(bold, self.writer).height()
        self.painter.drawText(QRectF(self.area.left(), self.y, self.area.width(), height), text)
        self.painter.setFont(normal)
        self.y += height * 1.2
        self.painter.drawText(QRectF(self.area.left(), self.y, self.area.width(), self.row_height), subtitle)
        self.y += self.row_height

    def row(self, cells: tuple[str, ...], header: bool = False) -> None:
        if self.y + self.row_height > self.area.bottom():
            self.writer.newPage()
            self.y = self.area.top()
            self.row(self.header, header=True)
        rect = QRectF(self.area.left(), self.y, self.area.width(), self.row_height)
        if header:
            self.painter.fillRect(rect, HEADER_FILL)
        self.painter.setPen(QPen(LINE))
        self.painter.drawRect(rect)
        for left, share in zip(self.lefts[1:], COLUMNS[1:], strict=False):
            self.painter.drawLine(int(left), int(self.y), int(left), int(self.y + self.row_height))
        self.painter.setPen(QPen(Qt.GlobalColor.black))
        pad = self.metrics.averageCharWidth()
        for left, share, text in zip(self.lefts, COLUMNS, cells, strict=True):
            width = share * self.area.width() - 2 * pad
            shown = self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            self.painter.drawText(QRectF(left + pad, self.y, width, self.row_height), Qt.AlignmentFlag.AlignVCenter, shown)
        self.y += self.row_height

    header: tuple[str, ...] = ()


def write_call_list_pdf(call_list: CallList, path: Path | None = None) -> Path:
    """Save the call list as an A4 PDF and return its path."""
    target = path or call_lists_dir() / f"call-list-{datetime.now():%Y%m%d-%H%M%S-%f}.pdf"
    writer = QPdfWriter(str(target))
    writer.setResolution(RESOLUTION_DPI)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)
    writer.setPageLayout(layout)
    title = _("Call list: {title}").format(title=call_list.title)
    writer.setTitle(title)
    writer.setCreator("Salon Desk")
    painter = QPainter(writer)
    try:
        pages = _Pages(writer, painter)
        pages.header = (_("Name"), _("Phone"), _("Last visit"), _("Categories"), _("Notes"))
        count = len(call_list.rows)
        pages.title(title, ngettext("{n} client", "{n} clients", count).format(n=count))
        pages.row(pages.header, header=True)
        for row in call_list.rows:
            pages.row(_cells(row))
    finally:
        painter.end()
    del writer  # the file is complete once the writer is gone
    return target
