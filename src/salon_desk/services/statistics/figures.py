"""The figures of one range per row (everyone, each category, each group), read with column selects.

Money, sales and discounts come from the day totals; clients with a sale from the
period counts when the range is one calendar month or year, else from the snapshots'
covering indexes (a few hundred milliseconds per 100,000 sales in the range). Members and new clients come from the clients and their
memberships: a membership counts from the moment it was assigned, and a category's
new clients are those who joined it within the range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from salon_desk.models import (
    Category,
    Client,
    ClientCategory,
    CustomerGroup,
    SaleCategory,
    SaleSnapshot,
    StatDay,
    StatPeriod,
)
from salon_desk.services.statistics.ranges import DateRange
from salon_desk.services.statistics.totals import ALL, CATEGORY, GROUP, MONTH, YEAR, ZERO, period_start

Key = tuple[str, int]
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    """What the statistics show for one row over one range."""

    members: int = 0
    new_clients: int = 0
    clients_with_sale: int = 0
    sales: int = 0
    gross: Decimal = ZERO
    net: Decimal = ZERO
    discount: Decimal = ZERO
    category_discount: Decimal = ZERO

    @property
    def average_ticket(self) -> Decimal | None:
        """Revenue (gross) per sale; None without sales."""
        if not self.sales:
            return None
        return (self.gross / self.sales).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def visits_per_client(self) -> Decimal | None:
        """Sales per client with a sale; None without such clients."""
        if not self.clients_with_sale:
            return None
        return (Decimal(self.sales) / self.clients_with_sale).quantize(CENT, rounding=ROUND_HALF_UP)


def money(session: Session, span: DateRange) -> dict[Key, tuple[int, Decimal, Decimal, Decimal, Decimal]]:
    """Sales, gross, net, discount and category discount per row."""
    rows = session.execute(
        select(
            StatDay.dim_kind,
            StatDay.dim_id,
            func.sum(StatDay.sales),
            func.sum(StatDay.gross),
            func.sum(StatDay.net),
            func.sum(StatDay.discount),
            func.sum(StatDay.category_discount),
        )
        .where(StatDay.day.between(span.start, span.end))
        .group_by(StatDay.dim_kind, StatDay.dim_id)
    )
    return {(kind, dim_id): (int(n), g, ne, d, c) for kind, dim_id, n, g, ne, d, c in rows}


def members(session: Session, span: DateRange) -> dict[Key, int]:
    """Clients at the end of the range: everyone, per group (current group), per category.

    Counted as today's members less those who joined after the range, which reads only
    the clients and memberships added since: few for recent ranges, whatever the size.
    """
    _start, end = span.utc_bounds()
    later = Client.created_at >= end
    total = session.scalar(select(func.count()).select_from(Client)) or 0
    counts: dict[Key, int] = {(ALL, 0): total - (session.scalar(select(func.count()).where(later)) or 0)}
    in_group = Client.group_id.is_not(None)
    now = session.execute(select(Client.group_id, func.count()).where(in_group).group_by(Client.group_id))
    joined = dict(_per_group(session, later))
    counts.update({(GROUP, gid): n - joined.get(gid, 0) for gid, n in now})
    categories = dict(session.execute(select(Category.id, Category.client_count)).all())
    assigned = session.execute(
        select(ClientCategory.category_id, func.count())
        .where(ClientCategory.category_id.in_(list(categories)), ClientCategory.assigned_at >= end)
        .group_by(ClientCategory.category_id)
    )
    joined = dict(assigned.all())
    counts.update({(CATEGORY, cid): n - joined.get(cid, 0) for cid, n in categories.items()})
    return counts


def new_clients(session: Session, span: DateRange) -> dict[Key, int]:
    """Clients registered within the range (everyone, per current group); per category, those who joined it."""
    start, end = span.utc_bounds()
    within = Client.created_at.between(start, end - timedelta(microseconds=1))
    counts: dict[Key, int] = {(ALL, 0): session.scalar(select(func.count()).where(within)) or 0}
    counts.update({(GROUP, gid): n for gid, n in _per_group(session, within)})
    categories = list(session.scalars(select(Category.id)))
    joined = session.execute(
        select(ClientCategory.category_id, func.count())
        .where(
            ClientCategory.category_id.in_(categories),
            ClientCategory.assigned_at.between(start, end - timedelta(microseconds=1)),
        )
        .group_by(ClientCategory.category_id)
    )
    counts.update({(CATEGORY, cid): n for cid, n in joined})
    return counts


def _per_group(session: Session, condition: Any) -> list[tuple[int, int]]:
    """Clients per group among those meeting ``condition`` on their creation time (index by group and time)."""
    groups = list(session.scalars(select(CustomerGroup.id)))
    rows = session.execute(
        select(Client.group_id, func.count())
        .where(Client.group_id.in_(groups), condition)
        .group_by(Client.group_id)
    )
    return [(gid, n) for gid, n in rows]


def clients_with_sale(session: Session, span: DateRange) -> dict[Key, int]:
    """Clients with at least one sale in the range that was not cancelled."""
    for kind in (YEAR, MONTH):
        if _single_period(kind, span):
            rows = session.execute(
                select(StatPeriod.dim_kind, StatPeriod.dim_id, StatPeriod.clients).where(
                    StatPeriod.period_kind == kind, StatPeriod.period == span.start
                )
            )
            return {(k, i): n for k, i, n in rows}
    return _from_snapshots(session, span)


def _single_period(kind: str, span: DateRange) -> bool:
    return span.start == period_start(kind, span.start) and span.end == _period_end(kind, span.start)


def _period_end(kind: str, day: date) -> date:
    if kind == YEAR:
        return date(day.year, 12, 31)
    following = day.replace(day=28) + timedelta(days=4)
    return following - timedelta(days=following.day)


def _from_snapshots(session: Session, span: DateRange) -> dict[Key, int]:
    in_range = (SaleSnapshot.sold_on.between(span.start, span.end), SaleSnapshot.client_id.is_not(None))
    counts: dict[Key, int] = {}
    everyone = (
        select(SaleSnapshot.client_id).where(*in_range).group_by(SaleSnapshot.client_id)
        .having(func.sum(SaleSnapshot.sign) > 0).subquery()
    )
    counts[(ALL, 0)] = session.scalar(select(func.count()).select_from(everyone)) or 0
    groups = (
        select(SaleSnapshot.group_id, SaleSnapshot.client_id)
        .where(*in_range, SaleSnapshot.group_id.is_not(None))
        .group_by(SaleSnapshot.group_id, SaleSnapshot.client_id)
        .having(func.sum(SaleSnapshot.sign) > 0)
        .subquery()
    )
    counts.update(_count_per(session, groups, GROUP, groups.c.group_id))
    categories = (
        select(SaleCategory.category_id, SaleCategory.client_id)
        .where(SaleCategory.sold_on.between(span.start, span.end), SaleCategory.client_id.is_not(None))
        .group_by(SaleCategory.category_id, SaleCategory.client_id)
        .having(func.sum(SaleCategory.sign) > 0)
        .subquery()
    )
    counts.update(_count_per(session, categories, CATEGORY, categories.c.category_id))
    return counts


def _count_per(session: Session, subquery: Any, kind: str, column: Any) -> dict[Key, int]:
    rows = session.execute(select(column, func.count()).select_from(subquery).group_by(column))
    return {(kind, dim_id): n for dim_id, n in rows}


def figures(session: Session, span: DateRange) -> dict[Key, Figures]:
    """Every row's figures over ``span``; rows without any figure are left out."""
    sums = money(session, span)
    parts = (members(session, span), new_clients(session, span), clients_with_sale(session, span))
    keys = set(sums).union(*parts)
    result = {}
    for key in keys:
        n, gross, net, discount, category = sums.get(key, (0, ZERO, ZERO, ZERO, ZERO))
        result[key] = Figures(
            members=parts[0].get(key, 0),
            new_clients=parts[1].get(key, 0),
            clients_with_sale=parts[2].get(key, 0),
            sales=n,
            gross=gross,
            net=net,
            discount=discount,
            category_discount=category,
        )
    return result


