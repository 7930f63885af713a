"""Completed sales: immutable, gaplessly numbered, each line with its price snapshot (GoBD)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.kinds import ItemKind
from salon_desk.models.base import Base, Money, Percent, UtcDateTime, enum_column


class PaymentMethod(StrEnum):
    """How the client paid."""

    CASH = "cash"
    CARD = "card"


class ReceiptCounter(Base):
    """The last receipt number; incremented inside the sale's transaction, so numbers have no gaps."""

    __tablename__ = "receipt_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Sale(Base):
    """A completed sale or the reversal of one; never updated or deleted."""

    __tablename__ = "sales"
    __table_args__ = (
        CheckConstraint("number > 0", name="number_positive"),
        # a client's sales in time order, and what a segment's visits and revenue in a period read of them
        Index("ix_sales_client_time", "client_id", "completed_at", "total_gross", "reverses_sale_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), nullable=True)
    client_name: Mapped[str] = mapped_column(String(201), default="")
    group_name: Mapped[str] = mapped_column(String(60), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(100), default="")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    payment_method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    given: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    change: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    total_gross: Mapped[Decimal] = mapped_column(Money)
    total_net: Mapped[Decimal] = mapped_column(Money)
    total_vat: Mapped[Decimal] = mapped_column(Money)
    total_discount: Mapped[Decimal] = mapped_column(Money)
    reverses_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), nullable=True, unique=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # Technical security device (KassenSichV); "no TSE connected" is written here until one is.
    tse_status: Mapped[str] = mapped_column(String(40), default="")
    tse_serial: Mapped[str] = mapped_column(String(200), default="")
    tse_transaction: Mapped[str] = mapped_column(String(60), default="")
    tse_signature_counter: Mapped[str] = mapped_column(String(60), default="")
    tse_signature: Mapped[str] = mapped_column(Text, default="")
    tse_start: Mapped[str] = mapped_column(String(40), default="")
    tse_finish: Mapped[str] = mapped_column(String(40), default="")


class ClientSalesYear(Base):
    """A client's visits and gross revenue since the same day a year ago: sales neither reversed nor reversals.

    Kept by database triggers on ``sales`` (migration 0022) for the window that
    ``SalesYearWindow`` names, and counted anew once a day (``services/clients/sales_year.py``).
    A segment on the sales of the last year reads these rows instead of every sale.
    Read only for the application.
    """

    __tablename__ = "client_sales_year"

    client_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    visits: Mapped[int] = mapped_column(Integer)
    revenue: Mapped[Decimal] = mapped_column(Money)


class SalesYearWindow(Base):
    """The one row saying which year ``client_sales_year`` counts: the local day it was counted for, and
    the first moment counted (local midnight of the same day a year before). No day: not counted yet."""

    __tablename__ = "sales_year_window"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SaleLine(Base):
    """One line of a sale with the names, prices and discount it was sold with."""

    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_items.id", ondelete="SET NULL"), nullable=True)
    item_name: Mapped[str] = mapped_column(String(100))
    item_kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    quantity: Mapped[int] = mapped_column(Integer)
    list_price: Mapped[Decimal] = mapped_column(Money)
    base_price: Mapped[Decimal] = mapped_column(Money)
    price_source: Mapped[str] = mapped_column(String(20))
    offer_name: Mapped[str] = mapped_column(String(100), default="")
    unit_price: Mapped[Decimal] = mapped_column(Money)
    discount_percent: Mapped[Decimal] = mapped_column(Percent)
    discount_source: Mapped[str] = mapped_column(String(20))
    discount_label: Mapped[str] = mapped_column(String(200), default="")
    category_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    category_name: Mapped[str] = mapped_column(String(60), default="")
    manual_by: Mapped[str] = mapped_column(String(100), default="")
    manual_reason: Mapped[str] = mapped_column(Text, default="")
    discount_amount: Mapped[Decimal] = mapped_column(Money)
    line_total: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(Percent)
    # "Why this price": every category considered and its outcome, as JSON.
    why: Mapped[str] = mapped_column(Text, default="")


class SaleVat(Base):
    """Gross, VAT and net of one VAT rate on a sale."""

    __tablename__ = "sale_vat"

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Percent, primary_key=True)
    gross: Mapped[Decimal] = mapped_column(Money)
    vat: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
