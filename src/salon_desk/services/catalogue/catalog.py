"""Catalogue items (services and products), group restrictions and special offers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.kinds import ItemKind
from salon_desk.models import (
    CatalogItem,
    CustomerGroup,
    ItemGroupRestriction,
    SaleLine,
    SpecialOffer,
    SpecialOfferItem,
)
from salon_desk.textindex import fold
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import ITEM_FIELDS, OFFER_FIELDS, Action, Entity
from salon_desk.services.numbers import check_percent
from salon_desk.services.text import clean_line, column_length
from salon_desk.services.common import Changes, Service, check_version, require
from salon_desk.services.groups.groups import validate_price
from salon_desk.services.permissions import Permission

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


class OfferState(StrEnum):
    """Where an offer stands on a given day."""

    UPCOMING = "upcoming"
    ACTIVE = "active"
    ENDED = "ended"


def offer_state(starts_on: date, ends_on: date, today: date) -> OfferState:
    """Upcoming before its first day, active from its first to its last day (inclusive), ended after."""
    if today < starts_on:
        return OfferState.UPCOMING
    return OfferState.ACTIVE if today <= ends_on else OfferState.ENDED


@dataclass(frozen=True)
class OfferInfo(OfferData):
    """A saved special offer with its state on the day it was listed for."""

    id: int = 0
    state: OfferState = OfferState.ACTIVE
    version: int = 0


def validate_item(data: ItemData) -> ItemData:
    """Cleaned item data or a ValidationError naming the field."""
    name = clean_line(data.name, "name")
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
    name = clean_line(data.name, "name", column_length(SpecialOffer.name))
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
    if data.percent_off is not None:
        check_percent(data.percent_off, "percent_off", _("The percentage off must be between 0.01 and 100."))
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


def _offer_info(offer: SpecialOffer, item_ids: frozenset[int], today: date) -> OfferInfo:
    return OfferInfo(
        id=offer.id,
        name=offer.name,
        item_ids=item_ids,
        starts_on=offer.starts_on,
        ends_on=offer.ends_on,
        offer_price=offer.offer_price,
        percent_off=offer.percent_off,
        state=offer_state(offer.starts_on, offer.ends_on, today),
        version=offer.version,
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
            query = select(CatalogItem)
            if not include_inactive:
                query = query.where(CatalogItem.active.is_(True))
            items = [_item_info(i, frozenset(restrictions.get(i.id, ()))) for i in session.scalars(query)]
        # Sorted like the client list (Ö with O, ß with ss), not by code point as SQL would; the catalogue is short.
        return sorted(items, key=lambda i: (i.kind.value, fold(i.name), i.id))

    def create_item(self, data: ItemData) -> tuple[ItemInfo, Changes]:
        """Save a new catalogue item."""
        self.require(Permission.EDIT_PRICES)
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
            after = audit.snapshot(item, ITEM_FIELDS)
            audit.record(session, self.actor, Action.CREATE, Entity.ITEM, item.id, after=after)
            self._restrict(session, item.id, clean.restricted_to)
            return _item_info(item, clean.restricted_to), Changes(catalog=frozenset({item.id}))

    def update_item(self, item_id: int, version: int | None, data: ItemData) -> tuple[ItemInfo, Changes]:
        """Save changes to an item loaded at ``version``."""
        self.require(Permission.EDIT_PRICES)
        clean = validate_item(data)
        with self.transaction(_("The catalogue item")) as session:
            item = require(session.get(CatalogItem, item_id), _("The catalogue item"))
            assert isinstance(item, CatalogItem)
            check_version(item, version, _("The item “{name}”").format(name=item.name))
            before = audit.snapshot(item, ITEM_FIELDS)
            for name in ("name", "kind", "price", "vat_rate", "no_discounts", "active"):
                setattr(item, name, getattr(clean, name))
            after = audit.snapshot(item, ITEM_FIELDS)
            if before != after:
                audit.record(session, self.actor, Action.UPDATE, Entity.ITEM, item_id, before, after)
            self._restrict(session, item_id, clean.restricted_to)
            session.flush()
            return _item_info(item, clean.restricted_to), Changes(catalog=frozenset({item_id}))

    def create_offer(self, data: OfferData) -> tuple[int, Changes]:
        """Save a new special offer; returns its id."""
        self.require(Permission.EDIT_OFFERS)
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
            after = audit.snapshot(offer, OFFER_FIELDS) | {"items": known}
            audit.record(session, self.actor, Action.CREATE, Entity.OFFER, offer.id, after=after)
            return offer.id, Changes(catalog=frozenset(known))

    def times_sold(self, item_id: int) -> int:
        """On how many sale lines the item appears (such an item is never deleted, only deactivated)."""
        with self.db.read() as session:
            return session.scalar(select(func.count()).where(SaleLine.item_id == item_id)) or 0

    def delete_item(self, item_id: int) -> tuple[bool, Changes]:
        """Delete an item never sold (True); an item on past sales is deactivated instead (False)."""
        self.require(Permission.EDIT_PRICES)
        with self.transaction(_("The catalogue item")) as session:
            item = require(session.get(CatalogItem, item_id), _("The catalogue item"))
            assert isinstance(item, CatalogItem)
            before = audit.snapshot(item, ITEM_FIELDS)
            sold = session.scalar(select(SaleLine.id).where(SaleLine.item_id == item_id).limit(1)) is not None
            if sold:
                item.active = False
                audit.record(session, self.actor, Action.DEACTIVATE, Entity.ITEM, item_id, before, {"active": False})
            else:
                audit.record(session, self.actor, Action.DELETE, Entity.ITEM, item_id, before=before)
                session.delete(item)  # its group prices, restrictions and offer entries go with it
            return not sold, Changes(catalog=frozenset({item_id}))

    def list_offers(self, today: date | None = None) -> list[OfferInfo]:
        """Every special offer with its items and its state on ``today``, the latest start first."""
        day = today or date.today()
        with self.db.read() as session:
            items: dict[int, set[int]] = {}
            for offer_id, item_id in session.execute(select(SpecialOfferItem.offer_id, SpecialOfferItem.item_id)):
                items.setdefault(offer_id, set()).add(item_id)
            offers = session.scalars(
                select(SpecialOffer).order_by(SpecialOffer.starts_on.desc(), SpecialOffer.name, SpecialOffer.id)
            )
            return [_offer_info(o, frozenset(items.get(o.id, ())), day) for o in offers]

    def update_offer(self, offer_id: int, data: OfferData, version: int | None = None) -> Changes:
        """Save changes to a special offer (its items are replaced by the chosen ones).

        ``version`` is the one the editor loaded: a save over another desk's is refused.
        """
        self.require(Permission.EDIT_OFFERS)
        clean = validate_offer(data)
        with self.transaction(_("The special offer")) as session:
            offer = self._get_offer(session, offer_id)
            check_version(offer, version, _("The special offer “{name}”").format(name=offer.name))
            old = audit.snapshot(offer, OFFER_FIELDS)
            for name in ("name", "starts_on", "ends_on", "offer_price", "percent_off"):
                setattr(offer, name, getattr(clean, name))
            before = set(session.scalars(select(SpecialOfferItem.item_id).where(SpecialOfferItem.offer_id == offer_id)))
            known = set(session.scalars(select(CatalogItem.id).where(CatalogItem.id.in_(clean.item_ids))))
            if known != set(clean.item_ids):
                raise ValidationError(_("An item of the offer no longer exists."), "item_ids")
            session.execute(delete(SpecialOfferItem).where(SpecialOfferItem.offer_id == offer_id))
            session.execute(insert(SpecialOfferItem), [{"offer_id": offer_id, "item_id": i} for i in sorted(known)])
            new = audit.snapshot(offer, OFFER_FIELDS) | {"items": known}
            audit.record(session, self.actor, Action.UPDATE, Entity.OFFER, offer_id, old | {"items": before}, new)
            return Changes(catalog=frozenset(before | known))

    def delete_offer(self, offer_id: int) -> Changes:
        """Delete a special offer; past sales keep the offer name and price they were sold with."""
        self.require(Permission.EDIT_OFFERS)
        with self.transaction(_("The special offer")) as session:
            offer = self._get_offer(session, offer_id)
            items = set(session.scalars(select(SpecialOfferItem.item_id).where(SpecialOfferItem.offer_id == offer_id)))
            before = audit.snapshot(offer, OFFER_FIELDS) | {"items": items}
            audit.record(session, self.actor, Action.DELETE, Entity.OFFER, offer_id, before=before)
            session.delete(offer)
            return Changes(catalog=frozenset(items))

    def _get_offer(self, session: Session, offer_id: int) -> SpecialOffer:
        offer = require(session.get(SpecialOffer, offer_id), _("The special offer"))
        assert isinstance(offer, SpecialOffer)
        return offer

    def _restrict(self, session, item_id: int, group_ids: frozenset[int]) -> None:  # type: ignore[no-untyped-def]
        session.execute(delete(ItemGroupRestriction).where(ItemGroupRestriction.item_id == item_id))
        if not group_ids:
            return
        known = set(session.scalars(select(CustomerGroup.id).where(CustomerGroup.id.in_(group_ids))))
        if known != set(group_ids):
            raise ValidationError(_("A group chosen for the restriction no longer exists."), "restricted_to")
        session.execute(insert(ItemGroupRestriction), [{"item_id": item_id, "group_id": g} for g in sorted(known)])
