"""The running totals per day, category and group: kept in the sale's transaction, rebuilt on demand.

Each sale adds to one ``stat_days`` row per thing it counts for (everyone, its group,
each of its categories) and, for a known client, to ``stat_visitors`` per month and
year; when that makes the client's first sale of the period, ``stat_periods`` counts
one client more. A cancellation subtracts the same amounts from the same rows (it keeps
the day and the categories of the sale it reverses), so a period's figures never
depend on when a sale was cancelled. ``rebuild`` recomputes all three tables from the
snapshots with set-based statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, ColumnElement, case, cast, delete, func, insert, literal, select
from sqlalchemy import Date as SqlDate
from sqlalchemy.orm import Session

from salon_desk.models import Sale, SaleCategory, SaleSnapshot, StatDay, StatPeriod, StatVisitor

ALL = "a"
CATEGORY = "c"
GROUP = "g"
MONTH = "m"
YEAR = "y"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SaleFacts:
    """What one sale (sign +1) or cancellation (sign -1) adds to the totals."""

    day: date
    sign: int
    client_id: int | None
    group_id: int | None
    gross: Decimal
    net: Decimal
    discount: Decimal
    category_discounts: dict[int, Decimal]  # category id → discount it gave (negated for a cancellation)


def period_start(kind: str, day: date) -> date:
    """The first day of the month or year ``day`` falls in."""
    return day.replace(day=1) if kind == MONTH else day.replace(month=1, day=1)


def dimensions(facts: SaleFacts) -> list[tuple[str, int]]:
    """The rows of the statistics a sale counts for."""
    dims = [(ALL, 0)]
    if facts.group_id is not None:
        dims.append((GROUP, facts.group_id))
    dims += [(CATEGORY, category_id) for category_id in sorted(facts.category_discounts)]
    return dims


# The per-sale upserts go to the driver as plain SQL: a multi-row VALUES built by SQLAlchemy
# is compiled afresh for every sale (about 4 ms each); these strings cost next to nothing.
_DAYS_SQL = (
    "INSERT INTO stat_days (day, dim_kind, dim_id, sales, gross, net, discount, category_discount) VALUES {rows} "
    "ON CONFLICT (day, dim_kind, dim_id) DO UPDATE SET sales = stat_days.sales + excluded.sales, "
    "gross = stat_days.gross + excluded.gross, net = stat_days.net + excluded.net, "
    "discount = stat_days.discount + excluded.discount, "
    "category_discount = stat_days.category_discount + excluded.category_discount"
)
_VISITORS_SQL = (
    "INSERT INTO stat_visitors (period_kind, period, dim_kind, dim_id, client_id, sales) VALUES {rows} "
    "ON CONFLICT (period_kind, period, dim_kind, dim_id, client_id) DO UPDATE "
    "SET sales = stat_visitors.sales + excluded.sales RETURNING period_kind, period, dim_kind, dim_id, sales"
)
_PERIODS_SQL = (
    "INSERT INTO stat_periods (period_kind, period, dim_kind, dim_id, clients) VALUES {rows} "
    "ON CONFLICT (period_kind, period, dim_kind, dim_id) DO UPDATE SET clients = stat_periods.clients + excluded.clients"
)
# PostgreSQL: the clients new to (or gone from) a period, straight from the visitors' upsert.
_PERIODS_FROM_VISITORS = (
    "INSERT INTO stat_periods (period_kind, period, dim_kind, dim_id, clients) "
    "SELECT period_kind, period, dim_kind, dim_id, {mark} FROM v "
    "WHERE ({mark} > 0 AND sales = 1) OR ({mark} < 0 AND sales = 0) "
    "ON CONFLICT (period_kind, period, dim_kind, dim_id) DO UPDATE SET clients = stat_periods.clients + excluded.clients"
)


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def run_driver_sql(session: Session, sql: str, parameters: tuple[Any, ...]) -> Any:
    """Run ``sql`` (``{mark}`` for each parameter) straight on the DBAPI cursor of the session's transaction."""
    connection = session.connection()
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    return connection.exec_driver_sql(sql.format(mark=mark), parameters)


