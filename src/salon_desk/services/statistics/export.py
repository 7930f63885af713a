"""The statistics as the table shows them, as CSV for a spreadsheet (``;``, UTF-8 with BOM) and as HTML for print."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from pathlib import Path

from babel import dates

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _, format_date, format_decimal, format_percent, locale_name
from salon_desk.services.statistics.figures import Figures
from salon_desk.services.statistics.report import Report, StatRow
from salon_desk.services.statistics.totals import ALL, CATEGORY

COUNT, MONEY, RATIO = "count", "money", "ratio"


@dataclass(frozen=True)
class Measure:
    """One figure of a row: its title, the Figures attribute and how it is written."""

    title: str
    attribute: str
    kind: str


MEASURES = (
    Measure(N_("Clients"), "members", COUNT),
    Measure(N_("New clients"), "new_clients", COUNT),
    Measure(N_("Clients with a sale"), "clients_with_sale", COUNT),
    Measure(N_("Sales"), "sales", COUNT),
    Measure(N_("Revenue (gross)"), "gross", MONEY),
    Measure(N_("Revenue (net)"), "net", MONEY),
    Measure(N_("Discounts"), "discount", MONEY),
    Measure(N_("Discounts by this category"), "category_discount", MONEY),
    Measure(N_("Average ticket"), "average_ticket", MONEY),
    Measure(N_("Visits per client"), "visits_per_client", RATIO),
)
KIND_LABELS = {ALL: N_("Total"), CATEGORY: N_("Category"), "g": N_("Customer group")}
NOTE = N_(
    "A client in several categories counts in each of them, so the category rows do not add up; "
    "“All clients” gives the true total."
)


def value(figures: Figures | None, measure: Measure) -> Decimal | int | None:
    """The raw value of a measure, or None where there is none (no sales, no comparison)."""
    if figures is None:
        return None
    result: Decimal | int | None = getattr(figures, measure.attribute)
    return result


GROSS = next(m for m in MEASURES if m.attribute == "gross")
"""The figure the change is shown for unless another is chosen."""


def change(row: StatRow, measure: Measure = GROSS) -> Decimal | None:
    """A figure against the comparison range, in percent; None without a comparison base (none, or zero)."""
    before, now = value(row.previous, measure), value(row.current, measure)
    if before is None or now is None or not before:
        return None
    ratio = (Decimal(now) - Decimal(before)) * 100 / abs(Decimal(before))
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change_title(measure: Measure) -> str:
    """"Change: Revenue (gross)"."""
    return _("Change: {figure}").format(figure=_(measure.title))


def comparison_title(measure: Measure) -> str:
    """"Revenue (gross) (comparison)"."""
    return _("{figure} (comparison)").format(figure=_(measure.title))


def formatted(number: Decimal | int | None, kind: str) -> str:
    """A figure as the active locale writes it (``1.234,50``); empty when there is none."""
    if number is None:
        return ""
    if kind == COUNT:
        return format_decimal(Decimal(number), 0)
    return format_decimal(Decimal(number), 2)


def formatted_change(number: Decimal | None) -> str:
    """``+12,5 %`` or ``−3 %``; empty without a comparison base."""
    if number is None:
        return ""
    sign = "+" if number > 0 else ""
    return sign + format_percent(number)


def month_label(month: date) -> str:
    """``Jan 2026`` / ``Jan. 2026`` for a chart's axis."""
    return dates.format_date(month, "MMM yyyy", locale=locale_name())


def kind_label(kind: str) -> str:
    """What a row is: the total, a category or a customer group."""
    return _(KIND_LABELS[kind])


def headers(report: Report) -> list[str]:
    """The CSV's header line."""
    titles = [_("Name"), _("Row")] + [_(m.title) for m in MEASURES]
    if report.compared is not None:
        titles += [comparison_title(m) for m in MEASURES]
        titles += [change_title(m) for m in MEASURES]
    return titles


def csv_row(report: Report, row: StatRow) -> list[str]:
    """One row of the CSV."""
    cells = [row.name, kind_label(row.kind)] + [formatted(value(row.current, m), m.kind) for m in MEASURES]
    if report.compared is not None:
        cells += [formatted(value(row.previous, m), m.kind) for m in MEASURES]
        cells += [formatted_change(change(row, m)) for m in MEASURES]
    return cells


def period_text(report: Report) -> str:
    """"1 Jan 2025 – 31 Dec 2025, compared with …" for titles."""
    text = f"{format_date(report.span.start)} – {format_date(report.span.end)}"
    if report.compared is not None:
        text = _("{range}, compared with {other}").format(
            range=text, other=f"{format_date(report.compared.start)} – {format_date(report.compared.end)}"
        )
    return text


def write_csv(report: Report, path: Path | str) -> int:
    """Write the report for a spreadsheet; the number of rows. A file that cannot be written names the path."""
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
            writer.writerow([_("Statistics"), period_text(report)])
            writer.writerow(headers(report))
            for row in report.rows:
                writer.writerow(csv_row(report, row))
            writer.writerow([_(NOTE)])
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(
            _("The file {path} could not be written: {error}").format(path=target, error=exc.strerror or exc), "path"
        ) from exc
    return len(report.rows)


def report_html(report: Report, salon: str = "", measure: Measure = GROSS) -> str:
    """The report as a printable HTML table (laid out by the UI on A4 landscape), with the change of ``measure``."""
    head = "".join(f"<th>{escape(_(m.title))}</th>" for m in MEASURES)
    if report.compared is not None:
        head += "<th>" + escape(change_title(measure)) + "</th>"
    body = []
    for row in report.rows:
        cells = "".join(
            f"<td align='right'>{escape(formatted(value(row.current, m), m.kind))}</td>" for m in MEASURES
        )
        if report.compared is not None:
            cells += f"<td align='right'>{escape(formatted_change(change(row, measure)))}</td>"
        body.append(f"<tr><td nowrap>{escape(row.name)}</td>{cells}</tr>")
    title = escape(_("Statistics per category and customer group"))
    name = escape(_("Name"))
    return (
        f"<h2>{title}</h2><p>{escape(salon)}<br/>{escape(period_text(report))}</p>"
        f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr><th>{name}</th>{head}</tr>{''.join(body)}</table>"
        f"<p><small>{escape(_(NOTE))}</small></p>"
    )