def row_names(session: Session, keys: Iterable[Key]) -> dict[Key, str]:
    """Current names of the categories and groups; the name a sale kept for deleted ones."""
    wanted = set(keys)
    names: dict[Key, str] = {(CATEGORY, i): n for i, n in session.execute(select(Category.id, Category.name))}
    names.update({(GROUP, i): n for i, n in session.execute(select(CustomerGroup.id, CustomerGroup.name))})
    gone_categories = [i for kind, i in wanted - set(names) if kind == CATEGORY]
    if gone_categories:
        rows = session.execute(
            select(SaleCategory.category_id, func.max(SaleCategory.name))
            .where(SaleCategory.category_id.in_(gone_categories))
            .group_by(SaleCategory.category_id)
        )
        names.update({(CATEGORY, i): n for i, n in rows})
    gone_groups = [i for kind, i in wanted - set(names) if kind == GROUP]
    if gone_groups:
        rows = session.execute(
            select(SaleSnapshot.group_id, func.max(SaleSnapshot.group_name))
            .where(SaleSnapshot.group_id.in_(gone_groups))
            .group_by(SaleSnapshot.group_id)
        )
        names.update({(GROUP, i): n for i, n in rows})
    return names


def monthly_revenue(session: Session, span: DateRange, keys: Iterable[Key]) -> dict[Key, dict[date, Decimal]]:
    """Gross revenue per month of the range for the chosen rows (months without sales are left out)."""
    chosen = list(keys)
    result: dict[Key, dict[date, Decimal]] = {key: {} for key in chosen}
    if not chosen:
        return result
    kinds = {kind for kind, _id in chosen}
    rows = session.execute(
        select(StatDay.day, StatDay.dim_kind, StatDay.dim_id, StatDay.gross).where(
            StatDay.day.between(span.start, span.end), StatDay.dim_kind.in_(kinds)
        )
    )
    for day, kind, dim_id, gross in rows:
        months = result.get((kind, dim_id))
        if months is not None:
            month = day.replace(day=1)
            months[month] = months.get(month, ZERO) + gross
    return result