def _values(sql: str, width: int, rows: Sequence[tuple[Any, ...]]) -> tuple[str, tuple[Any, ...]]:
    """``sql`` with ``rows`` as its VALUES list (``{rows}``), and the parameters in order."""
    one = "(" + ", ".join(["{mark}"] * width) + ")"
    return sql.replace("{rows}", ", ".join([one] * len(rows))), tuple(value for row in rows for value in row)


def insert_rows(session: Session, sql: str, width: int, rows: list[tuple[Any, ...]]) -> Any:
    """Run ``sql`` with ``rows`` as its VALUES list (``{rows}``) straight on the DBAPI cursor."""
    return run_driver_sql(session, *_values(sql, width, rows))


class Writes:
    """The statistics statements of one sale: one after the other on SQLite, one statement on PostgreSQL.

    On PostgreSQL each statement is a round trip to the server; written as data-modifying
    WITH parts of one statement, a sale's statistics cost one.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.parts: list[tuple[str, tuple[Any, ...]]] = []
        self.visitors: tuple[str, tuple[Any, ...], int, dict[str, Any]] | None = None

    def insert(self, sql: str, width: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Add an INSERT of ``rows`` (none: nothing)."""
        if rows:
            self.parts.append(_values(sql, width, rows))

    def count_visitor(self, rows: Sequence[tuple[Any, ...]], sign: int, periods: dict[str, Any]) -> None:
        """Add the upsert of the client's sales per period, and the periods' client counts that follow from it."""
        self.visitors = (*_values(_VISITORS_SQL, 6, rows), sign, periods)

    def run(self) -> None:
        """Send the statements."""
        if self.session.get_bind().dialect.name == "postgresql":
            self._run_as_one()
            return
        for sql, parameters in self.parts:
            run_driver_sql(self.session, sql, parameters)
        if self.visitors is not None:
            sql, parameters, sign, periods = self.visitors
            returned = run_driver_sql(self.session, sql, parameters).all()
            # The client is new to the period when their count went 0 → 1, gone when it went 1 → 0.
            changed = [
                (kind, periods[kind], dim_kind, dim_id, sign)
                for kind, _period, dim_kind, dim_id, sales in returned
                if (sign > 0 and sales == 1) or (sign < 0 and sales == 0)
            ]
            if changed:
                insert_rows(self.session, _PERIODS_SQL, 5, changed)

    def _run_as_one(self) -> None:
        parts = [f"w{n} AS ({sql})" for n, (sql, _parameters) in enumerate(self.parts)]
        parameters = [value for _sql, values in self.parts for value in values]
        main = "SELECT 1"
        if self.visitors is not None:
            sql, values, sign, _periods = self.visitors
            parts.append(f"v AS ({sql})")
            parameters += [*values, sign, sign, sign]
            main = _PERIODS_FROM_VISITORS
        run_driver_sql(self.session, "WITH " + ", ".join(parts) + " " + main, tuple(parameters))


def day_value(session: Session, day: date) -> Any:
    """A date as the driver takes it: SQLite stores the ISO text SQLAlchemy writes."""
    return day.isoformat() if session.get_bind().dialect.name == "sqlite" else day


def add_sale(writes: Writes, facts: SaleFacts) -> None:
    """Add one sale or cancellation to the day totals and to the clients-with-a-sale counts."""
    dims = dimensions(facts)
    session = writes.session
    every_category = _cents(sum(facts.category_discounts.values(), ZERO))
    money = (_cents(facts.gross), _cents(facts.net), _cents(facts.discount))
    day = day_value(session, facts.day)
    rows = [
        (day, kind, dim_id, facts.sign, *money,
         _cents(facts.category_discounts[dim_id]) if kind == CATEGORY else every_category)
        for kind, dim_id in dims
    ]  # fmt: skip
    writes.insert(_DAYS_SQL, 8, rows)
    if facts.client_id is None:
        return
    periods = {kind: day_value(session, period_start(kind, facts.day)) for kind in (MONTH, YEAR)}
    visitors = [
        (kind, periods[kind], dim_kind, dim_id, facts.client_id, facts.sign)
        for kind in (MONTH, YEAR)
        for dim_kind, dim_id in dims
    ]
    writes.count_visitor(visitors, facts.sign, periods)


# -- rebuilding -------------------------------------------------------------------------


