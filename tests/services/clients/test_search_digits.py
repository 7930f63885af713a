"""Digits and the signs of phone numbers, typed into every search, on SQLite and PostgreSQL.

Someone starting to type "0049…" has typed "00" first: every search must answer it,
and every prefix of a number, with exactly the clients whose words the typed text
starts, as the index sees them (``client_search_text``). Text of signs alone finds
nobody.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.groups.check_in import CheckInService, NotIdentifiedError
from salon_desk.services.clients.clients import ClientData
from salon_desk.textindex import LEAD_MARK, client_search_text, query_alternatives

PHONES = [
    "0049 171 5550001",
    "+49 171 5550002",
    "0171 5550003",
    "030 1234567",
    "+43 660 1234",
    "0043 660 5678",
    "(0)89 / 12-34",
    "",
]
TYPED = st.text(alphabet="0123456789 +-()/.", min_size=1, max_size=12)


@pytest.fixture
def phone_book(services):
    made = {}
    for number, phone in enumerate(PHONES):
        data = ClientData(first_name="Kim", last_name=f"Nummer{chr(ord('a') + number)}", phone=phone)
        client = services.clients.create(data)[0]
        made[client.id] = client_search_text(data.first_name, data.last_name, data.phone, data.email)
    return made


def expected_ids(phone_book: dict[int, str], text: str) -> set[int]:
    """The clients a search for ``text`` finds, by the index's own rule: each term starts one of the words.

    Blanks alone are no search: the list shows everyone.
    """
    if not text.strip():
        return set(phone_book)
    alternatives = query_alternatives(text)
    found = set()
    for client_id, search_text in phone_book.items():
        client_words = [word for word in search_text.split() if word != LEAD_MARK]
        if any(all(any(w.startswith(term) for w in client_words) for term in terms) for terms in alternatives):
            found.add(client_id)
    return found


def found_by_every_entry_point(services, text: str) -> dict[str, set[int]]:
    query = ClientListQuery(text=text)
    return {
        "search": set(services.search.client_ids(text, limit=100)),
        "list page": {row.id for row in services.client_list.page(query, limit=100)},
        "checkout": {hit.id for hit in services.checkout.find_clients(text, limit=100)},
    }


@pytest.mark.parametrize("text", ["00", "0", "+", "+4", "0049", "0049 17", "00 43", "((", "- /"])
def test_typed_beginnings_of_numbers(services, phone_book, text):
    expected = expected_ids(phone_book, text)
    for entry, found in found_by_every_entry_point(services, text).items():
        assert found == expected, (entry, text)
    counts = (services.search.count(text), services.client_list.count(ClientListQuery(text=text)))
    assert counts == (len(expected), len(expected))


def test_00_finds_the_number_typed_with_00(services, phone_book):
    found = set(services.search.client_ids("00"))
    assert any(phone_book[client_id].find("0049171") >= 0 for client_id in found)
    assert set(services.search.client_ids("0049 171")) == set(services.search.client_ids("+49 171"))
    assert len(services.search.client_ids("0049 171")) == 3  # the same number typed three ways


def test_signs_alone_find_nobody(services, phone_book):
    for text in ("+", "(", "- /", "..."):
        assert services.search.count(text) == 0
        assert services.client_list.count(ClientListQuery(text=text)) == 0
        assert services.client_list.page(ClientListQuery(text=text)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TYPED)
def test_digits_and_signs_in_every_search(services, phone_book, text):
    expected = expected_ids(phone_book, text)
    for entry, found in found_by_every_entry_point(services, text).items():
        blank_at_the_till = entry == "checkout" and not text.strip()  # the till lists nobody until you type
        assert found == (set() if blank_at_the_till else expected), (entry, text)
    assert services.client_list.count(ClientListQuery(text=text)) == len(expected)
    assert services.client_list.count_up_to(ClientListQuery(text=text)) == len(expected)
    check_in = CheckInService(services.db, services.workstation)
    try:
        check_in.identify(text, "Nummera")
    except NotIdentifiedError:
        pass
