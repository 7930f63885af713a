"""Completed sales as plain records, read back from the stored snapshot (never re-priced)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from salon_desk.kinds import ItemKind
from salon_desk.models import PaymentMethod, Sale, SaleLine, SaleTse, SaleVat
from salon_desk.services.checkout.tse import TseSignature


@dataclass(frozen=True)
class SaleLineRecord:
    """One stored line with the names, prices and discount it was sold with."""

    position: int
    item_id: int | None
    item_name: str
    kind: ItemKind
    quantity: int
    list_price: Decimal
    base_price: Decimal
    price_source: str
    offer_name: str
    unit_price: Decimal
    discount_percent: Decimal
    discount_source: str
    discount_label: str
    category_name: str
    manual_by: str
    manual_reason: str
    discount_amount: Decimal
    line_total: Decimal
    vat_rate: Decimal
    why: dict[str, Any]


@dataclass(frozen=True)
class SaleVatRecord:
    """Gross, VAT and net of one rate."""

    rate: Decimal
    gross: Decimal
    vat: Decimal
    net: Decimal


@dataclass(frozen=True)
class SaleRecord:
    """A completed sale or cancellation, as stored."""

    id: int
    number: int
    client_id: int | None
    client_name: str
    group_name: str
    staff_name: str
    started_at: datetime
    completed_at: datetime
    payment_method: PaymentMethod
    given: Decimal | None
    change: Decimal | None
    total_gross: Decimal
    total_net: Decimal
    total_vat: Decimal
    total_discount: Decimal
    lines: tuple[SaleLineRecord, ...]
    vat: tuple[SaleVatRecord, ...]
    tse: TseSignature
    reverses_sale_id: int | None = None
    reverses_number: int | None = None
    reversed_by_id: int | None = None
    reversed_by_number: int | None = None
    cancel_reason: str = ""

    @property
    def is_cancellation(self) -> bool:
        """True for a reversing sale."""
        return self.reverses_sale_id is not None

    @property
    def is_cancelled(self) -> bool:
        """True when a reversing sale cancelled this one."""
        return self.reversed_by_id is not None


@dataclass(frozen=True)
class SaleSummary:
    """One row of the list of past sales."""

    id: int
    number: int
    completed_at: datetime
    client_id: int | None
    client_name: str
    staff_name: str
    payment_method: PaymentMethod
    total_gross: Decimal
    reverses_number: int | None
    reversed_by_number: int | None


@dataclass(frozen=True)
class SaleFilter:
    """Which past sales to list: a date range (local dates, inclusive), a client, a receipt number."""

    date_from: date | None = None
    date_to: date | None = None
    client_id: int | None = None
    number: int | None = None


def tse_of(sale: Sale) -> TseSignature:
    """The TSE fields stored on a sale."""
    return TseSignature(
        status=sale.tse_status,
        serial=sale.tse_serial,
        transaction=sale.tse_transaction,
        signature_counter=sale.tse_signature_counter,
        signature=sale.tse_signature,
        start=sale.tse_start,
        finish=sale.tse_finish,
    )


def line_record(line: SaleLine) -> SaleLineRecord:
    """A stored line as a record."""
    return SaleLineRecord(
        position=line.position,
        item_id=line.item_id,
        item_name=line.item_name,
        kind=line.item_kind,
        quantity=line.quantity,
        list_price=line.list_price,
        base_price=line.base_price,
        price_source=line.price_source,
        offer_name=line.offer_name,
        unit_price=line.unit_price,
        discount_percent=line.discount_percent,
        discount_source=line.discount_source,
        discount_label=line.discount_label,
        category_name=line.category_name,
        manual_by=line.manual_by,
        manual_reason=line.manual_reason,
        discount_amount=line.discount_amount,
        line_total=line.line_total,
        vat_rate=line.vat_rate,
        why=json.loads(line.why) if line.why else {},
    )


def new_record(sale: Sale, lines: list[dict[str, Any]], vat: list[SaleVatRecord]) -> SaleRecord:
    """The record of a sale just written, from the rows in hand (saves reading them back)."""
    records = tuple(
        SaleLineRecord(
            **{k: v for k, v in row.items() if k in _LINE_FIELDS},
            kind=row["item_kind"],
            why=json.loads(row["why"]) if row["why"] else {},
        )
        for row in lines
    )
    return _record(sale, records, tuple(vat), None, None)


_LINE_FIELDS = frozenset(SaleLineRecord.__dataclass_fields__) - {"kind", "why"}


def _record(
    sale: Sale,
    lines: tuple[SaleLineRecord, ...],
    vat: tuple[SaleVatRecord, ...],
    reverses: int | None,
    reversal: tuple[int, int] | None,
) -> SaleRecord:
    return SaleRecord(
        id=sale.id,
        number=sale.number,
        client_id=sale.client_id,
        client_name=sale.client_name,
        group_name=sale.group_name,
        staff_name=sale.staff_name,
        started_at=sale.started_at,
        completed_at=sale.completed_at,
        payment_method=sale.payment_method,
        given=sale.given,
        change=sale.change,
        total_gross=sale.total_gross,
        total_net=sale.total_net,
        total_vat=sale.total_vat,
        total_discount=sale.total_discount,
        lines=lines,
        vat=vat,
        tse=tse_of(sale),
        reverses_sale_id=sale.reverses_sale_id,
        reverses_number=reverses,
        reversed_by_id=reversal[0] if reversal else None,
        reversed_by_number=reversal[1] if reversal else None,
        cancel_reason=sale.cancel_reason,
    )


def load_record(session: Session, sale: Sale) -> SaleRecord:
    """The full record of a stored sale: lines, VAT and the cancellation links."""
    lines = session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.position))
    vat = session.scalars(select(SaleVat).where(SaleVat.sale_id == sale.id).order_by(SaleVat.rate.desc()))
    reverses = session.get(Sale, sale.reverses_sale_id) if sale.reverses_sale_id else None
    reversal = session.execute(select(Sale.id, Sale.number).where(Sale.reverses_sale_id == sale.id)).first()
    record = _record(
        sale,
        tuple(line_record(line) for line in lines),
        tuple(SaleVatRecord(v.rate, v.gross, v.vat, v.net) for v in vat),
        reverses.number if reverses else None,
        (reversal.id, reversal.number) if reversal else None,
    )
    details = session.get(SaleTse, sale.id)  # the QR code data the TSE gave (fiscal)
    return replace(record, tse=replace(record.tse, qr_code=details.qr_code)) if details else record


def summaries_query(filters: SaleFilter, start: datetime | None, end: datetime | None, limit: int) -> Any:
    """Newest first: the sales matching ``filters``; ``start``/``end`` bound ``completed_at`` (UTC)."""
    original = aliased(Sale)
    reversal = aliased(Sale)
    query = (
        select(
            Sale.id,
            Sale.number,
            Sale.completed_at,
            Sale.client_id,
            Sale.client_name,
            Sale.staff_name,
            Sale.payment_method,
            Sale.total_gross,
            original.number,
            reversal.number,
        )
        .outerjoin(original, original.id == Sale.reverses_sale_id)
        .outerjoin(reversal, reversal.reverses_sale_id == Sale.id)
        .order_by(Sale.number.desc())
        .limit(limit)
    )
    if filters.client_id is not None:
        query = query.where(Sale.client_id == filters.client_id)
    if filters.number is not None:
        query = query.where(Sale.number == filters.number)
    if start is not None:
        query = query.where(Sale.completed_at >= start)
    if end is not None:
        query = query.where(Sale.completed_at < end)
    return query


def summary_of(row: Any) -> SaleSummary:
    """One row of ``summaries_query`` as a summary."""
    return SaleSummary(*row)
