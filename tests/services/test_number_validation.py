"""Numbers a service refuses with a message naming the field, on SQLite and PostgreSQL (``services.numbers``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from salon_desk.errors import ValidationError
from salon_desk.kinds import ItemKind
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.groups.groups import GroupData

ODD = [Decimal("1E+30"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
       Decimal("1.234"), Decimal("-1"), 1.5, "12", True]  # fmt: skip


@pytest.fixture
def item(services):
    return services.catalog.create_item(ItemData(name="Schnitt", kind=ItemKind.SERVICE, price=Decimal("30")))[0]


def offer(item_id: int, **amount: object) -> OfferData:
    return OfferData(
        name="Herbst", item_ids=frozenset({item_id}), starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31),
        **amount,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize("value", ODD, ids=repr)
def test_odd_numbers_are_refused_by_field(services, item, value):
    group = services.groups.create(GroupData(name=f"Club {value!r}"))[0]
    cases = [
        ("price", lambda: services.catalog.create_item(ItemData(name="X", kind=ItemKind.PRODUCT, price=value))),
        ("offer_price", lambda: services.catalog.create_offer(offer(item.id, offer_price=value))),
        ("percent_off", lambda: services.catalog.create_offer(offer(item.id, percent_off=value))),
        ("price", lambda: services.groups.set_price(group.id, item.id, value)),
    ]
    for field, call in cases:
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.field == field
    assert services.groups.prices(group.id) == {}  # nothing was stored
    assert [i.name for i in services.catalog.list_items()] == ["Schnitt"]
    assert services.catalog.list_offers() == []
