"""A segment's rules as one SQL condition on ``clients`` (SQLAlchemy Core, the same on SQLite and PostgreSQL).

The condition holds subqueries but is a single statement wherever it is used: a count,
a page of the client list, or a bulk ``INSERT … SELECT`` / ``UPDATE``. Memberships and
recipient lists are asked as ``id IN (…)`` so that a small category drives the query
through its index instead of a probe per client. Visits and revenue in a period are
grouped once per client that had a sale then; clients without any sale in the period
count as 0 visits and 0.00 revenue, so "at most" conditions include them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Integer, and_, exists, extract, false, func, literal_column, not_, or_, select

from salon_desk.models import Client, ClientCategory, ClientMerge, RecipientGroupMember, Sale
from salon_desk.services.clients.segment_rules import CategoryMode, GroupMode, SegmentRules, VisitMode


def local_start(day: date) -> datetime:
    """The start of ``day`` on this computer's clock, as an aware time (sales and creation times are UTC)."""
    return datetime.combine(day, time.min).astimezone()


def segment_condition(
    rules: SegmentRules, today: date | None = None, *, per_client: bool = False
) -> ColumnElement[bool]:
    """The clients matching every condition of ``rules``; "today" fixes the relative ones (last N days).

    ``per_client``: memberships and recipient lists asked per client (a correlated
    ``EXISTS`` on their primary keys) instead of as ``id IN (…)``. That suits a few
    thousand rows read in list order; the list of a category's 300,000 members would
    first be built in full.
    """
    today = today or date.today()
    parts = [
        _categories(rules, today, per_client),
        _group(rules),
        _recipients(rules, per_client),
        _visit(rules, today),
        _sales(rules),
        _birthday(rules, today),
        _created(rules),
        _place(rules),
        _reachable(rules),
    ]
    kept = [p for p in parts if p is not None]
    return and_(Client.id.not_in(select(ClientMerge.client_id)), *kept)  # merged cards are closed


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


def _group(rules: SegmentRules) -> ColumnElement[bool] | None:
    if rules.group_mode == GroupMode.NONE:
        return Client.group_id.is_(None)
    if rules.group_mode == GroupMode.ONE_OF:
        return Client.group_id.in_(_inline(rules.group_ids)) if rules.group_ids else false()
    return None


def _recipients(rules: SegmentRules, per_client: bool) -> ColumnElement[bool] | None:
    if rules.recipient_group_id is None:
        return None
    listed = RecipientGroupMember.recipient_group_id == rules.recipient_group_id
    if per_client:
        return exists().where(listed, RecipientGroupMember.client_id == Client.id)
    return Client.id.in_(select(RecipientGroupMember.client_id).where(listed))


def _visit(rules: SegmentRules, today: date) -> ColumnElement[bool] | None:
    mode = rules.visit_mode
    if mode == VisitMode.NEVER:
        return Client.last_visit.is_(None)
    if mode == VisitMode.BEFORE and rules.visit_before is not None:
        return Client.last_visit < rules.visit_before
    if mode in (VisitMode.WITHIN, VisitMode.NOT_WITHIN) and rules.visit_days is not None:
        since = today - timedelta(days=rules.visit_days)
        if mode == VisitMode.WITHIN:
            return Client.last_visit >= since
        return or_(Client.last_visit.is_(None), Client.last_visit < since)
    return None


def _sales(rules: SegmentRules) -> ColumnElement[bool] | None:
    """Visits (completed sales, neither a reversal nor reversed) and their gross revenue in the period."""
    if not rules.uses_sales() or rules.sales_from is None or rules.sales_to is None:
        return None
    reversed_ids = select(Sale.reverses_sale_id).where(Sale.reverses_sale_id.is_not(None))
    visits, revenue = func.count(Sale.id), func.sum(Sale.total_gross)
    checks = []
    if rules.visits_min is not None:
        checks.append(visits >= rules.visits_min)
    if rules.visits_max is not None:
        checks.append(visits <= rules.visits_max)
    if rules.revenue_min is not None:
        checks.append(revenue >= rules.revenue_min)
    if rules.revenue_max is not None:
        checks.append(revenue <= rules.revenue_max)
    grouped = (
        select(Sale.client_id)
        .where(
            Sale.client_id.is_not(None),
            Sale.completed_at >= local_start(rules.sales_from),
            Sale.completed_at < local_start(rules.sales_to + timedelta(days=1)),
            Sale.reverses_sale_id.is_(None),
            Sale.id.not_in(reversed_ids),
        )
        .group_by(Sale.client_id)
    )
    if _holds_without_sales(rules):
        return Client.id.not_in(grouped.having(not_(and_(*checks))))
    return Client.id.in_(grouped.having(and_(*checks)))


def _holds_without_sales(rules: SegmentRules) -> bool:
    """True when 0 visits and 0.00 revenue satisfy the sales conditions."""
    zero = Decimal(0)
    return (
        (rules.visits_min is None or rules.visits_min <= 0)
        and (rules.revenue_min is None or rules.revenue_min <= zero)
        and (rules.visits_max is None or rules.visits_max >= 0)
        and (rules.revenue_max is None or rules.revenue_max >= zero)
    )


def _birthday(rules: SegmentRules, today: date) -> ColumnElement[bool] | None:
    month = extract("month", Client.birthday)
    conditions = []
    if rules.birthday_month is not None:
        conditions.append(month == rules.birthday_month)
    if rules.birthday_days is not None:
        conditions.append(_birthday_within(rules.birthday_days, today))
    return and_(*conditions) if conditions else None


def month_day(day: date) -> int:
    """``day`` as MMDD, e.g. 1 March as 301; what "birthday within the next N days" compares."""
    return day.month * 100 + day.day


def _birthday_within(days: int, today: date) -> ColumnElement[bool]:
    """The birthday (month and day) falls on today or one of the next ``days`` days."""
    if days >= 365:
        return Client.birthday.is_not(None)
    key = extract("month", Client.birthday) * 100 + extract("day", Client.birthday)
    start, end = month_day(today), month_day(today + timedelta(days=days))
    if start <= end:
        return and_(Client.birthday.is_not(None), key >= start, key <= end)
    return and_(Client.birthday.is_not(None), or_(key >= start, key <= end))


def _created(rules: SegmentRules) -> ColumnElement[bool] | None:
    conditions = []
    if rules.created_from is not None:
        conditions.append(Client.created_at >= local_start(rules.created_from))
    if rules.created_to is not None:
        conditions.append(Client.created_at < local_start(rules.created_to + timedelta(days=1)))
    return and_(*conditions) if conditions else None


def _place(rules: SegmentRules) -> ColumnElement[bool] | None:
    conditions = []
    if rules.city:
        conditions.append(func.lower(func.trim(Client.city)) == rules.city.lower())
    if rules.postal_prefix:
        # substr, not LIKE: SQLite's LIKE ignores case and PostgreSQL's does not
        prefix = rules.postal_prefix
        conditions.append(func.substr(Client.postal_code, 1, len(prefix)) == prefix)
    return and_(*conditions) if conditions else None


def _reachable(rules: SegmentRules) -> ColumnElement[bool] | None:
    conditions = []
    if rules.has_email:
        conditions.append(Client.email != "")
    if rules.has_phone:
        conditions.append(Client.phone != "")
    for wanted, column in (
        (rules.email_consent, Client.email_consent),
        (rules.sms_consent, Client.sms_consent),
        (rules.phone_consent, Client.phone_consent),
    ):
        if wanted:
            conditions.append(column.is_(True))
    return and_(*conditions) if conditions else None
