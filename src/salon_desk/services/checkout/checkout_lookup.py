"""What the checkout window looks up: the sellable catalogue, clients by search, the client's categories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from salon_desk.i18n import _
from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.models import CatalogItem, Category, Client, ClientCategory, CustomerGroup
from salon_desk.textindex import fold
from salon_desk.services.checkout.checkout_store import client_display_name, restrictions
from salon_desk.services.common import require
from salon_desk.services.clients.search import dialect_of, match_condition


@dataclass(frozen=True)
class SellableItem:
    """A catalogue item the checkout can add; ``restricted`` when the current client may not buy it."""

    id: int
    name: str
    kind: ItemKind
    price: Decimal
    vat_rate: Decimal
    no_discounts: bool
    restricted: bool


@dataclass(frozen=True)
class MembershipView:
    """One of the client's categories as the checkout shows it."""

    category_id: int
    name: str
    color: str
    icon: str
    percent: Decimal | None
    scope: DiscountScope
    applies_to_offers: bool
    valid_until: date | None
    expired: bool


@dataclass(frozen=True)
class CheckoutClient:
    """The client being served: name, group and categories with their discounts."""

    id: int
    name: str
    group_id: int | None
    group_name: str
    memberships: tuple[MembershipView, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ClientHit:
    """A client found by the checkout's search."""

    id: int
    name: str
    detail: str


def find_clients(session: Session, text: str, limit: int) -> list[ClientHit]:
    """Clients the text index finds for ``text``, by name, with phone or email as a hint."""
    if not text.strip():
        return []
    rows = session.execute(
        select(Client.id, Client.first_name, Client.last_name, Client.phone, Client.email)
        .where(match_condition(dialect_of(session), text))
        .order_by(Client.sort_name, Client.id)
        .limit(limit)
    )
    return [
        ClientHit(client_id, " ".join(p for p in (first, last) if p), phone or email)
        for client_id, first, last, phone, email in rows
    ]


def load_client(session: Session, client_id: int, today: date) -> CheckoutClient:
    """The client with group and categories, most valuable discount first, expired ones marked."""
    client = require(session.get(Client, client_id), _("The client"))
    assert isinstance(client, Client)
    group = session.get(CustomerGroup, client.group_id) if client.group_id else None
    rows = session.execute(
        select(Category, ClientCategory.valid_until)
        .join(ClientCategory, ClientCategory.category_id == Category.id)
        .where(ClientCategory.client_id == client_id)
        .order_by(Category.discount_percent.desc().nulls_last(), Category.name_key)
    ).all()
    memberships = tuple(_membership_view(category, until, today) for category, until in rows)
    return CheckoutClient(
        client.id, client_display_name(client), client.group_id, group.name if group else "", memberships
    )


def _membership_view(category: Category, until: date | None, today: date) -> MembershipView:
    return MembershipView(
        category_id=category.id,
        name=category.name,
        color=category.color,
        icon=category.icon,
        percent=category.discount_percent,
        scope=category.discount_scope,
        applies_to_offers=category.applies_to_offers,
        valid_until=until,
        expired=until is not None and until < today,
    )


def sellable_items(session: Session, client_id: int | None) -> list[SellableItem]:
    """Active items, services first; ``restricted`` when this client may not buy the item."""
    group_id = session.scalar(select(Client.group_id).where(Client.id == client_id)) if client_id else None
    items = list(session.scalars(select(CatalogItem).where(CatalogItem.active.is_(True))))
    # Sorted like the client list (Ö with O, ß with ss), not by code point as SQL would; the catalogue is short.
    items.sort(key=lambda item: (item.kind != ItemKind.SERVICE, fold(item.name), item.id))
    allowed = restrictions(session, {i.id for i in items})
    return [
        SellableItem(
            id=item.id,
            name=item.name,
            kind=item.kind,
            price=item.price,
            vat_rate=item.vat_rate,
            no_discounts=item.no_discounts,
            restricted=bool(allowed.get(item.id)) and group_id not in allowed[item.id],
        )
        for item in items
    ]
