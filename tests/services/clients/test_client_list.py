"""The client list's keyset paging, sorting, filters, search and counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import update

from salon_desk.models import Client
from salon_desk.services.clients.client_list import (
    NO_GROUP,
    SORT_COLUMNS,
    ClientListQuery,
    ClientListService,
    ClientRow,
)
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.groups.groups import GroupData

# (first, last, phone, email, group, categories, last visit): duplicate names, phones,
# e-mails and visit dates, clients without group, category or visit.
PEOPLE = [
    ("Anna", "Müller", "0171 1111111", "anna@example.de", "Gold", ["Student"], date(2025, 3, 1)),
    ("Anna", "Müller", "0171 1111111", "", None, ["VIP", "Student"], None),
    ("Jürgen", "Müller", "", "juergen@example.de", "Silver", [], date(2025, 3, 1)),
    ("Zoe", "Mueller", "030 123456", "zoe@example.de", "Gold", ["Regular client"], None),
    ("Max", "Mustermann", "", "", None, ["Regular client"], date(2024, 1, 15)),
    ("Ömer", "Öztürk", "0151 2222222", "oemer@example.de", "Silver", ["VIP"], date(2025, 3, 1)),
    ("Eva", "Schmidt", "0151 2222222", "eva@example.de", None, [], None),
    ("", "Weiß", "", "weiss@example.de", "Gold", ["Student"], date(2023, 12, 24)),
    ("Lena", "", "0160 3333333", "", "Silver", ["VIP"], None),
    ("Karl", "Adler", "0171 4444444", "karl@example.de", None, ["Student", "Regular client"], date(2024, 1, 15)),
    ("Anna", "Schmidt", "", "anna.s@example.de", "Gold", [], date(2025, 6, 30)),
    ("Hans", "Müller-Lüdenscheidt", "0171 5555555", "", None, ["VIP"], None),
]


def _categories(services):
    return {c.name: c.id for c in services.categories.list()}


@pytest.fixture
def people(services):
    """The clients of PEOPLE, saved through the services; returns their ids in PEOPLE order."""
    groups = {name: services.groups.create(GroupData(name=name))[0].id for name in ("Gold", "Silver")}
    categories = _categories(services)
    ids = []
    for first, last, phone, email, group, names, visit in PEOPLE:
        staged = CategoryChanges(tuple(MembershipData(categories[n]) for n in names))
        data = ClientData(first_name=first, last_name=last, phone=phone, email=email, group_id=groups.get(group))
        card, _ = services.clients.create(data, staged)
        ids.append(card.id)
        if visit is not None:
            with services.db.transaction() as session:
                session.execute(update(Client).where(Client.id == card.id).values(last_visit=visit))
    return ids


@pytest.fixture
def client_list(services):
    return ClientListService(services.db)


def _all(client_list, query) -> list[ClientRow]:
    return client_list.page(query, None, 10_000)


def _null_first(key):
    return tuple((value is not None, value) for value in key)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_keyset_pages_concatenated_equal_the_full_ordered_list(services, people, client_list, sort, descending):
    query = ClientListQuery(sort=sort, descending=descending)
    full = _all(client_list, query)
    assert sorted(r.id for r in full) == sorted(people)
    keys = [_null_first(r.sort_key) for r in full]
    assert keys == sorted(keys, reverse=descending)
    assert len(set(keys)) == len(keys)
    for size in (1, 3, 5):
        paged, after = [], None
        while page := client_list.page(query, after, size):
            assert len(page) <= size
            paged += page
            after = page[-1].sort_key
        assert [r.id for r in paged] == [r.id for r in full]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_pages_backwards_before_a_key_and_by_offset_match_the_full_list(
    services, people, client_list, sort, descending
):
    query = ClientListQuery(sort=sort, descending=descending)
    full = [r.id for r in _all(client_list, query)]
    for index in range(1, len(full)):
        before = client_list.page(query, None, 10_000)[index].sort_key
        assert [r.id for r in client_list.page(query, limit=4, before=before)] == full[max(0, index - 4) : index]
    for offset in (0, 4, 10, 12):
        assert [r.id for r in client_list.page_at(query, offset, 4)] == full[offset : offset + 4]


@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_descending_is_exactly_the_ascending_list_reversed(services, people, client_list, sort):
    ascending = [r.id for r in _all(client_list, ClientListQuery(sort=sort))]
    assert [r.id for r in _all(client_list, ClientListQuery(sort=sort, descending=True))] == ascending[::-1]


def test_name_sort_is_last_then_first_name_ignoring_umlauts(services, people, client_list):
    names = [r.name for r in _all(client_list, ClientListQuery())]
    assert names == [
        "Adler, Karl",
        "Lena",
        "Mueller, Zoe",
        "Müller, Anna",
        "Müller, Anna",
        "Müller, Jürgen",
        "Müller-Lüdenscheidt, Hans",
        "Mustermann, Max",
        "Öztürk, Ömer",
        "Schmidt, Anna",
        "Schmidt, Eva",
        "Weiß",
    ]


def test_rows_carry_what_the_list_shows(services, people, client_list):
    row = client_list.rows_by_ids([people[1]])[0]
    assert (row.name, row.category_label, row.group_name, row.phone, row.email, row.last_visit) == (
        "Müller, Anna",
        "Student, VIP",
        "",
        "0171 1111111",
        "",
        None,
    )
    assert [(c.name, c.color) for c in row.categories] == [("Student", "#6A1B9A"), ("VIP", "#C9A227")]
    assert row.sort_key == ("muller anna", people[1])
    gold = client_list.rows_by_ids([people[0]], ClientListQuery(sort="group"))[0]
    assert gold.group_name == "Gold" and gold.sort_key == ("gold", "muller anna", people[0])


def test_rows_by_ids_keeps_the_given_order_and_skips_unknown_ids(services, people, client_list):
    wanted = [people[5], 999_999, people[0], people[5]]
    assert [r.id for r in client_list.rows_by_ids(wanted)] == [people[5], people[0]]
    assert client_list.rows_by_ids([]) == []


def test_category_sort_orders_by_label_then_name(services, people, client_list):
    rows = _all(client_list, ClientListQuery(sort="category"))
    labels = [r.category_label for r in rows]
    assert labels == sorted(labels)
    assert labels[:4] == ["", "", "", "Regular client"]  # clients without category first
    assert [r.name for r in rows if r.category_label == "VIP"] == ["Lena", "Müller-Lüdenscheidt, Hans", "Öztürk, Ömer"]
    assert _all(client_list, ClientListQuery(sort="category", descending=True))[0].category_label == "VIP"


def test_group_sort_puts_clients_without_group_first_ascending_and_last_descending(services, people, client_list):
    ascending = [r.group_name for r in _all(client_list, ClientListQuery(sort="group"))]
    assert ascending == [""] * 5 + ["Gold"] * 4 + ["Silver"] * 3
    descending = [r.group_name for r in _all(client_list, ClientListQuery(sort="group", descending=True))]
    assert descending == ["Silver"] * 3 + ["Gold"] * 4 + [""] * 5


def test_last_visit_sort_puts_never_visited_first_ascending_and_last_descending(services, people, client_list):
    ascending = [r.last_visit for r in _all(client_list, ClientListQuery(sort="last_visit"))]
    assert ascending[:5] == [None] * 5 and ascending[5] == date(2023, 12, 24) and ascending[-1] == date(2025, 6, 30)
    descending = [r.last_visit for r in _all(client_list, ClientListQuery(sort="last_visit", descending=True))]
    assert descending == ascending[::-1]


def test_phone_and_email_sort_by_text_with_id_as_tiebreak(services, people, client_list):
    rows = _all(client_list, ClientListQuery(sort="phone"))
    assert [r.phone for r in rows][:4] == [""] * 4
    assert [r.id for r in rows][:4] == sorted(r.id for r in rows if r.phone == "")
    emails = [r.email for r in _all(client_list, ClientListQuery(sort="email", descending=True))]
    assert emails[0] == "zoe@example.de" and emails[-1] == ""


def test_filter_by_category(services, people, client_list):
    categories = _categories(services)
    query = ClientListQuery(category_id=categories["Student"])
    rows = _all(client_list, query)
    assert [r.name for r in rows] == ["Adler, Karl", "Müller, Anna", "Müller, Anna", "Weiß"]
    assert client_list.count(query) == 4
    assert client_list.count(ClientListQuery(category_id=categories["Senior"])) == 0


def test_filter_by_group_and_without_group(services, people, client_list):
    gold = next(g.id for g in services.groups.list() if g.name == "Gold")
    assert client_list.count(ClientListQuery(group_id=gold)) == 4
    assert {r.group_name for r in _all(client_list, ClientListQuery(group_id=gold))} == {"Gold"}
    without = _all(client_list, ClientListQuery(group_id=NO_GROUP))
    assert len(without) == client_list.count(ClientListQuery(group_id=NO_GROUP)) == 5
    assert {r.group_name for r in without} == {""}


@pytest.mark.parametrize("text", ["mül", "MÜL", "mul", "muel"])
def test_search_finds_mueller_however_it_is_typed(services, people, client_list, text):
    names = [r.name for r in _all(client_list, ClientListQuery(text=text))]
    assert "Müller, Anna" in names and "Müller-Lüdenscheidt, Hans" in names
    assert all("ller" in n for n in names)
    assert client_list.count(ClientListQuery(text=text)) == len(names)


def test_search_combines_with_filters_and_sort(services, people, client_list):
    categories = _categories(services)
    query = ClientListQuery(text="anna", category_id=categories["Student"], sort="name", descending=True)
    assert [r.id for r in _all(client_list, query)] == [people[1], people[0]]
    assert client_list.count(query) == 2
    assert client_list.count(ClientListQuery(text="nobody-like-this")) == 0
    assert client_list.count(ClientListQuery(text="  ")) == len(PEOPLE)


def test_search_by_phone_and_email(services, people, client_list):
    assert {r.id for r in _all(client_list, ClientListQuery(text="+49 151 2222222"))} == {people[5], people[6]}
    assert [r.id for r in _all(client_list, ClientListQuery(text="juergen@"))] == [people[2]]


def test_counts(services, people, client_list):
    assert client_list.count(ClientListQuery()) == len(PEOPLE)
    assert client_list.count(ClientListQuery(text="schmidt")) == 2


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_position_is_the_row_number_in_the_list(services, people, client_list, sort, descending):
    query = ClientListQuery(sort=sort, descending=descending)
    for row_number, row in enumerate(_all(client_list, query)):
        assert client_list.position(query, row.id) == row_number
    filtered = ClientListQuery(text="schmidt", sort=sort, descending=descending)
    assert client_list.position(filtered, people[0]) is None


def test_unknown_sort_column_and_mixed_directions_are_refused(services, client_list):
    with pytest.raises(ValueError):
        ClientListQuery(sort="birthday")
    with pytest.raises(ValueError):
        client_list.page(ClientListQuery(), after=("a", 1), before=("b", 2))


def test_empty_database_gives_empty_pages(services, client_list):
    assert client_list.count(ClientListQuery()) == 0
    assert client_list.page(ClientListQuery()) == []
    assert client_list.page_at(ClientListQuery(), 1000) == []


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_group_sort_with_many_groups_sorts_the_joined_name_the_same_way(
    services, people, client_list, monkeypatch, descending
):
    query = ClientListQuery(sort="group", descending=descending)
    by_segments = [r.id for r in _all(client_list, query)]
    monkeypatch.setattr("salon_desk.services.clients.client_list.MAX_GROUP_SEGMENTS", 1)
    assert [r.id for r in _all(client_list, query)] == by_segments
    paged, after = [], None
    while page := client_list.page(query, after, 5):
        paged += [r.id for r in page]
        after = page[-1].sort_key
    assert paged == by_segments
    assert [r.id for r in client_list.page_at(query, 7, 3)] == by_segments[7:10]
    assert client_list.position(query, by_segments[8]) == 8


def test_group_sort_with_a_group_filter(services, people, client_list):
    silver = next(g.id for g in services.groups.list() if g.name == "Silver")
    rows = _all(client_list, ClientListQuery(sort="group", group_id=silver))
    assert [r.name for r in rows] == ["Lena", "Müller, Jürgen", "Öztürk, Ömer"]
    assert [r.group_name for r in _all(client_list, ClientListQuery(sort="group", group_id=NO_GROUP))] == [""] * 5


def test_paging_continues_after_a_key_whose_group_was_deleted_meanwhile(services, people, client_list):
    query = ClientListQuery(sort="group")
    rows = _all(client_list, query)
    gold_key = next(r.sort_key for r in rows if r.group_name == "Gold")
    gold = next(g.id for g in services.groups.list() if g.name == "Gold")
    services.groups.delete(gold)
    after = client_list.page(query, gold_key, 100)
    assert [r.group_name for r in after] == ["Silver"] * 3


@pytest.mark.parametrize("sort", SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_broad_search_walks_the_sort_index_and_pages_exactly(services, monkeypatch, sort, descending):
    """With every search counted as broad, pages walk the sort index (SQLite) or sort the hits; both exact."""
    from salon_desk.services.clients import client_list_walk as module
    for number in range(30):
        data = ClientData(first_name=f"Anna{number % 7}", last_name=f"Müller{number % 5}", phone=f"0171 {number:04}")
        services.clients.create(data)
    for number in range(30):
        services.clients.create(ClientData(first_name="Bert", last_name=f"Schulz{number % 3}", phone=f"0160 {number:04}"))  # noqa: E501
    service = services.client_list
    query = ClientListQuery(text="mül", sort=sort, descending=descending)
    expected = [row.id for row in service.page(query, limit=1000)]  # all hits sorted at once
    monkeypatch.setattr(service, "broad_search", 0)
    monkeypatch.setattr(module, "WALK_ROWS_PER_HIT", 2)  # short walks: both the walk and its fallback run
    assert len(expected) == service.count(query) == 30
    found, after = [], None
    while True:
        page = service.page(query, after, limit=4)
        if not page:
            break
        found += [row.id for row in page]
        after = page[-1].sort_key
    assert found == expected
    assert service.count_up_to(query, 10) == 11
    assert service.count_up_to(query, 30) == 30


def _segment_starts(client_list, query, rows):
    """Index in ``rows`` where each of the query's segments begins (several for group and last-visit sorts)."""
    with client_list.db.engine.connect() as connection:
        segments = client_list._segments(connection, query)
    shown = [s for s in segments if any(s.member(r.sort_key) for r in rows)]
    return [next(i for i, r in enumerate(rows) if s.member(r.sort_key)) for s in shown]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_anchors_are_every_nth_key_and_jumps_from_them_land_exactly(services, people, client_list, sort, descending):
    query = ClientListQuery(sort=sort, descending=descending)
    full = _all(client_list, query)
    anchors = client_list.anchors(query, every=2)
    assert anchors is not None and anchors.query == query
    starts = [*_segment_starts(client_list, query, full), len(full)]
    kept = [key for keys in anchors.keys for key in keys]
    expected = [full[i].sort_key for a, b in zip(starts, starts[1:]) for i in range(a + 1, b, 2)]
    assert kept == expected
    for offset in range(len(full) + 1):
        page = client_list.page_at(query, offset, 3, anchors)
        assert [r.id for r in page] == [r.id for r in full[offset : offset + 3]]


