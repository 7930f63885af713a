"""The group-price grid and recipient-list members as their pages load them."""

from __future__ import annotations

from decimal import Decimal

from salon_desk.kinds import ItemKind
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.groups.groups import GroupData


def test_price_grid_has_items_groups_and_prices(services):
    shampoo = services.catalog.create_item(ItemData("Shampoo", ItemKind.PRODUCT, Decimal("12.90")))[0].id
    cut = services.catalog.create_item(ItemData("Schnitt", ItemKind.SERVICE, Decimal("40")))[0].id
    old = services.catalog.create_item(ItemData("Alt", ItemKind.SERVICE, Decimal("5"), active=False))[0].id
    zebra, _ = services.groups.create(GroupData(name="Zebra"))
    firma, _ = services.groups.create(GroupData(name="Firma"))
    services.groups.set_price(firma.id, cut, Decimal("35.50"))
    services.groups.set_price(zebra.id, shampoo, Decimal("0"))
    grid = services.groups.price_grid()
    assert [(i.id, i.name, i.active) for i in grid.items] == [
        (old, "Alt", False),  # services, then products, each by name
        (cut, "Schnitt", True),
        (shampoo, "Shampoo", True),
    ]
    assert grid.items[2].price == Decimal("12.90") and grid.items[2].kind is ItemKind.PRODUCT
    assert [g.name for g in grid.groups] == ["Firma", "Zebra"]
    assert grid.prices == {(cut, firma.id): Decimal("35.50"), (shampoo, zebra.id): Decimal("0.00")}


def test_recipient_member_rows(services):
    info, _ = services.recipients.create("Newsletter")
    zander = services.clients.create(ClientData(first_name="Zoe", last_name="Zander", email="z@example.de"))[0].id
    adler = services.clients.create(ClientData(last_name="Adler", phone="030 1234"))[0].id
    services.recipients.add_members(info.id, [zander, adler])
    rows = services.recipients.member_rows(info.id)
    assert [(r.id, r.name, r.phone, r.email) for r in rows] == [
        (adler, "Adler", "030 1234", ""),
        (zander, "Zoe Zander", "", "z@example.de"),
    ]
