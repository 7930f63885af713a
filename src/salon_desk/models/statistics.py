"""What statistics count a sale for, and the running totals kept per day, category and group.

Each sale keeps the categories and the customer group its client had when it was sold
(``sale_snapshots``, ``sale_categories``); a cancellation gets the same ones with the
sign turned, so it counts against what the original sale counted for. The totals are
written in the sale's own transaction and can be rebuilt from the snapshots at any time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, Money
from salon_desk.models.client import Client


class SaleSnapshot(Base):
    """The statistics side of one sale: its day, its client and the group the client had then."""

    __tablename__ = "sale_snapshots"
    # Covers the count of clients with a sale over any range (read from the index alone).
    __table_args__ = (Index("ix_sale_snapshots_day_client", "sold_on", "client_id", "group_id", "sign"),)

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    # The local day of the sale; a cancellation keeps the day of the sale it reverses.
    sold_on: Mapped[date] = mapped_column(Date)
    # +1 for a sale, -1 for the cancellation of one.
    sign: Mapped[int] = mapped_column(SmallInteger)
    client_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    group_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    group_name: Mapped[str] = mapped_column(String(60), default="")
    # True when the migration filled this in from the memberships it found (older sales).
    backfilled: Mapped[bool] = mapped_column(Boolean, default=False)


class SaleCategory(Base):
    """A category the client had when the sale was made, and the discount it gave on that sale."""

    __tablename__ = "sale_categories"
    # Day, client and sign repeat the snapshot's, so that counting clients per category over a
    # range reads this index alone.
    __table_args__ = (Index("ix_sale_categories_day", "sold_on", "category_id", "client_id", "sign"),)

    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    # No foreign key: a deleted category still counts for the sales made while it existed.
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    discount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    sold_on: Mapped[date] = mapped_column(Date)
    client_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sign: Mapped[int] = mapped_column(SmallInteger)


class StatDay(Base):
    """Totals of one day for everyone (kind ``a``), one category (``c``) or one customer group (``g``)."""

    __tablename__ = "stat_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dim_kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    dim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sales: Mapped[int] = mapped_column(Integer, default=0)
    gross: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    net: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    discount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # Discounts given by a category: this category's, or every category's on the other rows.
    category_discount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))


class StatVisitor(Base):
    """How many sales a client has in a month (``m``) or a year (``y``) for one row of the statistics."""

    __tablename__ = "stat_visitors"

    period_kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    dim_kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    dim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sales: Mapped[int] = mapped_column(Integer, default=0)


class StatPeriod(Base):
    """The number of clients with a sale in a month or a year, for one row of the statistics."""

    __tablename__ = "stat_periods"

    period_kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    dim_kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    dim_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clients: Mapped[int] = mapped_column(Integer, default=0)


# Members at the end of a range and new clients in it are counted along these (and along the
# memberships' index on category and assignment date, kept with ClientCategory).
Index("ix_clients_created_at", Client.created_at)
# only clients with a group: moving clients out of "no group" then writes one entry, not two
Index(
    "ix_clients_group_created", Client.group_id, Client.created_at,
    sqlite_where=text("group_id IS NOT NULL"), postgresql_where=text("group_id IS NOT NULL"),
)  # fmt: skip
