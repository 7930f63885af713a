"""The receipt of a stored sale as structured data, plain text and simple HTML (no Qt here).

It carries what a German receipt must: business name and address, date with start
and end time, transaction number, items and quantities, each line's price and
discount source, net, VAT and rate per rate, total, payment method, cash given and
change, and the TSE fields (or the note that no TSE is connected).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from salon_desk.i18n import _, format_date, format_money, format_percent
from salon_desk.models import PaymentMethod
from salon_desk.services.checkout.checkout import BusinessInfo
from salon_desk.services.checkout.sale_records import SaleLineRecord, SaleRecord
from salon_desk.services.checkout.tse import TseSignature
from salon_desk.services.checkout.why_price import discount_note, price_note


@dataclass(frozen=True)
class ReceiptLine:
    """One item on the receipt."""

    name: str
    quantity: int
    unit_price: str
    total: str
    vat_rate: str
    price_note: str
    discount_note: str


@dataclass(frozen=True)
class ReceiptVatRow:
    """Net, VAT and gross of one rate."""

    rate: str
    net: str
    vat: str
    gross: str


@dataclass(frozen=True)
class Receipt:
    """Everything printed on one receipt, already formatted for the active language."""

    title: str
    business_name: str
    business_address: str
    tax_number: str
    number: int
    date: str
    start_time: str
    end_time: str
    staff: str
    client: str
    lines: tuple[ReceiptLine, ...]
    vat_rows: tuple[ReceiptVatRow, ...]
    total: str
    total_net: str
    total_vat: str
    total_discount: str
    payment: tuple[tuple[str, str], ...]
    tse: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The TSE's QR code data (DSFinV-K annex: "V0;..."); printed as a QR code when present.
    tse_qr: str = ""
    copy: bool = False
    """A reprint: marked "Copy" under the title, so it is never taken for the original."""


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


def payment_label(method: PaymentMethod) -> str:
    """ "Cash" or "Card"."""
    return _("Cash") if method is PaymentMethod.CASH else _("Card")


def _line(line: SaleLineRecord, group_name: str) -> ReceiptLine:
    return ReceiptLine(
        name=line.item_name,
        quantity=line.quantity,
        unit_price=format_money(line.unit_price),
        total=format_money(line.line_total),
        vat_rate=format_percent(line.vat_rate),
        price_note=price_note(line.price_source, line.offer_name, line.why.get("group", "") or group_name),
        discount_note=discount_note(line.discount_source, line.discount_percent, line.category_name),
    )


def _payment(sale: SaleRecord) -> tuple[tuple[str, str], ...]:
    rows = [(_("Payment"), payment_label(sale.payment_method))]
    if sale.given is not None:
        rows.append((_("Given"), format_money(sale.given)))
    if sale.change is not None:
        rows.append((_("Change"), format_money(sale.change)))
    return tuple(rows)


def tse_rows(tse: TseSignature) -> tuple[tuple[str, str], ...]:
    """The security-module fields, the note that the TSE failed, or that no TSE is connected."""
    if tse.failed:
        return ((_("TSE"), _("TSE failed")),)
    if not tse.connected:
        return ((_("TSE"), _("No TSE connected")),)
    return (
        (_("TSE serial number"), tse.serial),
        (_("TSE transaction"), tse.transaction),
        (_("Signature counter"), tse.signature_counter),
        (_("TSE start"), tse.start),
        (_("TSE end"), tse.finish),
        (_("Signature"), tse.signature),
    )


def _notes(sale: SaleRecord) -> tuple[str, ...]:
    notes = []
    if sale.reverses_number is not None:
        notes.append(_("Cancels receipt no. {number}.").format(number=sale.reverses_number))
        if sale.cancel_reason:
            notes.append(_("Reason: {reason}").format(reason=sale.cancel_reason))
    if sale.reversed_by_number is not None:
        notes.append(_("Cancelled by receipt no. {number}.").format(number=sale.reversed_by_number))
    if sale.total_discount > 0:
        notes.append(_("You saved {amount}.").format(amount=format_money(sale.total_discount)))
    return tuple(notes)


def build_receipt(sale: SaleRecord, business: BusinessInfo, copy: bool = False) -> Receipt:
    """The receipt of ``sale`` in the active language; ``copy`` marks a reprint."""
    started, completed = _local(sale.started_at), _local(sale.completed_at)
    return Receipt(
        title=_("Cancellation") if sale.is_cancellation else _("Receipt"),
        business_name=business.name,
        business_address=business.address,
        tax_number=business.tax_number,
        number=sale.number,
        date=format_date(completed.date()),
        start_time=started.strftime("%H:%M:%S"),
        end_time=completed.strftime("%H:%M:%S"),
        staff=sale.staff_name,
        client=sale.client_name,
        lines=tuple(_line(line, sale.group_name) for line in sale.lines),
        vat_rows=tuple(
            ReceiptVatRow(format_percent(v.rate), format_money(v.net), format_money(v.vat), format_money(v.gross))
            for v in sale.vat
        ),
        total=format_money(sale.total_gross),
        total_net=format_money(sale.total_net),
        total_vat=format_money(sale.total_vat),
        total_discount=format_money(sale.total_discount),
        payment=_payment(sale),
        tse=tse_rows(sale.tse),
        notes=_notes(sale),
        tse_qr=sale.tse.qr_code if sale.tse.connected else "",
        copy=copy,
    )


# -- plain text -------------------------------------------------------------------------


def _header_rows(receipt: Receipt) -> list[tuple[str, str]]:
    rows = [
        (_("Receipt no."), str(receipt.number)),
        (_("Date"), receipt.date),
        (_("Start"), receipt.start_time),
        (_("End"), receipt.end_time),
        (_("Served by"), receipt.staff),
    ]
    if receipt.client:
        rows.append((_("Client"), receipt.client))
    return rows


def receipt_text(receipt: Receipt) -> str:
    """The receipt as plain text lines (for logs, tests and plain printers)."""
    out = [receipt.business_name, receipt.business_address, _("Tax number: {number}").format(number=receipt.tax_number)]
    out.append(receipt.title)
    if receipt.copy:
        out.append(copy_mark())
    out += [f"{label}: {value}" for label, value in _header_rows(receipt)]
    for line in receipt.lines:
        out.append(f"{line.quantity} × {line.name}  {line.unit_price}  {line.total}")
        out.append("   " + " · ".join(n for n in (line.price_note, line.discount_note) if n))
    out.append(_("Total") + f": {receipt.total}")
    for row in receipt.vat_rows:
        out.append(_("VAT {rate}: net {net}, VAT {vat}, gross {gross}").format(**row.__dict__))
    out += [f"{label}: {value}" for label, value in (*receipt.payment, *receipt.tse)]
    out += list(receipt.notes)
    out.append(thanks())
    return "\n".join(out)


def copy_mark() -> str:
    """The mark of a reprint."""
    return _("Copy")


def thanks() -> str:
    """The receipt's last line."""
    return _("Thank you for your visit!")


