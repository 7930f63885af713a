"""Privacy (DESIGN §8): export of one client's data, erasure keeping the sales, the inactive-clients report."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta

import pytest
from checkout_shop import add_staff, make_shop
from sqlalchemy import select, update

from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.models import Task, AuditEntry, Client, ImportedConsent, PaymentMethod, RecipientGroupMember, Sale
from salon_desk.models.staff import Role
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.common import Actor
from salon_desk.services.data.privacy import PrivacyService


@pytest.fixture
def shop(services):
    shop = make_shop(services)
    add_staff(services, shop)
    services.recipients.add_members(services.recipients.create("Newsletter")[0].id, [shop.anna])
    services.checkout.complete(shop.anna, Cart((CartLine(shop.cut), CartLine(shop.shampoo, 2))), Payment(PaymentMethod.CARD))
    return shop


def _privacy(services) -> PrivacyService:
    return PrivacyService(services.db, services.workstation)


def test_export_holds_details_consent_memberships_group_lists_and_sales(services, shop, tmp_path):
    data = _privacy(services).export(shop.anna)
    assert data["details"]["last_name"] == "Müller"
    assert data["customer_group"] == "Club"
    assert [c["category"] for c in data["categories"]] == ["Student/in"]
    assert data["recipient_groups"] == ["Newsletter"]
    assert len(data["sales"]) == 1 and [l["item"] for l in data["sales"][0]["lines"]] == ["Haircut", "Shampoo"]
    assert data["consent"]["email"]["given"] is False
    target = _privacy(services).write_json(data, tmp_path / "anna.json")
    assert json.loads(target.read_text(encoding="utf-8"))["client_id"] == shop.anna
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600


def test_erase_removes_personal_data_and_keeps_sales_under_erased_client(services, shop):
    card = services.clients.get(shop.anna)
    services.clients.save(shop.anna, card.version, ClientData(
        first_name="Anna", last_name="Müller", email="anna@example.de", phone="0171 1", notes="allergic",
        birthday=date(1990, 1, 1), city="Köln", email_consent=True, group_id=card.data.group_id))  # fmt: skip
    count, changes = _privacy(services).erase([shop.anna])
    assert count == 1 and shop.anna in changes.clients
    erased = services.clients.get(shop.anna)
    assert erased.data.first_name == "" and erased.data.last_name == f"erased client #{shop.anna}"
    assert (erased.data.email, erased.data.phone, erased.data.notes, erased.data.city) == ("", "", "", "")
    assert erased.data.birthday is None and not erased.data.email_consent and erased.data.group_id is None
    assert erased.memberships == ()
    assert services.search.client_ids("Müller") == [] and services.search.client_ids("anna") == []
    with services.db.read() as session:
        sale = session.scalars(select(Sale).where(Sale.client_id == shop.anna)).one()
        assert sale.client_name == f"erased client #{shop.anna}" and sale.total_gross > 0
        assert session.scalars(select(RecipientGroupMember)).all() == []
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
        assert (entry.entity_id, json.loads(entry.after)) == (shop.anna, {"sales_kept": 1})
        assert "Müller" not in entry.before + entry.after + entry.reason
    with pytest.raises(ValidationError):
        _privacy(services).erase([shop.anna])  # already erased
    assert shop.anna not in [c.id for c in _privacy(services).inactive(1, date.today() + timedelta(days=4000))]


def test_only_managers_erase(services, shop):
    services.workstation.actor = Actor(staff_id=shop.cashier_id, name="Cem", role=Role.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        _privacy(services).erase([shop.carla])
    assert services.clients.get(shop.carla).data.last_name == "Weber"


def test_inactive_report_lists_clients_without_a_visit_for_n_years(services, shop):
    today = date.today()
    old = datetime.now(UTC) - timedelta(days=5 * 365)
    with services.db.transaction() as session:
        session.execute(update(Client).where(Client.id == shop.ben).values(last_visit=today - timedelta(days=4 * 365)))
        session.execute(update(Client).where(Client.id == shop.carla).values(created_at=old, last_visit=None))
    report = _privacy(services).inactive()
    assert [c.id for c in report] == [shop.ben, shop.carla]
    assert report[0].name == "Ben Schmidt" and report[0].last_visit == today - timedelta(days=4 * 365)
    assert [c.id for c in _privacy(services).inactive(5)] == []
    with pytest.raises(ValidationError) as error:
        _privacy(services).inactive(0)
    assert error.value.field == "years"
    count, _ = _privacy(services).erase([c.id for c in report])
    assert count == 2 and _privacy(services).inactive() == []


def test_imported_consent_is_exported_and_erased(services, shop, tmp_path):
    from data_files import write_csv

    from salon_desk.services.data.client_import import ImportService
    from salon_desk.services.data.import_files import read_table
    from salon_desk.services.data.import_rows import ImportOptions, guess_mapping

    path = write_csv(tmp_path / "k.csv", [["Vorname", "Nachname", "E-Mail", "Newsletter", "Newsletter Datum"],
                                          ["Ida", "Import", "ida@example.de", "ja", "02.01.2023"]])  # fmt: skip
    table = read_table(path)
    ImportService(services.db, services.workstation).run(table, ImportOptions(guess_mapping(table.headers)))
    ida = services.search.client_ids("ida")[0]
    history = _privacy(services).export(ida)["consent"]["history"]
    assert [(h["channel"], h["source"], h["given_at"].date()) for h in history] == [("email", "import", date(2023, 1, 2))]
    _privacy(services).erase([ida])
    with services.db.read() as session:
        assert session.scalars(select(ImportedConsent)).all() == []


def test_a_clients_tasks_are_exported_and_erased_with_the_client(services, shop):
    services.tasks.create(shop.anna, "Rückruf wegen Farbtermin", date.today() + timedelta(days=2))
    services.tasks.create(shop.ben, "Angebot schicken", date.today())
    exported = _privacy(services).export(shop.anna)
    assert [task["title"] for task in exported["tasks"]] == ["Rückruf wegen Farbtermin"]
    _privacy(services).erase([shop.anna])
    with services.db.read() as session:
        assert [t.client_id for t in session.scalars(select(Task))] == [shop.ben]
