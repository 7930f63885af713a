"""Tasks about clients for staff members, and call lists: one task per client of a selection or segment."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, Date, Integer, String, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import Client, StaffMember, Task, utcnow
from salon_desk.models.base import UtcDateTime
from salon_desk.models.marketing import TASK_TITLE_MAX
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.clients.client_list import ClientListService, display_name
from salon_desk.services.common import Changes, Service, Workstation, require
from salon_desk.services.marketing.bulk import Target, target_conditions
from salon_desk.services.permissions import Permission

TASK_LIST_LIMIT = 2000
"""The tasks page shows at most this many tasks at once (the earliest due first)."""
CALL_LIST_HEADER = ("ID", "name", "phone", "last_visit", "categories", "notes")


@dataclass(frozen=True)
class TaskRow:
    """A task as the tasks page shows it."""

    id: int
    client_id: int
    client_name: str
    phone: str
    title: str
    due_on: date
    staff_id: int | None
    staff_name: str
    done_at: datetime | None
    outcome: str

    def overdue(self, today: date) -> bool:
        """True for an open task whose day has passed."""
        return self.done_at is None and self.due_on < today


@dataclass(frozen=True)
class CallListRow:
    """A line of the printed call list."""

    client_id: int
    name: str
    phone: str
    last_visit: date | None
    categories: str


@dataclass(frozen=True)
class CallList:
    """The call list made from a target: its lines, and who was left out and why."""

    title: str
    rows: list[CallListRow]
    without_consent: int
    without_phone: int
    changes: Changes


def clean_title(title: str) -> str:
    """The task's title, or a ValidationError naming the field ``title``."""
    clean = " ".join(title.split())
    if not clean:
        raise ValidationError(_("Please enter what the task is about."), "title")
    if len(clean) > TASK_TITLE_MAX:
        raise ValidationError(_("The title may have at most {max} characters.").format(max=TASK_TITLE_MAX), "title")
    return clean


