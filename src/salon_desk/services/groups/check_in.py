"""The client-facing check-in: identify by phone or email plus last name, see offers, join a group.

Every failed identification gets the same message, so the screen never tells whether a
phone number, an email address or a name is known to the salon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from salon_desk.errors import NotFoundError
from salon_desk.i18n import N_, _
from salon_desk.kinds import ItemKind
from salon_desk.models import (
    CatalogItem,
    Client,
    CustomerGroup,
    GroupPrice,
    ItemGroupRestriction,
    SpecialOffer,
    SpecialOfferItem,
)
from salon_desk.pricing import less_percent, round_cents
from salon_desk.services.common import Changes, Service
from salon_desk.services.groups.groups import GroupService
from salon_desk.services.clients import consent_log
from salon_desk.services.clients.consent_log import ConsentSource, Flag
from salon_desk.services.clients.search import dialect_of, match_condition
from salon_desk.textindex import fold, phone_digits, words

NOT_FOUND = N_(
    "We could not find a client card with these details. Please check what you typed, "
    "add your first name if you share a phone number or email address, or ask at the desk."
)
MAX_CANDIDATES = 50
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


SHARED = N_(
    "Several client cards have this phone number or email address and last name. Please add your first name."
)


class NotIdentifiedError(NotFoundError):
    """No single client matches what was typed (always the same message, unless the first name would tell)."""

    def __init__(self, message: str = NOT_FOUND, field: str = "contact") -> None:
        super().__init__(_(message), field)


@dataclass(frozen=True)
class CheckInClient:
    """What the check-in screen shows of the identified client."""

    id: int
    first_name: str
    last_name: str
    group_id: int | None
    group_name: str


@dataclass(frozen=True)
class CheckInConsent:
    """A consent the client may give or take back at the check-in, with the text shown beside it."""

    flag: Flag
    granted: bool
    wording: str


@dataclass(frozen=True)
class OfferLine:
    """One item of an active special offer, priced for the client."""

    offer_id: int
    offer_name: str
    item_id: int
    item_name: str
    kind: ItemKind
    regular_price: Decimal
    offer_price: Decimal
    ends_on: date


@dataclass(frozen=True)
class JoinableGroup:
    """A group clients may join themselves (the password itself never leaves the service)."""

    id: int
    name: str
    description: str
    has_password: bool


def _name_keys(name: str) -> set[str]:
    """The folded forms of a name, with and without umlauts spelled out (Müller = Mueller)."""
    return {" ".join(words(name)), " ".join(words(name.translate(_UMLAUTS)))} - {""}


def _contact_matches(contact: str, client: Client) -> bool:
    """True when ``contact`` is the client's email (ignoring case) or phone (by its digits)."""
    if "@" in contact:
        return bool(client.email) and fold(contact.strip()) == fold(client.email.strip())
    typed = set(phone_digits(contact))
    return bool(typed) and bool(typed & set(phone_digits(client.phone)))


