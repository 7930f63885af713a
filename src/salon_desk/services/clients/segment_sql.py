"""A segment's rules as one SQL condition on ``clients`` (SQLAlchemy Core, the same on SQLite and PostgreSQL).

The condition holds subqueries but is a single statement wherever it is used: a count,
a page of the client list, or a bulk ``INSERT … SELECT`` / ``UPDATE``. Memberships and
recipient lists are asked as ``id IN (…)`` so that a small category drives the query
through its index instead of a probe per client. Visits and revenue in a period are
grouped once per client that had a sale then; clients without any sale in the period
count as 0 visits and 0.00 revenue, so "at most" conditions include them.

A segment's count (``segment_count``) asks the same conditions of ``client_facts``, the
narrow rows that triggers keep beside the cards (migration 0021), and reaches a
category's members through the index that holds them: a count of 1,000,000 clients
then reads about 60 MB instead of the cards themselves. The visits and revenue of the
last year up to today (the editor's default period) come from ``client_sales_year``
when the caller says it was counted for today (``sales_year``, see ``sales_year.py``):
one narrow row per client who came, instead of every sale of three years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    exists,
    extract,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from salon_desk.models import (
    Client,
    ClientCategory,
    ClientFacts,
    ClientMerge,
    ClientSalesYear,
    RecipientGroupMember,
    Sale,
)
from salon_desk.services.clients.segment_rules import CategoryMode, GroupMode, SegmentRules, VisitMode
from salon_desk.services.clients.sql_hints import unindexed


def local_start(day: date) -> datetime:
    """The start of ``day`` on this computer's clock, as an aware time (sales and creation times are UTC)."""
    return datetime.combine(day, time.min).astimezone()


@dataclass(frozen=True)
class _Card:
    """The columns a segment compares: on ``clients`` (a page, a bulk change) or on ``client_facts`` (a count)."""

    id: ColumnElement[int]
    group_id: ColumnElement[Any]
    last_visit: ColumnElement[Any]
    birthday_key: ColumnElement[Any]  # month * 100 + day, NULL without a birthday
    created_at: ColumnElement[Any]
    postal_code: ColumnElement[str]
    city_key: ColumnElement[str]
    has_email: ColumnElement[bool]
    has_phone: ColumnElement[bool]
    email_consent: ColumnElement[Any]
    sms_consent: ColumnElement[Any]
    phone_consent: ColumnElement[Any]


_CLIENTS = _Card(
    id=Client.id,
    group_id=Client.group_id,
    last_visit=Client.last_visit,
    birthday_key=extract("month", Client.birthday) * 100 + extract("day", Client.birthday),
    created_at=Client.created_at,
    postal_code=Client.postal_code,
    city_key=func.lower(func.trim(Client.city)),
    has_email=Client.email != "",
    has_phone=Client.phone != "",
    email_consent=Client.email_consent,
    sms_consent=Client.sms_consent,
    phone_consent=Client.phone_consent,
)
_FACTS = _Card(
    id=ClientFacts.client_id,
    group_id=ClientFacts.group_id,
    last_visit=ClientFacts.last_visit,
    birthday_key=ClientFacts.birthday_key,
    created_at=ClientFacts.created_at,
    postal_code=ClientFacts.postal_code,
    city_key=ClientFacts.city_key,
    has_email=ClientFacts.has_email.is_(True),
    has_phone=ClientFacts.has_phone.is_(True),
    email_consent=ClientFacts.email_consent,
    sms_consent=ClientFacts.sms_consent,
    phone_consent=ClientFacts.phone_consent,
)


def card_facts() -> Select[Any]:
    """Each card's facts computed from ``clients``, in the columns' order of ``client_facts``: what its
    triggers write, for a load that ran without them."""
    c = _CLIENTS
    return select(
        c.id, c.group_id, c.last_visit, c.birthday_key, c.created_at, c.postal_code, c.city_key,
        c.has_email, c.has_phone, c.email_consent, c.sms_consent, c.phone_consent,
    )  # fmt: skip


def segment_condition(
    rules: SegmentRules, today: date | None = None, *, per_client: bool = False, sales_year: date | None = None
) -> ColumnElement[bool]:
    """The clients matching every condition of ``rules``; "today" fixes the relative ones (last N days).

    ``per_client``: memberships and recipient lists asked per client (a correlated
    ``EXISTS`` on their primary keys) instead of as ``id IN (…)``. That suits a few
    thousand rows read in list order; the list of a category's 300,000 members would
    first be built in full. ``sales_year``: the day ``client_sales_year`` was counted for.
    """
    today = today or date.today()
    kept = _card_conditions(rules, today, _CLIENTS, per_client, sales_year)
    categories = _categories(rules, today, per_client)
    if categories is not None:
        kept.insert(0, categories)
    return and_(Client.id.not_in(select(ClientMerge.client_id)), *kept)  # merged cards are closed


