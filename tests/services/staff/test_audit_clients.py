"""The audit log about clients (issue 12, point 6): created, changed per field, erased; values shown readably."""

from __future__ import annotations

from datetime import date

import pytest
from helpers_staff import signed_in

from salon_desk import i18n
from salon_desk.models import Role
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.data.privacy import PrivacyService
from salon_desk.services.staff.audit import AuditFilter, AuditRow
from salon_desk.services.staff.audit_text import changed_keys, csv_row, describe, record_text


@pytest.fixture
def manager(services):
    return signed_in(services, Role.MANAGER, "Anna")


def client_entries(services, action: str) -> list[AuditRow]:
    return services.audit.list(AuditFilter(entity="client", action=action))


def test_creating_and_changing_a_client_is_recorded_per_field_with_the_name_then(services, manager):
    card, _ = services.clients.create(ClientData(first_name="Eva", last_name="Klein", phone="0171 111"))
    [created] = client_entries(services, "create")
    assert (created.entity_id, created.subject) == (card.id, "Eva Klein")
    assert created.after == {"first_name": "Eva", "last_name": "Klein", "phone": "0171 111"}
    changed = ClientData(first_name="Eva", last_name="Groß", phone="0171 222", birthday=date(1990, 5, 17))
    card, _ = services.clients.save(card.id, card.version, changed)
    services.clients.save(card.id, card.version, changed)  # nothing changed: no entry
    [change] = client_entries(services, "update")
    assert change.before == {"last_name": "Klein", "phone": "0171 111", "birthday": None}
    assert change.after == {"last_name": "Groß", "phone": "0171 222", "birthday": "1990-05-17"}
    assert change.subject == "Eva Groß"
    assert client_entries(services, "create")[0].subject == "Eva Klein"  # as it was then
    i18n.set_language("de")
    assert describe(change.after, changed_keys(change)) == "Nachname: Groß; Telefon: 0171 222; Geburtstag: 17.05.1990"
    assert record_text(change) == "Kunde · Eva Groß"


def test_an_erasure_is_recorded_without_the_personal_data(services, manager):
    card, _ = services.clients.create(ClientData(first_name="Eva", last_name="Klein", email="eva@example.de"))
    card, _ = services.clients.save(card.id, card.version, ClientData(first_name="Eva", last_name="Klein"))
    PrivacyService(services.db, services.workstation).erase([card.id])
    [erased] = client_entries(services, "erase")
    assert erased.subject == f"erased client #{card.id}" and erased.after == {"sales_kept": 0}
    for entry in services.audit.list(AuditFilter(entity="client")):
        assert "Eva" not in entry.subject and "eva@" not in " ".join(csv_row(entry))


@pytest.mark.parametrize(
    ("values", "german"),
    [
        ({"reversal_id": 12, "number": 7, "total": "-57.86"}, "Nummer: 7; Summe: −57,86\u00a0€"),
        ({"manual_discount_limit": "12.50"}, "Höchstrabatt von Hand: 12,5\u00a0%"),
        ({"kind": "cash_out", "amount": "20.00"}, "Art: Entnahme; Betrag: 20,00\u00a0€"),
        ({"receipts": [3, 9], "counted": "1234.5"}, "Belege: 3–9; gezählt: 1.234,50\u00a0€"),
        ({"lines": [{"item": "Schnitt", "percent": "15.00"}]}, "Positionen: Schnitt 15\u00a0%"),
        ({"list": True, "segment": '{"category_ids": [3], "category_mode": "any"}'},
         "ganze Liste: ja; Segment: 2 Bedingungen"),
        ({"discount_scope": "both", "applies_to_offers": False}, "Rabatt gilt für: Dienstleistungen und Produkte; "
                                                                 "auch bei Sonderangeboten: nein"),
    ],
)
def test_values_of_every_kind_are_shown_in_german_never_raw(values, german):
    i18n.set_language("de")
    assert describe(values) == german
