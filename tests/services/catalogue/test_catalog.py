"""The catalogue (DESIGN §6): items, deleting only what was never sold, special offers and their state."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from salon_desk.errors import ConflictError, NotFoundError, ValidationError
from salon_desk.kinds import ItemKind
from salon_desk.models import PaymentMethod, Sale, SaleLine, utcnow
from salon_desk.services.catalogue.catalog import ItemData, OfferData, OfferState, offer_state
from salon_desk.services.groups.groups import GroupData

TODAY = date(2026, 5, 14)


def make_item(services, name: str = "Föhnen", price: str = "25", **fields) -> int:
    data = ItemData(name=name, kind=fields.pop("kind", ItemKind.SERVICE), price=Decimal(price), **fields)
    return services.catalog.create_item(data)[0].id


def sell(services, item_id: int) -> None:
    """A completed sale of one unit of the item, written as the checkout would."""
    now = utcnow()
    with services.db.transaction() as session:
        sale = Sale(
            number=1,
            started_at=now,
            completed_at=now,
            payment_method=PaymentMethod.CASH,
            total_gross=Decimal("25"),
            total_net=Decimal("21.01"),
            total_vat=Decimal("3.99"),
            total_discount=Decimal(0),
        )
        session.add(sale)
        session.flush()
        session.add(
            SaleLine(
                sale_id=sale.id,
                position=1,
                item_id=item_id,
                item_name="Föhnen",
                item_kind=ItemKind.SERVICE,
                quantity=1,
                list_price=Decimal("25"),
                base_price=Decimal("25"),
                price_source="list",
                unit_price=Decimal("25"),
                discount_percent=Decimal(0),
                discount_source="none",
                discount_amount=Decimal(0),
                line_total=Decimal("25"),
                vat_rate=Decimal("19"),
            )
        )


def offer(name: str, items: set[int], start: date, end: date, **price) -> OfferData:
    return OfferData(name=name, item_ids=frozenset(items), starts_on=start, ends_on=end, **price)


def test_items_listed_by_kind_and_name_with_restrictions(services):
    group, _ = services.groups.create(GroupData(name="Firma"))
    make_item(services, "Shampoo", "12.90", kind=ItemKind.PRODUCT, vat_rate=Decimal("19"))
    make_item(services, "Waschen", "8", restricted_to=frozenset({group.id}))
    make_item(services, "Ausblick", "5", active=False)
    listed = services.catalog.list_items()
    assert [i.name for i in listed] == ["Shampoo", "Ausblick", "Waschen"]  # products, then services
    assert listed[2].restricted_to == frozenset({group.id})
    assert [i.name for i in services.catalog.list_items(include_inactive=False)] == ["Shampoo", "Waschen"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"price": Decimal("-0.01")}, "price"),
        ({"price": Decimal("1.234")}, "price"),
        ({"vat_rate": Decimal("16")}, "vat_rate"),
    ],
)
def test_wrong_item_is_refused_naming_the_field(services, fields, field):
    data = {"name": "Färben", "kind": ItemKind.SERVICE, "price": Decimal("60")} | fields
    with pytest.raises(ValidationError) as error:
        services.catalog.create_item(ItemData(**data))
    assert error.value.field == field
    assert services.catalog.list_items() == []


def test_an_unsold_item_is_deleted_with_its_prices_and_offers(services):
    item = make_item(services)
    other = make_item(services, "Legen")
    group, _ = services.groups.create(GroupData(name="Firma"))
    services.groups.set_price(group.id, item, Decimal("20"))
    services.catalog.create_offer(offer("Mai", {item, other}, TODAY, TODAY, percent_off=Decimal(10)))
    assert services.catalog.times_sold(item) == 0
    deleted, changes = services.catalog.delete_item(item)
    assert deleted and changes.catalog == frozenset({item})
    assert [i.id for i in services.catalog.list_items()] == [other]
    assert services.groups.prices(group.id) == {}
    assert services.catalog.list_offers(TODAY)[0].item_ids == frozenset({other})


def test_a_sold_item_is_deactivated_never_deleted(services):
    item = make_item(services)
    sell(services, item)
    assert services.catalog.times_sold(item) == 1
    deleted, _ = services.catalog.delete_item(item)
    assert not deleted
    (kept,) = services.catalog.list_items()
    assert kept.id == item and not kept.active
    with services.db.read() as session:
        assert session.query(SaleLine).one().item_id == item


def test_deleting_a_missing_item_says_so(services):
    with pytest.raises(NotFoundError):
        services.catalog.delete_item(999)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (TODAY - timedelta(days=1), OfferState.UPCOMING),
        (TODAY, OfferState.ACTIVE),
        (TODAY + timedelta(days=6), OfferState.ACTIVE),
        (TODAY + timedelta(days=7), OfferState.ENDED),
    ],
)
def test_offer_state_includes_both_dates(today, state):
    assert offer_state(TODAY, TODAY + timedelta(days=6), today) is state


def test_offers_listed_with_items_and_state(services):
    a, b = make_item(services, "Schnitt"), make_item(services, "Farbe")
    services.catalog.create_offer(offer("Alt", {a}, date(2026, 1, 1), date(2026, 1, 31), offer_price=Decimal("20")))
    services.catalog.create_offer(offer("Jetzt", {a, b}, TODAY, TODAY, percent_off=Decimal("15")))
    services.catalog.create_offer(offer("Bald", {b}, date(2026, 6, 1), date(2026, 6, 30), percent_off=Decimal(5)))
    listed = services.catalog.list_offers(TODAY)
    assert [(o.name, o.state) for o in listed] == [
        ("Bald", OfferState.UPCOMING),
        ("Jetzt", OfferState.ACTIVE),
        ("Alt", OfferState.ENDED),
    ]
    assert listed[1].item_ids == frozenset({a, b}) and listed[1].percent_off == Decimal("15.00")
    assert listed[2].offer_price == Decimal("20.00") and listed[2].percent_off is None


def test_offer_updated_and_deleted(services):
    a, b = make_item(services, "Schnitt"), make_item(services, "Farbe")
    offer_id, _ = services.catalog.create_offer(offer("Mai", {a}, TODAY, TODAY, offer_price=Decimal("20")))
    changes = services.catalog.update_offer(
        offer_id, offer(" Mai  Aktion ", {b}, TODAY, TODAY + timedelta(days=3), percent_off=Decimal("12.5"))
    )
    assert changes.catalog == frozenset({a, b})
    (saved,) = services.catalog.list_offers(TODAY)
    assert (saved.name, saved.item_ids, saved.offer_price, saved.percent_off) == (
        "Mai Aktion",
        frozenset({b}),
        None,
        Decimal("12.50"),
    )
    assert services.catalog.delete_offer(offer_id).catalog == frozenset({b})
    assert services.catalog.list_offers(TODAY) == []
    with pytest.raises(NotFoundError):
        services.catalog.delete_offer(offer_id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"item_ids": frozenset()}, "item_ids"),
        ({"ends_on": TODAY - timedelta(days=1)}, "ends_on"),
        ({"offer_price": Decimal("9"), "percent_off": Decimal("5")}, "offer_price"),
        ({"percent_off": Decimal("101")}, "percent_off"),
        ({"item_ids": frozenset({999})}, "item_ids"),
    ],
)
def test_wrong_offer_update_changes_nothing(services, change, field):
    a = make_item(services)
    offer_id, _ = services.catalog.create_offer(offer("Mai", {a}, TODAY, TODAY, percent_off=Decimal(10)))
    data = {"name": "Mai", "item_ids": frozenset({a}), "starts_on": TODAY, "ends_on": TODAY, "percent_off": None}
    data |= {"percent_off": Decimal(10)} | change
    with pytest.raises(ValidationError) as error:
        services.catalog.update_offer(offer_id, OfferData(**data))
    assert error.value.field == field
    (kept,) = services.catalog.list_offers(TODAY)
    assert (kept.item_ids, kept.percent_off, kept.ends_on) == (frozenset({a}), Decimal("10.00"), TODAY)


def test_a_stale_offer_save_is_refused_and_the_other_desk_keeps_its_change(services):
    item = make_item(services, "Schnitt")
    offer_id, _ = services.catalog.create_offer(offer("Mai", {item}, TODAY, TODAY, offer_price=Decimal("20")))
    (opened,) = services.catalog.list_offers(TODAY)  # both desks open the offer
    first = offer("Mai A", {item}, TODAY, TODAY, offer_price=Decimal("19"))
    services.catalog.update_offer(offer_id, first, opened.version)
    second = offer("Mai B", {item}, TODAY, TODAY, offer_price=Decimal("18"))
    with pytest.raises(ConflictError) as error:
        services.catalog.update_offer(offer_id, second, opened.version)
    assert "another desk" in error.value.message
    (saved,) = services.catalog.list_offers(TODAY)
    assert (saved.name, saved.offer_price, saved.version) == ("Mai A", Decimal("19.00"), opened.version + 1)