def segment_count(rules: SegmentRules, today: date | None = None, sales_year: date | None = None) -> Select[tuple[int]]:
    """The number of clients ``rules`` holds, as one statement over ``client_facts`` (merged cards have no row there).

    One category's members are joined along their index, and all of several as the
    first's members joined with their memberships of the others; any of several are
    asked as a list. "None of" is the clients matching the rest less those among them
    who hold one of the categories: the members are few, and reading them beats asking
    each of 1,000,000 clients.
    """
    today = today or date.today()
    if rules.category_mode != CategoryMode.NONE or not rules.category_ids:
        return _members(rules, today, func.count(), sales_year)
    rest = _card_conditions(rules, today, _FACTS, per_client=False, sales_year=sales_year)
    everyone = _year_joined(select(func.count()).select_from(ClientFacts).where(*rest), rules, today, sales_year)
    held = _year_joined(_holding(rules, today, rules.category_ids, rest, func.count()), rules, today, sales_year)
    return select(everyone.scalar_subquery() - held.scalar_subquery())


def segment_members(rules: SegmentRules, today: date | None = None, sales_year: date | None = None) -> Select[tuple[int]]:
    """The ids of the clients ``rules`` holds, read from ``client_facts`` as the count reads them.

    For a segment of few members among many clients: ``clients.id IN (this)`` finds them
    without asking each card.
    """
    return _members(rules, today or date.today(), ClientFacts.client_id, sales_year)


def _members(
    rules: SegmentRules, today: date, column: ColumnElement[int], sales_year: date | None = None
) -> Select[tuple[int]]:
    rest = _card_conditions(rules, today, _FACTS, per_client=False, sales_year=sales_year)
    ids = rules.category_ids if rules.category_mode is not None else ()
    if not ids:
        stmt = select(column).select_from(ClientFacts).where(*rest)
    elif rules.category_mode == CategoryMode.ALL:
        stmt = _holding(rules, today, ids[:1], rest, column, also=ids[1:])
    elif rules.category_mode == CategoryMode.ANY:
        stmt = _holding(rules, today, ids, rest, column)
    else:
        held = select(ClientCategory.client_id).where(*_membership(rules, today, ids))
        stmt = select(column).select_from(ClientFacts).where(ClientFacts.client_id.not_in(held), *rest)
    return _year_joined(stmt, rules, today, sales_year)


def _year_joined(stmt: Select[Any], rules: SegmentRules, today: date, sales_year: date | None) -> Select[Any]:
    """``stmt`` over the facts with each client's row of the last year joined, where its sales conditions need it."""
    if not _joins_year(rules, today, sales_year):
        return stmt
    return stmt.outerjoin(ClientSalesYear, ClientSalesYear.client_id == ClientFacts.client_id)


def _reads_year(rules: SegmentRules, today: date, sales_year: date | None) -> bool:
    """The sales conditions ask for the last year up to today, and ``client_sales_year`` was counted for today."""
    if not rules.uses_sales() or rules.sales_from is None or rules.sales_to is None:
        return False
    return sales_year == today and rules.sales_from == year_ago(today) and rules.sales_to >= today


def _joins_year(rules: SegmentRules, today: date, sales_year: date | None) -> bool:
    """A count asks the last year's row of each client (a client without one has no visit and no revenue):
    for conditions that hold such clients, an outer join beats the list of those who fail (155 ms instead of
    310 for 1,000,000 clients)."""
    return _reads_year(rules, today, sales_year) and _holds_without_sales(rules)


def _holding(
    rules: SegmentRules,
    today: date,
    ids: tuple[int, ...],
    conditions: list[ColumnElement[bool]],
    column: ColumnElement[int],
    also: tuple[int, ...] = (),
) -> Select[tuple[int]]:
    """``column`` over the clients holding any of ``ids`` and each of ``also`` (valid today unless expired ones
    count) and matching ``conditions``. A membership's key is (client, category): a join of single categories
    meets each client once."""
    if len(ids) > 1:
        chosen = ClientFacts.client_id.in_(select(ClientCategory.client_id).where(*_membership(rules, today, ids)))
        return select(column).select_from(ClientFacts).where(chosen, *conditions)
    stmt = select(column).select_from(ClientCategory)
    for category_id in also:
        held = aliased(ClientCategory)
        on = [held.client_id == ClientCategory.client_id, *_membership(rules, today, (category_id,), held)]
        stmt = stmt.join(held, and_(*on))
    stmt = stmt.join(ClientFacts, ClientFacts.client_id == ClientCategory.client_id)
    return stmt.where(*_membership(rules, today, ids), *conditions)