class CheckInService(Service):
    """What the check-in screen may ask: nothing that reveals other clients."""

    def identify(self, contact: str, last_name: str, first_name: str = "") -> int:
        """The id of the one client with this phone or email and last name; NotIdentifiedError otherwise."""
        last_keys, first_keys = _name_keys(last_name), _name_keys(first_name)
        if not last_keys or not words(contact):
            raise NotIdentifiedError()
        with self.db.read() as session:
            matches = [
                client.id
                for client in self._candidates(session, contact, last_name)
                if _contact_matches(contact, client)
                and last_keys & _name_keys(client.last_name)
                and (not first_keys or first_keys & _name_keys(client.first_name))
            ]
        if len(matches) > 1 and not first_keys:
            # Phone (or email) and last name were both right, so asking for the first name reveals nothing new.
            raise NotIdentifiedError(SHARED, "first_name")
        if len(matches) != 1:
            raise NotIdentifiedError()
        return matches[0]

    def _candidates(self, session: Session, contact: str, last_name: str) -> list[Client]:
        """Clients the text index finds for both the contact and the last name (checked exactly later)."""
        dialect = dialect_of(session)
        condition = and_(match_condition(dialect, contact), match_condition(dialect, last_name))
        return list(session.scalars(select(Client).where(condition).order_by(Client.id).limit(MAX_CANDIDATES)))

    def client(self, client_id: int) -> CheckInClient:
        """The identified client's name and group."""
        with self.db.read() as session:
            client = session.get(Client, client_id)
            if client is None:
                raise NotIdentifiedError()
            group = session.get(CustomerGroup, client.group_id) if client.group_id else None
            return CheckInClient(
                id=client.id,
                first_name=client.first_name,
                last_name=client.last_name,
                group_id=client.group_id,
                group_name=group.name if group else "",
            )

    def visible_offers(self, client_id: int, today: date) -> list[OfferLine]:
        """Active offers on ``today`` for items the client may buy, where the offer beats their price."""
        with self.db.read() as session:
            group_id = session.scalar(select(Client.group_id).where(Client.id == client_id))
            restriction = select(ItemGroupRestriction.item_id).where(ItemGroupRestriction.item_id == CatalogItem.id)
            visible = ~restriction.exists()
            if group_id is not None:  # restricted items show only to members of their groups
                visible = or_(visible, restriction.where(ItemGroupRestriction.group_id == group_id).exists())
            rows = session.execute(
                select(SpecialOffer, CatalogItem)
                .join(SpecialOfferItem, SpecialOfferItem.offer_id == SpecialOffer.id)
                .join(CatalogItem, CatalogItem.id == SpecialOfferItem.item_id)
                .where(SpecialOffer.starts_on <= today, SpecialOffer.ends_on >= today)
                .where(CatalogItem.active.is_(True))
                .where(visible)
                .order_by(SpecialOffer.ends_on, SpecialOffer.name, CatalogItem.name, CatalogItem.id)
            ).all()
            group_prices = self._group_prices(session, group_id)
        lines = [_offer_line(offer, item, group_prices.get(item.id, item.price)) for offer, item in rows]
        return [line for line in lines if line.offer_price < line.regular_price]

    def _group_prices(self, session: Session, group_id: int | None) -> dict[int, Decimal]:
        if group_id is None:
            return {}
        rows = session.execute(select(GroupPrice.item_id, GroupPrice.price).where(GroupPrice.group_id == group_id))
        return {item_id: price for item_id, price in rows}

    def joinable_groups(self) -> list[JoinableGroup]:
        """The groups that allow self-assignment, by name."""
        with self.db.read() as session:
            groups = session.scalars(
                select(CustomerGroup).where(CustomerGroup.self_assignable.is_(True)).order_by(CustomerGroup.name_key)
            )
            return [JoinableGroup(g.id, g.name, g.description, g.password_hash is not None) for g in groups]

    def consent_choices(self, client_id: int) -> list[CheckInConsent]:
        """The channels the client has an address for, ticked as they stand, each with the salon's text."""
        with self.db.read() as session:
            client = session.get(Client, client_id)
            if client is None:
                raise NotIdentifiedError()
            present = {Flag.EMAIL: bool(client.email), Flag.SMS: bool(client.phone), Flag.PHONE: bool(client.phone)}
            return [
                CheckInConsent(flag, bool(getattr(client, flag.value)), consent_log.wording(session, flag))
                for flag, has_address in present.items()
                if has_address
            ]

    def record_consent(self, client_id: int, wanted: dict[Flag, bool], shown: dict[Flag, str]) -> Changes:
        """The client's own choices: a record (source "check_in", with the text shown) for each changed one."""
        with self.transaction(_("Your choice")) as session:
            client = session.get(Client, client_id)
            if client is None:
                raise NotIdentifiedError()
            choices = {flag: on for flag, on in wanted.items() if flag is not Flag.EMAIL_EXISTING_CUSTOMER}
            consent_log.check_contact(choices, client.email, client.phone)
            texts = {flag.value: text for flag, text in shown.items()}
            consent_log.apply(session, self.actor, client, choices, ConsentSource.CHECK_IN, texts)
            return Changes(clients=frozenset({client_id}))

    def join(self, client_id: int, group_id: int, password: str = "") -> Changes:
        """Join a self-assignable group; wrong passwords count towards the lock-out (DESIGN §5)."""
        return GroupService(self.db, self.workstation).join(client_id, group_id, password)


def _offer_line(offer: SpecialOffer, item: CatalogItem, regular: Decimal) -> OfferLine:
    if offer.percent_off is not None:
        price = less_percent(item.price, offer.percent_off)
    else:
        price = round_cents(offer.offer_price or Decimal(0))
    return OfferLine(
        offer_id=offer.id,
        offer_name=offer.name,
        item_id=item.id,
        item_name=item.name,
        kind=item.kind,
        regular_price=regular,
        offer_price=price,
        ends_on=offer.ends_on,
    )
