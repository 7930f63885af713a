"""Customer groups: group prices, self-assignment with an optional password and its lock-out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from salon_desk.errors import LockedError, ValidationError
from salon_desk.i18n import _, ngettext
from salon_desk.kinds import ItemKind
from salon_desk.models import (
    CatalogItem,
    Client,
    CustomerGroup,
    GroupJoinAttempt,
    GroupPasswordGuesses,
    GroupPrice,
    utcnow,
)
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.numbers import check_amount
from salon_desk.services.text import clean_block, clean_line
from salon_desk.services.common import check_unique_name, Changes, Service, check_version, name_key, require
from salon_desk.services.permissions import Permission
from salon_desk.services.staff.secrets import hash_secret, verify_secret

MAX_FAILURES = 5
MAX_GROUP_FAILURES = 12
"""Wrong passwords for one group from any clients before it locks: guessing cannot hop from client to client."""
LOCK_MINUTES = 15
NAME_MAX = 60
MIN_PASSWORD = 4


@dataclass(frozen=True)
class GroupData:
    """What the group editor submits; ``password`` None keeps the current one, '' removes it."""

    name: str
    description: str = ""
    self_assignable: bool = False
    password: str | None = None


@dataclass(frozen=True)
class GroupInfo:
    """A saved group as lists show it (the password never leaves the service)."""

    id: int
    version: int
    name: str
    description: str
    self_assignable: bool
    has_password: bool
    member_count: int = 0


def _info(group: CustomerGroup, members: int = 0) -> GroupInfo:
    return GroupInfo(
        id=group.id,
        version=group.version,
        name=group.name,
        description=group.description,
        self_assignable=group.self_assignable,
        has_password=group.password_hash is not None,
        member_count=members,
    )


def validate_group(data: GroupData) -> GroupData:
    """Cleaned data or a ValidationError naming the field."""
    name = clean_line(data.name, "name")
    if not name:
        raise ValidationError(_("Please enter a name for the group."), "name")
    if len(name) > NAME_MAX:
        raise ValidationError(_("The name may have at most {max} characters.").format(max=NAME_MAX), "name")
    if data.password and not data.password.strip():
        raise ValidationError(_("A password of blanks only cannot be told apart; please use letters or digits."), "password")
    if data.password and len(data.password) < MIN_PASSWORD:
        raise ValidationError(
            _("The password must have at least {min} characters.").format(min=MIN_PASSWORD), "password"
        )
    return replace(data, name=name, description=clean_block(data.description, "description"))


def validate_price(price: Decimal, field: str = "price") -> Decimal:
    """A money amount: not negative, at most two decimals (see ``services.numbers``)."""
    return check_amount(price, field)


@dataclass(frozen=True)
class GridItem:
    """A catalogue item as a row of the group-price grid."""

    id: int
    name: str
    kind: ItemKind
    price: Decimal
    active: bool


@dataclass(frozen=True)
class PriceGrid:
    """Items against groups: ``prices[(item_id, group_id)]``; a missing entry means the list price."""

    items: list[GridItem]
    groups: list[GroupInfo]
    prices: dict[tuple[int, int], Decimal]


class GroupService(Service):
    """Create, edit and delete customer groups; their prices; self-assignment."""

    def list(self, *, counts: bool = True) -> list[GroupInfo]:
        """Every group with its member count, by name.

        ``counts=False``: without the counts (0), for choosers such as the card's group
        box. Counting reads every grouped client, 200,000 of 1,000,000 in the benchmarks.
        """
        with self.db.read() as session:
            members: dict[int, int] = {}
            if counts:
                grouped = select(Client.group_id, func.count()).where(Client.group_id.is_not(None))
                members = dict(session.execute(grouped.group_by(Client.group_id)).all())
            groups = session.scalars(select(CustomerGroup).order_by(CustomerGroup.name_key))
            return [_info(g, members.get(g.id, 0)) for g in groups]

    def create(self, data: GroupData) -> tuple[GroupInfo, Changes]:
        """Save a new group."""
        self.require(Permission.EDIT_GROUPS)
        clean = validate_group(data)
        with self.transaction(_("The group")) as session:
            self._check_unique(session, clean.name, None)
            group = CustomerGroup(name=clean.name, name_key=name_key(clean.name))
            self._apply(group, clean)
            session.add(group)
            session.flush()
            audit.record(session, self.actor, Action.CREATE, Entity.GROUP, group.id, after=audit.group_values(group))
            return _info(group), Changes(groups=frozenset({group.id}))

    def update(self, group_id: int, version: int | None, data: GroupData) -> tuple[GroupInfo, Changes]:
        """Save changes to a group loaded at ``version``."""
        self.require(Permission.EDIT_GROUPS)
        clean = validate_group(data)
        with self.transaction(_("The group")) as session:
            group = self._get(session, group_id)
            check_version(group, version, _("The group “{name}”").format(name=group.name))
            self._check_unique(session, clean.name, group_id)
            before = audit.group_values(group)
            group.name, group.name_key = clean.name, name_key(clean.name)
            self._apply(group, clean)
            session.flush()
            audit.record(session, self.actor, Action.UPDATE, Entity.GROUP, group_id, before, audit.group_values(group))
            return _info(group), Changes(groups=frozenset({group_id}), all_clients=True)

    def delete(self, group_id: int) -> Changes:
        """Delete a group: its members keep their data and pay list prices again."""
        self.require(Permission.EDIT_GROUPS)
        with self.transaction(_("The group")) as session:
            group = self._get(session, group_id)
            audit.record(session, self.actor, Action.DELETE, Entity.GROUP, group_id, before=audit.group_values(group))
            session.delete(group)
            return Changes(groups=frozenset({group_id}), all_clients=True)

    def prices(self, group_id: int) -> dict[int, Decimal]:
        """The group's prices by catalogue item id (items without one use the list price)."""
        with self.db.read() as session:
            rows = session.execute(select(GroupPrice.item_id, GroupPrice.price).where(GroupPrice.group_id == group_id))
            return {item_id: price for item_id, price in rows}

    def price_grid(self) -> PriceGrid:
        """Every item (services, then products, by name), every group and all group prices, in three queries."""
        with self.db.read() as session:
            items = [
                GridItem(*row)
                for row in session.execute(
                    select(CatalogItem.id, CatalogItem.name, CatalogItem.kind, CatalogItem.price, CatalogItem.active)
                    .order_by(CatalogItem.kind.desc(), CatalogItem.name, CatalogItem.id)  # services first
                )
            ]
            groups = [_info(g) for g in session.scalars(select(CustomerGroup).order_by(CustomerGroup.name_key))]
            rows = session.execute(select(GroupPrice.item_id, GroupPrice.group_id, GroupPrice.price))
            return PriceGrid(items, groups, {(item_id, group_id): price for item_id, group_id, price in rows})

    def set_price(self, group_id: int, item_id: int, price: Decimal | None) -> Changes:
        """Set the group's price for an item, or remove it with None."""
        self.require(Permission.EDIT_PRICES)
        with self.transaction(_("The group price")) as session:
            self._get(session, group_id)
            item = require(session.get(CatalogItem, item_id), _("The catalogue item"))
            row = session.get(GroupPrice, (group_id, item_id))
            price = validate_price(price) if price is not None else None
            old = row.price if row is not None else None
            if old != price:
                assert isinstance(item, CatalogItem)
                before, after = {"item": item.name, "price": old}, {"item": item.name, "price": price}
                audit.record(session, self.actor, Action.PRICE, Entity.GROUP, group_id, before, after)
            if price is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(GroupPrice(group_id=group_id, item_id=item_id, price=validate_price(price)))
            else:
                row.price = validate_price(price)
            return Changes(groups=frozenset({group_id}), catalog=frozenset({item_id}))

    def join(self, client_id: int, group_id: int, password: str = "") -> Changes:
        """Self-assignment at check-in: checks the password and locks after repeated wrong ones."""
        with self.transaction(_("The group")) as session:
            client = require(session.get(Client, client_id), _("The client"))
            assert isinstance(client, Client)
            group = self._get(session, group_id)
            if not group.self_assignable:
                raise ValidationError(_("This group cannot be joined here. Please ask at the desk."), "group_id")
            attempt = session.get(GroupJoinAttempt, client_id) or GroupJoinAttempt(client_id=client_id, failures=0)
            guesses = session.get(GroupPasswordGuesses, group_id) or GroupPasswordGuesses(group_id=group_id, failures=0)
            session.add_all([attempt, guesses])
            _refuse_if_locked(attempt)
            _refuse_if_locked(guesses)
            wrong = bool(group.password_hash) and not verify_secret(group.password_hash or "", password)
            if wrong:  # committed with this transaction, then reported below
                _record_failure(attempt, MAX_FAILURES)
                _record_failure(guesses, MAX_GROUP_FAILURES)
            else:
                attempt.failures, attempt.locked_until = 0, None
                client.group_id = group_id
        if wrong:
            _refuse_if_locked(attempt)
            _refuse_if_locked(guesses)
            raise WrongPasswordError(_("The password is not correct."), "password")
        return Changes(clients=frozenset({client_id}))

    # -- helpers ------------------------------------------------------------------

    def _get(self, session: Session, group_id: int) -> CustomerGroup:
        group = require(session.get(CustomerGroup, group_id), _("The group"))
        assert isinstance(group, CustomerGroup)
        return group

    def _apply(self, group: CustomerGroup, data: GroupData) -> None:
        group.description = data.description
        group.self_assignable = data.self_assignable
        if data.password is not None:
            group.password_hash = hash_secret(data.password) if data.password else None

    def _check_unique(self, session: Session, name: str, own_id: int | None) -> None:
        check_unique_name(session, CustomerGroup, name, own_id, _("A group named “{name}” already exists."))


def _refuse_if_locked(attempt: GroupJoinAttempt | GroupPasswordGuesses) -> None:
    now = utcnow()
    if attempt.locked_until is not None and attempt.locked_until > now:
        minutes = max(1, int((attempt.locked_until - now).total_seconds() // 60) + 1)
        raise LockedError(
            ngettext(
                "Too many wrong passwords. Please try again in {n} minute or ask at the desk.",
                "Too many wrong passwords. Please try again in {n} minutes or ask at the desk.",
                minutes,
            ).format(n=minutes),
            "password",
        )


def _record_failure(attempt: GroupJoinAttempt | GroupPasswordGuesses, limit: int) -> None:
    attempt.failures = (attempt.failures or 0) + 1
    if attempt.failures >= limit:
        attempt.failures = 0
        attempt.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)


class WrongPasswordError(ValidationError):
    """The group password was wrong; the failure has been counted."""
