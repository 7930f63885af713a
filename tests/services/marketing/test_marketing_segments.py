"""Segments (DESIGN §7): every condition in one SQL statement, the same clients as a plain reading of the rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from helpers_staff import signed_in
from marketing_world import TODAY, CITIES, PREFIXES, build_world, matches
from salon_desk.errors import ConflictError, PermissionDeniedError, ValidationError
from salon_desk.models import Client, Role
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.clients.segment_rules import CategoryMode, GroupMode, SegmentRules, VisitMode, validate
from salon_desk.services.clients.segment_sql import segment_condition, year_ago


@pytest.fixture
def world(services):
    built = build_world(services, clients=2000)
    services.segments.refresh_sales_year(TODAY)  # the last year per client, as the daily runner counts it
    return built


def sql_ids(services, rules: SegmentRules, per_client: bool = False) -> set[int]:
    """The clients the condition on ``clients`` finds (the last year from the rows counted for TODAY, see ``world``)."""
    condition = segment_condition(validate(rules), TODAY, per_client=per_client, sales_year=TODAY)
    with services.db.engine.connect() as connection:
        return set(connection.scalars(select(Client.id).where(condition)))


def python_ids(world, rules: SegmentRules) -> set[int]:
    return {p.id for p in world.people if matches(rules, p)}


def days() -> st.SearchStrategy[date]:
    return st.integers(-800, 30).map(lambda n: TODAY + timedelta(days=n))


def ordered(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(values, values).map(sorted)


@st.composite
def random_rules(draw, world) -> SegmentRules:
    """Any combination of the conditions, each left out about half of the time."""
    rules = SegmentRules()
    maybe = lambda: draw(st.booleans())  # noqa: E731
    if maybe():
        ids = draw(st.lists(st.sampled_from(world.category_ids), min_size=1, max_size=3, unique=True))
        rules = replace(rules, category_mode=draw(st.sampled_from(CategoryMode)), category_ids=tuple(ids),
                        include_expired=maybe())  # fmt: skip
    if maybe():
        mode = draw(st.sampled_from(GroupMode))
        ids = draw(st.lists(st.sampled_from(world.group_ids), min_size=1, max_size=2, unique=True))
        rules = replace(rules, group_mode=mode, group_ids=tuple(ids) if mode is GroupMode.ONE_OF else ())
    if draw(st.integers(0, 3)) == 0:
        rules = replace(rules, recipient_group_id=draw(st.sampled_from(world.recipient_group_ids)))
    if maybe():
        mode = draw(st.sampled_from(VisitMode))
        rules = replace(rules, visit_mode=mode, visit_before=draw(days()) if mode is VisitMode.BEFORE else None,
                        visit_days=draw(st.integers(0, 500)) if mode in (VisitMode.WITHIN, VisitMode.NOT_WITHIN) else None)  # fmt: skip
    if maybe():
        # the last year up to today (the editor's default, read from client_sales_year), or any period
        start, end = (year_ago(TODAY), TODAY) if maybe() else draw(ordered(days()))
        visits = draw(ordered(st.integers(0, 4)))
        revenue = draw(ordered(st.integers(0, 400).map(lambda n: Decimal(n))))
        rules = replace(
            rules, sales_from=start, sales_to=end,
            visits_min=visits[0] if maybe() else None, visits_max=visits[1] if maybe() else None,
            revenue_min=revenue[0] if maybe() else None, revenue_max=revenue[1] if maybe() else None,
        )  # fmt: skip
        if not rules.uses_sales():
            rules = replace(rules, visits_min=1)
    if maybe():
        rules = replace(rules, birthday_month=draw(st.none() | st.integers(1, 12)),
                        birthday_days=draw(st.none() | st.integers(0, 400)))  # fmt: skip
    if maybe():
        start, end = draw(ordered(st.integers(-1100, 0).map(lambda n: TODAY + timedelta(days=n))))
        rules = replace(rules, created_from=start if maybe() else None, created_to=end if maybe() else None)
    if maybe():
        rules = replace(rules, city=draw(st.sampled_from(CITIES[:-1]).map(lambda c: c if maybe() else c.upper())))
    if maybe():
        rules = replace(rules, postal_prefix=draw(st.sampled_from(PREFIXES + ("501", "9"))))
    flags = ("has_email", "has_phone", "email_consent", "sms_consent", "phone_consent")
    return replace(rules, **{name: draw(st.integers(0, 3)) == 0 for name in flags})


def test_random_segments_find_the_same_clients_in_sql_as_in_python(services, world):
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(rules=random_rules(world))
    def check(rules: SegmentRules) -> None:
        expected = python_ids(world, rules)
        assert sql_ids(services, rules) == expected, rules
        # the conditions asked per client, as a page inside the segment reads its first stretch
        assert sql_ids(services, rules, per_client=True) == expected, rules
        # the count, as the editor shows it, reads the facts the triggers keep beside the cards
        assert services.segments.count(rules, TODAY) == len(expected), rules

    check()


def examples(world) -> list[SegmentRules]:
    """Each condition alone, so that none is only ever tested in company."""
    c, g, r = world.category_ids, world.group_ids, world.recipient_group_ids
    year = (TODAY - timedelta(days=365), TODAY)
    return [
        SegmentRules(category_mode=CategoryMode.ANY, category_ids=(c[0], c[1])),
        SegmentRules(category_mode=CategoryMode.ANY, category_ids=(c[0], c[1]), include_expired=True),
        SegmentRules(category_mode=CategoryMode.ALL, category_ids=(c[0], c[1]), include_expired=True),
        SegmentRules(category_mode=CategoryMode.NONE, category_ids=(c[2],)),
        SegmentRules(group_mode=GroupMode.ONE_OF, group_ids=(g[0], g[2])),
        SegmentRules(group_mode=GroupMode.NONE),
        SegmentRules(recipient_group_id=r[1]),
        SegmentRules(visit_mode=VisitMode.BEFORE, visit_before=TODAY - timedelta(days=100)),
        SegmentRules(visit_mode=VisitMode.WITHIN, visit_days=30),
        SegmentRules(visit_mode=VisitMode.NOT_WITHIN, visit_days=60),
        SegmentRules(visit_mode=VisitMode.NEVER),
        SegmentRules(sales_from=year[0], sales_to=year[1], visits_min=2),
        SegmentRules(sales_from=year[0], sales_to=year[1], visits_max=1),
        SegmentRules(sales_from=year[0], sales_to=year[1], revenue_min=Decimal("150.00")),
        SegmentRules(sales_from=year[0], sales_to=year[1], revenue_max=Decimal("80.50")),
        SegmentRules(birthday_month=2),
        SegmentRules(birthday_days=14),
        SegmentRules(birthday_days=400),
        SegmentRules(created_from=TODAY - timedelta(days=200), created_to=TODAY - timedelta(days=100)),
        SegmentRules(city="köln"),
        SegmentRules(postal_prefix="50"),
        SegmentRules(has_email=True),
        SegmentRules(has_phone=True),
        SegmentRules(email_consent=True),
        SegmentRules(sms_consent=True),
        SegmentRules(phone_consent=True),
    ]


def test_every_condition_alone_matches_the_python_reading(services, world):
    for rules in examples(world):
        found = sql_ids(services, rules)
        assert found == python_ids(world, rules), rules
        assert 0 < len(found) < len(world.people), rules  # each example really filters
        assert services.segments.count(rules, TODAY) == len(found), rules


def test_birthday_within_days_wraps_over_new_year(services, world):
    rules = SegmentRules(birthday_days=5)
    assert sql_ids(services, rules) == {p.id for p in world.people if matches(rules, p, TODAY)}
    with services.db.engine.connect() as connection:
        late_december = date(2026, 12, 29)
        found = set(connection.scalars(select(Client.id).where(segment_condition(rules, late_december))))
    assert found == {p.id for p in world.people if matches(rules, p, late_december)}
    assert any(p.birthday and (p.birthday.month, p.birthday.day) in ((12, 31), (1, 1)) for p in world.people if p.id in found)


def test_a_segment_count_is_one_statement(services, world):
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(services.db.engine, "before_cursor_execute", listen)
    try:
        rules = examples(world)[0]
        count = services.segments.count(replace(rules, has_email=True, visit_mode=VisitMode.NOT_WITHIN, visit_days=60))
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listen)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert count > 0


def test_saved_segments_keep_their_rules_and_names(services, world):
    rules = SegmentRules(category_mode=CategoryMode.ANY, category_ids=(world.category_ids[0],), visit_mode=VisitMode.NOT_WITHIN, visit_days=60, has_email=True)
    info, changes = services.segments.create("  Reaktivierung   Studis ", rules)
    assert info.name == "Reaktivierung Studis" and changes.segments == {info.id}
    assert services.segments.get(info.id).rules == rules
    changed, _ = services.segments.update(info.id, info.version, "Reaktivierung", replace(rules, visit_days=90))
    assert services.segments.get(info.id).rules.visit_days == 90
    with pytest.raises(ConflictError):
        services.segments.update(info.id, info.version, "Alt", rules)  # an outdated copy
    assert [s.name for s in services.segments.list()] == ["Reaktivierung"]
    services.segments.delete(info.id)
    assert services.segments.list() == []


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        (SegmentRules(sales_from=date(2026, 2, 1), sales_to=date(2026, 1, 1), visits_min=1), "sales_to"),
        (SegmentRules(created_from=date(2026, 2, 1), created_to=date(2026, 1, 1)), "created_to"),
        (SegmentRules(sales_from=date(2026, 1, 1), sales_to=date(2026, 2, 1), visits_min=3, visits_max=1), "visits_max"),
        (SegmentRules(sales_from=date(2026, 1, 1), sales_to=date(2026, 2, 1), revenue_min=Decimal(9), revenue_max=Decimal(1)), "revenue_max"),
        (SegmentRules(sales_from=date(2026, 1, 1), sales_to=date(2026, 2, 1), revenue_min=Decimal("-1")), "revenue_min"),
        (SegmentRules(sales_from=date(2026, 1, 1), sales_to=date(2026, 2, 1), visits_min=-1), "visits_min"),
        (SegmentRules(visits_min=1), "sales_from"),
        (SegmentRules(visit_mode=VisitMode.WITHIN, visit_days=-5), "visit_days"),
        (SegmentRules(visit_mode=VisitMode.WITHIN), "visit_days"),
        (SegmentRules(visit_mode=VisitMode.BEFORE), "visit_before"),
        (SegmentRules(birthday_days=-1), "birthday_days"),
        (SegmentRules(birthday_month=13), "birthday_month"),
        (SegmentRules(category_mode=CategoryMode.ALL), "category_ids"),
        (SegmentRules(group_mode=GroupMode.ONE_OF), "group_ids"),
        (SegmentRules(postal_prefix="50%"), "postal_prefix"),
    ],
)
def test_wrong_conditions_name_their_field_and_save_nothing(services, rules, field):
    with pytest.raises(ValidationError) as error:
        services.segments.create("Kaputt", rules)
    assert error.value.field == field
    assert error.value.message
    with pytest.raises(ValidationError):
        services.segments.count(rules)
    assert services.segments.list() == []


def test_segment_names_are_required_and_unique(services):
    services.segments.create("VIP-Geburtstage", SegmentRules(birthday_days=7))
    for name in ("", "   ", " vip-GEBURTSTAGE ", "x" * 61):
        with pytest.raises(ValidationError) as error:
            services.segments.create(name, SegmentRules())
        assert error.value.field == "name"
    assert [s.name for s in services.segments.list()] == ["VIP-Geburtstage"]


def test_front_desk_builds_segments_and_a_cashier_may_not(services):
    signed_in(services, Role.FRONT_DESK)
    services.segments.create("Ohne Besuch", SegmentRules(visit_mode=VisitMode.NEVER))
    signed_in(services, Role.CASHIER)
    with pytest.raises(PermissionDeniedError):
        services.segments.create("Kasse", SegmentRules())
    assert services.segments.count(SegmentRules()) == 0  # counting is reading: anyone may


def test_the_client_list_filters_searches_sorts_and_pages_inside_a_segment(services, world):
    rules = SegmentRules(has_email=True, visit_mode=VisitMode.NOT_WITHIN, visit_days=60, category_mode=CategoryMode.NONE,
                         category_ids=(world.category_ids[0],), group_mode=GroupMode.ONE_OF, group_ids=tuple(world.group_ids[:2]))
    expected = {p.id for p in world.people if matches(rules, p, date.today())}
    query = ClientListQuery(segment=rules)
    assert services.client_list.count(query) == len(expected)
    seen, after = [], None
    while True:
        page = services.client_list.page(query, after, limit=200)
        if not page:
            break
        seen += [row.id for row in page]
        after = page[-1].sort_key
    assert set(seen) == expected and len(seen) == len(expected)
    by_visit = services.client_list.page(replace(query, sort="last_visit", descending=True), limit=50)
    assert {row.id for row in by_visit} <= expected
    searched = replace(query, text="nach001")
    hits = {row.id for row in services.client_list.page(searched, limit=500)}
    assert hits == {i for i in expected if 100 <= i <= 199} and hits
    assert services.client_list.count(searched) == len(hits)
    some = sorted(expected)[5]
    assert services.client_list.position(query, some) is not None
    assert services.client_list.page_at(query, 150, limit=10)[0].id == seen[150]


def every_row(services, query: ClientListQuery, limit: int) -> list[int]:
    """The ids of the list ``query`` shows, page after page."""
    seen, after = [], None
    while page := services.client_list.page(query, after, limit=limit):
        seen += [row.id for row in page]
        after = page[-1].sort_key
        assert len(seen) == len(set(seen)), "a row came twice: the pages do not follow each other"
    return seen


@pytest.mark.parametrize("sort", ["name", "category", "group", "phone", "email", "last_visit"])
def test_pages_inside_a_segment_follow_the_list_order_whether_read_in_order_or_sorted(services, world, sort):
    """A dense segment is found in the stretch read in list order, a sparse one mostly by sorting its members."""
    c, g = world.category_ids, world.group_ids
    segments = [
        SegmentRules(has_email=True),  # most clients
        SegmentRules(category_mode=CategoryMode.ALL, category_ids=(c[0], c[1]), group_mode=GroupMode.ONE_OF,
                     group_ids=(g[0],), include_expired=True),  # a few
        SegmentRules(recipient_group_id=world.recipient_group_ids[0], birthday_month=2),
        SegmentRules(city="nirgendwo"),  # nobody
    ]  # fmt: skip
    services.client_list.segment_stretch_rows_per_row = 2  # a stretch of 14 rows for a page of 7
    for descending in (False, True):
        whole = every_row(services, ClientListQuery(sort=sort, descending=descending), limit=500)
        for rules in segments:
            members = sql_ids(services, rules)
            query = ClientListQuery(segment=rules, sort=sort, descending=descending)
            shown = every_row(services, query, limit=7)
            assert shown == [i for i in whole if i in members], (rules, descending)
            # counted first, as the list does: a segment under half the clients is sorted without a stretch
            assert services.client_list.count(query) == len(members)
            assert every_row(services, query, limit=7) == shown, (rules, descending)
    # backwards from the last row of a sparse segment: the rows before it, nearest first
    query = ClientListQuery(segment=segments[1], sort=sort)
    rows = every_row(services, query, limit=7)
    assert rows, "the sparse segment has members"
    last = services.client_list.page(query, limit=len(rows))[-1]
    before = services.client_list.page(query, before=last.sort_key, limit=5)
    assert [row.id for row in before] == rows[-6:-1]


def test_a_sparse_segment_is_paged_from_the_members_its_count_read(services, world):
    """The count of a sparse segment reads its members; the first page sorts them instead of asking the
    segment again, and leaves out a client who left it since (here: taken off the recipient list)."""
    from salon_desk.models import RecipientGroupMember

    rules = SegmentRules(recipient_group_id=world.recipient_group_ids[0])
    query = ClientListQuery(segment=rules)
    in_order = every_row(services, query, limit=500)
    assert 7 < len(in_order) and len(in_order) * 2 < len(world.people), "a sparse segment"
    services.client_list.segment_stretch_rows_per_row = 2
    statements: list[str] = []
    event.listen(services.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert services.client_list.count(query) == len(in_order)
    counted = len(statements)
    assert [row.id for row in services.client_list.page(query, limit=7)] == in_order[:7]
    assert any("client_facts" in s for s in statements[:counted])
    assert not any("client_facts" in s for s in statements[counted:]), "the page evaluated the segment again"
    services.client_list.count(query)
    with services.db.engine.begin() as connection:
        left = RecipientGroupMember.__table__.delete().where(RecipientGroupMember.client_id == in_order[2])
        connection.execute(left)
    assert [row.id for row in services.client_list.page(query, limit=7)] == in_order[:2] + in_order[3:8]
