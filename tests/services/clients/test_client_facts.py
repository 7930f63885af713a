"""client_facts, the narrow rows a segment's count reads, follow every change of the cards (both databases)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from marketing_world import TODAY, build_world
from sqlalchemy import delete, func, select

from salon_desk.models import Client, ClientFacts, ClientMerge, CustomerGroup, Sale
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.clients.segment_rules import CategoryMode, GroupMode, SegmentRules, VisitMode
from salon_desk.services.clients.segment_sql import segment_condition
from salon_desk.services.data.privacy import PrivacyService


def facts(services) -> set[tuple]:
    with services.db.engine.connect() as connection:
        return {tuple(r) for r in connection.execute(select(*ClientFacts.__table__.columns))}


def facts_of_the_cards(services) -> set[tuple]:
    """What the facts should say, read from the open cards themselves."""
    birthday = func.extract("month", Client.birthday) * 100 + func.extract("day", Client.birthday)
    columns = (
        Client.id, Client.group_id, Client.last_visit, birthday, Client.created_at, Client.postal_code,
        func.lower(func.trim(Client.city)), Client.email != "", Client.phone != "",
        Client.email_consent, Client.sms_consent, Client.phone_consent,
    )  # fmt: skip
    with services.db.engine.connect() as connection:
        rows = connection.execute(select(*columns).where(Client.id.not_in(select(ClientMerge.client_id))))
        return {(r[0], r[1], r[2], None if r[3] is None else int(r[3]), *r[4:]) for r in rows}


def data_of(services, client_id: int) -> ClientData:
    return services.clients.get(client_id).data


def segments(world) -> list[SegmentRules]:
    c, g = world.category_ids, world.group_ids
    return [
        SegmentRules(),
        SegmentRules(has_email=True, email_consent=True),
        SegmentRules(has_phone=True, sms_consent=True),
        SegmentRules(group_mode=GroupMode.ONE_OF, group_ids=(g[1],)),
        SegmentRules(group_mode=GroupMode.NONE),
        SegmentRules(city="köln"),
        SegmentRules(postal_prefix="50"),
        SegmentRules(birthday_month=7),
        SegmentRules(visit_mode=VisitMode.NEVER),
        SegmentRules(category_mode=CategoryMode.NONE, category_ids=(c[0],), has_email=True),
        SegmentRules(category_mode=CategoryMode.ALL, category_ids=(c[0], c[1]), group_mode=GroupMode.NONE),
    ]


def counts_agree(services, world) -> None:
    with services.db.engine.connect() as connection:
        for rules in segments(world):
            listed = connection.scalar(select(func.count()).where(segment_condition(rules, TODAY))) or 0
            assert services.segments.count(rules, TODAY) == listed, rules


@pytest.fixture
def world(services):
    return build_world(services, clients=300)


def test_the_facts_are_there_for_every_open_card(services, world):
    assert facts(services) == facts_of_the_cards(services)
    assert len(facts(services)) == len(world.people)


def test_the_facts_follow_a_saved_card_a_bulk_group_change_a_merge_an_erasure_and_a_new_card(services, world):
    people = [p.id for p in world.people]
    first, second = people[0], people[1]
    services.clients.save(first, None, replace(
        data_of(services, first), email="", phone="0171 5551234", city="  KÖLN ", postal_code="50667",
        birthday=date(1990, 7, 14), email_consent=False, sms_consent=True, group_id=world.group_ids[1],
    ))  # fmt: skip
    services.clients.save(second, None, replace(
        data_of(services, second), email="neu@example.com", phone="", email_consent=True, birthday=None, city="",
        group_id=None,
    ))  # fmt: skip
    services.clients.set_group(people[2:40], world.group_ids[1])
    services.clients.merge(people[40], people[41])
    PrivacyService(services.db, services.workstation).erase([people[42]])
    services.clients.create(ClientData(first_name="Nora", last_name="Neu", email="nora@example.com", city="Köln"))

    assert facts(services) == facts_of_the_cards(services)
    assert people[41] not in {row[0] for row in facts(services)}  # merged: the card is closed
    erased = next(row for row in facts(services) if row[0] == people[42])
    assert erased[7:9] == (False, False)  # no email, no phone any more
    counts_agree(services, world)


def test_a_deleted_group_and_a_deleted_card_leave_the_facts(services, world):
    gone = world.group_ids[2]
    members = {p.id for p in world.people if p.group_id == gone}
    assert members
    services.groups.delete(gone)
    with services.db.engine.begin() as connection:
        no_sales = connection.scalar(
            select(Client.id).where(~select(Sale.id).where(Sale.client_id == Client.id).exists()).limit(1)
        )
        connection.execute(delete(Client).where(Client.id == no_sales))
        assert connection.scalar(select(func.count()).where(CustomerGroup.id == gone)) == 0

    assert facts(services) == facts_of_the_cards(services)
    assert no_sales not in {row[0] for row in facts(services)}
    assert not {row[0] for row in facts(services) if row[1] == gone}
    counts_agree(services, world)

