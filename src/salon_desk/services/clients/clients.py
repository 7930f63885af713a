"""Clients: the card's details, consent, group and staged category changes, saved in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import Category, Client, ClientCategory, CustomerGroup, utcnow
from salon_desk.services.staff import audit
from salon_desk.services.categories.categories import CategoryInfo, _info
from salon_desk.services.text import check_birthday, clean_block, clean_email, clean_line, column_length
from salon_desk.services.common import Changes, Service, check_version, require
from salon_desk.services.categories.labels import refresh_labels
from salon_desk.services.clients import consent_log
from salon_desk.services.clients.consent_log import CardConsent, Flag
from salon_desk.services.clients.duplicates import Duplicate, find_duplicates
from salon_desk.services.clients.merge import MergedInto, merge, merged_from, merged_into
from salon_desk.services.permissions import Permission
from salon_desk.services import events
from salon_desk.textindex import client_search_text, phone_key, sort_name

PHONE_PATTERN = re.compile(r"\+?[\d\s()/.\-]{3,40}")
PROOF_MAX = 200


@dataclass(frozen=True)
class ClientData:
    """The details form of the client card."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    birthday: date | None = None
    street: str = ""
    postal_code: str = ""
    city: str = ""
    notes: str = ""
    email_consent: bool = False
    sms_consent: bool = False
    group_id: int | None = None
    phone_consent: bool = False
    email_existing_customer: bool = False


@dataclass(frozen=True)
class MembershipData:
    """A category on the card, with optional valid-until date and proof note."""

    category_id: int
    valid_until: date | None = None
    proof_note: str = ""


@dataclass(frozen=True)
class Membership(MembershipData):
    """A saved membership with its category, for display."""

    category: CategoryInfo | None = None
    assigned_at: datetime | None = None
    assigned_by: str | None = None

    def is_expired(self, today: date) -> bool:
        """An expired membership gives no discount."""
        return self.valid_until is not None and self.valid_until < today


@dataclass(frozen=True)
class ClientCard:
    """Everything the client card shows."""

    id: int
    version: int
    data: ClientData
    memberships: tuple[Membership, ...] = ()
    group_name: str = ""
    email_consent_at: datetime | None = None
    sms_consent_at: datetime | None = None
    last_visit: date | None = None
    created_at: datetime | None = None
    merged_into: MergedInto | None = None
    """Set on a card closed by a merge: the card it went to."""
    merged_from: tuple[int, ...] = ()
    """The cards merged into this one (their sales are this client's visits too)."""


@dataclass(frozen=True)
class CategoryChanges:
    """Staged edits of the category side panel: the full wanted list of memberships."""

    memberships: tuple[MembershipData, ...] = field(default_factory=tuple)


def validate_client(data: ClientData) -> ClientData:
    """The cleaned details, or a ValidationError naming the first wrong field (see ``services.text``)."""
    clean = replace(
        data,
        first_name=clean_line(data.first_name, "first_name"),
        last_name=clean_line(data.last_name, "last_name"),
        phone=clean_line(data.phone, "phone", column_length(Client.phone)),
        email=clean_email(data.email),
        street=clean_line(data.street, "street", column_length(Client.street)),
        postal_code=clean_line(data.postal_code, "postal_code", column_length(Client.postal_code)),
        city=clean_line(data.city, "city", column_length(Client.city)),
        notes=clean_block(data.notes, "notes"),
    )
    if not clean.first_name and not clean.last_name:
        raise ValidationError(_("Please enter a first name or a last name."), "last_name")
    for name, value in (("first_name", clean.first_name), ("last_name", clean.last_name)):
        if len(value) > 100:
            raise ValidationError(_("A name may have at most 100 characters."), name)
    if clean.phone and not PHONE_PATTERN.fullmatch(clean.phone):
        raise ValidationError(_("The phone number may contain only digits, spaces and + ( ) / - ."), "phone")
    check_birthday(clean.birthday, date.today())
    consent_log.check_contact(_consent_flags(clean), clean.email, clean.phone)
    return clean


def _consent_flags(data: ClientData) -> dict[Flag, bool]:
    return {flag: bool(getattr(data, flag.value)) for flag in Flag}