# -- HTML for QTextDocument -------------------------------------------------------------

TSE_QR_RESOURCE = "tse-qr.png"
"""The image name the printer registers the QR code under (ui.receipt_printer)."""
_STYLE = "td { padding: 1px 2px; } .m { color: #555555; font-size: small; }"


def _cells(*cells: str, muted: bool = False) -> str:
    """One table row; every cell after the first is right-aligned (amounts)."""
    cls = " class='m'" if muted else ""
    tds = [f"<td{cls}>{cells[0]}</td>", *(f"<td align='right'{cls}>{cell}</td>" for cell in cells[1:])]
    return "<tr>" + "".join(tds) + "</tr>"


def _table(rows: list[str], widths: tuple[int, ...] = ()) -> str:
    cols = "".join(f'<col width="{w}%">' for w in widths)
    return f'<table width="100%" cellspacing="0">{cols}{"".join(rows)}</table>'


SOFT_HYPHEN = "\u00ad"
LONGEST_UNBROKEN = 14
"""Characters of a word printed before it may break: longer words get soft hyphens, so a name
that does not fit the 72 mm line breaks with a hyphen instead of pushing the amounts aside."""


def breakable(name: str, every: int = LONGEST_UNBROKEN) -> str:
    """``name`` with soft hyphens in its long words; the printer breaks there only where it must."""
    words = []
    for word in name.split(" "):
        if len(word) > every:
            word = SOFT_HYPHEN.join(word[i : i + every // 2] for i in range(0, len(word), every // 2))
        words.append(word)
    return " ".join(words)


def _items_html(receipt: Receipt) -> str:
    """Each item's name on a line of its own, wrapped at words; under it quantity, unit price and amount."""
    rows = [
        "<tr><td colspan='3' class='m'>" + escape(_("Item")) + "</td></tr>",
        _cells(_("Qty"), _("Price"), _("Amount"), muted=True),
    ]
    for line in receipt.lines:
        rows.append(f"<tr><td colspan='3'>{escape(breakable(line.name))}</td></tr>")
        rows.append(_cells(f"{line.quantity} ×", line.unit_price, line.total))
        note = " · ".join(escape(n) for n in (line.price_note, line.discount_note, line.vat_rate) if n)
        rows.append(f"<tr><td colspan='3' class='m'>{note}</td></tr>")
    return _table(rows, (20, 40, 40))


def _vat_html(receipt: Receipt) -> str:
    rows = [_cells(_("VAT rate"), _("Net"), _("VAT"), _("Gross"), muted=True)]
    rows += [_cells(r.rate, r.net, r.vat, r.gross) for r in receipt.vat_rows]
    rows.append(_cells(_("Sum"), receipt.total_net, receipt.total_vat, receipt.total))
    return _table(rows, (25, 25, 25, 25))


def _pairs_html(pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    rows = [_cells(escape(label), escape(value)) for label, value in pairs]
    return _table(rows, (45, 55))


def receipt_html(receipt: Receipt) -> str:
    """The receipt as simple HTML that QTextDocument lays out for the PDF and the printer."""
    address = escape(receipt.business_address).replace(chr(10), "<br>")
    tax_number = escape(_("Tax number: {number}").format(number=receipt.tax_number))
    # Babel finds no _() inside an f-string: every translated text is looked up outside one.
    header = (
        f"<h3 align='center'>{escape(receipt.business_name)}</h3>"
        f"<p align='center'>{address}<br>{tax_number}</p>"
        f"<h4 align='center'>{escape(receipt.title)}</h4>"
    )
    if receipt.copy:
        header += f"<p align='center'><b>*** {escape(copy_mark().upper())} ***</b></p>"
    total_text = escape(_("Total"))
    total = f"<p><b>{total_text}: {receipt.total}</b></p>"
    notes = "".join(f"<p>{escape(note)}</p>" for note in receipt.notes)
    qr = f"<p align='center'><img src='{TSE_QR_RESOURCE}' width='110' height='110'></p>" if receipt.tse_qr else ""
    parts = [
        header,
        _pairs_html(_header_rows(receipt)),
        "<hr>",
        _items_html(receipt),
        "<hr>",
        total,
        _vat_html(receipt),
        "<hr>",
        _pairs_html(receipt.payment),
        "<hr>",
        _pairs_html(receipt.tse),
        qr,
        notes,
        f"<p align='center'>{escape(thanks())}</p>",
    ]
    return f"<html><head><style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>"
