"""Tasks and call lists (DESIGN §7): one task per client, phone consent for advertising, mine or everyone's."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from helpers_staff import add_member, signed_in
from marketing_world import build_world
from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.models import AuditEntry, Role
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.marketing.bulk import Target
from salon_desk.services.clients.segment_rules import SegmentRules


def client(services, last: str, phone: str = "0171 1234567", consent: bool = False) -> int:
    info, _ = services.clients.create(ClientData(first_name="Anna", last_name=last, phone=phone))
    if consent:
        with services.db.transaction() as session:
            from salon_desk.models import Client

            session.get(Client, info.id).phone_consent = True
    return info.id


def test_tasks_by_due_date_mine_or_everyones_and_done_with_an_outcome(services):
    me = signed_in(services, Role.FRONT_DESK, "Lena")
    other = add_member(services, "Tom", Role.FRONT_DESK)
    anna = client(services, "Albers")
    today = date.today()
    late, _ = services.tasks.create(anna, "Rückruf", today - timedelta(days=2), me.staff_id)
    services.tasks.create(anna, "Angebot schicken", today + timedelta(days=3), other.id)
    services.tasks.create(anna, "Termin bestätigen", today, None)
    everyone = services.tasks.list()
    assert [t.title for t in everyone] == ["Rückruf", "Termin bestätigen", "Angebot schicken"]
    assert everyone[0].overdue(today) and not everyone[1].overdue(today)
    assert everyone[0].phone == "0171 1234567" and everyone[0].client_name == "Albers, Anna"
    assert [t.title for t in services.tasks.list(mine=True)] == ["Rückruf", "Termin bestätigen"]
    assert services.tasks.open_due_count() == 2
    services.tasks.mark_done(late, "  Erreicht, Termin am Freitag ")
    assert services.tasks.open_due_count() == 1
    done = [t for t in services.tasks.list(include_done=True) if t.id == late][0]
    assert done.done_at is not None and done.outcome == "Erreicht, Termin am Freitag"
    with pytest.raises(ValidationError) as error:
        services.tasks.mark_done(late, "again")
    assert error.value.field == "outcome"


def test_a_task_needs_a_title(services):
    anna = client(services, "Albers")
    for title in ("", "   ", "x" * 201):
        with pytest.raises(ValidationError) as error:
            services.tasks.create(anna, title, date.today())
        assert error.value.field == "title"
    assert services.tasks.list() == []


def test_an_advertising_call_list_leaves_out_clients_without_phone_consent(services):
    ids = [client(services, "Berg", consent=True), client(services, "Cornelsen"), client(services, "Dahl", phone="")]
    target = Target.selection(ids)
    calls = services.tasks.create_call_list(target, "Sommerangebot", date.today())
    assert [row.name for row in calls.rows] == ["Berg, Anna"]
    assert (calls.without_consent, calls.without_phone) == (1, 1)
    service = services.tasks.create_call_list(target, "Termin abgesagt", date.today(), advertising=False)
    assert [row.name for row in service.rows] == ["Berg, Anna", "Cornelsen, Anna"]
    assert service.without_consent == 0 and service.without_phone == 1
    assert len(services.tasks.list()) == 3
    with services.db.read() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "call_list")))
    assert [json.loads(e.after)["count"] for e in entries] == [1, 2]


def test_a_call_list_of_a_segment_and_its_csv(services, tmp_path):
    world = build_world(services, clients=300)
    rules = SegmentRules(city="berlin")
    calls = services.tasks.create_call_list(Target.whole_list(ClientListQuery(segment=rules)), "Anrufen", date.today())
    berlin = [p for p in world.people if p.city == "Berlin"]
    assert len(calls.rows) == sum(1 for p in berlin if p.phone and p.phone_consent)
    assert calls.without_phone == sum(1 for p in berlin if not p.phone)
    path = tmp_path / "anrufliste.csv"
    services.tasks.write_call_list_csv(calls, path)
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["ID", "name", "phone", "last_visit", "categories", "notes"] and len(rows) == len(calls.rows) + 1
    signed_in(services, Role.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        services.tasks.write_call_list_csv(calls, tmp_path / "nein.csv")
    assert not (tmp_path / "nein.csv").exists()
