"""The figures of a closing, summed in SQL over its receipt numbers and its cash movements."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from salon_desk.models import CashMovement, CashMovementKind, Sale, SaleVat, TseAbort, TseOutage

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VatTotal:
    """Gross, net and VAT of one rate over the closing (cancellations included, negative)."""

    rate: Decimal
    gross: Decimal
    net: Decimal
    vat: Decimal


@dataclass(frozen=True)
class OutageRecord:
    """One TSE outage as the closing and the export show it."""

    started_at: str
    ended_at: str
    cause: str
    first_receipt: int | None
    last_receipt: int | None
    sales: int


@dataclass(frozen=True)
class ClosingTotals:
    """Everything a Z-report shows about the sales and the drawer of one closing."""

    first_receipt: int
    last_receipt: int
    sales: int = 0
    cancellations: int = 0
    gross: Decimal = ZERO
    net: Decimal = ZERO
    vat: Decimal = ZERO
    cancelled_gross: Decimal = ZERO
    discounts: Decimal = ZERO
    per_vat: tuple[VatTotal, ...] = ()
    per_payment: tuple[tuple[str, Decimal], ...] = ()
    opening_float: Decimal = ZERO
    cash_in: Decimal = ZERO
    cash_out: Decimal = ZERO
    outages: tuple[OutageRecord, ...] = ()
    aborted_tse_transactions: int = 0
    unsigned_sales: int = 0

    @property
    def cash_sales(self) -> Decimal:
        """What the sales paid in cash (cancellations of cash sales count negative)."""
        return dict(self.per_payment).get("cash", ZERO)

    @property
    def expected_cash(self) -> Decimal:
        """Float + cash in − cash out + cash sales: what the drawer should hold."""
        return self.opening_float + self.cash_in - self.cash_out + self.cash_sales

    def to_json(self) -> str:
        """The figures as JSON (amounts as strings), to keep with the closing."""
        return json.dumps(asdict(self), default=str, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ClosingTotals:
        """The figures kept with a closing."""
        data: dict[str, Any] = json.loads(text)
        amounts = ("gross", "net", "vat", "cancelled_gross", "discounts", "opening_float", "cash_in", "cash_out")
        for key in amounts:
            data[key] = Decimal(data[key])
        data["per_vat"] = tuple(
            VatTotal(*(Decimal(v[k]) for k in ("rate", "gross", "net", "vat"))) for v in data["per_vat"]
        )
        data["per_payment"] = tuple((method, Decimal(amount)) for method, amount in data["per_payment"])
        data["outages"] = tuple(OutageRecord(**o) for o in data["outages"])
        return cls(**data)


def _in_range(first: int, last: int) -> ColumnElement[bool]:
    return Sale.number.between(first, last)


def sales_totals(session: Session, first: int, last: int) -> dict[str, Any]:
    """Counts and sums of the sales numbered ``first``..``last``."""
    is_cancel = Sale.reverses_sale_id.is_not(None)
    row = session.execute(
        select(
            func.count(Sale.id),
            func.count(case((is_cancel, 1))),
            func.coalesce(func.sum(Sale.total_gross), 0),
            func.coalesce(func.sum(Sale.total_net), 0),
            func.coalesce(func.sum(Sale.total_vat), 0),
            func.coalesce(func.sum(case((is_cancel, Sale.total_gross), else_=0)), 0),
            func.coalesce(func.sum(Sale.total_discount), 0),
            func.count(case((Sale.tse_status.in_(("failed", "pending")), 1))),
        ).where(_in_range(first, last))
    ).one()
    sales, cancels, gross, net, vat, cancelled, discounts, unsigned = row
    return {
        "sales": sales - cancels,
        "cancellations": cancels,
        "gross": _money(gross),
        "net": _money(net),
        "vat": _money(vat),
        "cancelled_gross": _money(cancelled),
        "discounts": _money(discounts),
        "unsigned_sales": unsigned,
    }


def _money(amount: int | Decimal | None) -> Decimal:
    """A sum as euros and cents (SUM over a Money column keeps its type; None or 0 when there was nothing)."""
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def vat_totals(session: Session, first: int, last: int) -> tuple[VatTotal, ...]:
    """Gross, net and VAT per rate, highest rate first."""
    rows = session.execute(
        select(SaleVat.rate, func.sum(SaleVat.gross), func.sum(SaleVat.net), func.sum(SaleVat.vat))
        .join(Sale, Sale.id == SaleVat.sale_id)
        .where(_in_range(first, last))
        .group_by(SaleVat.rate)
        .order_by(SaleVat.rate.desc())
    )
    return tuple(VatTotal(rate, _money(gross), _money(net), _money(vat)) for rate, gross, net, vat in rows)


def payment_totals(session: Session, first: int, last: int) -> tuple[tuple[str, Decimal], ...]:
    """What was paid per payment method (cancellations negative)."""
    rows = session.execute(
        select(Sale.payment_method, func.sum(Sale.total_gross))
        .where(_in_range(first, last))
        .group_by(Sale.payment_method)
        .order_by(Sale.payment_method)
    )
    return tuple((method.value, _money(amount)) for method, amount in rows)


def movement_totals(session: Session, closing_id: int | None) -> dict[str, Decimal]:
    """Float, cash in and cash out of the open drawer (``closing_id`` None) or of a closing."""
    rows = dict(
        session.execute(
            select(CashMovement.kind, func.sum(CashMovement.amount))
            .where(CashMovement.closing_id.is_(None) if closing_id is None else CashMovement.closing_id == closing_id)
            .group_by(CashMovement.kind)
        ).all()
    )
    return {
        "opening_float": _money(rows.get(CashMovementKind.FLOAT, 0)),
        "cash_in": _money(rows.get(CashMovementKind.CASH_IN, 0)),
        "cash_out": _money(rows.get(CashMovementKind.CASH_OUT, 0)),
    }


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""


def open_outages(session: Session) -> tuple[OutageRecord, ...]:
    """The outages not yet taken into a closing, oldest first."""
    rows = session.scalars(select(TseOutage).where(TseOutage.closing_id.is_(None)).order_by(TseOutage.id))
    return tuple(
        OutageRecord(_stamp(o.started_at), _stamp(o.ended_at), o.cause, o.first_receipt, o.last_receipt, o.sales)
        for o in rows
    )


def open_aborts(session: Session) -> int:
    """How many aborted TSE transactions are not yet in a closing."""
    return session.scalar(select(func.count(TseAbort.id)).where(TseAbort.closing_id.is_(None))) or 0


def current_totals(session: Session, first: int, last: int) -> ClosingTotals:
    """The figures of a closing over receipts ``first``..``last`` and the drawer not yet closed."""
    return ClosingTotals(
        first_receipt=first,
        last_receipt=last,
        per_vat=vat_totals(session, first, last),
        per_payment=payment_totals(session, first, last),
        outages=open_outages(session),
        aborted_tse_transactions=open_aborts(session),
        **sales_totals(session, first, last),
        **movement_totals(session, None),
    )


