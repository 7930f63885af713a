"""The search words stored for a client and the prefixes a typed search becomes."""

from __future__ import annotations

import pytest

from salon_desk.textindex import (
    LEAD_MARK,
    client_search_text,
    lead_ranges,
    lead_words,
    phone_digits,
    query_alternatives,
    sort_name,
)


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [
        ("+49 17", "017"),
        ("0049 171 5", "01715"),
        ("0171 5", "01715"),
        ("+43 664", "43664"),
        ("0043 664", "43664"),
        ("030/123", "030123"),
        ("12", "12"),
    ],
)
def test_a_typed_phone_number_is_one_prefix_that_every_way_of_storing_it_holds(typed, prefix):
    assert query_alternatives(typed) == [[prefix]]


@pytest.mark.parametrize("stored", ["+49 171 5555", "0049 171 5555", "0171 5555", "0171/5555"])
def test_a_german_number_is_stored_in_national_and_international_form(stored):
    assert {"01715555", "491715555"} <= set(phone_digits(stored))


def test_letters_and_digits_are_separate_words():
    assert query_alternatives("schmidt3") == [["schmidt", "3"]]
    text = client_search_text("Eva", "Schmidt", "", "eva.schmidt3@gmx.de")
    assert text.split() == ["schmidt", LEAD_MARK, "eva", "3", "gmx", "de"]


@pytest.mark.parametrize(
    ("first", "last", "lead"),
    [
        ("Anna", "Müller", ["muller", "mueller"]),
        ("Anna", "Schmidt", ["schmidt"]),
        ("Jürgen", "", ["jurgen", "juergen"]),
        ("Anna", "von der Heide", ["von"]),
        ("Anna", "(Test)", []),
        ("Ömer", "O'Neill", ["o"]),
    ],
)
def test_lead_words_are_the_word_the_sort_name_starts_with(first, last, lead):
    assert lead_words(first, last) == lead
    assert all(sort_name(first, last).startswith(word) for word in lead[:1])
    stored = client_search_text(first, last, "", "")
    assert stored.split(LEAD_MARK)[0].split() == lead


@pytest.mark.parametrize(
    ("term", "ranges"),
    [
        ("sch", [("sch", "sci")]),
        ("mue", [("mu", "mv")]),
        ("muel", [("muel", "muem"), ("mul", "mum")]),
        ("schoen", [("schoen", "schoeo"), ("schon", "schoo")]),
        ("09", [("09", "0:")]),
        ("aeoeueae", None),
    ],
)
def test_lead_ranges_cover_the_sort_names_an_umlaut_spelling_stands_for(term, ranges):
    assert lead_ranges(term) == ranges


@pytest.mark.parametrize(("first", "last"), [("Anna", "Müller"), ("Jörg", "Schäfer-Öz"), ("Ida", "Mueller")])
def test_every_lead_word_prefix_lies_in_one_of_its_ranges(first, last):
    name = sort_name(first, last)
    for word in lead_words(first, last):
        for end in range(1, len(word) + 1):
            found = lead_ranges(word[:end]) or []
            assert any(low <= name < high for low, high in found), (word[:end], name)
