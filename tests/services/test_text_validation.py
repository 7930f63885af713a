"""One cleaning of every name and free-text field (``services.text``), on SQLite and PostgreSQL.

SQLite would store anything; PostgreSQL refused too long or NUL-carrying text with a
database error. Both now give the same clear message naming the field, and the same
name typed in two Unicode forms, or hidden behind invisible characters, is one name.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest

from salon_desk.errors import ValidationError
from salon_desk.kinds import ItemKind
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData

INVISIBLE = "\u200b\u200d\ufeff\u2060\u200e"


def refused(call, field: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.field == field
    return error.value.message


def test_a_name_in_two_unicode_forms_is_one_name(services):
    composed = unicodedata.normalize("NFC", "Müller-Rabatt")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    services.categories.create(CategoryData(name=composed))
    assert "already" in refused(lambda: services.categories.create(CategoryData(name=decomposed)), "name")
    client = services.clients.create(ClientData(first_name="Jürgen", last_name=unicodedata.normalize("NFD", "Müller")))
    assert client[0].data.last_name == composed[:6]
    assert services.search.client_ids("müller") == [client[0].id]


def test_names_of_invisible_characters_only_are_empty(services):
    assert refused(lambda: services.categories.create(CategoryData(name=INVISIBLE)), "name")
    assert refused(lambda: services.groups.create(GroupData(name=INVISIBLE)), "name")
    assert refused(lambda: services.recipients.create(INVISIBLE), "name")
    item = ItemData(name=INVISIBLE, kind=ItemKind.SERVICE, price=Decimal("10"))
    assert refused(lambda: services.catalog.create_item(item), "name")
    assert refused(lambda: services.clients.create(ClientData(first_name=INVISIBLE, last_name="\x07")), "last_name")
    category = services.categories.create(CategoryData(name=f"Stu{INVISIBLE}dent\tin"))[0]
    assert category.name == "Student in"


def test_control_and_nul_characters_are_removed_and_line_breaks_kept_in_notes(services):
    card, _ = services.clients.create(ClientData(last_name="Nul\x00l", notes="first line\r\nsecond\x00 line\x1b"))
    stored = services.clients.get(card.id).data
    assert (stored.last_name, stored.notes) == ("Null", "first line\nsecond line")


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "a" * 250 + "@x.de"), ("street", "S" * 201), ("postal_code", "1" * 21), ("city", "C" * 101)],
)
def test_too_long_contact_fields_are_refused_by_name(services, field, value):
    data = ClientData(last_name="Lang", **{field: value})
    refused(lambda: services.clients.create(data), field)
    assert services.search.count("lang") == 0  # nothing was stored


def test_too_long_offer_name_is_refused_by_name(services):
    item = services.catalog.create_item(ItemData(name="Schnitt", kind=ItemKind.SERVICE, price=Decimal("30")))[0]
    offer = OfferData(
        name="O" * 101, item_ids=frozenset({item.id}), starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31),
        percent_off=Decimal("10"),
    )  # fmt: skip
    refused(lambda: services.catalog.create_offer(offer), "name")


@pytest.mark.parametrize("email", ["a@b..de", "<script>alert(1)</script>@x.de", "anna@example", "a b@x.de", "anna@@x.de"])
def test_odd_email_addresses_are_refused(services, email):
    refused(lambda: services.clients.create(ClientData(last_name="Mail", email=email)), "email")


def test_good_email_addresses_pass_and_a_trailing_line_break_is_dropped(services):
    for email in ("anna.mueller@example.de", "a+salon@mail.example.co.uk", "x_y-z@sub-domain.example.org",
                  "anna.schü@beispiel.de"):  # fmt: skip
        assert services.clients.create(ClientData(last_name="Mail", email=email))[0].data.email == email
    assert services.clients.create(ClientData(last_name="Mail", email="a@x.de\n"))[0].data.email == "a@x.de"


def test_patterns_match_the_whole_text(services):
    refused(lambda: services.staff.create_first_manager("Anna", "1234\n"), "pin")
    refused(lambda: services.categories.create(CategoryData(name="Farbe", color="#123456\n")), "color")
    refused(lambda: services.clients.create(ClientData(last_name="Tel", phone="0171 1234\nx")), "phone")


def test_birthdays_before_1900_or_in_the_future_are_refused(services):
    refused(lambda: services.clients.create(ClientData(last_name="Alt", birthday=date(1899, 12, 31))), "birthday")
    refused(lambda: services.clients.create(ClientData(last_name="Neu", birthday=date(2999, 1, 1))), "birthday")
    assert services.clients.create(ClientData(last_name="Ok", birthday=date(1900, 1, 1)))[0].data.birthday


def test_group_passwords_of_blanks_only_are_refused(services):
    data = GroupData(name="Club", self_assignable=True, password="      ")
    assert "blanks" in refused(lambda: services.groups.create(data), "password")
