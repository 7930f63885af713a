"""Customer groups (DESIGN §5): prices, passwords as hashes, self-assignment lock-out; recipient lists."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from salon_desk.errors import LockedError, ValidationError
from salon_desk.kinds import ItemKind
from salon_desk.models import CustomerGroup, GroupJoinAttempt, utcnow
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData, WrongPasswordError


@pytest.fixture
def item(services):
    return services.catalog.create_item(ItemData(name="Damenhaarschnitt", kind=ItemKind.SERVICE, price=Decimal("49")))[
        0
    ]


def test_group_names_unique_and_required(services):
    services.groups.create(GroupData(name="Stammkundenclub"))
    for name in (" stammkundenCLUB ", "  "):
        with pytest.raises(ValidationError) as error:
            services.groups.create(GroupData(name=name))
        assert error.value.field == "name"


def test_group_prices_set_change_and_clear(services, item):
    group, _ = services.groups.create(GroupData(name="Firma"))
    services.groups.set_price(group.id, item.id, Decimal("39.90"))
    assert services.groups.prices(group.id) == {item.id: Decimal("39.90")}
    services.groups.set_price(group.id, item.id, Decimal("35"))
    assert services.groups.prices(group.id)[item.id] == Decimal("35.00")
    services.groups.set_price(group.id, item.id, None)
    assert services.groups.prices(group.id) == {}


@pytest.mark.parametrize("price", [Decimal("-1"), Decimal("1.005"), Decimal("NaN")])
def test_wrong_group_price_is_refused(services, item, price):
    group, _ = services.groups.create(GroupData(name="Firma"))
    with pytest.raises(ValidationError) as error:
        services.groups.set_price(group.id, item.id, price)
    assert error.value.field == "price"
    assert services.groups.prices(group.id) == {}


def test_password_is_stored_only_as_a_salted_hash(services):
    first, _ = services.groups.create(GroupData(name="A", self_assignable=True, password="geheim123"))
    second, _ = services.groups.create(GroupData(name="B", self_assignable=True, password="geheim123"))
    with services.db.read() as session:
        hashes = [session.get(CustomerGroup, g.id).password_hash for g in (first, second)]
    assert all(h.startswith("$argon2") and "geheim123" not in h for h in hashes)
    assert hashes[0] != hashes[1]  # salted
    assert first.has_password


def test_password_kept_changed_or_removed(services):
    group, _ = services.groups.create(GroupData(name="Club", self_assignable=True, password="alt-1234"))
    group, _ = services.groups.update(group.id, group.version, GroupData(name="Club", self_assignable=True))
    assert group.has_password
    group, _ = services.groups.update(
        group.id, group.version, GroupData(name="Club", self_assignable=True, password="")
    )
    assert not group.has_password
    with pytest.raises(ValidationError) as error:
        services.groups.update(group.id, group.version, GroupData(name="Club", password="abc"))
    assert error.value.field == "password"


def test_self_assignment_with_password(services):
    group, _ = services.groups.create(GroupData(name="Club", self_assignable=True, password="pass-2026"))
    client, _ = services.clients.create(ClientData(last_name="Self"))
    with pytest.raises(WrongPasswordError):
        services.groups.join(client.id, group.id, "wrong")
    assert services.clients.get(client.id).data.group_id is None
    services.groups.join(client.id, group.id, "pass-2026")
    assert services.clients.get(client.id).data.group_id == group.id


def test_group_not_self_assignable_is_refused(services):
    group, _ = services.groups.create(GroupData(name="Closed"))
    client, _ = services.clients.create(ClientData(last_name="Self"))
    with pytest.raises(ValidationError):
        services.groups.join(client.id, group.id)


def test_five_wrong_passwords_lock_the_client_for_fifteen_minutes(services):
    group, _ = services.groups.create(GroupData(name="Club", self_assignable=True, password="pass-2026"))
    client, _ = services.clients.create(ClientData(last_name="Lock"))
    other, _ = services.clients.create(ClientData(last_name="Other"))
    for _ in range(4):
        with pytest.raises(WrongPasswordError):
            services.groups.join(client.id, group.id, "nope")
    with pytest.raises(LockedError) as locked:
        services.groups.join(client.id, group.id, "nope")
    assert "15 minutes" in locked.value.message
    with pytest.raises(LockedError):  # even the right password waits
        services.groups.join(client.id, group.id, "pass-2026")
    services.groups.join(other.id, group.id, "pass-2026")  # other clients are not affected
    with services.db.transaction() as session:
        session.get(GroupJoinAttempt, client.id).locked_until = utcnow() - timedelta(seconds=1)
    services.groups.join(client.id, group.id, "pass-2026")
    assert services.clients.get(client.id).data.group_id == group.id


def test_twelve_guesses_spread_over_three_clients_lock_the_group(services):
    group, _ = services.groups.create(GroupData(name="Club", self_assignable=True, password="pass-2026"))
    guessers = [services.clients.create(ClientData(last_name=f"Rater {n}"))[0] for n in range(3)]
    honest, _ = services.clients.create(ClientData(last_name="Ehrlich"))
    answers = []
    for guess in range(12):  # four each: no single client reaches its own limit of five
        with pytest.raises((WrongPasswordError, LockedError)) as error:
            services.groups.join(guessers[guess % 3].id, group.id, f"rate-{guess}")
        answers.append(type(error.value).__name__)
    assert answers == ["WrongPasswordError"] * 11 + ["LockedError"]
    with pytest.raises(LockedError) as locked:  # the group is locked for everyone a while
        services.groups.join(honest.id, group.id, "pass-2026")
    assert "15 minutes" in locked.value.message
    assert services.clients.get(honest.id).data.group_id is None


def test_deleting_a_group_keeps_its_members(services):
    group, _ = services.groups.create(GroupData(name="Weg"))
    client, _ = services.clients.create(ClientData(last_name="Bleibt", group_id=group.id))
    assert services.groups.list()[0].member_count == 1
    services.groups.delete(group.id)
    assert services.clients.get(client.id).data.group_id is None


def test_the_groups_for_a_chooser_come_by_name_without_counting_members(services):
    club, _ = services.groups.create(GroupData(name="Zirkel"))
    services.groups.create(GroupData(name="Abo"))
    services.clients.create(ClientData(last_name="Mitglied", group_id=club.id))
    assert [(g.name, g.member_count) for g in services.groups.list()] == [("Abo", 0), ("Zirkel", 1)]
    assert [(g.name, g.member_count) for g in services.groups.list(counts=False)] == [("Abo", 0), ("Zirkel", 0)]


def test_recipient_groups(services):
    info, _ = services.recipients.create("Newsletter Herbst")
    clients = [services.clients.create(ClientData(last_name=n))[0].id for n in ("Zander", "Adler", "Müller")]
    assert services.recipients.add_members(info.id, clients + [clients[0]]) == 3
    assert services.recipients.add_members(info.id, clients) == 0
    assert services.recipients.members(info.id) == [clients[1], clients[2], clients[0]]  # by name
    services.recipients.remove_members(info.id, [clients[1]])
    assert [g.member_count for g in services.recipients.list()] == [2]
    services.recipients.rename(info.id, "Newsletter Winter")
    with pytest.raises(ValidationError):
        services.recipients.create(" newsletter winter")
    services.recipients.delete(info.id)
    assert services.recipients.list() == []
    assert services.clients.get(clients[0]).data.last_name == "Zander"
