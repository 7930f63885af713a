"""Duplicate clients (issue 12, point 3): found by phone digits or email, merged by a manager into one card."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from helpers_staff import signed_in
from sqlalchemy import func, select, text, update

from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.kinds import ItemKind
from salon_desk.models import AuditEntry, Client, ConsentRecord, PaymentMethod, Role, Sale, utcnow
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.checkout.sale_records import SaleFilter
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.clients.segment_rules import SegmentRules
from salon_desk.services.groups.check_in import CheckInService, NotIdentifiedError
from salon_desk.services.groups.groups import GroupData
from salon_desk.services.staff.audit import AuditFilter


def new(services, first: str, last: str, **values) -> int:
    categories = values.pop("categories", None)
    return services.clients.create(ClientData(first_name=first, last_name=last, **values), categories)[0].id


@pytest.mark.parametrize("typed", ["+49 171 1234567", "0171 1234567", "0049171-1234567", "(0171) 123 45 67"])
def test_a_phone_matches_however_it_is_written(services, typed):
    anna = new(services, "Anna", "Müller", phone="+49 171 123 4567")
    new(services, "Bernd", "Meier", phone="0171 7654321")
    found = services.clients.duplicates(typed, "")
    assert [(d.id, d.name, d.same_phone, d.same_email) for d in found] == [(anna, "Anna Müller", True, False)]


def test_an_email_matches_in_any_case_and_the_card_itself_does_not_count(services):
    anna = new(services, "Anna", "Müller", email="Anna.Mueller@Example.de")
    assert [d.id for d in services.clients.duplicates("", "anna.mueller@EXAMPLE.DE")] == [anna]
    assert services.clients.duplicates("", "anna.mueller@example.de", client_id=anna) == []
    assert services.clients.duplicates("", "") == []
    assert services.clients.duplicates("0171 12345", "other@example.de") == []


def test_the_lookup_uses_the_indexed_columns(services):
    anna = new(services, "Anna", "Müller", phone="+49 171 1234567", email="A@B.DE")
    with services.db.read() as session:
        stored = session.execute(select(Client.phone_digits, Client.email_key).where(Client.id == anna)).one()
        assert tuple(stored) == ("01711234567", "a@b.de")
        if session.get_bind().dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in session.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM clients WHERE (phone_digits = '0171' OR email_key = 'a@b.de')"
                " AND id NOT IN (SELECT client_id FROM client_merges)")))  # fmt: skip
            assert "ix_clients_phone_digits" in plan and "ix_clients_email_key" in plan and "SCAN clients" not in plan

@pytest.fixture
def two_cards(services):
    """Anna's two cards: the newer one with a category, a group, consent, a list, a task, notes and a sale."""
    student = services.categories.create(CategoryData(name="Azubi-Rabatt"))[0].id
    vip = services.categories.create(CategoryData(name="Premium-Kreis"))[0].id
    group = services.groups.create(GroupData(name="Firma Süd"))[0].id
    keep = new(services, "Anna", "Müller", phone="0171 1234567", notes="Mag Tee.",
               categories=CategoryChanges((MembershipData(student, date(2026, 1, 31)),)))  # fmt: skip
    other = new(services, "Anna", "Mueller", phone="+49 171 1234567", notes="Allergie: Latex", group_id=group,
                categories=CategoryChanges((MembershipData(student, date(2027, 9, 30), "Ausweis bis 09/2027"),
                                            MembershipData(vip))))  # fmt: skip
    with services.db.transaction() as session:
        session.add(ConsentRecord(client_id=other, channel="email", granted=True, kind="consent", source="card",
                                  wording="", recorded_by="Test", recorded_at=utcnow()))  # fmt: skip
    recipients = services.recipients.create("Newsletter")[0].id
    services.recipients.add_members(recipients, [other])
    task, _ = services.tasks.create(other, "Zurückrufen", date(2026, 6, 1))
    item = services.catalog.create_item(ItemData(name="Schnitt", kind=ItemKind.SERVICE, price=Decimal("30")))[0].id
    sale = services.checkout.complete(other, Cart((CartLine(item),)), Payment(PaymentMethod.CASH))
    return {"keep": keep, "other": other, "student": student, "vip": vip, "group": group,
            "recipients": recipients, "task": task, "sale": sale}  # fmt: skip