class TaskService(Service):
    """Create tasks and call lists, list them, and mark them done."""

    def __init__(self, db: Database, workstation: Workstation | None, client_list: ClientListService) -> None:
        super().__init__(db, workstation)
        self.client_list = client_list

    def list(self, mine: bool = False, include_done: bool = False) -> list[TaskRow]:
        """Tasks by due date: open ones (and done ones if asked), everyone's or the signed-in person's (and nobody's)."""
        stmt = (
            select(
                Task.id, Task.client_id, Client.first_name, Client.last_name, Client.phone, Task.title, Task.due_on,
                Task.staff_id, func.coalesce(StaffMember.name, ""), Task.done_at, Task.outcome,
            )  # fmt: skip
            .join(Client, Client.id == Task.client_id)
            .outerjoin(StaffMember, StaffMember.id == Task.staff_id)
            .order_by(Task.due_on, Task.id)
            .limit(TASK_LIST_LIMIT)
        )
        if not include_done:
            stmt = stmt.where(Task.done_at.is_(None))
        if mine:
            stmt = stmt.where(self._mine())
        with self.db.read() as session:
            return [
                TaskRow(tid, cid, display_name(first, last), phone, title, due, sid, staff, done, outcome)
                for tid, cid, first, last, phone, title, due, sid, staff, done, outcome in session.execute(stmt)
            ]

    def open_due_count(self, today: date | None = None) -> int:
        """Open tasks due today or earlier for the signed-in person (or for nobody in particular): the navigation badge."""
        stmt = select(func.count()).select_from(Task).where(Task.done_at.is_(None), Task.due_on <= (today or date.today()))
        with self.db.read() as session:
            return session.scalar(stmt.where(self._mine())) or 0

    def create(self, client_id: int, title: str, due_on: date, staff_id: int | None = None) -> tuple[int, Changes]:
        """A task about one client."""
        self.require(Permission.EDIT_CLIENTS)
        clean = clean_title(title)
        with self.transaction(_("The task")) as session:
            require(session.get(Client, client_id), _("The client"))
            self._check_staff(session, staff_id)
            task = Task(client_id=client_id, title=clean, due_on=due_on, staff_id=staff_id, created_by=self.actor.name[:100])
            session.add(task)
            session.flush()
            return task.id, Changes(tasks=True)

    def mark_done(self, task_id: int, outcome: str) -> Changes:
        """Mark a task done with what came of it."""
        self.require(Permission.EDIT_CLIENTS)
        with self.transaction(_("The task")) as session:
            task = require(session.get(Task, task_id), _("The task"))
            assert isinstance(task, Task)
            if task.done_at is not None:
                raise ValidationError(_("This task was already marked done at another desk."), "outcome")
            task.done_at, task.done_by, task.outcome = utcnow(), self.actor.name[:100], outcome.strip()
            return Changes(tasks=True)

    def create_call_list(
        self, target: Target, title: str, due_on: date, staff_id: int | None = None, *, advertising: bool = True
    ) -> CallList:
        """One task per target client with a phone number; for advertising only those with phone consent (UWG §7)."""
        self.require(Permission.EDIT_CLIENTS)
        clean = clean_title(title)
        with self.transaction(_("The call list")) as session:
            self._check_staff(session, staff_id)
            conditions = target_conditions(session.connection(), self.client_list, target)
            with_phone = [*conditions, Client.phone != ""]
            callable_ = [*with_phone, Client.phone_consent.is_(True)] if advertising else with_phone
            total = session.scalar(select(func.count()).select_from(Client).where(*conditions)) or 0
            phoned = session.scalar(select(func.count()).select_from(Client).where(*with_phone)) or 0
            now = utcnow()
            new = select(
                Client.id,
                literal(staff_id, Integer()),
                literal(clean, String()),
                literal(due_on, Date()),
                literal(now, UtcDateTime()),
                literal(self.actor.name[:100], String()),
                literal("", String()),
                literal("", String()),
            ).where(*callable_)
            columns = ["client_id", "staff_id", "title", "due_on", "created_at", "created_by", "done_by", "outcome"]
            created = session.scalar(select(func.count()).select_from(Client).where(*callable_)) or 0
            session.execute(insert(Task).from_select(columns, new))
            rows = self._call_rows(session, now)
            after = {"title": clean, "count": created, "advertising": advertising}
            audit.record(session, self.actor, Action.CALL_LIST, Entity.CLIENT, None, target.describe(), after)
            return CallList(clean, rows, phoned - created, total - phoned, Changes(tasks=True))

    def write_call_list_csv(self, call_list: CallList, path: Path) -> None:
        """The call list as CSV (``;``, UTF-8 with BOM); personal data leaves the system, so managers only."""
        self.require(Permission.EXPORT_CLIENTS)
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=";")
            writer.writerow(CALL_LIST_HEADER)
            for row in call_list.rows:
                visit = row.last_visit.isoformat() if row.last_visit else ""
                writer.writerow([row.client_id, row.name, row.phone, visit, row.categories, ""])
        with self.transaction(_("The export")) as session:
            after = {"title": call_list.title, "count": len(call_list.rows), "file": path.name}
            audit.record(session, self.actor, Action.EXPORT_CLIENTS, Entity.CLIENT, None, None, after)

    def _call_rows(self, session: Session, created_at: datetime) -> list[CallListRow]:
        stmt = (
            select(Client.id, Client.first_name, Client.last_name, Client.phone, Client.last_visit, Client.category_label)
            .join(Task, Task.client_id == Client.id)
            .where(Task.created_at == literal(created_at, UtcDateTime()))
            .order_by(Client.sort_name, Client.id)
        )
        return [
            CallListRow(cid, display_name(first, last), phone, visit, label)
            for cid, first, last, phone, visit, label in session.execute(stmt)
        ]

    def _mine(self) -> ColumnElement[bool]:
        """The tasks of the signed-in person and those for nobody in particular (Salon Desk itself: all)."""
        staff_id = self.actor.staff_id
        if staff_id is None:
            return Task.id.is_not(None)
        return or_(Task.staff_id == staff_id, Task.staff_id.is_(None))

    def _check_staff(self, session: Session, staff_id: int | None) -> None:
        if staff_id is not None and session.get(StaffMember, staff_id) is None:
            raise ValidationError(_("The chosen staff member no longer exists."), "staff_id")
