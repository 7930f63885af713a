"""The client list's search plans: every way of reading a page of hits gives exactly the hits in list order."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from sqlalchemy import text

from salon_desk.models import Client
from salon_desk.services.clients import client_list as list_module
from salon_desk.services.clients import client_list_walk as walk_module
from salon_desk.services.clients import client_list_search as plans
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.data.privacy import PrivacyService
from salon_desk.textindex import query_alternatives

FIRST = ["Anna", "Annika", "Schorsch", "Mueller", "Lukas", "Sophie", "Bert"]
LAST = ["Müller", "Mueller", "Muster", "Schäfer", "Schaefer", "Schmidt", "Schulz", "Schütz", "(Test)", "Annen", ""]
QUERIES = [
    "mül", "mue", "muel", "mu", "sch", "schae", "schu", "schue", "ann", "an", "schmidt", "test", "0171 2", "+49 17",
    "3", "anna mu", "schmidt an", "an schmidt", "schae ann", "mue example",
]  # fmt: skip


@pytest.fixture
def crowd(services):
    """Clients whose search words bunch, interleave and collide: last names, first names, umlaut spellings, emails."""
    names = itertools.cycle(itertools.product(FIRST, LAST))
    for number in range(120):
        first, last = next(names)
        if not first and not last:
            continue
        local = f"{first.lower()}.{last.lower()[:4]}".strip(".").replace("(", "").replace(")", "").replace(" ", "")
        email = f"{local}{number % 4}@example.de" if number % 3 else ""  # a valid address of the names' letters
        phone = f"0171 {2000 + number}" if number % 2 else f"+49 160 {number:04}"
        services.clients.create(ClientData(first_name=first, last_name=last, phone=phone, email=email))
    return services


def _pages(service, query: ClientListQuery, size: int) -> list[int]:
    found, after = [], None
    while True:
        page = service.page(query, after, limit=size)
        if not page:
            return found
        found += [row.id for row in page]
        after = page[-1].sort_key


def _expected(services, text_: str, descending: bool) -> list[int]:
    """The hits in name order by one plain query (the search service), independent of the list's plans."""
    ids = services.search.client_ids(text_, limit=10_000)
    return ids[::-1] if descending else ids


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("query", QUERIES)
def test_name_pages_of_a_search_are_the_hits_in_name_order(crowd, query, descending):
    service = crowd.client_list
    expected = _expected(crowd, query, descending)
    listed = ClientListQuery(text=query, descending=descending)
    assert _pages(service, listed, 7) == expected
    assert [row.id for row in service.page(listed, limit=10_000)] == expected
    assert service.count(listed) == len(expected)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_a_last_name_search_reads_the_range_of_sort_names(crowd, monkeypatch, descending):
    """"sch" is answered from the ranges of sort names (with the few found by first name), not by sorting."""
    name = "name_page_by_lead_ranges" if crowd.db.is_sqlite else "pg_name_page_by_lead_ranges"
    used = []
    plan = getattr(plans, name)
    monkeypatch.setattr(list_module, name, lambda *a: used.append(plan(*a)) or used[-1])
    found = _pages(crowd.client_list, ClientListQuery(text="sch", descending=descending), 5)
    assert found == _expected(crowd, "sch", descending)
    assert used and all(keys is not None for keys in used)


def test_postgresql_sorts_the_hits_of_a_narrow_search_it_cannot_read_by_ranges(crowd, monkeypatch):
    """Too many found by other words ("ann": Anna, Annika): a few hits are found by the index and sorted."""
    if crowd.db.is_sqlite:
        pytest.skip("PostgreSQL's plan; SQLite walks or sorts with FTS5")
    monkeypatch.setattr(plans, "OTHER_HITS", 0)
    used = []
    plan = plans.pg_name_page_of_sorted_hits
    monkeypatch.setattr(list_module, "pg_name_page_of_sorted_hits", lambda *a: used.append(plan(*a)) or used[-1])
    for query in ("ann", "mue", "0171 2"):
        for descending in (False, True):
            listed = ClientListQuery(text=query, descending=descending)
            assert _pages(crowd.client_list, listed, 4) == _expected(crowd, query, descending)
    assert used


@pytest.mark.parametrize("setting", ["OTHER_HITS", "RANGE_ROWS_PER_HIT"])
def test_when_the_range_plan_gives_up_the_hits_are_still_exact(crowd, monkeypatch, setting):
    """Too many hits by other words, or a range with its hits far apart: the list walks or sorts instead."""
    monkeypatch.setattr(plans, setting, 0)
    for query in ("mue", "sch", "schue", "ann"):
        assert _pages(crowd.client_list, ClientListQuery(text=query), 4) == _expected(crowd, query, False)