def test_a_merge_moves_everything_to_the_card_kept(services, two_cards):
    signed_in(services, Role.MANAGER, "Chefin")
    keep, other = two_cards["keep"], two_cards["other"]
    sales_before = _sales(services)
    card, changes = services.clients.merge(keep, other)
    by_category = {m.category_id: m for m in card.memberships}
    assert set(by_category) == {two_cards["student"], two_cards["vip"]}
    assert by_category[two_cards["student"]].valid_until == date(2027, 9, 30)  # the better one
    assert by_category[two_cards["student"]].proof_note == "Ausweis bis 09/2027"
    assert card.data.group_id == two_cards["group"]  # the kept card had none
    assert card.data.notes.startswith("Mag Tee.") and "Allergie: Latex" in card.data.notes
    assert card.merged_from == (other,) and changes.all_clients
    with services.db.read() as session:
        assert session.scalar(select(ConsentRecord.client_id)) == keep
    assert services.recipients.members(two_cards["recipients"]) == [keep]
    assert [t.client_id for t in services.tasks.list()] == [keep]
    assert _sales(services) == sales_before  # sales are never changed
    assert services.checkout.list_sales(SaleFilter(client_id=other))[0].number == two_cards["sale"].number
    closed = services.clients.get(other)
    assert closed.merged_into is not None and closed.merged_into.client_id == keep
    assert closed.merged_into.name == "Anna Müller"


def test_the_closed_card_is_gone_from_list_search_segments_check_in_and_duplicates(services, two_cards):
    keep, other = two_cards["keep"], two_cards["other"]
    services.clients.merge(keep, other)
    ids = [row.id for row in services.client_list.page(ClientListQuery())]
    assert other not in ids and keep in ids
    assert services.client_list.count(ClientListQuery()) == 1
    assert [row.id for row in services.client_list.page(ClientListQuery(text="Mueller"))] == [keep]
    assert services.client_list.count(ClientListQuery(text="0171 1234567")) == 1
    assert services.client_list.count(ClientListQuery(segment=SegmentRules())) == 1
    assert services.segments.count(SegmentRules()) == 1
    assert CheckInService(services.db, services.workstation).identify("0171 1234567", "Müller") == keep
    assert [d.id for d in services.clients.duplicates("0171 1234567", "")] == [keep]


def test_a_merge_is_one_audit_entry_naming_both_cards(services, two_cards):
    signed_in(services, Role.MANAGER, "Chefin")
    keep, other = two_cards["keep"], two_cards["other"]
    services.clients.merge(keep, other)
    [entry] = services.audit.list(AuditFilter(action="merge"))
    assert entry.entity_id == keep and entry.subject == "Anna Müller" and entry.staff_name == "Chefin"
    assert entry.before is None
    assert entry.after == {"kept": f"Anna Müller (no. {keep})", "merged": f"Anna Mueller (no. {other})"}


def test_only_managers_merge_and_a_closed_card_cannot_be_merged_or_saved(services, two_cards):
    keep, other = two_cards["keep"], two_cards["other"]
    signed_in(services, Role.FRONT_DESK, "Fritz")
    with pytest.raises(PermissionDeniedError):
        services.clients.merge(keep, other)
    signed_in(services, Role.MANAGER, "Chefin")
    with pytest.raises(ValidationError):
        services.clients.merge(keep, keep)
    services.clients.merge(keep, other)
    with pytest.raises(ValidationError) as error:
        services.clients.merge(keep, other)
    assert "already merged" in error.value.message
    closed = services.clients.get(other)
    with pytest.raises(ValidationError) as error:
        services.clients.save(other, closed.version, closed.data)
    assert "merged into the card of Anna Müller" in error.value.message


def test_a_failing_merge_changes_nothing(services, two_cards, monkeypatch):
    from salon_desk.services.clients import merge as merging

    keep, other = two_cards["keep"], two_cards["other"]
    monkeypatch.setattr(merging, "_close", lambda *args: (_ for _ in ()).throw(ValidationError("boom", "x")))
    with pytest.raises(ValidationError):
        services.clients.merge(keep, other)
    assert services.clients.get(other).merged_into is None
    assert len(services.clients.get(other).memberships) == 2
    assert services.audit.list(AuditFilter(action="merge")) == []


def test_check_in_asks_for_the_first_name_when_phone_and_last_name_are_shared(services):
    anna = new(services, "Anna", "Weber", phone="030 123456")
    new(services, "Ben", "Weber", phone="+49 30 123456")
    check_in = CheckInService(services.db, services.workstation)
    with pytest.raises(NotIdentifiedError) as error:
        check_in.identify("030 123456", "Weber")
    assert error.value.field == "first_name" and "first name" in error.value.message
    assert check_in.identify("030 123456", "Weber", "Anna") == anna


def test_the_migration_fills_the_phone_digits_of_existing_clients(services):
    migration = importlib.import_module("salon_desk.migrations.versions.0016_duplicates_merges_and_audit_subjects")
    anna = new(services, "Anna", "Müller", phone="+49 171 1234567")
    with services.db.transaction() as session:
        session.execute(update(Client).values(phone_digits=""))
    with services.db.engine.begin() as connection:
        migration.fill_phone_digits(connection)
    with services.db.read() as session:
        assert session.scalar(select(Client.phone_digits).where(Client.id == anna)) == "01711234567"


def _sales(services):
    with services.db.read() as session:
        return session.execute(select(Sale.id, Sale.client_id, Sale.total_gross).order_by(Sale.id)).all(), \
            session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "sale"))
