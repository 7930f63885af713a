"""Search as you type on the database text index (DESIGN §1), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from salon_desk.services.clients.clients import ClientData


@pytest.fixture
def people(services):
    make = services.clients.create
    return {
        "mueller": make(ClientData(first_name="Anna", last_name="Müller", phone="+49 171 2345678"))[0],
        "muller": make(ClientData(first_name="Tom", last_name="Muller", email="tom.muller@example.de"))[0],
        "strauss": make(ClientData(first_name="Jürgen", last_name="Strauß", phone="030 1234567"))[0],
        "schmidt": make(ClientData(first_name="Eva", last_name="Schmidt", email="eva@salon-beispiel.de"))[0],
    }


@pytest.mark.parametrize("query", ["mül", "MÜL", "mul", "Mül", "muel", "müller"])
def test_umlauts_and_case_fold(services, people, query):
    found = set(services.search.client_ids(query))
    assert people["mueller"].id in found
    assert people["schmidt"].id not in found


def test_several_words_must_all_match(services, people):
    assert services.search.client_ids("anna mül") == [people["mueller"].id]
    assert services.search.client_ids("tom mül") == [people["muller"].id]


def test_phone_in_international_and_national_form(services, people):
    assert services.search.client_ids("+49 171") == [people["mueller"].id]
    assert services.search.client_ids("0171 234") == [people["mueller"].id]
    assert services.search.client_ids("030 123") == [people["strauss"].id]
    assert services.search.client_ids("+49 30 12") == [people["strauss"].id]


def test_email_and_sharp_s(services, people):
    assert services.search.client_ids("salon-beispiel") == [people["schmidt"].id]
    assert services.search.client_ids("strauss") == [people["strauss"].id]
    assert services.search.client_ids("STRAUSS") == [people["strauss"].id]


@pytest.mark.parametrize(
    "query", ["%", "_", '"', '"mül', "*", "mül*", "a OR b", "NEAR(a b)", "-x", "a AND", "()", "'; DROP", "\\", "^"]
)
def test_odd_search_text_never_raises(services, people, query):
    services.search.client_ids(query)
    services.search.count(query)


def test_empty_search_finds_everyone(services, people):
    assert services.search.count("") == 4
    assert services.search.count("   ") == 4


def test_index_follows_edits_and_deletes(services, people):
    card = services.clients.get(people["schmidt"].id)
    services.clients.save(card.id, card.version, replace(card.data, last_name="Schönfeld"))
    assert services.search.client_ids("schmidt") == []
    assert services.search.client_ids("schön") == [card.id]
    from salon_desk.models import Client

    with services.db.transaction() as session:
        session.delete(session.get(Client, card.id))
    assert services.search.client_ids("schön") == []


@pytest.mark.parametrize(("name", "query"), [("Yılmaz", "yilmaz"), ("Łukasz", "lukasz"), ("Søren", "soren")])
def test_letters_without_a_decomposition_fold_too(services, name, query):
    card = services.clients.create(ClientData(last_name=name))[0]
    assert services.search.client_ids(query) == [card.id]
