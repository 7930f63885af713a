"""The permission matrix (DESIGN §8), enforced by the services themselves for each role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from helpers_staff import signed_in

from salon_desk.errors import PermissionDeniedError
from salon_desk.kinds import ItemKind
from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData
from salon_desk.services.permissions import Permission, allows, denied_message, roles_with
from salon_desk.services.staff.staff import StaffData

MANAGER_ONLY = "This needs the role Manager."
DESK = "This needs the role Front desk or Manager."


@dataclass
class World:
    category: int
    group: int
    item: int
    offer: int
    client: int
    recipients: int


@pytest.fixture
def world(services: Services) -> World:
    """One record of each kind, created by Salon Desk itself before anyone signs in."""
    category = services.categories.create(CategoryData(name="Treue"))[0]
    group = services.groups.create(GroupData(name="Firma"))[0]
    item = services.catalog.create_item(ItemData(name="Schnitt", kind=ItemKind.SERVICE, price=Decimal("40")))[0]
    offer, _ = services.catalog.create_offer(_offer(item.id))
    client = services.clients.create(ClientData(last_name="Kunde"))[0]
    recipients = services.recipients.create("Newsletter")[0]
    return World(category.id, group.id, item.id, offer, client.id, recipients.id)


def _offer(item_id: int, name: str = "Sommer") -> OfferData:
    return OfferData(name, frozenset({item_id}), date(2026, 6, 1), date(2026, 6, 30), percent_off=Decimal("10"))


def actions(s: Services, w: World) -> list[tuple[str, str, Callable[[], object]]]:
    """(label, message when refused, call) — the deleting calls come last."""
    category = s.categories.get(w.category)
    card = s.clients.get(w.client)
    return [
        ("create category", MANAGER_ONLY, lambda: s.categories.create(CategoryData(name="Neu"))),
        ("edit category", MANAGER_ONLY, lambda: s.categories.update(w.category, category.version,
                                                                     CategoryData(name="Treue 2"))),
        ("create group", MANAGER_ONLY, lambda: s.groups.create(GroupData(name="Verein"))),
        ("group price", MANAGER_ONLY, lambda: s.groups.set_price(w.group, w.item, Decimal("30"))),
        ("create item", MANAGER_ONLY, lambda: s.catalog.create_item(
            ItemData(name="Föhnen", kind=ItemKind.SERVICE, price=Decimal("15")))),
        ("create offer", MANAGER_ONLY, lambda: s.catalog.create_offer(_offer(w.item, "Herbst"))),
        ("edit offer", MANAGER_ONLY, lambda: s.catalog.update_offer(w.offer, _offer(w.item, "Sommer 2"))),
        ("create recipient group", MANAGER_ONLY, lambda: s.recipients.create("VIP-Liste")),
        ("create staff", MANAGER_ONLY, lambda: s.staff.create(StaffData(name="Neu", role=Role.CASHIER), "1234")),
        ("read audit log", MANAGER_ONLY, lambda: s.audit.list()),
        ("create client", DESK, lambda: s.clients.create(ClientData(last_name="Neu"))),
        ("save client", DESK, lambda: s.clients.save(w.client, card.version, ClientData(last_name="Kundin"))),
        ("client group", DESK, lambda: s.clients.set_group([w.client], w.group)),
        ("add to list", DESK, lambda: s.recipients.add_members(w.recipients, [w.client])),
        ("delete offer", MANAGER_ONLY, lambda: s.catalog.delete_offer(w.offer)),
        ("delete item", MANAGER_ONLY, lambda: s.catalog.delete_item(w.item)),
        ("delete group", MANAGER_ONLY, lambda: s.groups.delete(w.group)),
        ("delete category", MANAGER_ONLY, lambda: s.categories.delete(w.category)),
    ]


@pytest.mark.parametrize("role", [Role.CASHIER, Role.FRONT_DESK, Role.MANAGER])
def test_each_role_may_do_exactly_what_the_matrix_allows(services, world, role):
    signed_in(services, role)
    allowed, refused = [], {}
    for label, message, call in actions(services, world):
        try:
            call()
            allowed.append(label)
        except PermissionDeniedError as error:
            refused[label] = error.message
            assert error.message == message, label
    desk = ["create client", "save client", "client group", "add to list"]
    if role is Role.MANAGER:
        assert not refused
    elif role is Role.FRONT_DESK:
        assert allowed == desk
    else:
        assert allowed == []


def test_refused_actions_change_nothing(services, world):
    signed_in(services, Role.CASHIER)
    for _label, _message, call in actions(services, world):
        with pytest.raises(PermissionDeniedError):
            call()
    assert services.categories.get(world.category).name == "Treue"
    assert services.clients.get(world.client).data.last_name == "Kunde"
    assert services.groups.prices(world.group) == {}
    assert [g.name for g in services.groups.list()] == ["Firma"]


def test_salon_desk_itself_may_do_everything(services, world):
    assert services.workstation.actor.role is None
    for _label, _message, call in actions(services, world):
        call()


def test_the_matrix_and_its_messages():
    assert roles_with(Permission.EDIT_CLIENTS) == [Role.FRONT_DESK, Role.MANAGER]
    assert roles_with(Permission.SELL) == [Role.CASHIER, Role.FRONT_DESK, Role.MANAGER]
    assert denied_message(Permission.CANCEL_SALE) == MANAGER_ONLY
    assert denied_message(Permission.EDIT_CLIENTS) == DESK
    assert allows(None, Permission.EDIT_STAFF)
    assert not allows(Role.FRONT_DESK, Permission.EDIT_CATEGORIES)
    assert all(allows(Role.MANAGER, p) for p in Permission)