def _membership(
    rules: SegmentRules, today: date, ids: tuple[int, ...], table: Any = ClientCategory
) -> list[ColumnElement[bool]]:
    chosen = table.category_id.in_(_inline(ids)) if len(ids) > 1 else table.category_id == ids[0]
    if rules.include_expired:
        return [chosen]
    return [chosen, or_(table.valid_until.is_(None), table.valid_until >= today)]


def _card_conditions(
    rules: SegmentRules, today: date, card: _Card, per_client: bool, sales_year: date | None = None
) -> list[ColumnElement[bool]]:
    """Every condition of ``rules`` but the categories, on ``card``'s columns. ``sales_year``: the day
    ``client_sales_year`` was counted for, if known (a segment on the last year's sales then reads it)."""
    parts = [
        _group(rules, card),
        _recipients(rules, card, per_client),
        _visit(rules, today, card),
        _sales(rules, card, today, sales_year, per_client),
        _birthday(rules, today, card),
        _created(rules, card),
        _place(rules, card),
        _reachable(rules, card),
    ]
    return [p for p in parts if p is not None]


def _categories(rules: SegmentRules, today: date, per_client: bool) -> ColumnElement[bool] | None:
    if rules.category_mode is None or not rules.category_ids:
        return None
    valid = [] if rules.include_expired else [or_(ClientCategory.valid_until.is_(None), ClientCategory.valid_until >= today)]

    def members(ids: tuple[int, ...]) -> ColumnElement[bool]:
        chosen = (ClientCategory.category_id.in_(_inline(ids)), *valid)
        if per_client:
            return exists().where(ClientCategory.client_id == Client.id, *chosen)
        return Client.id.in_(select(ClientCategory.client_id).where(*chosen))

    if rules.category_mode == CategoryMode.ANY:
        return members(rules.category_ids)
    if rules.category_mode == CategoryMode.ALL:
        return and_(*(members((category_id,)) for category_id in rules.category_ids))
    return not_(members(rules.category_ids))


def _inline(ids: tuple[int, ...]) -> list[ColumnElement[int]]:
    """Ids written into the SQL: the client list re-renders some statements as text (``execute_indexed``),
    which cannot expand a list parameter. They are ints, so nothing can be injected."""
    return [literal_column(str(int(i)), Integer()) for i in ids]


def _group(rules: SegmentRules, card: _Card) -> ColumnElement[bool] | None:
    if rules.group_mode == GroupMode.NONE:
        return card.group_id.is_(None)
    if rules.group_mode == GroupMode.ONE_OF:
        return card.group_id.in_(_inline(rules.group_ids)) if rules.group_ids else false()
    return None


def _recipients(rules: SegmentRules, card: _Card, per_client: bool) -> ColumnElement[bool] | None:
    if rules.recipient_group_id is None:
        return None
    listed = RecipientGroupMember.recipient_group_id == rules.recipient_group_id
    if per_client:
        return exists().where(listed, RecipientGroupMember.client_id == card.id)
    return card.id.in_(select(RecipientGroupMember.client_id).where(listed))


def _visit(rules: SegmentRules, today: date, card: _Card) -> ColumnElement[bool] | None:
    mode = rules.visit_mode
    if mode == VisitMode.NEVER:
        return card.last_visit.is_(None)
    if mode == VisitMode.BEFORE and rules.visit_before is not None:
        return card.last_visit < rules.visit_before
    if mode in (VisitMode.WITHIN, VisitMode.NOT_WITHIN) and rules.visit_days is not None:
        since = today - timedelta(days=rules.visit_days)
        if mode == VisitMode.WITHIN:
            return card.last_visit >= since
        return or_(card.last_visit.is_(None), card.last_visit < since)
    return None


def _sales(
    rules: SegmentRules, card: _Card, today: date, sales_year: date | None, per_client: bool
) -> ColumnElement[bool] | None:
    """Visits (completed sales, neither a reversal nor reversed) and their gross revenue in the period.

    The year up to today, counted for today, is read from ``client_sales_year`` (a count over the
    facts has it joined where it holds clients without a sale, see ``_joins_year``); any other
    period from the sales themselves."""
    if not rules.uses_sales() or rules.sales_from is None or rules.sales_to is None:
        return None
    holds = _holds_without_sales(rules)
    if _reads_year(rules, today, sales_year):
        year = ClientSalesYear
        if card is _FACTS and holds:  # joined to the facts by _year_joined
            return and_(*_sales_checks(rules, func.coalesce(year.visits, 0), func.coalesce(year.revenue, 0)))
        checks = _sales_checks(rules, year.visits, year.revenue)
        if per_client:
            mine = year.client_id == card.id
            return ~exists().where(mine, not_(and_(*checks))) if holds else exists().where(mine, *checks)
        counted = select(year.client_id)
        return card.id.not_in(counted.where(not_(and_(*checks)))) if holds else card.id.in_(counted.where(*checks))
    visits, revenue = func.count(Sale.id), func.sum(Sale.total_gross)
    grouped = period_sales(local_start(rules.sales_from), local_start(rules.sales_to + timedelta(days=1)))
    checks = _sales_checks(rules, visits, revenue)
    if holds:
        return card.id.not_in(grouped.having(not_(and_(*checks))))
    return card.id.in_(grouped.having(and_(*checks)))


