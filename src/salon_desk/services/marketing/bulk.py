"""Bulk actions on the client list's selection or on the whole list (a segment, a search, the filters).

Each action is one transaction of set-based statements (``INSERT … SELECT``, ``UPDATE …
WHERE``, ``DELETE … WHERE``) over the target's condition, plus one audit entry with the
number of clients it changed. No client is loaded into Python, except to write a CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Select,
    Date,
    Integer,
    MetaData,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import Category, Client, ClientCategory, CustomerGroup, RecipientGroup, RecipientGroupMember
from salon_desk.models.base import UtcDateTime, utcnow
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.clients.client_list import ClientListQuery, ClientListService
from salon_desk.services.common import Changes, Service, Workstation, require
from salon_desk.services.categories.counts import add_members, count_holders, remove_members
from salon_desk.services.categories.labels import mark_stale, refresh_stale
from salon_desk.services.permissions import Permission
from salon_desk.services import events

CONFIRM_ABOVE = 100
"""Above this many clients a bulk action asks for confirmation first (DESIGN §7)."""


@dataclass(frozen=True)
class Target:
    """The clients a bulk action works on: the selected ones, or every client the list shows."""

    client_ids: tuple[int, ...] | None = None
    query: ClientListQuery | None = None

    @classmethod
    def selection(cls, client_ids: list[int] | tuple[int, ...]) -> Target:
        """The selected clients."""
        return cls(client_ids=tuple(dict.fromkeys(client_ids)))

    @classmethod
    def whole_list(cls, query: ClientListQuery) -> Target:
        """Every client the list shows for ``query`` (its segment, search and filters)."""
        return cls(query=query)

    def describe(self) -> dict[str, Any]:
        """What the audit entry says about the target."""
        if self.client_ids is not None:
            return {"selection": len(self.client_ids)}
        query = self.query or ClientListQuery()
        found: dict[str, Any] = {"list": True}
        if query.segment is not None:
            found["segment"] = query.segment.to_json()
        if query.text.strip():
            found["search"] = query.text.strip()
        for key in ("category_id", "group_id"):
            if getattr(query, key) is not None:
                found[key] = getattr(query, key)
        return found


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: how many clients it changed, and the change record for the views."""

    count: int
    changes: Changes


EXPORT_HEADER = (
    "ID", "first_name", "last_name", "phone", "email", "birthday", "street", "postal_code", "city",
    "customer_group", "categories", "last_visit", "email_consent", "sms_consent", "phone_consent",
)  # fmt: skip


INLINE_SELECTION = 1000
"""A selection up to this size goes into the statements as a list of ids; a larger one into a temporary table."""
SELECTION = Table("bulk_selection", MetaData(), Column("client_id", Integer, primary_key=True), prefixes=["TEMPORARY"])
_CREATE_SELECTION = "CREATE TEMPORARY TABLE IF NOT EXISTS bulk_selection (client_id INTEGER PRIMARY KEY)"


def target_conditions(connection: Connection, client_list: ClientListService, target: Target) -> list[ColumnElement[bool]]:
    """The conditions on ``clients`` that pick the target's clients."""
    if target.client_ids is None:
        return client_list.filters(connection, target.query or ClientListQuery())
    if len(target.client_ids) <= INLINE_SELECTION:
        # inline values: SQLite limits the number of bound parameters
        return [Client.id.in_(bindparam("bulk_ids", list(target.client_ids), expanding=True, literal_execute=True))]
    # 100,000 ids written into each statement took 0.4 s of Python per statement; in a table they are written once,
    # straight through the driver (the ORM's parameter handling took another 0.9 s)
    connection.exec_driver_sql(_CREATE_SELECTION)
    connection.execute(delete(SELECTION))
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    rows = [(client_id,) for client_id in target.client_ids]
    connection.exec_driver_sql(f"INSERT INTO bulk_selection (client_id) VALUES ({marker})", rows)
    return [Client.id.in_(select(SELECTION.c.client_id))]


