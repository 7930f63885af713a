"""The call list on A4 paper: name, phone, last visit, categories and an empty column for notes."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from salon_desk.i18n import _, format_date, ngettext
from salon_desk.paths import home_dir
from salon_desk.services.marketing.tasks import CallList

MARGIN_MM = 12
FONT_POINTS = 9
RESOLUTION_DPI = 150
A4_MM = (210, 297)
TABLE_STYLE = (
    "table { border-collapse: collapse; } th { text-align: left; background: #ECEFF1; } "
    "td, th { border: 1px solid #90A4AE; padding: 3px; }"
)


def call_lists_dir() -> Path:
    """Where printed call lists are kept."""
    folder = home_dir() / "call-lists"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def call_list_html(call_list: CallList) -> str:
    """The call list as one HTML table (QTextDocument lays it out over as many pages as needed)."""
    head = "".join(f"<th>{escape(t)}</th>" for t in (_("Name"), _("Phone"), _("Last visit"), _("Categories"), _("Notes")))
    rows = "".join(
        f"<tr><td>{escape(r.name)}</td><td>{escape(r.phone)}</td><td>{escape(format_date(r.last_visit))}</td>"
        f"<td>{escape(r.categories)}</td><td width='35%'>&nbsp;</td></tr>"
        for r in call_list.rows
    )
    title = escape(_("Call list: {title}").format(title=call_list.title))
    count = len(call_list.rows)
    clients = escape(ngettext("{n} client", "{n} clients", count).format(n=count))
    return (
        f"<html><head><style>{TABLE_STYLE}</style></head><body><h2>{title}</h2>"
        f"<p>{clients}</p>"
        f"<table width='100%' cellspacing='0'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        "</body></html>"
    )


def write_call_list_pdf(call_list: CallList, path: Path | None = None) -> Path:
    """Save the call list as an A4 PDF and return its path."""
    target = path or call_lists_dir() / f"call-list-{datetime.now():%Y%m%d-%H%M%S}.pdf"
    writer = QPdfWriter(str(target))
    writer.setResolution(RESOLUTION_DPI)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter))
    writer.setTitle(_("Call list: {title}").format(title=call_list.title))
    writer.setCreator("Salon Desk")
    document = QTextDocument()
    font = QFont()
    font.setPointSize(FONT_POINTS)
    document.setDefaultFont(font)
    points = lambda mm: mm * 72 / 25.4  # noqa: E731
    document.setPageSize(QSizeF(points(A4_MM[0] - 2 * MARGIN_MM), points(A4_MM[1] - 2 * MARGIN_MM)))
    document.setHtml(call_list_html(call_list))
    document.print_(writer)
    del writer  # the file is complete once the writer is gone
    return target
