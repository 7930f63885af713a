"""Recipient groups: named lists of clients for messages only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import Client, RecipientGroup, RecipientGroupMember, utcnow
from salon_desk.services.text import clean_line
from salon_desk.services.common import check_unique_name, Changes, Service, name_key, require
from salon_desk.services.permissions import Permission

NAME_MAX = 60


@dataclass(frozen=True)
class RecipientGroupInfo:
    """A recipient group with its member count."""

    id: int
    name: str
    member_count: int


@dataclass(frozen=True)
class RecipientMember:
    """A client on a recipient list, as the member table shows them."""

    id: int
    name: str
    phone: str
    email: str
    sort_name: str = ""


def _clean_name(name: str) -> str:
    clean = clean_line(name, "name")
    if not clean:
        raise ValidationError(_("Please enter a name for the recipient group."), "name")
    if len(clean) > NAME_MAX:
        raise ValidationError(_("The name may have at most {max} characters.").format(max=NAME_MAX), "name")
    return clean


class RecipientService(Service):
    """Create, rename and delete recipient groups and manage their members."""

    def list(self) -> list[RecipientGroupInfo]:
        """Every recipient group with its member count, by name."""
        with self.db.read() as session:
            count = (
                select(func.count())
                .where(RecipientGroupMember.recipient_group_id == RecipientGroup.id)
                .scalar_subquery()
            )
            rows = session.execute(
                select(RecipientGroup.id, RecipientGroup.name, count).order_by(RecipientGroup.name_key)
            )
            return [RecipientGroupInfo(*row) for row in rows]

    def create(self, name: str) -> tuple[RecipientGroupInfo, Changes]:
        """A new, empty recipient group."""
        self.require(Permission.EDIT_GROUPS)
        clean = _clean_name(name)
        with self.transaction(_("The recipient group")) as session:
            self._check_unique(session, clean, None)
            group = RecipientGroup(name=clean, name_key=name_key(clean))
            session.add(group)
            session.flush()
            return RecipientGroupInfo(group.id, group.name, 0), Changes(recipients=frozenset({group.id}))

    def rename(self, group_id: int, name: str) -> Changes:
        """Give a recipient group a new name."""
        self.require(Permission.EDIT_GROUPS)
        clean = _clean_name(name)
        with self.transaction(_("The recipient group")) as session:
            group = require(session.get(RecipientGroup, group_id), _("The recipient group"))
            assert isinstance(group, RecipientGroup)
            self._check_unique(session, clean, group_id)
            group.name, group.name_key = clean, name_key(clean)
            return Changes(recipients=frozenset({group_id}))

    def delete(self, group_id: int) -> Changes:
        """Delete the list; the clients themselves stay."""
        self.require(Permission.EDIT_GROUPS)
        with self.transaction(_("The recipient group")) as session:
            session.delete(require(session.get(RecipientGroup, group_id), _("The recipient group")))
            return Changes(recipients=frozenset({group_id}))

    def add_members(self, group_id: int, client_ids: list[int]) -> int:
        """Add clients (those already on the list are skipped); returns how many were added."""
        self.require(Permission.EDIT_CLIENTS)
        with self.transaction(_("The recipient group")) as session:
            require(session.get(RecipientGroup, group_id), _("The recipient group"))
            present = set(
                session.scalars(
                    select(RecipientGroupMember.client_id).where(RecipientGroupMember.recipient_group_id == group_id)
                )
            )
            existing = set(session.scalars(select(Client.id).where(Client.id.in_(client_ids))))
            new = sorted(existing - present)
            if new:
                now = utcnow()
                session.execute(
                    insert(RecipientGroupMember),
                    [{"recipient_group_id": group_id, "client_id": cid, "added_at": now} for cid in new],
                )
            return len(new)

    def remove_members(self, group_id: int, client_ids: list[int]) -> Changes:
        """Take clients off the list."""
        self.require(Permission.EDIT_CLIENTS)
        with self.transaction(_("The recipient group")) as session:
            session.execute(
                delete(RecipientGroupMember).where(
                    RecipientGroupMember.recipient_group_id == group_id,
                    RecipientGroupMember.client_id.in_(client_ids),
                )
            )
            return Changes(recipients=frozenset({group_id}))

    def members(self, group_id: int) -> list[int]:
        """Client ids on the list, by client name."""
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(Client.id)
                    .join(RecipientGroupMember, RecipientGroupMember.client_id == Client.id)
                    .where(RecipientGroupMember.recipient_group_id == group_id)
                    .order_by(Client.sort_name, Client.id)
                )
            )

    def member_rows(self, group_id: int) -> list[RecipientMember]:
        """The clients on the list with their contact details, by client name (one column select)."""
        with self.db.read() as session:
            rows = session.execute(
                select(Client.id, Client.first_name, Client.last_name, Client.phone, Client.email, Client.sort_name)
                .join(RecipientGroupMember, RecipientGroupMember.client_id == Client.id)
                .where(RecipientGroupMember.recipient_group_id == group_id)
                .order_by(Client.sort_name, Client.id)
            )
            return [
                RecipientMember(cid, " ".join(part for part in (first, last) if part), phone, email, key)
                for cid, first, last, phone, email, key in rows
            ]

    def _check_unique(self, session: Session, name: str, own_id: int | None) -> None:
        check_unique_name(session, RecipientGroup, name, own_id, _("A recipient group named “{name}” already exists."))
