"""The checkout shop with a client in two categories and five sales today, one of them cancelled (statistics)."""

from __future__ import annotations

from checkout_shop import MANAGER_PIN, Shop, add_staff, make_shop

from salon_desk.models import PaymentMethod
from salon_desk.services.staff.approval import ApprovalPurpose
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData

CASH = Payment(PaymentMethod.CASH)


def sell(services: Services, client: int | None, *items: int) -> int:
    """Complete a cash sale of one of each item; its id."""
    return services.checkout.complete(client, Cart(tuple(CartLine(i) for i in items)), CASH).id


def make_statistics_shop(services: Services) -> Shop:
    """The checkout shop, plus Dora (no group) in Student/in and VIP-Club, and five sales today.

    1. Anna (Club, Student/in): haircut at the group price 39,90 − 10 % = 35,91 (VAT 5,73)
    2. Dora: haircut 49,00 − 15 % VIP-Club = 41,65 and shampoo 12,90 − 10 % Student/in = 11,61:
       53,26 (VAT 8,50), discounts 7,35 (VIP-Club) + 1,29 (Student/in)
    3. Carla (no group, no category): shampoo 12,90 (VAT 2,06)
    4. Ben (Student/in; his VIP-Club expired): book 20,00 − 10 % = 18,00, cancelled afterwards
    5. nobody: gift voucher 50,00 at 0 %
    The manager stays signed in.
    """
    shop = make_shop(services)
    dora = services.clients.create(
        ClientData(first_name="Dora", last_name="Kaiser"),
        CategoryChanges((MembershipData(shop.student), MembershipData(shop.vip))),
    )[0].id
    shop.dora = dora  # type: ignore[attr-defined]
    add_staff(services, shop)
    sell(services, shop.anna, shop.cut)
    sell(services, dora, shop.cut, shop.shampoo)
    sell(services, shop.carla, shop.shampoo)
    cancelled = sell(services, shop.ben, shop.book)
    sell(services, None, shop.voucher)
    approval = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Wrong item", purpose=ApprovalPurpose.CANCEL_SALE, subject=cancelled
    )
    services.checkout.cancel(cancelled, approval)
    return shop