def test_a_jump_counts_from_the_anchor_before_it(services, people, client_list):
    query = ClientListQuery()
    full = _all(client_list, query)
    anchors = client_list.anchors(query, every=3)
    assert anchors is not None
    assert anchors.keys == ((full[2].sort_key, full[5].sort_key, full[8].sort_key, full[11].sort_key),)
    misplaced = replace(anchors, keys=((full[2].sort_key, full[6].sort_key),))  # claims row 5 holds the client of row 6
    assert [r.id for r in client_list.page_at(query, 7, 2, misplaced)] == [r.id for r in full[8:10]]


def test_anchors_of_another_list_or_of_shifted_groups_are_not_used(services, people, client_list):
    by_name = client_list.anchors(ClientListQuery(), every=2)
    by_group = ClientListQuery(sort="group")
    full = [r.id for r in _all(client_list, by_group)]
    assert [r.id for r in client_list.page_at(by_group, 5, 3, by_name)] == full[5:8]
    anchors = client_list.anchors(by_group, every=2)
    services.groups.create(GroupData(name="Bronze"))  # at another desk: one segment more, before Gold
    assert [r.id for r in client_list.page_at(by_group, 5, 3, anchors)] == full[5:8]


def test_anchors_with_a_filter_and_none_for_a_search_or_when_stopped(services, people, client_list):
    student = _categories(services)["Student"]
    query = ClientListQuery(category_id=student)
    full = [r.id for r in _all(client_list, query)]
    anchors = client_list.anchors(query, every=2)
    assert [r.id for r in client_list.page_at(query, 3, 2, anchors)] == full[3:5]
    assert client_list.anchors(ClientListQuery(text="mül"), every=2) is None
    assert client_list.anchors(ClientListQuery(), every=2, stop=lambda: True) is None


def test_the_whole_lists_count_follows_new_erased_merged_and_deleted_clients(services, people, client_list):
    """The count of the whole list comes from a total the database keeps; it stays equal to the clients shown."""
    from sqlalchemy import delete, func, select

    from salon_desk.models import ClientTotal
    from salon_desk.services.data.privacy import PrivacyService

    whole = ClientListQuery()
    assert client_list.count(whole) == len(_all(client_list, whole)) == len(people)
    extra = [services.clients.create(ClientData(first_name="Neu", last_name=f"Kundin {n}"))[0].id for n in range(4)]
    assert client_list.count(whole) == len(people) + 4
    PrivacyService(services.db, services.workstation).erase([extra[0]])  # stays, as "erased client #…"
    services.clients.merge(extra[1], extra[2])  # the card merged away is closed: no longer in the list
    with services.db.transaction() as session:  # a row deleted outright (nothing in the app refers to it yet)
        session.execute(delete(Client).where(Client.id == extra[3]))
    assert client_list.count(whole) == len(_all(client_list, whole)) == len(people) + 2
    with services.db.read() as session:
        assert session.scalar(select(ClientTotal.clients)) == session.scalar(select(func.count()).select_from(Client))
