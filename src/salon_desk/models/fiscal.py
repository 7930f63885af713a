"""The till's legal day: cash movements, daily closings, TSE outages and aborted TSE transactions.

A closing covers every receipt number up to its ``last_receipt``; the sales themselves
are not touched when the day is closed. Database triggers (migration 0010) refuse any
change to a closing, to the sales and lines it covers, and to the cash movements and
outages it took in.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, Money, UtcDateTime, enum_column


class CashMovementKind(StrEnum):
    """Why cash went into or out of the drawer other than by a sale."""

    FLOAT = "float"  # Anfangsbestand (Wechselgeld)
    CASH_IN = "cash_in"  # Einlage
    CASH_OUT = "cash_out"  # Entnahme


class Closing(Base):
    """One daily closing (Kassenabschluss, Z-Bon): numbered without gaps, never changed."""

    __tablename__ = "closings"
    __table_args__ = (CheckConstraint("number > 0", name="number_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(100), default="")
    first_receipt: Mapped[int] = mapped_column(Integer)
    last_receipt: Mapped[int] = mapped_column(Integer)
    cash_expected: Mapped[Decimal] = mapped_column(Money)
    cash_counted: Mapped[Decimal] = mapped_column(Money)
    cash_difference: Mapped[Decimal] = mapped_column(Money)
    # {"denomination": count} as JSON when counted by denomination, "" when counted as a sum.
    count_detail: Mapped[str] = mapped_column(Text, default="")
    # The figures of the Z-report (ClosingTotals as JSON), kept as they were closed.
    totals: Mapped[str] = mapped_column(Text, default="")


class CashMovement(Base):
    """Cash put into or taken out of the drawer with its reason; numbered, never deleted."""

    __tablename__ = "cash_movements"
    __table_args__ = (
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[CashMovementKind] = mapped_column(enum_column(CashMovementKind))
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(100), default="")
    closing_id: Mapped[int | None] = mapped_column(ForeignKey("closings.id"), nullable=True, index=True)


class TseOutage(Base):
    """A time the TSE did not sign: from the first failed sale to the first signed one after it."""

    __tablename__ = "tse_outages"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cause: Mapped[str] = mapped_column(Text, default="")
    first_receipt: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_receipt: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sales: Mapped[int] = mapped_column(Integer, default=0)
    closing_id: Mapped[int | None] = mapped_column(ForeignKey("closings.id"), nullable=True, index=True)


class TseAbort(Base):
    """A TSE transaction started for a sale that was then not written: recorded as aborted."""

    __tablename__ = "tse_aborts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    transaction: Mapped[str] = mapped_column(String(60), default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    cancelled_on_tse: Mapped[bool] = mapped_column(default=False)
    closing_id: Mapped[int | None] = mapped_column(ForeignKey("closings.id"), nullable=True, index=True)


class SaleTse(Base):
    """What the TSE said about one sale beyond the receipt fields: QR code data, or why it failed."""

    __tablename__ = "sale_tse"

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    qr_code: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    process_type: Mapped[str] = mapped_column(String(40), default="")
    process_data: Mapped[str] = mapped_column(Text, default="")
