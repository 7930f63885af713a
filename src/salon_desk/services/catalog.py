"""Catalogue items (services and products), group restrictions and special offers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, insert, select

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.kinds import ItemKind
from salon_desk.models import CatalogItem, CustomerGroup, ItemGroupRestriction, SpecialOffer, SpecialOfferItem
from salon_desk.services.common import Changes, Service, check_version, require
from salon_desk.services.groups import validate_price

VAT_RATES = (Decimal("19"), Decimal("7"), Decimal("0"))


@dataclass(frozen=True)
class ItemData:
    """A catalogue item as the editor submits it."""

    name: str
    kind: ItemKind
    price: Decimal
    vat_rate: Decimal = Decimal("19")
    no_discounts: bool = False
    active: bool = True
    restricted_to: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ItemInfo(ItemData):
    """A saved catalogue item."""

    id: int = 0
    version: int = 0


@dataclass(frozen=True)
class OfferData:
    """A special offer: an offer price or a percentage off, for items, between two dates (inclusive)."""

    name: str
    item_ids: frozenset[int]
    starts_on: date
    ends_on: date
    offer_price: Decimal | None = None
    percent_off: Decimal | None = None


def validate_item(data: ItemData) -> ItemData:
    """Cleaned item data or a ValidationError naming the field."""
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError(_("Please enter a name for the item."), "name")
    if len(name) > 100:
        raise ValidationError(_("The name may have at most 100 characters."), "name")
    validate_price(data.price)
    if data.vat_rate not in VAT_RATES:
        raise ValidationError(_("The VAT rate must be 19 %, 7 % or 0 %."), "vat_rate")
    return replace(data, name=name)


def validate_offer(data: OfferData) -> OfferData:
    """Cleaned offer data or a ValidationError naming the field."""
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError(_("Please enter a name for the offer."), "name")
    if not data.item_ids:
        raise ValidationError(_("Choose at least one item for the offer."), "item_ids")
    if data.ends_on < data.starts_on:
        raise ValidationError(_("The offer cannot end before it starts."), "ends_on")
    if (data.offer_price is None) == (data.percent_off is None):
        raise ValidationError(_("Enter either an offer price or a percentage off."), "offer_price")
    if data.offer_price is not None:
        validate_price(data.offer_price, "offer_price")
    if data.percent_off is not None and not (Decimal("0.01") <= data.percent_off <= Decimal("100")):
        raise ValidationError(_("The percentage off must be between 0.01 and 100."), "percent_off")
    return replace(data, name=name)


def _item_info(item: CatalogItem, restricted: frozenset[int]) -> ItemInfo:
    return ItemInfo(
        id=item.id,
        version=item.version,
        name=item.name,
        kind=item.kind,
        price=item.price,
        vat_rate=item.vat_rate,
        no_discounts=item.no_discounts,
        active=item.active,
        restricted_to=restricted,
    )


class CatalogService(Service):
    """Create and edit catalogue items and special offers."""

    def list_items(self, include_inactive: bool = True) -> list[ItemInfo]:
        """Catalogue items by kind and name, with their group restrictions."""
        with self.db.read() as session:
            restrictions: dict[int, set[int]] = {}
            for item_id, group_id in session.execute(
                select(ItemGroupRestriction.item_id, ItemGroupRestriction.group_id)
            ):
                restrictions.setdefault(item_id, set()).add(group_id)
            query = select(CatalogItem).order_by(CatalogItem.kind, CatalogItem.name)
            if not include_inactive:
                query = query.where(CatalogItem.active.is_(True))
            return [_item_info(i, frozenset(restrictions.get(i.id, ()))) for i in session.scalars(query)]

    def create_item(self, data: ItemData) -> tuple[ItemInfo, Changes]:
        """Save a new catalogue item."""
        clean = validate_item(data)
        with self.transaction(_("The catalogue item")) as session:
            item = CatalogItem(
                name=clean.name,
                kind=clean.kind,
                price=clean.price,
                vat_rate=clean.vat_rate,
                no_discounts=clean.no_discounts,
                active=clean.active,
            )
            session.add(item)
            session.flush()
            self._restrict(session, item.id, clean.restricted_to)
            return _item_info(item, clean.restricted_to), Changes(catalog=frozenset({item.id}))

    def update_item(self, item_id: int, version: int | None, data: ItemData) -> tuple[ItemInfo, Changes]:
        """Save changes to an item loaded at ``version``."""
        clean = validate_item(data)
        with self.transaction(_("The catalogue item")) as session:
            item = require(session.get(CatalogItem, item_id), _("The catalogue item"))
            assert isinstance(item, CatalogItem)
            check_version(item, version, _("The item “{name}”").format(name=item.name))
            for name in ("name", "kind", "price", "vat_rate", "no_discounts", "active"):
                setattr(item, name, getattr(clean, name))
            self._restrict(session, item_id, clean.restricted_to)
            session.flush()
            return _item_info(item, clean.restricted_to), Changes(catalog=frozenset({item_id}))

    def create_offer(self, data: OfferData) -> tuple[int, Changes]:
        """Save a new special offer; returns its id."""
        clean = validate_offer(data)
        with self.transaction(_("The special offer")) as session:
            offer = SpecialOffer(
                name=clean.name,
                starts_on=clean.starts_on,
                ends_on=clean.ends_on,
                offer_price=clean.offer_price,
                percent_off=clean.percent_off,
            )
            session.add(offer)
            session.flush()
            known = set(session.scalars(select(CatalogItem.id).where(CatalogItem.id.in_(clean.item_ids))))
            if known != set(clean.item_ids):
                raise ValidationError(_("An item of the offer no longer exists."), "item_ids")
            session.execute(insert(SpecialOfferItem), [{"offer_id": offer.id, "item_id": i} for i in sorted(known)])
            return offer.id, Changes(catalog=frozenset(known))

    def _restrict(self, session, item_id: int, group_ids: frozenset[int]) -> None:  # type: ignore[no-untyped-def]
        session.execute(delete(ItemGroupRestriction).where(ItemGroupRestriction.item_id == item_id))
        if not group_ids:
            return
        known = set(session.scalars(select(CustomerGroup.id).where(CustomerGroup.id.in_(group_ids))))
        if known != set(group_ids):
            raise ValidationError(_("A group chosen for the restriction no longer exists."), "restricted_to")
        session.execute(insert(ItemGroupRestriction), [{"item_id": item_id, "group_id": g} for g in sorted(known)])
