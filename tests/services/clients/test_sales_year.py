"""The last year's visits and revenue per client (``client_sales_year``): counted once a day, kept by triggers."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, insert, select

from marketing_world import TODAY, build_world, matches
from salon_desk.models import ClientSalesYear, Sale
from salon_desk.services.clients.segment_rules import SegmentRules
from salon_desk.services.clients.segment_sql import local_start, segment_count, year_ago

YEAR = {"sales_from": year_ago(TODAY), "sales_to": TODAY}
RULES = [
    SegmentRules(**YEAR, visits_min=2),
    SegmentRules(**YEAR, visits_max=1),  # holds the clients without a sale too
    SegmentRules(**YEAR, revenue_min=Decimal("150.00")),
    SegmentRules(**YEAR, revenue_max=Decimal("50.00")),
    SegmentRules(**YEAR, visits_min=1, revenue_max=Decimal("300.00")),
]


def counted_rows(services) -> dict[int, tuple[int, Decimal]]:
    """client_sales_year as it stands, without the clients whose every sale of the year was reversed."""
    with services.db.engine.connect() as connection:
        rows = connection.execute(select(ClientSalesYear.client_id, ClientSalesYear.visits, ClientSalesYear.revenue))
        return {client: (visits, revenue) for client, visits, revenue in rows if visits}


def expected_rows(people) -> dict[int, tuple[int, Decimal]]:
    since = local_start(year_ago(TODAY))
    found = {p.id: [gross for when, gross in p.sales if when >= since] for p in people}
    return {client: (len(sales), sum(sales, Decimal(0))) for client, sales in found.items() if sales}


@pytest.fixture
def world(services):
    return build_world(services, clients=600, seed=11)


def counts(services, people) -> list[tuple[int, int, int]]:
    """Per rule: the editor's count, the count from the sales themselves, the plain Python reading."""
    found = []
    with services.db.engine.connect() as connection:
        for rules in RULES:
            slow = connection.scalar(segment_count(rules, TODAY))
            expected = sum(1 for p in people if matches(rules, p))
            found.append((services.segments.count(rules, TODAY), slow, expected))
    return found


def test_the_year_is_counted_once_a_day_at_whichever_desk_asks_first(services, world):
    assert services.segments.refresh_sales_year(TODAY)
    assert not services.segments.refresh_sales_year(TODAY)  # another desk, the same day
    assert services.segments.refresh_sales_year(TODAY + timedelta(days=1))


def test_a_segment_on_the_last_year_reads_the_counted_rows_and_finds_what_the_sales_give(services, world):
    rules = RULES[0]
    assert any(matches(rules, p) for p in world.people) and not all(matches(rules, p) for p in world.people)
    statements: list[str] = []
    event.listen(services.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    services.segments.count(rules, TODAY)
    assert not any("client_sales_year" in s for s in statements), "not counted for today yet: the sales are read"
    services.segments.refresh_sales_year(TODAY)
    statements.clear()
    services.segments.count(rules, TODAY)
    assert any("client_sales_year" in s for s in statements) and not any("sales.completed_at" in s for s in statements)
    assert counted_rows(services) == expected_rows(world.people)
    assert all(fast == slow == expected for fast, slow, expected in counts(services, world.people)), counts(
        services, world.people
    )
    # another period, or the year counted for another day, reads the sales
    statements.clear()
    services.segments.count(
        SegmentRules(sales_from=year_ago(TODAY) + timedelta(days=1), sales_to=TODAY, visits_min=2), TODAY
    )
    services.segments.count(rules, TODAY + timedelta(days=1))
    assert not any("client_sales_year" in s for s in statements)


def test_new_sales_and_reversals_count_at_once(services, world):
    """A new sale adds a visit; reversing a sale of the year takes it back; reversing an older one changes nothing."""
    services.segments.refresh_sales_year(TODAY)
    by_id = {p.id: p for p in world.people}
    since = local_start(year_ago(TODAY))
    with services.db.engine.begin() as connection:
        reversed_ids = select(Sale.reverses_sale_id).where(Sale.reverses_sale_id.is_not(None))
        kept = connection.execute(
            select(Sale.id, Sale.client_id, Sale.completed_at, Sale.total_gross)
            .where(Sale.reverses_sale_id.is_(None), Sale.id.not_in(reversed_ids))
            .order_by(Sale.id)
        ).all()
        recent = next(s for s in kept if s.completed_at >= since)
        old = next(s for s in kept if s.completed_at < since and s.client_id != recent.client_id)
        newcomer = next(p for p in world.people if not p.sales)
        number = connection.scalar(select(func.max(Sale.number))) or 0
        now = datetime.combine(TODAY, time(9, 30)).astimezone()
        rows = [
            _sale(number + 1, newcomer.id, now, Decimal("180.00"), None),
            _sale(number + 2, recent.client_id, now, -recent.total_gross, recent.id),
            _sale(number + 3, old.client_id, now, -old.total_gross, old.id),
        ]
        connection.execute(insert(Sale), rows)
    newcomer.sales.append((now, Decimal("180.00")))
    for sale in (recent, old):
        person = by_id[sale.client_id]
        person.sales.remove(next(s for s in person.sales if s[0] == sale.completed_at and s[1] == sale.total_gross))
    assert counted_rows(services) == expected_rows(world.people)
    assert all(fast == slow == expected for fast, slow, expected in counts(services, world.people)), counts(
        services, world.people
    )
    assert matches(RULES[2], newcomer)


def _sale(number: int, client_id: int, when: datetime, gross: Decimal, reverses: int | None) -> dict[str, object]:
    return {
        "number": number, "client_id": client_id, "started_at": when, "completed_at": when, "payment_method": "cash",
        "total_gross": gross, "total_net": gross, "total_vat": Decimal(0), "total_discount": Decimal(0),
        "reverses_sale_id": reverses,
    }  # fmt: skip