def test_walks_chosen_by_their_cost_are_exact(crowd, monkeypatch):
    """Every search walking the name index with a short budget, then sorting the rest: the same pages."""
    service = crowd.client_list
    monkeypatch.setattr(plans, "OTHER_HITS", 0)
    monkeypatch.setattr(service, "broad_search", 0)
    monkeypatch.setattr(walk_module, "WALK_ROWS_PER_HIT", 2)
    for query in ("mue", "an", "0171 2"):
        for descending in (False, True):
            listed = ClientListQuery(text=query, descending=descending)
            assert _pages(service, listed, 3) == _expected(crowd, query, descending)


@pytest.mark.parametrize("cap", [0, 2, 7, 30, 10_000])
def test_a_capped_count_is_the_exact_count_or_one_more_than_its_cap(crowd, cap):
    """The list's first count of a search: exact up to ``cap``, then ``cap + 1`` ("more than …")."""
    with crowd.db.engine.connect() as connection:
        for query in [*QUERIES, "schue", "anna mu"]:
            exact = exact_count(crowd, query)
            assert plans.count_hits_up_to(connection, query_alternatives(query), cap) == min(exact, cap + 1), query


def test_postgresql_answers_a_broad_one_word_count_from_the_lead_words_ranges(crowd):
    """More lead-word hits than the cap: "more than …" without the GIN index, and never for fewer hits than that."""
    if crowd.db.is_sqlite:
        pytest.skip("PostgreSQL's GIN index; SQLite counts in FTS5")
    with crowd.db.engine.connect() as connection:
        lead = connection.scalar(text("SELECT count(*) FROM clients WHERE sort_name LIKE 'mu%'"))
        assert 7 < lead < exact_count(crowd, "mu")  # Müller, Mueller, Muster; more by first name (Mueller)
        for cap in range(lead + 2):
            assert plans._pg_lead_hits_exceed(connection, query_alternatives("mu"), cap) == (cap < lead)
            for query in [*QUERIES, "schue", "anna mu"]:  # "schue": Schütz, but not Schulz in the range of "schu"
                if plans._pg_lead_hits_exceed(connection, query_alternatives(query), cap):
                    assert exact_count(crowd, query) > cap, (query, cap)
        assert not plans._pg_lead_hits_exceed(connection, query_alternatives("anna mu"), 0)  # two words: the index
        assert not plans._pg_lead_hits_exceed(connection, [["mu"], ["mul"]], 0)  # alternatives may share clients


def exact_count(services, query: str) -> int:
    return len(_expected(services, query, False))


def test_the_index_follows_a_renamed_client(crowd):
    """A client renamed from Schmidt to Zander leaves the "sch" range and the index at once."""
    service = crowd.client_list
    card = crowd.clients.create(ClientData(first_name="Ida", last_name="Schmidt"))[0]
    before = _pages(service, ClientListQuery(text="ida"), 5)
    assert before == [card.id]
    loaded = crowd.clients.get(card.id)
    crowd.clients.save(card.id, loaded.version, replace(loaded.data, last_name="Zander"))
    assert card.id not in _pages(service, ClientListQuery(text="schmidt"), 5)
    assert _pages(service, ClientListQuery(text="zan"), 5) == [card.id]
    with crowd.db.transaction() as session:
        session.delete(session.get(Client, card.id))
    assert _pages(service, ClientListQuery(text="ida"), 5) == []


def test_sqlite_index_holds_lead_and_other_words_apart(crowd):
    """Schäfer's lead words are "schafer" and "schaefer" (like Schaefer's); neither is among anybody's other words."""
    if crowd.db.engine.dialect.name != "sqlite":
        pytest.skip("FTS5 is SQLite's")

    def hits(fts_query: str) -> int:
        with crowd.db.engine.connect() as connection:
            stmt = text("SELECT count(*) FROM client_search WHERE client_search MATCH :q")
            return connection.scalar(stmt, {"q": fts_query}) or 0

    assert hits("lead_words : schafer") == crowd.search.count("schafer") > 0
    assert hits("lead_words : schaefer") == crowd.search.count("schaefer") > crowd.search.count("schafer")
    assert hits("other_words : schafer") == hits("other_words : schaefer") == 0
    assert hits("other_words : anna") == crowd.search.count("anna") - hits("lead_words : anna")


def words_kept(services) -> set[tuple[bool, str, int, str]]:
    with services.db.engine.connect() as connection:
        rows = connection.execute(text("SELECT other, word, client_id, sort_name FROM client_search_words"))
        return {tuple(row) for row in rows}


def search_words_of_the_cards(services) -> set[tuple[bool, str, int, str]]:
    """What migration 0023 keeps, derived here from each card's search text: its words before and after the mark."""
    with services.db.engine.connect() as connection:
        cards = connection.execute(text("SELECT id, search_text, sort_name FROM clients")).all()
    found = set()
    for client_id, search_text, sort_name in cards:
        lead, _mark, others = search_text.partition("|")
        found |= {(False, word, client_id, sort_name) for word in lead.split()}
        found |= {(True, word, client_id, sort_name) for word in others.split()}
    return found


