"""Generated clients with memberships, groups, recipient lists and sales, and a plain Python reading of segment rules."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select, text

from salon_desk.models import (
    Category,
    Client,
    ClientCategory,
    CustomerGroup,
    RecipientGroup,
    RecipientGroupMember,
    Sale,
)
from salon_desk.services import Services
from salon_desk.services.clients.segment_rules import CategoryMode, GroupMode, SegmentRules, VisitMode
from salon_desk.services.clients.segment_sql import local_start, month_day
from salon_desk.textindex import client_search_text, sort_name

TODAY = date(2026, 3, 10)
CITIES = ("Berlin", "Köln", "München", "Hamburg", "")
PREFIXES = ("10", "50", "80", "20", "8")


@dataclass
class Person:
    """What the Python reading of the rules needs of one client."""

    id: int
    phone: str
    email: str
    birthday: date | None
    city: str
    postal_code: str
    email_consent: bool
    sms_consent: bool
    phone_consent: bool
    group_id: int | None
    last_visit: date | None
    created_at: datetime
    memberships: dict[int, date | None] = field(default_factory=dict)
    recipient_groups: set[int] = field(default_factory=set)
    sales: list[tuple[datetime, Decimal]] = field(default_factory=list)


@dataclass
class World:
    people: list[Person]
    category_ids: list[int]
    group_ids: list[int]
    recipient_group_ids: list[int]


def _when(rng: random.Random, days: int) -> datetime:
    return datetime.combine(TODAY, datetime.min.time(), UTC) - timedelta(minutes=rng.randrange(days * 24 * 60))


def build_world(services: Services, clients: int = 2000, seed: int = 7) -> World:
    """``clients`` generated clients written with Core inserts (fast on both databases)."""
    rng = random.Random(seed)
    with services.db.transaction() as session:
        groups = [CustomerGroup(name=n, name_key=n.lower()) for n in ("Firma", "Familie", "Club")]
        lists = [RecipientGroup(name=n, name_key=n.lower()) for n in ("Newsletter", "Sommer")]
        session.add_all(groups + lists)
        session.flush()
        group_ids, list_ids = [g.id for g in groups], [r.id for r in lists]
        category_ids = sorted(session.scalars(select(Category.id)))
        people = [_person(rng, i + 1, group_ids) for i in range(clients)]
        session.execute(insert(Client), [_client_values(p) for p in people])
        memberships, members = [], []
        for p in people:
            for category_id in rng.sample(category_ids, rng.choice((0, 0, 1, 1, 2, 3))):
                until = rng.choice((None, None, TODAY - timedelta(days=rng.randrange(1, 90)), TODAY + timedelta(days=30)))
                p.memberships[category_id] = until
                memberships.append({"client_id": p.id, "category_id": category_id, "valid_until": until, "proof_note": ""})
            for list_id in list_ids:
                if rng.random() < 0.2:
                    p.recipient_groups.add(list_id)
                    members.append({"recipient_group_id": list_id, "client_id": p.id})
        if memberships:
            session.execute(insert(ClientCategory), memberships)
        if members:
            session.execute(insert(RecipientGroupMember), members)
        session.execute(insert(Sale), _sales(rng, people))
        if session.get_bind().dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in ("clients", "sales"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    return World(people, category_ids, group_ids, list_ids)


def _person(rng: random.Random, client_id: int, group_ids: list[int]) -> Person:
    birthday = None
    if rng.random() < 0.85:
        birthday = rng.choice((date(1992, 2, 29), date(1980, 12, 31), date(1975, 1, 1))) if rng.random() < 0.05 else (
            date(1950, 1, 1) + timedelta(days=rng.randrange(20000)))
    last_visit = None if rng.random() < 0.25 else TODAY - timedelta(days=rng.randrange(400))
    prefix = rng.choice(PREFIXES)
    return Person(
        id=client_id,
        phone="" if rng.random() < 0.2 else f"0171 {rng.randrange(10**6, 10**7)}",
        email="" if rng.random() < 0.25 else f"k{client_id}@example.de",
        birthday=birthday,
        city=rng.choice(CITIES),
        postal_code=prefix + "".join(str(rng.randrange(10)) for _ in range(5 - len(prefix))),
        email_consent=rng.random() < 0.5,
        sms_consent=rng.random() < 0.3,
        phone_consent=rng.random() < 0.4,
        group_id=rng.choice([None, None, *group_ids]),
        last_visit=last_visit,
        created_at=_when(rng, 1000),
    )


def _client_values(p: Person) -> dict[str, object]:
    return {
        "id": p.id, "first_name": f"Vor{p.id}", "last_name": f"Nach{p.id:05d}", "phone": p.phone, "email": p.email,
        "birthday": p.birthday, "street": "", "postal_code": p.postal_code, "city": p.city, "notes": "",
        "email_consent": p.email_consent, "sms_consent": p.sms_consent, "phone_consent": p.phone_consent,
        "group_id": p.group_id, "last_visit": p.last_visit, "created_at": p.created_at, "updated_at": p.created_at,
        "sort_name": sort_name(f"Vor{p.id}", f"Nach{p.id:05d}"), "category_label": "",
        "search_text": client_search_text(f"Vor{p.id}", f"Nach{p.id:05d}", p.phone, p.email),
        "version": 1,
    }  # fmt: skip


def _sales(rng: random.Random, people: list[Person]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    number = 0
    for p in rng.sample(people, len(people) * 2 // 3):
        for _ in range(rng.randrange(1, 5)):
            number += 1
            when, gross = _when(rng, 700), Decimal(rng.randrange(500, 20000)) / 100
            rows.append(_sale(number, p.id, when, gross, None))
            if rng.random() < 0.08:  # cancelled by a reversing sale
                number += 1
                rows.append(_sale(number, p.id, when + timedelta(hours=1), -gross, number - 1))
            else:
                p.sales.append((when, gross))
    return rows


def _sale(number: int, client_id: int, when: datetime, gross: Decimal, reverses: int | None) -> dict[str, object]:
    return {
        "id": number, "number": number, "client_id": client_id, "started_at": when, "completed_at": when,
        "payment_method": "cash", "total_gross": gross, "total_net": gross, "total_vat": Decimal(0),
        "total_discount": Decimal(0), "reverses_sale_id": reverses,
    }  # fmt: skip


# -- the same rules in plain Python -------------------------------------------------------


def matches(rules: SegmentRules, p: Person, today: date = TODAY) -> bool:
    """Whether the client is in the segment, read straight from DESIGN §7."""
    checks = (_categories, _group, _visit, _sales_ok, _birthday, _rest)
    return all(check(rules, p, today) for check in checks)


def _categories(rules: SegmentRules, p: Person, today: date) -> bool:
    if rules.category_mode is None:
        return True
    held = {c for c, until in p.memberships.items() if rules.include_expired or until is None or until >= today}
    chosen = set(rules.category_ids)
    if rules.category_mode is CategoryMode.ANY:
        return bool(held & chosen)
    if rules.category_mode is CategoryMode.ALL:
        return chosen <= held
    return not held & chosen


def _group(rules: SegmentRules, p: Person, today: date) -> bool:
    if rules.group_mode is GroupMode.NONE and p.group_id is not None:
        return False
    if rules.group_mode is GroupMode.ONE_OF and p.group_id not in rules.group_ids:
        return False
    return rules.recipient_group_id is None or rules.recipient_group_id in p.recipient_groups


def _visit(rules: SegmentRules, p: Person, today: date) -> bool:
    last, mode = p.last_visit, rules.visit_mode
    if mode is VisitMode.NEVER:
        return last is None
    if mode is VisitMode.BEFORE:
        return last is not None and last < rules.visit_before
    if mode is VisitMode.WITHIN:
        return last is not None and last >= today - timedelta(days=rules.visit_days)
    if mode is VisitMode.NOT_WITHIN:
        return last is None or last < today - timedelta(days=rules.visit_days)
    return True


def _sales_ok(rules: SegmentRules, p: Person, today: date) -> bool:
    if not rules.uses_sales():
        return True
    start, end = local_start(rules.sales_from), local_start(rules.sales_to + timedelta(days=1))
    amounts = [gross for when, gross in p.sales if start <= when < end]
    visits, revenue = len(amounts), sum(amounts, Decimal(0))
    return (
        (rules.visits_min is None or visits >= rules.visits_min)
        and (rules.visits_max is None or visits <= rules.visits_max)
        and (rules.revenue_min is None or revenue >= rules.revenue_min)
        and (rules.revenue_max is None or revenue <= rules.revenue_max)
    )


def _birthday(rules: SegmentRules, p: Person, today: date) -> bool:
    if rules.birthday_month is None and rules.birthday_days is None:
        return True
    if p.birthday is None:
        return False
    if rules.birthday_month is not None and p.birthday.month != rules.birthday_month:
        return False
    if rules.birthday_days is None or rules.birthday_days >= 365:
        return True
    key, start = month_day(p.birthday), month_day(today)
    end = month_day(today + timedelta(days=rules.birthday_days))
    return start <= key <= end if start <= end else (key >= start or key <= end)


def _rest(rules: SegmentRules, p: Person, today: date) -> bool:
    if rules.created_from is not None and p.created_at < local_start(rules.created_from):
        return False
    if rules.created_to is not None and p.created_at >= local_start(rules.created_to + timedelta(days=1)):
        return False
    if rules.city and p.city.strip().lower() != rules.city.lower():
        return False
    if rules.postal_prefix and not p.postal_code.startswith(rules.postal_prefix):
        return False
    wanted = (
        (rules.has_email, p.email != ""), (rules.has_phone, p.phone != ""), (rules.email_consent, p.email_consent),
        (rules.sms_consent, p.sms_consent), (rules.phone_consent, p.phone_consent),
    )  # fmt: skip
    return all(have for asked, have in wanted if asked)