def period_sales(start: datetime, end: datetime | None) -> Select[tuple[int]]:
    """The clients with a visit from ``start`` until before ``end`` (open: until now), grouped per client.

    The period's sales are read along ix_sales_client_time, in client order, which groups them
    without a sort and holds every column compared. SQLite's planner would rather take the index
    on completed_at for the range and read each sale's row (6 s for 2.5 million sales), or the
    one on reverses_sale_id for "IS NULL", which nearly every sale is: neither may be used.
    """
    reversed_ids = select(Sale.reverses_sale_id).where(Sale.reverses_sale_id.is_not(None))
    completed_at, reverses = unindexed(Sale.completed_at), unindexed(Sale.reverses_sale_id)
    period = [completed_at >= start] + ([completed_at < end] if end is not None else [])
    return (
        select(Sale.client_id)
        .where(Sale.client_id.is_not(None), *period, reverses.is_(None), Sale.id.not_in(reversed_ids))
        .group_by(Sale.client_id)
    )


def year_ago(day: date) -> date:
    """The same day a year before (28 February for 29 February): where "the last year" starts."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _sales_checks(rules: SegmentRules, visits: ColumnElement[Any], revenue: ColumnElement[Any]) -> list[ColumnElement[bool]]:
    checks = []
    if rules.visits_min is not None:
        checks.append(visits >= rules.visits_min)
    if rules.visits_max is not None:
        checks.append(visits <= rules.visits_max)
    if rules.revenue_min is not None:
        checks.append(revenue >= rules.revenue_min)
    if rules.revenue_max is not None:
        checks.append(revenue <= rules.revenue_max)
    return checks


def _holds_without_sales(rules: SegmentRules) -> bool:
    """True when 0 visits and 0.00 revenue satisfy the sales conditions."""
    zero = Decimal(0)
    return (
        (rules.visits_min is None or rules.visits_min <= 0)
        and (rules.revenue_min is None or rules.revenue_min <= zero)
        and (rules.visits_max is None or rules.visits_max >= 0)
        and (rules.revenue_max is None or rules.revenue_max >= zero)
    )


def _birthday(rules: SegmentRules, today: date, card: _Card) -> ColumnElement[bool] | None:
    conditions = []
    if rules.birthday_month is not None:
        month = rules.birthday_month * 100
        conditions.append(card.birthday_key.between(month + 1, month + 31))
    if rules.birthday_days is not None:
        conditions.append(_birthday_within(rules.birthday_days, today, card.birthday_key))
    return and_(*conditions) if conditions else None


def month_day(day: date) -> int:
    """``day`` as MMDD, e.g. 1 March as 301; what "birthday within the next N days" compares."""
    return day.month * 100 + day.day


def _birthday_within(days: int, today: date, key: ColumnElement[Any]) -> ColumnElement[bool]:
    """The birthday (month and day, ``key``) falls on today or one of the next ``days`` days."""
    if days >= 365:
        return key.is_not(None)
    start, end = month_day(today), month_day(today + timedelta(days=days))
    if start <= end:
        return key.between(start, end)
    return or_(key >= start, key <= end)


def _created(rules: SegmentRules, card: _Card) -> ColumnElement[bool] | None:
    conditions = []
    if rules.created_from is not None:
        conditions.append(card.created_at >= local_start(rules.created_from))
    if rules.created_to is not None:
        conditions.append(card.created_at < local_start(rules.created_to + timedelta(days=1)))
    return and_(*conditions) if conditions else None


def _place(rules: SegmentRules, card: _Card) -> ColumnElement[bool] | None:
    conditions = []
    if rules.city:
        conditions.append(card.city_key == rules.city.lower())
    if rules.postal_prefix:
        # substr, not LIKE: SQLite's LIKE ignores case and PostgreSQL's does not
        prefix = rules.postal_prefix
        conditions.append(func.substr(card.postal_code, 1, len(prefix)) == prefix)
    return and_(*conditions) if conditions else None


def _reachable(rules: SegmentRules, card: _Card) -> ColumnElement[bool] | None:
    conditions = []
    if rules.has_email:
        conditions.append(card.has_email)
    if rules.has_phone:
        conditions.append(card.has_phone)
    for wanted, column in (
        (rules.email_consent, card.email_consent),
        (rules.sms_consent, card.sms_consent),
        (rules.phone_consent, card.phone_consent),
    ):
        if wanted:
            conditions.append(column.is_(True))
    return and_(*conditions) if conditions else None
