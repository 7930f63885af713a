"""The check-in (DESIGN §5): identification that reveals nothing, visible offers, joining a group."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from salon_desk.errors import LockedError
from salon_desk.kinds import ItemKind
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.groups.check_in import NOT_FOUND, SHARED, CheckInService, NotIdentifiedError
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData, WrongPasswordError

TODAY = date(2026, 5, 14)


@pytest.fixture
def check_in(services) -> CheckInService:
    return CheckInService(services.db, services.workstation)


def client(services, last: str, phone: str = "", email: str = "", first: str = "", group_id=None) -> int:
    data = ClientData(first_name=first, last_name=last, phone=phone, email=email, group_id=group_id)
    return services.clients.create(data)[0].id


def item(services, name: str, price: str, restricted_to=frozenset(), active: bool = True) -> int:
    data = ItemData(name=name, kind=ItemKind.SERVICE, price=Decimal(price), restricted_to=restricted_to, active=active)
    return services.catalog.create_item(data)[0].id


@pytest.mark.parametrize(
    ("contact", "last_name"),
    [
        ("0171 1234567", "Müller"),
        ("+49 171 1234567", "müller"),
        ("01711234567", "MUELLER"),
        ("0049-171-123 45 67", "  Muller "),
        ("Anna.Mueller@Example.DE", "Müller"),
    ],
)
def test_identified_by_phone_digits_or_email_and_folded_last_name(services, check_in, contact, last_name):
    anna = client(services, "Müller", phone="0171 / 123 45 67", email="anna.mueller@example.de", first="Anna")
    client(services, "Müller", phone="0171 7654321", first="Bernd")
    assert check_in.identify(contact, last_name) == anna


@pytest.mark.parametrize(
    ("contact", "last_name"),
    [
        ("0171 1234567", "Meier"),  # right phone, wrong name
        ("0171 1234568", "Müller"),  # unknown phone
        ("0171 12345", "Müller"),  # only the start of the phone number
        ("anna@example.de", "Müller"),  # unknown email
        ("anna.mueller@example", "Müller"),  # only part of the email
        ("", "Müller"),
        ("0171 1234567", ""),
        ("***", "%"),
    ],
)
def test_every_failure_gets_the_same_message(services, check_in, contact, last_name):
    client(services, "Müller", phone="0171 1234567", email="anna.mueller@example.de")
    with pytest.raises(NotIdentifiedError) as error:
        check_in.identify(contact, last_name)
    assert error.value.message == NOT_FOUND
    assert error.value.field == "contact"


def test_a_shared_phone_needs_the_first_name(services, check_in):
    anna = client(services, "Weber", phone="030 123456", first="Anna")
    ben = client(services, "Weber", phone="030 123456", first="Ben")
    with pytest.raises(NotIdentifiedError) as error:
        check_in.identify("030 123456", "Weber")
    assert (error.value.message, error.value.field) == (SHARED, "first_name")  # both were right: ask, not "not found"
    with pytest.raises(NotIdentifiedError) as error:
        check_in.identify("030 123456", "Meier")
    assert error.value.message == NOT_FOUND  # no hint that the phone is known
    assert check_in.identify("030 123456", "Weber", "anna") == anna
    assert check_in.identify("030 123456", "Weber", "Ben") == ben
    with pytest.raises(NotIdentifiedError):
        check_in.identify("030 123456", "Weber", "Clara")


def test_client_shows_name_and_group(services, check_in):
    group, _ = services.groups.create(GroupData(name="Firma Süd"))
    anna = client(services, "Müller", first="Anna", group_id=group.id)
    shown = check_in.client(anna)
    assert (shown.first_name, shown.group_id, shown.group_name) == ("Anna", group.id, "Firma Süd")


def test_visible_offers_follow_restrictions_dates_and_group_prices(services, check_in):
    club, _ = services.groups.create(GroupData(name="Club"))
    other, _ = services.groups.create(GroupData(name="Andere"))
    cut = item(services, "Schnitt", "40")
    color = item(services, "Farbe", "80")
    members_only = item(services, "Club-Pflege", "30", restricted_to=frozenset({club.id}))
    other_only = item(services, "Andere-Pflege", "30", restricted_to=frozenset({other.id}))
    retired = item(services, "Alt", "30", active=False)
    services.groups.set_price(club.id, color, Decimal("60"))  # below the offer: no offer for members
    every = frozenset({cut, color, members_only, other_only, retired})
    services.catalog.create_offer(OfferData("Mai", every, TODAY, TODAY, percent_off=Decimal(25)))
    services.catalog.create_offer(OfferData("Juni", frozenset({cut}), date(2026, 6, 1), date(2026, 6, 2), Decimal(1)))
    member = client(services, "Club", group_id=club.id)
    guest = client(services, "Gast")

    seen = check_in.visible_offers(member, TODAY)
    assert [(o.item_name, o.regular_price, o.offer_price) for o in seen] == [
        ("Club-Pflege", Decimal("30.00"), Decimal("22.50")),
        ("Schnitt", Decimal("40.00"), Decimal("30.00")),
    ]
    assert [o.item_name for o in check_in.visible_offers(guest, TODAY)] == ["Farbe", "Schnitt"]
    assert check_in.visible_offers(guest, date(2026, 5, 15)) == []


def test_joinable_groups_and_join_with_password_lock_out(services, check_in):
    services.groups.create(GroupData(name="Geschlossen"))
    club, _ = services.groups.create(GroupData(name="Club", self_assignable=True, password="pass-2026"))
    open_group, _ = services.groups.create(GroupData(name="Offen", self_assignable=True, description="Für alle"))
    assert [(g.name, g.has_password, g.description) for g in check_in.joinable_groups()] == [
        ("Club", True, ""),
        ("Offen", False, "Für alle"),
    ]
    anna = client(services, "Anna")
    assert check_in.join(anna, open_group.id).clients == frozenset({anna})
    assert check_in.client(anna).group_name == "Offen"
    for _ in range(4):
        with pytest.raises(WrongPasswordError):
            check_in.join(anna, club.id, "falsch")
    with pytest.raises(LockedError):
        check_in.join(anna, club.id, "falsch")
    with pytest.raises(LockedError):
        check_in.join(anna, club.id, "pass-2026")
    assert check_in.client(anna).group_name == "Offen"