def period_expression(connection: Connection, kind: str, column: Any) -> ColumnElement[Any]:
    """The first day of the month or year of a date column, in the database's own dialect."""
    if connection.dialect.name == "postgresql":
        unit = "month" if kind == MONTH else "year"
        return cast(func.date_trunc(unit, column), SqlDate)
    modifier = "start of month" if kind == MONTH else "start of year"
    return func.date(column, modifier, type_=SqlDate)


def rebuild(connection: Connection) -> None:
    """Recompute every total from the sales' snapshots (set-based; run inside one transaction)."""
    for table in (StatDay, StatVisitor, StatPeriod):
        connection.execute(delete(table))
    _rebuild_days(connection)
    for kind in (MONTH, YEAR):
        _rebuild_visitors(connection, kind)
    visitors = StatVisitor.__table__.c
    keys = (visitors.period_kind, visitors.period, visitors.dim_kind, visitors.dim_id)
    counted = select(*keys, func.sum(case((visitors.sales > 0, 1), else_=0))).group_by(*keys)
    connection.execute(insert(StatPeriod).from_select(["period_kind", "period", "dim_kind", "dim_id", "clients"], counted))


_DAY_COLUMNS = ["day", "dim_kind", "dim_id", "sales", "gross", "net", "discount", "category_discount"]


def _rebuild_days(connection: Connection) -> None:
    snapshots, sales, cats = SaleSnapshot.__table__, Sale.__table__, SaleCategory.__table__
    snap = snapshots.c
    per_sale = (
        select(cats.c.sale_id, func.sum(cats.c.discount).label("discount")).group_by(cats.c.sale_id).subquery()
    )
    with_sale = snapshots.join(sales, sales.c.id == snap.sale_id)
    money = (func.sum(sales.c.total_gross), func.sum(sales.c.total_net), func.sum(sales.c.total_discount))
    every_category = func.coalesce(func.sum(per_sale.c.discount), 0)
    with_discounts = with_sale.outerjoin(per_sale, per_sale.c.sale_id == snap.sale_id)
    everyone = (
        select(snap.sold_on, literal(ALL), literal(0), func.sum(snap.sign), *money, every_category)
        .select_from(with_discounts)
        .group_by(snap.sold_on)
    )
    groups = (
        select(snap.sold_on, literal(GROUP), snap.group_id, func.sum(snap.sign), *money, every_category)
        .select_from(with_discounts)
        .where(snap.group_id.is_not(None))
        .group_by(snap.sold_on, snap.group_id)
    )
    categories = (
        select(snap.sold_on, literal(CATEGORY), cats.c.category_id, func.sum(snap.sign), *money,
               func.sum(cats.c.discount))
        .select_from(with_sale.join(cats, cats.c.sale_id == snap.sale_id))
        .group_by(snap.sold_on, cats.c.category_id)
    )
    for query in (everyone, groups, categories):
        connection.execute(insert(StatDay).from_select(_DAY_COLUMNS, query))


def _rebuild_visitors(connection: Connection, kind: str) -> None:
    snap, cats = SaleSnapshot.__table__.c, SaleCategory.__table__.c
    period = period_expression(connection, kind, snap.sold_on)
    known = snap.client_id.is_not(None)
    columns = ["period_kind", "period", "dim_kind", "dim_id", "client_id", "sales"]
    everyone = (
        select(literal(kind), period, literal(ALL), literal(0), snap.client_id, func.sum(snap.sign))
        .where(known)
        .group_by(period, snap.client_id)
    )
    groups = (
        select(literal(kind), period, literal(GROUP), snap.group_id, snap.client_id, func.sum(snap.sign))
        .where(known, snap.group_id.is_not(None))
        .group_by(period, snap.group_id, snap.client_id)
    )
    category_period = period_expression(connection, kind, cats.sold_on)
    categories = (
        select(literal(kind), category_period, literal(CATEGORY), cats.category_id, cats.client_id,
               func.sum(cats.sign))
        .where(cats.client_id.is_not(None))
        .group_by(category_period, cats.category_id, cats.client_id)
    )
    for query in (everyone, groups, categories):
        connection.execute(insert(StatVisitor).from_select(columns, query))
