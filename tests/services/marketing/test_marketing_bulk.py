"""Bulk actions (DESIGN §7): set-based, one audit entry with the count, category counts and labels kept right."""

from __future__ import annotations

import csv
import json
from contextlib import ExitStack
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from helpers_staff import signed_in
from marketing_world import build_world, matches
from salon_desk.errors import ConflictError, PermissionDeniedError, ValidationError
from salon_desk.models import AuditEntry, Category, Client, ClientCategory, RecipientGroupMember, Role
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.marketing import bulk
from salon_desk.services.marketing.bulk import Target
from salon_desk.services.clients.segment_rules import CategoryMode, SegmentRules, VisitMode


@pytest.fixture
def world(services):
    return build_world(services, clients=600)


def reaktivierung(services) -> int:
    from salon_desk.services.categories.categories import CategoryData

    info, _ = services.categories.create(CategoryData(name="Reaktivierung"))
    return info.id


def audit_entries(services, action: str) -> list[AuditEntry]:
    with services.db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def stored_count(services, category_id: int) -> tuple[int, int]:
    """(the trigger-kept count, the real number of memberships)."""
    with services.db.read() as session:
        kept = session.scalar(select(Category.client_count).where(Category.id == category_id))
        real = session.scalar(select(func.count()).where(ClientCategory.category_id == category_id))
        return kept, real


def student_rules(world) -> SegmentRules:
    student = world.category_ids[0]
    return SegmentRules(category_mode=CategoryMode.ANY, category_ids=(student,), visit_mode=VisitMode.NOT_WITHIN,
                        visit_days=60, has_email=True)  # fmt: skip


def test_assign_a_category_to_a_whole_segment(services, world):
    rules = student_rules(world)
    wanted = {p.id for p in world.people if matches(rules, p, date.today())}
    target = Target.whole_list(ClientListQuery(segment=rules))
    assert services.bulk.count(target) == len(wanted) > 0
    category = reaktivierung(services)
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(services.db.engine, "before_cursor_execute", listen)
    try:
        result = services.bulk.assign_category(target, category, date.today() + timedelta(days=90))
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listen)
    assert result.count == len(wanted)
    assert sum("INSERT INTO client_categories" in s for s in statements) == 1  # set-based, not a loop
    assert stored_count(services, category) == (len(wanted), len(wanted))
    with services.db.read() as session:
        labelled = set(session.scalars(select(Client.id).where(Client.category_label.contains("Reaktivierung"))))
    assert labelled == wanted
    [entry] = audit_entries(services, "bulk_assign_category")
    assert json.loads(entry.after)["count"] == len(wanted)
    assert json.loads(entry.before)["segment"]
    # a second run adds nobody and leaves the counts as they are
    again = services.bulk.assign_category(target, category, date.today() + timedelta(days=90))
    assert again.count == 0 and stored_count(services, category) == (len(wanted), len(wanted))


def test_a_large_selection_and_a_card_opened_before_the_change(services, world, monkeypatch):
    monkeypatch.setattr(bulk, "INLINE_SELECTION", 10)  # the ids go into a temporary table, as for 100,000 selected
    chosen = [p.id for p in sorted(world.people, key=lambda p: not (p.phone and p.email))[:50]]
    card = services.clients.get(chosen[0])  # open at another desk during the bulk change
    category = reaktivierung(services)
    assert services.bulk.count(Target.selection(chosen)) == 50
    assert services.bulk.assign_category(Target.selection(chosen), category).count == 50
    with services.db.read() as session:
        labelled = set(session.scalars(select(Client.id).where(Client.category_label.contains("Reaktivierung"))))
    assert labelled == set(chosen) and stored_count(services, category) == (50, 50)
    # saving the old copy would write back the categories it showed: refused, to be reloaded
    with pytest.raises(ConflictError):
        services.clients.save(chosen[0], card.version, replace(card.data, city="Bonn"))
    assert category in {m.category_id for m in services.clients.get(chosen[0]).memberships}
    assert services.bulk.remove_category(Target.selection(chosen[:20]), category).count == 20
    with services.db.read() as session:
        labelled = set(session.scalars(select(Client.id).where(Client.category_label.contains("Reaktivierung"))))
    assert labelled == set(chosen[20:]) and stored_count(services, category) == (30, 30)


def test_assigning_renews_the_valid_until_date_of_existing_members(services, world):
    category = world.category_ids[1]
    holders = [p for p in world.people if category in p.memberships][:5]
    until = date.today() + timedelta(days=365)
    result = services.bulk.assign_category(Target.selection([p.id for p in holders]), category, until)
    assert result.count == sum(1 for p in holders if p.memberships[category] != until)
    with services.db.read() as session:
        dates = set(session.scalars(select(ClientCategory.valid_until).where(
            ClientCategory.category_id == category, ClientCategory.client_id.in_([p.id for p in holders]))))  # fmt: skip
    assert dates == {until}