class BulkService(Service):
    """Bulk changes and exports on a target of clients."""

    def __init__(self, db: Database, workstation: Workstation | None, client_list: ClientListService) -> None:
        super().__init__(db, workstation)
        self.client_list = client_list

    def count(self, target: Target) -> int:
        """How many clients the target holds (deleted ones not counted): what the action will say first."""
        if target.client_ids is None:  # the list's own count: a segment's from its facts
            return self.client_list.count(target.query or ClientListQuery())
        with self.db.engine.connect() as connection:
            conditions = target_conditions(connection, self.client_list, target)
            return connection.scalar(select(func.count()).select_from(Client).where(*conditions)) or 0

    def assign_category(self, target: Target, category_id: int, valid_until: date | None = None) -> BulkResult:
        """Give the category to every target client (those who have it get the new valid-until date)."""
        self.require(Permission.EDIT_CLIENTS)
        if valid_until is not None and valid_until < date.today():
            raise ValidationError(_("The valid-until date lies in the past."), "valid_until")
        with self.transaction(_("The category"), bulk=True) as session:
            category = self._category(session, category_id)
            conditions = target_conditions(session.connection(), self.client_list, target)
            renewed = _renew(session, conditions, category_id, valid_until)
            added = self._add_memberships(session, conditions, category_id, valid_until)
            count = added + renewed
            after = {"category": category.name, "count": count, "added": added, "valid_until": valid_until}
            audit.record(session, self.actor, Action.BULK_ASSIGN_CATEGORY, Entity.CATEGORY, category_id, target.describe(), after)
            return BulkResult(count, Changes(categories=frozenset({category_id}), all_clients=True))

    def _add_memberships(
        self, session: Session, conditions: list[ColumnElement[bool]], category_id: int, valid_until: date | None
    ) -> int:
        """One ``INSERT … SELECT`` for the target clients without the category; their labels refreshed after."""
        now = literal(utcnow(), UtcDateTime())
        members = select(ClientCategory.client_id).where(ClientCategory.category_id == category_id)
        new = select(
            Client.id, literal(category_id), now, literal(self.actor.name[:100]), literal(valid_until, Date()), literal("")
        ).where(*conditions, Client.id.not_in(members))
        columns = ["client_id", "category_id", "assigned_at", "assigned_by", "valid_until", "proof_note"]
        added = add_members(session, insert(ClientCategory).from_select(columns, new), category_id)
        # the target's condition may name this very category: find the new members by their time stamp
        fresh = members.where(ClientCategory.assigned_at == now)
        # SQLite's row count is exact. psycopg's is not, for INSERT … SELECT on a table with statement
        # triggers: there the new members are counted afterwards (counting the target first took 0.5 s)
        if session.get_bind().dialect.name != "sqlite":
            added = _count(session, fresh)
        if added:
            mark_stale(session, Client.id.in_(fresh))  # with what the rules change, refreshed once
            events.fire(session, events.Event.CATEGORY_ASSIGNED, fresh, category_id=category_id)
            refresh_stale(session)
        return added

    def remove_category(self, target: Target, category_id: int) -> BulkResult:
        """Take the category from every target client who has it."""
        self.require(Permission.EDIT_CLIENTS)
        with self.transaction(_("The category"), bulk=True) as session:
            category = self._category(session, category_id)
            conditions = target_conditions(session.connection(), self.client_list, target)
            held = (
                ClientCategory.category_id == category_id,
                ClientCategory.client_id.in_(select(Client.id).where(*conditions)),
            )
            removed = count_holders(session, category_id, select(ClientCategory.client_id).where(*held))
            if removed:
                holders = select(ClientCategory.client_id).where(*held)
                gone = events.affected(session, events.Event.CATEGORY_REMOVED, holders)
                mark_stale(session, Client.id.in_(holders))  # while they hold it; with what the rules change, refreshed once
                remove_members(session, delete(ClientCategory).where(*held), category_id)
                events.fire(session, events.Event.CATEGORY_REMOVED, gone, category_id=category_id)
                refresh_stale(session)
            after = {"category": category.name, "count": removed}
            audit.record(session, self.actor, Action.BULK_REMOVE_CATEGORY, Entity.CATEGORY, category_id, target.describe(), after)
            return BulkResult(removed, Changes(categories=frozenset({category_id}), all_clients=True))

    def set_group(self, target: Target, group_id: int | None) -> BulkResult:
        """Put every target client into the customer group, or into none (managers only)."""
        self.require(Permission.BULK_CHANGE_GROUPS)
        with self.transaction(_("The customer group"), bulk=True) as session:
            name = None
            if group_id is not None:
                group = session.get(CustomerGroup, group_id)
                if group is None:
                    raise ValidationError(_("The chosen customer group no longer exists."), "group_id")
                name = group.name
            conditions = target_conditions(session.connection(), self.client_list, target)
            moving = (*conditions, Client.group_id.is_distinct_from(group_id))
            changed = _count(session, select(Client.id).where(*moving))
            if changed:
                moved = events.affected(session, events.Event.GROUP_CHANGED, select(Client.id).where(*moving))
                session.execute(
                    update(Client).where(*moving).values(group_id=group_id, version=Client.version + 1, updated_at=utcnow()),
                    execution_options={"synchronize_session": False},
                )
                events.fire(session, events.Event.GROUP_CHANGED, moved, group_id=group_id)
            after = {"group": name, "count": changed}
            audit.record(session, self.actor, Action.BULK_GROUP, Entity.GROUP, group_id, target.describe(), after)
            groups = frozenset({group_id}) if group_id is not None else frozenset()
            return BulkResult(changed, Changes(groups=groups, all_clients=True))

    def add_to_recipient_group(self, target: Target, recipient_group_id: int) -> BulkResult:
        """Put every target client on the recipient list (those already on it stay once)."""
        self.require(Permission.EDIT_CLIENTS)
        with self.transaction(_("The recipient group"), bulk=True) as session:
            group = require(session.get(RecipientGroup, recipient_group_id), _("The recipient group"))
            assert isinstance(group, RecipientGroup)
            conditions = target_conditions(session.connection(), self.client_list, target)
            present = select(RecipientGroupMember.client_id).where(
                RecipientGroupMember.recipient_group_id == recipient_group_id
            )
            new = select(Client.id, literal(recipient_group_id), literal(utcnow(), UtcDateTime())).where(
                *conditions, Client.id.not_in(present)
            )
            columns = ["client_id", "recipient_group_id", "added_at"]
            added = _count(session, new)
            if added:
                session.execute(insert(RecipientGroupMember).from_select(columns, new))
            after = {"recipient_group": group.name, "count": added}
            audit.record(
                session, self.actor, Action.BULK_RECIPIENTS, Entity.RECIPIENT_GROUP, recipient_group_id, target.describe(), after
            )
            return BulkResult(added, Changes(recipients=frozenset({recipient_group_id})))

    def export_csv(self, target: Target, path: Path) -> int:
        """Write the target clients to a CSV file (``;``, UTF-8 with BOM, for Excel); managers only, audited."""
        self.require(Permission.EXPORT_CLIENTS)
        with self.transaction(_("The export")) as session:
            count = 0
            with path.open("w", encoding="utf-8-sig", newline="") as file:
                writer = csv.writer(file, delimiter=";")
                writer.writerow(EXPORT_HEADER)
                for row in self._export_rows(session, target):
                    writer.writerow(row)
                    count += 1
            audit.record(session, self.actor, Action.EXPORT_CLIENTS, Entity.CLIENT, None, target.describe(), {"count": count})
            return count

    def _export_rows(self, session: Session, target: Target) -> Iterator[list[str]]:
        conditions = target_conditions(session.connection(), self.client_list, target)
        stmt = (
            select(
                Client.id, Client.first_name, Client.last_name, Client.phone, Client.email, Client.birthday,
                Client.street, Client.postal_code, Client.city, CustomerGroup.name, Client.category_label,
                Client.last_visit, Client.email_consent, Client.sms_consent, Client.phone_consent,
            )  # fmt: skip
            .select_from(Client)
            .outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
            .where(*conditions)
            .order_by(Client.sort_name, Client.id)
            .execution_options(yield_per=2000)
        )
        for row in session.execute(stmt):
            yield [_cell(value) for value in row]

    def _category(self, session: Session, category_id: int) -> Category:
        category = session.get(Category, category_id)
        if category is None:
            raise ValidationError(_("The chosen category no longer exists."), "category_id")
        return category


def _renew(session: Session, conditions: list[ColumnElement[bool]], category_id: int, valid_until: date | None) -> int:
    """Give the target's existing members the new valid-until date; how many changed."""
    stale = (
        ClientCategory.category_id == category_id,
        ClientCategory.client_id.in_(select(Client.id).where(*conditions)),
        ClientCategory.valid_until.is_distinct_from(valid_until),
    )
    renewed = count_holders(session, category_id, select(ClientCategory.client_id).where(*stale))
    if renewed:
        session.execute(
            update(ClientCategory).where(*stale).values(valid_until=valid_until),
            execution_options={"synchronize_session": False},
        )
    return renewed


def _count(session: Session, rows: Select[Any]) -> int:
    """How many rows a statement will write, counted first: psycopg reports no row count for
    ``INSERT … SELECT`` on a table with statement triggers (``client_categories``)."""
    return session.scalar(select(func.count()).select_from(rows.subquery())) or 0


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)

