"""The Z-report (Z-Bon) of a closing as simple HTML for QTextDocument, and as plain text (no Qt here).

It carries every field of a Z-Bon: the running number, the business, the date and
time of the closing, the receipts it covers, gross, net and VAT per VAT rate,
cancellations and discounts, the payment methods, the drawer (float, cash in and
out, expected, counted, difference, the count by denomination) and the TSE outages.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape

from salon_desk.i18n import _, format_date, format_money, format_percent, ngettext
from salon_desk.services.fiscal.closing import ClosingRecord
from salon_desk.services.fiscal.totals import ClosingTotals, OutageRecord



def when_text(moment: datetime) -> str:
    """A local date and time as the report prints it."""
    local = moment.astimezone()
    return f"{format_date(local.date())} {local.strftime('%H:%M:%S')}"


def _stamp(text: str) -> str:
    return when_text(datetime.fromisoformat(text)) if text else _("still going on")


def _payment(method: str) -> str:
    return _("Cash") if method == "cash" else _("Card")


def header_rows(closing: ClosingRecord, business: tuple[str, str, str]) -> list[tuple[str, str]]:
    """Running number, business, date and time, receipts, who closed."""
    totals = closing.totals
    receipts = (
        _("{first} to {last}").format(first=totals.first_receipt, last=totals.last_receipt)
        if totals.last_receipt >= totals.first_receipt
        else _("none")
    )
    return [
        (_("Z-report no."), str(closing.number)),
        (_("Business"), business[0]),
        (_("Address"), business[1]),
        (_("Tax number"), business[2]),
        (_("Closed on"), when_text(closing.created_at)),
        (_("Receipts"), receipts),
        (_("Closed by"), closing.staff_name),
    ]


def sales_rows(totals: ClosingTotals) -> list[tuple[str, str]]:
    """Sales, cancellations, discounts, total and payment methods."""
    rows = [
        (_("Sales"), str(totals.sales)),
        (_("Cancellations"), f"{totals.cancellations} / {format_money(totals.cancelled_gross)}"),
        (_("Discounts granted"), format_money(totals.discounts)),
        (_("Total gross"), format_money(totals.gross)),
        (_("Total net"), format_money(totals.net)),
        (_("Total VAT"), format_money(totals.vat)),
    ]
    rows += [(_("Paid: {method}").format(method=_payment(m)), format_money(a)) for m, a in totals.per_payment]
    return rows


def drawer_rows(closing: ClosingRecord) -> list[tuple[str, str]]:
    """The drawer: float, movements, cash sales, expected, counted and the difference."""
    totals = closing.totals
    rows = [
        (_("Opening float"), format_money(totals.opening_float)),
        (_("Cash in"), format_money(totals.cash_in)),
        (_("Cash out"), format_money(-totals.cash_out)),
        (_("Cash sales"), format_money(totals.cash_sales)),
        (_("Expected cash"), format_money(closing.cash_expected)),
        (_("Counted cash"), format_money(closing.cash_counted)),
        (_("Difference"), format_money(closing.cash_difference)),
    ]
    for denomination, pieces in sorted(closing.pieces.items(), key=lambda p: -Decimal(p[0])):
        value = Decimal(denomination)
        rows.append((f"{pieces} × {format_money(value)}", format_money(value * pieces)))
    return rows


def tse_rows(totals: ClosingTotals) -> list[tuple[str, str]]:
    """The TSE outages with start, end and cause; sales not signed; aborted transactions."""
    rows = [(_("Sales not signed by the TSE"), str(totals.unsigned_sales))]
    rows += [_outage_row(o) for o in totals.outages]
    if totals.aborted_tse_transactions:
        rows.append((_("Aborted TSE transactions"), str(totals.aborted_tse_transactions)))
    return rows


def _outage_row(outage: OutageRecord) -> tuple[str, str]:
    label = _("TSE failed {start} – {end}").format(start=_stamp(outage.started_at), end=_stamp(outage.ended_at))
    sales = ngettext("{count} sale", "{count} sales", outage.sales).format(count=outage.sales)
    return label, f"{sales}: {outage.cause}"


def vat_rows(totals: ClosingTotals) -> list[tuple[str, str, str, str]]:
    """Rate, net, VAT and gross per VAT rate."""
    return [
        (format_percent(v.rate), format_money(v.net), format_money(v.vat), format_money(v.gross))
        for v in totals.per_vat
    ]


def zreport_text(closing: ClosingRecord, business: tuple[str, str, str]) -> str:
    """The Z-report as plain text lines."""
    out = [_("Z-report (daily closing)")]
    for rows in (header_rows(closing, business), sales_rows(closing.totals)):
        out += [f"{label}: {value}" for label, value in rows]
    line = _("VAT {rate}: net {net}, VAT {vat}, gross {gross}")
    out += [line.format(rate=r, net=n, vat=v, gross=g) for r, n, v, g in vat_rows(closing.totals)]
    for rows in (drawer_rows(closing), tse_rows(closing.totals)):
        out += [f"{label}: {value}" for label, value in rows]
    return "\n".join(out)


def _pairs(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td>{escape(a)}</td><td align='right'>{escape(b)}</td></tr>" for a, b in rows)
    return f"<table width='100%' cellspacing='0' cellpadding='2'>{cells}</table>"


def _vat_table(totals: ClosingTotals) -> str:
    head = (_("VAT rate"), _("Net"), _("VAT"), _("Gross"))
    rows = [head, *vat_rows(totals)]
    cells = "".join(
        "<tr>" + "".join(f"<td align='{'right' if i else 'left'}'>{escape(c)}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f"<table width='100%' cellspacing='0' cellpadding='2'>{cells}</table>"


def zreport_html(closing: ClosingRecord, business: tuple[str, str, str]) -> str:
    """The Z-report as HTML for the PDF and the printer."""
    sections = [
        "<h2>" + escape(_("Z-report (daily closing)")) + "</h2>",
        _pairs(header_rows(closing, business)),
        "<h3>" + escape(_("Sales")) + "</h3>",
        _pairs(sales_rows(closing.totals)),
        "<h3>" + escape(_("VAT")) + "</h3>",
        _vat_table(closing.totals),
        "<h3>" + escape(_("Cash drawer")) + "</h3>",
        _pairs(drawer_rows(closing)),
        "<h3>" + escape(_("TSE")) + "</h3>",
        _pairs(tse_rows(closing.totals)),
    ]
    return f"<html><body>{''.join(sections)}</body></html>"
