"""The benchmark data generator: set-based inserts whose derived columns match what the services compute."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package beside src/

from benchmarks import __main__ as dispatcher  # noqa: E402
from benchmarks import generate as generate_module  # noqa: E402
from benchmarks.generate import GROUP_NAMES, GenerateStats, generate, generate_stats, main  # noqa: E402
from salon_desk.models import Category, Client, ClientCategory, ClientFacts  # noqa: E402
from salon_desk.services import Services  # noqa: E402
from salon_desk.services.clients.client_list import ClientListQuery  # noqa: E402
from salon_desk.services.clients.clients import ClientData  # noqa: E402
from salon_desk.services.clients.segment_rules import SegmentRules  # noqa: E402
from salon_desk.services.categories.labels import SEPARATOR, refresh_labels  # noqa: E402
from salon_desk.textindex import client_search_text, sort_name  # noqa: E402

CLIENTS = 2_000


def _url(services: Services) -> str:
    return services.db.url.render_as_string(hide_password=False)


@pytest.fixture
def generated(services: Services) -> tuple[Services, GenerateStats]:
    """2,000 generated clients in small batches (several executemany rounds) on SQLite and PostgreSQL."""
    return services, generate_stats(_url(services), CLIENTS, seed=7, batch_size=300)


def test_count_groups_and_search(generated: tuple[Services, GenerateStats]) -> None:
    services, stats = generated
    assert services.search.count("") == CLIENTS == stats.clients
    groups = {g.name: g.member_count for g in services.groups.list()}
    assert set(groups) == set(GROUP_NAMES)
    assert 0.1 * CLIENTS < sum(groups.values()) < 0.3 * CLIENTS
    found = services.search.client_ids("mül")
    assert found and "Müller" in {services.clients.get(i).data.last_name for i in found}
    assert services.search.count("mül") == services.search.count("MUL") == services.search.count("mueller")


def _labels_from_memberships(services: Services) -> dict[int, str]:
    """Each client's category names joined in the database's name_key order: the label's definition."""
    labels: dict[int, list[str]] = {}
    with services.db.read() as session:
        rows = session.execute(
            select(ClientCategory.client_id, Category.name)
            .join(Category, Category.id == ClientCategory.category_id)
            .order_by(ClientCategory.client_id, Category.name_key)
        )
        for client_id, name in rows:
            labels.setdefault(client_id, []).append(name)
        client_ids = session.scalars(select(Client.id)).all()
    return {client_id: SEPARATOR.join(labels.get(client_id, ())) for client_id in client_ids}


def test_labels_follow_the_memberships(generated: tuple[Services, GenerateStats]) -> None:
    services, _stats = generated
    with services.db.read() as session:
        written = dict(session.execute(select(Client.id, Client.category_label)).all())
    assert written == _labels_from_memberships(services)
    assert any(SEPARATOR in label for label in written.values()) and "" in written.values()


def test_labels_equal_what_refresh_labels_computes(generated: tuple[Services, GenerateStats]) -> None:
    services, _stats = generated
    session = services.db.session_factory()
    try:
        query = select(Client.id, Client.category_label).order_by(Client.id)
        written = session.execute(query).all()
        refresh_labels(session, Client.id.in_([client_id for client_id, _label in written[::3]]))
        refreshed = session.execute(query).all()
    finally:
        session.rollback()  # the refresh ran on a throwaway copy of the rows: the database is unchanged
        session.close()
    assert refreshed == written


def test_category_counts_match_the_memberships(generated: tuple[Services, GenerateStats]) -> None:
    services, stats = generated
    counts = services.categories.client_counts()  # categories.client_count, kept by triggers
    assert counts == stats.per_category
    assert sum(counts.values()) == stats.memberships
    assert set(counts) == {c.id for c in services.categories.list()}  # templates and extra categories alike
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ClientCategory)) == stats.memberships
        grouped = session.execute(select(ClientCategory.category_id, func.count()).group_by(ClientCategory.category_id))
        assert dict(grouped.all()) == counts
        labelled = session.execute(select(Client.id, Client.category_label)).all()
        per_client = dict(
            session.execute(select(ClientCategory.client_id, func.count()).group_by(ClientCategory.client_id)).all()
        )
    for client_id, label in labelled:
        assert (len(label.split(SEPARATOR)) if label else 0) == per_client.get(client_id, 0)


def test_every_generated_client_has_the_facts_a_segment_counts(generated: tuple[Services, GenerateStats]) -> None:
    services, _stats = generated
    with services.db.read() as session:
        facts = dict(session.execute(select(ClientFacts.client_id, ClientFacts.has_email)).all())
        emails = dict(session.execute(select(Client.id, Client.email)).all())
    assert facts == {client_id: email != "" for client_id, email in emails.items()}
    assert services.segments.count(SegmentRules(has_email=True)) == sum(1 for e in emails.values() if e)


def test_derived_search_columns_match_the_orm(generated: tuple[Services, GenerateStats]) -> None:
    services, _stats = generated
    with services.db.read() as session:
        sample = session.scalars(select(Client).where(Client.id % 97 == 0)).all()
        for client in sample:
            words = client_search_text(client.first_name, client.last_name, client.phone, client.email)
            assert client.search_text == words
            assert client.sort_name == sort_name(client.first_name, client.last_name)
            assert client.version == 1 and client.created_at is not None


