"""The audit log (DESIGN §8): entries with before and after values, filters, paging and the CSV export."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from helpers_staff import add_member, signed_in
from sqlalchemy import update

from salon_desk import i18n
from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.kinds import ItemKind
from salon_desk.models import AuditEntry, Role, utcnow
from salon_desk.services import SYSTEM
from salon_desk.services.staff.audit import WHO_SYSTEM, AuditFilter, record
from salon_desk.services.staff.audit_text import changed_keys, describe
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.groups.groups import GroupData
from salon_desk.services.staff.approval import Approval


def entries(services, **filters):
    return services.audit.list(AuditFilter(**filters))


@pytest.fixture
def manager(services):
    return signed_in(services, Role.MANAGER, "Anna")


def test_category_changes_keep_the_discount_before_and_after(services, manager):
    info, _ = services.categories.create(CategoryData(name="Treue", discount_percent=Decimal("5")))
    seven = CategoryData(name="Treue", discount_percent=Decimal("7.5"))
    saved, _ = services.categories.update(info.id, info.version, seven)
    services.categories.delete(saved.id)
    delete, change, create = entries(services, entity="category")
    assert (create.action, create.staff_name, create.entity_id) == ("create", "Anna", info.id)
    assert create.before is None and create.after["discount_percent"] == "5.00"
    assert (change.before["discount_percent"], change.after["discount_percent"]) == ("5.00", "7.50")
    assert changed_keys(change) == {"discount_percent", "name", "item", "role"}
    assert describe(change.after, changed_keys(change)) == "name: Treue; discount: 7.5%"
    assert delete.action == "delete" and delete.before["clients"] == 0 and delete.after is None


def test_membership_changes_list_the_categories_before_and_after(services, manager):
    categories = {c.name: c.id for c in services.categories.list()}
    card, _ = services.clients.create(
        ClientData(last_name="Kunz"), CategoryChanges((MembershipData(categories["VIP"]),))
    )
    staged = CategoryChanges(
        (MembershipData(categories["Student"], valid_until=date(2027, 9, 30), proof_note="Ausweis"),)
    )
    card, _ = services.clients.save(card.id, card.version, card.data, staged)
    services.clients.save(card.id, card.version, ClientData(last_name="Kunz", phone="0171 1"), staged)  # no change
    change, create = entries(services, entity="client", action="memberships")
    assert (create.before, create.after) == ({"categories": []}, {"categories": [{"category": "VIP"}]})
    assert change.entity_id == card.id
    assert change.before == {"categories": [{"category": "VIP"}]}
    student = {"category": "Student", "valid_until": "2027-09-30", "proof_note": "Ausweis"}
    assert change.after == {"categories": [student]}
    assert describe(change.after) == "categories: Student (until 30 Sept 2027) [Ausweis]"


def test_group_changes_prices_and_client_moves_are_recorded(services, manager):
    group, _ = services.groups.create(GroupData(name="Firma", self_assignable=True, password="geheim1"))
    item, _ = services.catalog.create_item(ItemData(name="Schnitt", kind=ItemKind.SERVICE, price=Decimal("40")))
    services.groups.set_price(group.id, item.id, Decimal("35"))
    services.groups.set_price(group.id, item.id, Decimal("35"))  # unchanged: no entry
    services.groups.set_price(group.id, item.id, None)
    dearer = ItemData(name="Schnitt", kind=ItemKind.SERVICE, price=Decimal("42"))
    services.catalog.update_item(item.id, item.version, dearer)
    card, _ = services.clients.create(ClientData(last_name="Kunz", group_id=group.id))
    removed, added = entries(services, entity="group", action="price")
    assert (added.before, added.after) == ({"item": "Schnitt", "price": None}, {"item": "Schnitt", "price": "35.00"})
    assert removed.after["price"] is None
    created = entries(services, entity="group", action="create")[0]
    assert created.after == {"name": "Firma", "description": "", "self_assignable": True, "has_password": True}
    assert "geheim1" not in str(created.after)
    item_change = entries(services, entity="item", action="update")[0]
    assert (item_change.before["price"], item_change.after["price"]) == ("40.00", "42.00")
    moved = entries(services, entity="client", action="group")[0]
    assert (moved.entity_id, moved.before, moved.after) == (card.id, {"group": None}, {"group": "Firma"})


def test_a_refused_save_writes_no_entry(services, manager):
    services.categories.create(CategoryData(name="Treue"))
    with pytest.raises(ValidationError):
        services.categories.create(CategoryData(name="treue"))
    assert len(entries(services, entity="category")) == 1


def test_record_keeps_decimals_dates_and_the_approval(services, manager):
    approval = Approval(manager_id=manager.staff_id, manager_name="Anna", reason="Reklamation")
    with services.db.transaction() as session:
        record(session, SYSTEM, "manual_discount", "sale", 17, {"percent": Decimal("10")},
               {"percent": Decimal("25"), "on": date(2026, 11, 22)}, approval=approval)  # fmt: skip
    row = entries(services, entity="sale")[0]
    assert (row.staff_id, row.staff_name) == (None, "Salon Desk")
    assert (row.before, row.after) == ({"percent": "10.00"}, {"percent": "25.00", "on": "2026-11-22"})
    assert (row.reason, row.approved_by) == ("Reklamation", "Anna")


def test_filters_by_who_what_and_date(services):
    anna = add_member(services, "Anna", Role.MANAGER)
    signed_in(services, Role.MANAGER, "Bert")
    services.categories.create(CategoryData(name="Treue"))
    services.groups.create(GroupData(name="Firma"))
    with services.db.transaction() as session:  # one entry from last month
        session.execute(update(AuditEntry).where(AuditEntry.entity == "group").values(at=utcnow() - timedelta(days=30)))
    me = services.workstation.actor.staff_id
    assert {r.entity for r in entries(services, staff_id=me)} == {"category", "group"}
    assert [r.entity_id for r in entries(services, staff_id=WHO_SYSTEM)] == [me, anna.id]  # the two staff created
    assert entries(services, staff_id=anna.id) == []
    today = date.today()
    assert [r.entity for r in entries(services, entity="group", date_from=today)] == []
    assert [r.entity for r in entries(services, date_to=today - timedelta(days=1))] == ["group"]
    assert services.audit.who() == [(me, "Bert")]


def test_keyset_pages_cover_everything_once(services, manager):
    for n in range(7):
        services.groups.create(GroupData(name=f"Gruppe {n}"))
    everything = [r.id for r in entries(services)]
    pages, cursor = [], None
    while True:
        page = services.audit.list(AuditFilter(), limit=3, after=cursor)
        pages.extend(r.id for r in page)
        if len(page) < 3:
            break
        cursor = page[-1].cursor
    assert pages == everything and len(everything) == 8  # the manager and seven groups
    assert everything == sorted(everything, reverse=True)


def test_export_writes_excel_friendly_csv(services, manager, tmp_path):
    info, _ = services.categories.create(CategoryData(name="Müller; \"Treue\"", discount_percent=Decimal("5")))
    i18n.set_language("de")
    target = tmp_path / "protokoll.csv"
    count = services.audit.export_csv(target, AuditFilter(entity="category"))
    raw = target.read_bytes()
    assert count == 1 and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == 2 and len(rows[0]) == 9
    time, who, _action, _entity, entity_id, before, after, reason, approved = rows[1]
    assert (who, entity_id, before, reason, approved) == ("Anna", str(info.id), "", "", "")
    assert "Müller; \"Treue\"" in after and re.search(r"Rabatt: 5\s%", after) and "5.00" not in after
    assert time[2] == "." and time[5] == "." and len(time) == len("22.11.2026 10:50:35")
    assert not (tmp_path / "protokoll.csv.part").exists()


def test_export_to_an_impossible_place_says_so(services, manager, tmp_path):
    with pytest.raises(ValidationError) as error:
        services.audit.export_csv(tmp_path / "missing" / "log.csv")
    assert error.value.field == "path"


@pytest.mark.parametrize("role", [Role.CASHIER, Role.FRONT_DESK])
def test_only_managers_read_and_export_the_log(services, role, tmp_path):
    signed_in(services, role)
    for call in (services.audit.list, services.audit.who, lambda: services.audit.export_csv(tmp_path / "x.csv")):
        with pytest.raises(PermissionDeniedError) as error:
            call()
        assert error.value.message == "This needs the role Manager."
    assert not (tmp_path / "x.csv").exists()


def test_bulk_membership_changes_are_recorded_with_their_count(services, manager):
    for name in ("Ohne", "Auch ohne"):
        services.clients.create(ClientData(last_name=name), CategoryChanges(()))
    bestand, _ = services.categories.create(CategoryData(name="Bestand"), assign_uncategorised=True)
    vip = next(c for c in services.categories.list() if c.name == "VIP")
    services.clients.create(ClientData(last_name="Nur VIP"), CategoryChanges((MembershipData(vip.id),)))
    default = next(c for c in services.categories.list() if c.is_default)
    services.categories.delete(vip.id)
    bulk = [e for e in entries(services, action="memberships") if e.entity == "category"]
    assert {(e.entity_id, e.after["clients_added"]) for e in bulk} == {(bestand.id, 2), (default.id, 1)}
