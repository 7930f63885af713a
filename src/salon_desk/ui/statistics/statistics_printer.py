"""The statistics on A4 landscape as PDF: the report's HTML laid out by QTextDocument, the chart as a picture."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from salon_desk.i18n import _
from salon_desk.services.statistics import Report
from salon_desk.services.statistics.export import GROSS, Measure, report_html

CHART_URL = "statistics-chart.png"
RESOLUTION_DPI = 150
MARGIN_MM = 12


def write_pdf(
    report: Report, path: Path, chart: QImage | None = None, salon: str = "", measure: Measure = GROSS
) -> Path:
    """Save the report (and the chart, when given) as a PDF at ``path``."""
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    writer.setTitle(_("Statistics per category and customer group"))
    writer.setCreator("Salon Desk")
    document = QTextDocument()
    document.setPageSize(writer.pageLayout().paintRectPoints().size().toSizeF())
    html = report_html(report, salon, measure)
    if chart is not None and not chart.isNull():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(CHART_URL), chart)
        width = int(document.pageSize().width() * 0.9)
        html += f"<p align='center'><img src='{CHART_URL}' width='{width}'/></p>"
    document.setHtml(html)
    document.print_(writer)
    del writer  # the file is complete once the writer is gone
    return path