def test_generated_clients_can_be_edited_and_new_ones_added(generated: tuple[Services, GenerateStats]) -> None:
    services, stats = generated
    card = services.clients.get(stats.first_id + 10)
    saved, _changes = services.clients.save(card.id, card.version, replace(card.data, notes="Kommt jetzt öfter."))
    assert saved.version == 2 and saved.data.notes == "Kommt jetzt öfter."
    new, _changes = services.clients.create(ClientData(first_name="Neu", last_name="Kundin"))
    assert new.id == stats.first_id + CLIENTS  # PostgreSQL's id sequence was moved past the given ids
    assert services.search.client_ids("kundin") == [new.id]  # SQLite's index trigger is back in place


def test_a_failed_load_leaves_the_database_as_it_was(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def failing_batch(*args: object) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args)  # type: ignore[arg-type]

    original = generate_module._insert_batch
    monkeypatch.setattr(generate_module, "_insert_batch", failing_batch)
    indexes = _client_indexes(services)
    with pytest.raises(RuntimeError):
        generate_stats(_url(services), 100, batch_size=40)
    assert _client_indexes(services) == indexes  # on PostgreSQL made again after the failure
    assert services.search.count("") == 0
    assert services.categories.client_counts() == {}  # the counts rolled back with the memberships
    new, _changes = services.clients.create(ClientData(first_name="Jürgen", last_name="Weiß"))
    assert services.search.client_ids("weiss") == [new.id]


def _client_indexes(services: Services) -> set[str]:
    from sqlalchemy import inspect

    with services.db.engine.connect() as connection:
        return {index["name"] for index in inspect(connection).get_indexes("clients")} | (
            _by_hand(services) if not services.db.is_sqlite else set()
        )


def _by_hand(services: Services) -> set[str]:
    from sqlalchemy import text

    with services.db.read() as session:
        found = text("SELECT indexname FROM pg_indexes WHERE tablename = 'clients' AND indexname LIKE 'ix_clients_search%'")
        return set(session.scalars(found))


def test_the_indexes_are_there_after_the_load(services: Services) -> None:
    """PostgreSQL's indexes on the clients, dropped for the load, are made again, and the search finds through them."""
    before = _client_indexes(services)
    generate_stats(_url(services), 300, seed=3, batch_size=100)
    assert before and _client_indexes(services) == before
    whole = ClientListQuery()
    assert services.client_list.count(whole) == 300  # the total the triggers keep, counted after the load
    services.clients.create(ClientData(first_name="Nach", last_name="Laden"))
    assert services.client_list.count(whole) == 301  # and kept by them again
    some = services.clients.get(services.search.client_ids("")[0])
    assert some.id in services.search.client_ids(some.data.last_name)


def test_generate_appends_and_is_reproducible(generated: tuple[Services, GenerateStats], tmp_path: Path) -> None:
    services, stats = generated
    assert generate(_url(services), 25, seed=7) >= 0
    assert services.search.count("") == CLIENTS + 25
    with services.db.read() as session:
        grouped = session.execute(select(ClientCategory.category_id, func.count()).group_by(ClientCategory.category_id))
        assert services.categories.client_counts() == dict(grouped.all())  # the second run added to the counts
    columns = (Client.first_name, Client.last_name, Client.phone, Client.email, Client.category_label)
    with services.db.read() as session:
        appended = session.execute(select(*columns).where(Client.id >= stats.first_id + CLIENTS).order_by(Client.id))
        first = session.execute(select(*columns).where(Client.id < stats.first_id + 25).order_by(Client.id))
        # The same seed draws the same people again; only the id inside the email differs.
        assert [row[:3] for row in appended.all()] == [row[:3] for row in first.all()]


def test_command_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--clients", "40", "--database", f"sqlite:///{tmp_path / 'a.sqlite3'}", "--batch", "15"]) == 0
    assert "generate: 40 clients" in capsys.readouterr().out
    small = [
        "--clients", "30", "--campaign-recipients", "20", "--sales", "20", "--closing-sales", "40", "--days", "3",
        "--per-day", "10", "--tse-sales", "5", "--generated-sales", "2000", "--repeat", "2", "--checkout-sales", "20",
    ]  # fmt: skip
    assert dispatcher.main(small) == 0  # every benchmark, small
    assert "== generate:" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        dispatcher.main(["no-such-benchmark"])


def test_the_list_finds_generated_clients_by_their_search_words(generated: tuple[Services, GenerateStats]) -> None:
    """PostgreSQL's words table (migration 0023) is written after a load without its triggers: the list's counts
    and first pages of a search, read from it, are those of the index."""
    services, _stats = generated
    if not services.db.is_sqlite:
        with services.db.engine.connect() as connection:
            entries = connection.scalar(text("SELECT count(*) FROM client_search_words"))
            words = connection.scalar(text("SELECT sum(array_length(regexp_split_to_array(trim(replace("
                                           "search_text, '|', ' ')), ' +'), 1)) FROM clients"))  # fmt: skip
        assert entries == words
    for prefix in ("m", "sch", "ann", "0151", "gmail"):
        query = ClientListQuery(text=prefix)
        expected = services.search.client_ids(prefix, limit=CLIENTS)
        assert services.client_list.count_up_to(query, 10_000) == len(expected) > 0, prefix
        assert [row.id for row in services.client_list.page(query, limit=50)] == expected[:50], prefix