def test_postgresql_keeps_each_clients_search_words_through_every_change(crowd):
    """New, saved, renamed, merged, erased, bulk-changed and deleted cards: the words table is their words, no more."""
    if crowd.db.is_sqlite:
        pytest.skip("PostgreSQL's table of search words; SQLite's FTS5 table is kept by its own triggers")
    assert words_kept(crowd) == search_words_of_the_cards(crowd) != set()
    ids = [row.id for row in crowd.client_list.page(ClientListQuery(), limit=200)]
    card = crowd.clients.get(ids[0])
    crowd.clients.save(ids[0], card.version, replace(card.data, first_name="Zora", phone="0151 9990001"))
    card = crowd.clients.get(ids[1])
    crowd.clients.save(ids[1], card.version, replace(card.data, first_name=card.data.last_name or "X",
                                                     last_name=card.data.first_name or "Y"))  # fmt: skip
    crowd.clients.merge(ids[2], ids[3])
    PrivacyService(crowd.db, crowd.workstation).erase([ids[4]])
    with crowd.db.engine.begin() as connection:
        connection.execute(text("UPDATE clients SET notes = 'bulk' WHERE id = ANY(:ids)"), {"ids": ids[5:60]})
        connection.execute(text("DELETE FROM clients WHERE id = ANY(:ids)"), {"ids": ids[60:62]})
        connection.execute(  # several cards' words and sort names changed by one statement
            text("UPDATE clients SET search_text = search_text || ' zz', sort_name = 'zz ' || sort_name"
                 " WHERE id = ANY(:ids)"), {"ids": ids[62:70]},
        )  # fmt: skip
    crowd.clients.create(ClientData(first_name="Nora", last_name="Neu", email="nora.neu@example.com"))

    assert words_kept(crowd) == search_words_of_the_cards(crowd)
    assert not {row for row in words_kept(crowd) if row[2] == ids[3]}  # merged away: no words, never found
    assert _pages(crowd.client_list, ClientListQuery(text="zora 0151 999"), 5) == [ids[0]]
    assert set(_pages(crowd.client_list, ClientListQuery(text="zz"), 5)) == set(ids[62:70])


def test_postgresql_reads_a_search_of_several_words_by_one_words_ranges(crowd, monkeypatch):
    """"schmidt an": counted and paged from the sort names starting with "schmidt" and the few found by other words."""
    if crowd.db.is_sqlite:
        pytest.skip("PostgreSQL's plan")
    counted, paged = [], []
    count, page = plans._pg_count_by_anchor, plans.pg_name_page_by_lead_ranges
    monkeypatch.setattr(plans, "_pg_count_by_anchor", lambda *a: counted.append(count(*a)) or counted[-1])
    monkeypatch.setattr(list_module, "pg_name_page_by_lead_ranges", lambda *a: paged.append(page(*a)) or paged[-1])
    monkeypatch.setattr(plans, "_PG_CAPPED_COUNT", None)  # the GIN index is not asked
    for query in ("schmidt an", "an schmidt", "mue example", "schae ann"):
        listed = ClientListQuery(text=query)
        assert crowd.client_list.count_up_to(listed, 3) == min(exact_count(crowd, query), 4), query
        assert _pages(crowd.client_list, listed, 3) == _expected(crowd, query, False), query
    assert counted and None not in counted
    assert paged and None not in paged


@pytest.mark.parametrize("setting", ["OTHER_HITS", "RANGE_ROWS_FOR_COUNT"])
def test_several_words_without_an_anchor_are_counted_and_paged_exactly(crowd, monkeypatch, setting):
    """No word with few enough clients found by other words, or too long a range: the GIN index, the same hits."""
    monkeypatch.setattr(plans, setting, 0)
    for query in ("schmidt an", "anna mu", "mue example"):
        exact = exact_count(crowd, query)
        with crowd.db.engine.connect() as connection:
            for cap in (0, 2, 1000):
                assert plans.count_hits_up_to(connection, query_alternatives(query), cap) == min(exact, cap + 1)
        listed = ClientListQuery(text=query, descending=True)
        assert _pages(crowd.client_list, listed, 4) == _expected(crowd, query, True)


def test_postgresql_migration_writes_the_words_of_the_cards_there_are(crowd):
    """A database upgraded to 0023 with its clients: their words are written, and the GIN index of 0017 goes."""
    if crowd.db.is_sqlite:
        pytest.skip("PostgreSQL's migration; on SQLite it does nothing")
    from alembic import command

    config = crowd.db._alembic_config()
    command.downgrade(config, "0022")
    crowd.clients.create(ClientData(first_name="Olga", last_name="Older"))  # before the table existed
    command.upgrade(config, "head")
    assert words_kept(crowd) == search_words_of_the_cards(crowd)
    assert _pages(crowd.client_list, ClientListQuery(text="olga"), 5) != []
    with crowd.db.engine.connect() as connection:
        found = connection.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_clients_search_other'"))
    assert found == 0