def test_remove_a_category_from_a_selection_keeps_counts_and_labels_right(services, world):
    category = world.category_ids[2]
    holders = [p.id for p in world.people if category in p.memberships]
    services.bulk.assign_category(Target.selection(holders[:3]), world.category_ids[3])  # labels filled by the service
    with services.db.read() as session:
        name = session.get(Category, category).name
    from salon_desk.services.categories.labels import refresh_labels

    with services.db.transaction() as session:
        refresh_labels(session, Client.id.in_(holders))
    result = services.bulk.remove_category(Target.selection(holders[:10]), category)
    assert result.count == 10
    kept, real = stored_count(services, category)
    assert kept == real == len(holders) - 10
    with services.db.read() as session:
        labels = dict(session.execute(select(Client.id, Client.category_label).where(Client.id.in_(holders))).all())
    assert all(name not in labels[i].split(", ") for i in holders[:10])
    assert all(name in labels[i].split(", ") for i in holders[10:])
    [entry] = audit_entries(services, "bulk_remove_category")
    assert json.loads(entry.after)["count"] == 10 and json.loads(entry.before) == {"selection": 10}


def test_set_and_clear_the_group_of_a_segment(services, world):
    rules = SegmentRules(city="köln")
    target = Target.whole_list(ClientListQuery(segment=rules))
    cologne = {p.id for p in world.people if p.city == "Köln"}
    group = world.group_ids[0]
    changed = services.bulk.set_group(target, group).count
    assert changed == sum(1 for p in world.people if p.city == "Köln" and p.group_id != group)
    with services.db.read() as session:
        assert set(session.scalars(select(Client.id).where(Client.group_id == group))) >= cologne
        versions = set(session.scalars(select(Client.version).where(Client.id.in_(cologne), Client.group_id == group)))
    assert 2 in versions  # moved clients carry a new version: a card open elsewhere cannot overwrite it
    assert services.bulk.set_group(target, None).count == len(cologne)
    assert len(audit_entries(services, "bulk_group")) == 2


def test_only_managers_change_groups_in_bulk_or_export(services, world, tmp_path):
    target = Target.selection([1, 2, 3])
    signed_in(services, Role.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        services.bulk.set_group(target, world.group_ids[0])
    with pytest.raises(PermissionDeniedError):
        services.bulk.export_csv(target, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
    with pytest.raises(PermissionDeniedError):  # the list's older "Assign group…" follows the same rule
        services.clients.set_group([1, 2], world.group_ids[0])
    services.clients.set_group([1], world.group_ids[0])  # one client's card: front desk may
    assert services.bulk.assign_category(target, world.category_ids[0]).count >= 0  # front desk may
    signed_in(services, Role.MANAGER, "Chefin")
    assert services.bulk.set_group(target, world.group_ids[0]).count >= 0


def test_add_a_segment_to_a_recipient_group(services, world):
    rules = SegmentRules(email_consent=True, has_email=True)
    target = Target.whole_list(ClientListQuery(segment=rules))
    newsletter = world.recipient_group_ids[0]
    wanted = {p.id for p in world.people if matches(rules, p)}
    already = {p.id for p in world.people if newsletter in p.recipient_groups}
    assert services.bulk.add_to_recipient_group(target, newsletter).count == len(wanted - already)
    with services.db.read() as session:
        members = set(session.scalars(select(RecipientGroupMember.client_id).where(
            RecipientGroupMember.recipient_group_id == newsletter)))  # fmt: skip
    assert members == wanted | already


def test_export_csv_has_a_bom_semicolons_and_the_clients_of_the_list(services, world, tmp_path):
    rules = SegmentRules(postal_prefix="50")
    path = tmp_path / "kunden.csv"
    count = services.bulk.export_csv(Target.whole_list(ClientListQuery(segment=rules)), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:3] == ["ID", "first_name", "last_name"]
    assert count == len(rows) - 1 == sum(1 for p in world.people if p.postal_code.startswith("50"))
    [entry] = audit_entries(services, "export_clients")
    assert json.loads(entry.after) == {"count": count}


def test_a_deleted_category_is_refused_naming_the_field(services, world):
    with pytest.raises(ValidationError) as error:
        services.bulk.assign_category(Target.selection([1]), 99999)
    assert error.value.field == "category_id"
    with pytest.raises(ValidationError) as error:
        services.bulk.assign_category(Target.selection([1]), world.category_ids[0], date.today() - timedelta(days=1))
    assert error.value.field == "valid_until"
    assert audit_entries(services, "bulk_assign_category") == []


def test_a_bulk_change_hands_its_connection_back_as_it_was(services, world):
    """The large page cache, the mapped reads and the deferred checkpoint of a bulk change end with it (SQLite)."""
    if not services.db.is_sqlite:
        pytest.skip("SQLite's page cache and WAL checkpoints")
    from salon_desk.db import SQLITE_AUTOCHECKPOINT_PAGES, SQLITE_CACHE_KIB

    assert services.bulk.assign_category(Target.selection([p.id for p in world.people]), reaktivierung(services)).count
    services.db.wait_for_checkpoint()  # the WAL copied into the file meanwhile
    with ExitStack() as stack:  # every pooled connection at once: the bulk change's is among them
        connections = [stack.enter_context(services.db.engine.connect()) for _ in range(services.db.engine.pool.size())]
        for connection in connections:
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB
            assert connection.exec_driver_sql("PRAGMA mmap_size").scalar() == 0
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == SQLITE_AUTOCHECKPOINT_PAGES
    with services.db.read() as session:
        assert session.scalar(select(func.count()).where(Client.category_label.contains("Reaktivierung"))) == 600
