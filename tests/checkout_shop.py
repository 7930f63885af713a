"""A small salon for checkout tests: items, an offer, a group with prices, discounted categories, clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.models.staff import Role
from salon_desk.services import Actor, Services
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.groups.groups import GroupData
from salon_desk.services.staff.staff import StaffData

MANAGER_PIN = "4711"
CASHIER_PIN = "1234"


@dataclass
class Shop:
    """Ids of everything the checkout tests sell and sell to."""

    cut: int  # service 49,00 € (19 %), group price 39,90 € for the club
    shampoo: int  # product 12,90 € (19 %)
    book: int  # product 20,00 € (7 %)
    voucher: int  # no discounts, 50,00 € (0 %)
    colour: int  # service 80,00 €, offer 60,00 € today
    club_treatment: int  # service 30,00 €, restricted to the club
    club: int
    student: int  # 10 % on everything
    vip: int  # 15 % on services, also on offers
    anna: int  # club member, Student
    ben: int  # no group, VIP (expired) and Student
    carla: int  # no group, no categories
    manager_id: int = 0
    cashier_id: int = 0


def make_shop(services: Services) -> Shop:
    """Create the salon; the workstation stays signed in as Salon Desk itself."""
    item = services.catalog.create_item

    def add(name: str, kind: ItemKind, price: str, vat: str = "19", no_discounts: bool = False) -> int:
        data = ItemData(name=name, kind=kind, price=Decimal(price), vat_rate=Decimal(vat), no_discounts=no_discounts)
        return item(data)[0].id

    cut = add("Haircut", ItemKind.SERVICE, "49.00")
    shampoo = add("Shampoo", ItemKind.PRODUCT, "12.90")
    book = add("Hair book", ItemKind.PRODUCT, "20.00", "7")
    voucher = add("Gift voucher", ItemKind.PRODUCT, "50.00", "0", no_discounts=True)
    colour = add("Colour", ItemKind.SERVICE, "80.00")
    club = services.groups.create(GroupData(name="Club"))[0].id
    treatment = services.catalog.create_item(
        ItemData(name="Club treatment", kind=ItemKind.SERVICE, price=Decimal("30.00"), restricted_to=frozenset({club}))
    )[0].id
    services.groups.set_price(club, cut, Decimal("39.90"))
    today = date.today()
    services.catalog.create_offer(
        OfferData(
            name="Colour week",
            item_ids=frozenset({colour}),
            starts_on=today - timedelta(days=3),
            ends_on=today + timedelta(days=3),
            offer_price=Decimal("60.00"),
        )
    )
    student = _category(services, "Student/in", "10", DiscountScope.BOTH, False)
    vip = _category(services, "VIP-Club", "15", DiscountScope.SERVICES, True)
    anna = _client(services, "Anna", "Müller", club, [MembershipData(student)])
    ben = _client(
        services,
        "Ben",
        "Schmidt",
        None,
        [MembershipData(student), MembershipData(vip, valid_until=today - timedelta(days=1))],
    )
    carla = _client(services, "Carla", "Weber", None, [])
    return Shop(cut, shampoo, book, voucher, colour, treatment, club, student, vip, anna, ben, carla)


def _category(services: Services, name: str, percent: str, scope: DiscountScope, offers: bool) -> int:
    data = CategoryData(name=name, discount_percent=Decimal(percent), discount_scope=scope, applies_to_offers=offers)
    return services.categories.create(data)[0].id


def _client(services: Services, first: str, last: str, group: int | None, memberships: list[MembershipData]) -> int:
    data = ClientData(first_name=first, last_name=last, group_id=group)
    return services.clients.create(data, CategoryChanges(tuple(memberships)))[0].id


def add_staff(services: Services, shop: Shop) -> None:
    """A manager (PIN 4711) and a cashier (PIN 1234)."""
    services.workstation.actor = services.staff.create_first_manager("Maria Manager", MANAGER_PIN)
    shop.manager_id = services.workstation.actor.staff_id or 0
    shop.cashier_id = services.staff.create(StaffData(name="Cem Cashier", role=Role.CASHIER), CASHIER_PIN)[0].id


def sign_in_cashier(services: Services, shop: Shop) -> Actor:
    """Sign the cashier in at the workstation."""
    services.workstation.actor = services.staff.sign_in(shop.cashier_id, CASHIER_PIN)
    return services.workstation.actor