def _validate_memberships(memberships: tuple[MembershipData, ...]) -> None:
    seen: set[int] = set()
    for index, membership in enumerate(memberships, start=1):
        if membership.category_id in seen:
            raise ValidationError(_("A category can be given to a client only once."), f"categories[{index}]")
        seen.add(membership.category_id)
        if len(membership.proof_note) > PROOF_MAX:
            raise ValidationError(
                _("The proof note may have at most {max} characters.").format(max=PROOF_MAX),
                f"categories[{index}]",
            )


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _derive_search_columns(_mapper: object, _connection: object, client: Client) -> None:
    """Keep the search words and the sort key in step with every ORM save."""
    client.search_text = client_search_text(client.first_name, client.last_name, client.phone, client.email)
    client.sort_name = sort_name(client.first_name, client.last_name)
    client.phone_digits = phone_key(client.phone)
    client.email_key = client.email.strip().lower()


class ClientService(Service):
    """Create, load and save client cards."""

    def create(
        self, data: ClientData, categories: CategoryChanges | None = None, consent: CardConsent | None = None
    ) -> tuple[ClientCard, Changes]:
        """Register a client; without staged categories the default category is given."""
        self.require(Permission.EDIT_CLIENTS)
        clean = validate_client(data)
        with self.transaction(_("The client")) as session:
            self._check_group(session, clean.group_id)
            client = Client()
            self._apply(client, clean)
            session.add(client)
            session.flush()
            consent_log.apply_card(session, self.actor, client, _consent_flags(clean), consent)
            audit.record_client_created(session, self.actor, client)
            audit.record_group_change(session, self.actor, client.id, None, client.group_id, _display(client))
            if categories is None:
                default_id = session.scalar(select(Category.id).where(Category.is_default.is_(True)))
                categories = CategoryChanges((MembershipData(default_id),) if default_id else ())
            self._replace_memberships(session, client, categories.memberships)
            events.fire(session, events.Event.CLIENT_CREATED, [client.id])
            return self._card(session, client), Changes(clients=frozenset({client.id}))

    def get(self, client_id: int) -> ClientCard:
        """The client card as stored now."""
        with self.db.read() as session:
            client = require(session.get(Client, client_id), _("The client"))
            assert isinstance(client, Client)
            return self._card(session, client)

    def save(
        self,
        client_id: int,
        version: int | None,
        data: ClientData,
        categories: CategoryChanges | None = None,
        consent: CardConsent | None = None,
    ) -> tuple[ClientCard, Changes]:
        """Save the card's details and its staged category list together, refusing a stale copy."""
        self.require(Permission.EDIT_CLIENTS)
        clean = validate_client(data)
        with self.transaction(_("The client")) as session:
            client = require(session.get(Client, client_id), _("The client"))
            assert isinstance(client, Client)
            before_group = client.group_id
            check_version(client, version, _("The client card of {name}").format(name=_display(client)))
            _refuse_closed(session, client_id)
            self._check_group(session, clean.group_id)
            before = audit.snapshot(client, audit.CLIENT_FIELDS)
            if clean.email.lower() != client.email.lower():  # a new address has not failed (yet)
                client.email_failing_at = None
            self._apply(client, clean)
            consent_log.apply_card(session, self.actor, client, _consent_flags(clean), consent)
            audit.record_client_change(session, self.actor, client, before)
            audit.record_group_change(session, self.actor, client_id, before_group, clean.group_id, _display(client))
            if categories is not None:
                self._replace_memberships(session, client, categories.memberships)
                client.updated_at = utcnow()  # bumps the version even when only categories changed
            session.flush()
            events.fire_saved(session, client.id, before_group, clean.group_id)
            return self._card(session, client), Changes(clients=frozenset({client.id}))

    def duplicates(self, phone: str, email: str, client_id: int | None = None) -> list[Duplicate]:
        """Other open cards with this phone number (by its digits) or email address (any case)."""
        with self.db.read() as session:
            return find_duplicates(session, phone, email, client_id)

    def merge(self, keep_id: int, other_id: int) -> tuple[ClientCard, Changes]:
        """Merge the card ``other_id`` into ``keep_id`` (managers only); the other card is closed."""
        self.require(Permission.MERGE_CLIENTS)
        with self.transaction(_("The client")) as session:
            merge(session, self.actor, keep_id, other_id)
            session.flush()
            client = session.get(Client, keep_id)
            assert client is not None
            return self._card(session, client), Changes(clients=frozenset({keep_id, other_id}), all_clients=True)

    def set_group(self, client_ids: list[int], group_id: int | None) -> Changes:
        """Put the clients into one group (or none) in one step; several at once only managers (DESIGN §7)."""
        self.require(Permission.EDIT_CLIENTS if len(set(client_ids)) <= 1 else Permission.BULK_CHANGE_GROUPS)
        with self.transaction(_("The client")) as session:
            self._check_group(session, group_id)
            moved = []
            for client in session.scalars(select(Client).where(Client.id.in_(client_ids))):
                audit.record_group_change(session, self.actor, client.id, client.group_id, group_id, _display(client))
                moved += [client.id] if client.group_id != group_id else []
                client.group_id = group_id
            events.fire(session, events.Event.GROUP_CHANGED, moved, group_id=group_id)
            return Changes(clients=frozenset(client_ids))

    # -- helpers ------------------------------------------------------------------

    def _check_group(self, session: Session, group_id: int | None) -> None:
        if group_id is not None and session.get(CustomerGroup, group_id) is None:
            raise ValidationError(_("The chosen customer group no longer exists."), "group_id")

    def _apply(self, client: Client, data: ClientData) -> None:
        """The details; the consent flags are set by ``consent_log``, which records each change."""
        for name in ClientData.__dataclass_fields__:
            if name not in {flag.value for flag in Flag}:
                setattr(client, name, getattr(data, name))

    def _replace_memberships(self, session: Session, client: Client, wanted: tuple[MembershipData, ...]) -> None:
        _validate_memberships(wanted)
        before = audit.client_memberships(session, client.id)
        existing = {
            m.category_id: m
            for m in session.scalars(select(ClientCategory).where(ClientCategory.client_id == client.id))
        }
        wanted_ids = {m.category_id for m in wanted}
        known = set(session.scalars(select(Category.id).where(Category.id.in_(wanted_ids))))
        for index, membership in enumerate(wanted, start=1):
            if membership.category_id not in known:
                raise ValidationError(
                    _("A category on this card was deleted at another desk. Please reload the card."),
                    f"categories[{index}]",
                )
        gone = set(existing) - wanted_ids
        if gone:
            session.execute(
                delete(ClientCategory).where(
                    ClientCategory.client_id == client.id, ClientCategory.category_id.in_(gone)
                )
            )
        for membership in wanted:
            row = existing.get(membership.category_id)
            if row is None:
                row = ClientCategory(client_id=client.id, category_id=membership.category_id, assigned_by=self.actor.name)
                session.add(row)
            row.valid_until = membership.valid_until
            row.proof_note = membership.proof_note.strip()
        audit.record_memberships(session, self.actor, client.id, before, _display(client))
        refresh_labels(session, Client.id == client.id)
        session.refresh(client, ["category_label"])
        events.fire_memberships(session, client.id, set(existing), wanted_ids)

    def _card(self, session: Session, client: Client) -> ClientCard:
        rows = session.execute(
            select(ClientCategory, Category)
            .join(Category, Category.id == ClientCategory.category_id)
            .where(ClientCategory.client_id == client.id)
            .order_by(Category.name_key)
        ).all()
        memberships = tuple(
            Membership(
                category_id=m.category_id,
                valid_until=m.valid_until,
                proof_note=m.proof_note,
                category=_info(c),
                assigned_at=m.assigned_at,
                assigned_by=m.assigned_by,
            )
            for m, c in rows
        )
        group = session.get(CustomerGroup, client.group_id) if client.group_id else None
        data = ClientData(**{name: getattr(client, name) for name in ClientData.__dataclass_fields__})
        return ClientCard(
            id=client.id,
            version=client.version,
            data=data,
            memberships=memberships,
            group_name=group.name if group else "",
            email_consent_at=client.email_consent_at,
            sms_consent_at=client.sms_consent_at,
            last_visit=client.last_visit,
            created_at=client.created_at,
            merged_into=merged_into(session, client.id),
            merged_from=merged_from(session, client.id),
        )


def _refuse_closed(session: Session, client_id: int) -> None:
    """A card merged into another is closed: changes go to the card kept."""
    into = merged_into(session, client_id)
    if into is not None:
        raise ValidationError(
            _("This card was merged into the card of {name} (no. {id}). Please change that card.").format(
                name=into.name, id=into.client_id), "client")  # fmt: skip


def _display(client: Client) -> str:
    return " ".join(part for part in (client.first_name, client.last_name) if part)
