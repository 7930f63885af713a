"""The data actions of the rules, each one set-based statement (or two) over the clients ``who`` picks.

They write with their own SQL on the models, never through the client services, so that
nothing they change fires an event again. Each returns what the run log says it did, or
raises ``ActionFailed`` with the reason (the engine rolls the action back alone).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, Date, Integer, String, and_, delete, exists, insert, literal, select, update
from sqlalchemy.orm import Session

from salon_desk.i18n import _
from salon_desk.models import Category, Client, ClientCategory, CustomerGroup, StaffMember, Task, utcnow
from salon_desk.models.base import UtcDateTime
from salon_desk.services.automations.email import EmailFailed, Queued, queue_email
from salon_desk.services.automations.rules import ActionData, ActionKind
from salon_desk.services.categories.counts import add_members, count_holders, remove_members
from salon_desk.services.categories.labels import mark_stale


CLIENTS_WRITTEN = "salon_desk_automation_clients_written"
"""``session.info`` key: an action wrote to clients past the ORM (the engine then expires the loaded ones)."""


class ActionFailed(Exception):
    """An action could not be done; ``message`` is translated and goes into the run log."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def run_action(
    session: Session, action: ActionData, who: ColumnElement[bool], today: date, by: str, client_id: int | None = None
) -> str | Queued:
    """Do ``action`` for the clients ``who`` picks; returns the run log's description of it (or what was queued).

    ``client_id``: the one client ``who`` picks, when the event is one client's (a save): a task
    for it is written with a statement built once, not with a SELECT built per save.
    """
    if action.kind is ActionKind.SEND_EMAIL:
        try:
            return queue_email(session, action, who, today, by)
        except EmailFailed as failure:
            raise ActionFailed(failure.message) from None
    if action.kind is ActionKind.ASSIGN_CATEGORY:
        return _assign(session, action, who, today, by)
    if action.kind is ActionKind.REMOVE_CATEGORY:
        return _remove(session, action, who)
    if action.kind is ActionKind.SET_GROUP:
        return _set_group(session, action, who)
    return _create_task(session, action, who, today, by, client_id)


def _category_name(session: Session, category_id: int | None) -> str:
    name = session.scalar(select(Category.name).where(Category.id == category_id)) if category_id else None
    if name is None:
        raise ActionFailed(_("The category of this action no longer exists. Choose another one in the rule."))
    return name


def _assign(session: Session, action: ActionData, who: ColumnElement[bool], today: date, by: str) -> str:
    """Give the category to the clients without it (members keep their membership as it is)."""
    name = _category_name(session, action.category_id)
    valid_until = today + timedelta(days=action.days) if action.days else None
    now = literal(utcnow(), UtcDateTime())

    def holds(*more: ColumnElement[bool]) -> ColumnElement[bool]:
        # correlated on the membership's primary key: cheap per client, whatever the category's size
        return exists().where(
            ClientCategory.client_id == Client.id, ClientCategory.category_id == action.category_id, *more
        )

    new = select(
        Client.id, literal(action.category_id, Integer()), now, literal(by[:100], String()),
        literal(valid_until, Date()), literal(""),
    ).where(who, ~holds())  # fmt: skip
    columns = ["client_id", "category_id", "assigned_at", "assigned_by", "valid_until", "proof_note"]
    added = add_members(session, insert(ClientCategory).from_select(columns, new), action.category_id or 0)
    if added != 0:  # -1: the driver cannot tell; then look
        # label and version of the new members written once, when the rules have run
        _changed(session, and_(who, holds(ClientCategory.assigned_at == now)))
    return assigned(name, valid_until)


def assigned(name: str, valid_until: date | None) -> str:
    """The run log's text of an assignment."""
    if valid_until is not None:
        return _("{category}, valid until {date}").format(category=name, date=valid_until.isoformat())
    return name


def already_assigned(action: ActionData, members: dict[int, str], today: date) -> str | None:
    """For one client holding ``members`` (category id → name): the run log's text when assigning changes nothing."""
    if action.kind is not ActionKind.ASSIGN_CATEGORY or action.category_id not in members:
        return None
    valid_until = today + timedelta(days=action.days) if action.days else None
    return assigned(members[action.category_id], valid_until)


def _remove(session: Session, action: ActionData, who: ColumnElement[bool]) -> str:
    name = _category_name(session, action.category_id)
    held = (
        ClientCategory.category_id == action.category_id,
        ClientCategory.client_id.in_(select(Client.id).where(who)),
    )
    holders = select(ClientCategory.client_id).where(*held)
    if count_holders(session, action.category_id or 0, holders):
        # the holders are noted while they can still be found; label and version follow once the rules have run
        _changed(session, Client.id.in_(holders))
        remove_members(session, delete(ClientCategory).where(*held), action.category_id or 0)
    return name


def _set_group(session: Session, action: ActionData, who: ColumnElement[bool]) -> str:
    name = _("no group")
    if action.group_id is not None:
        found = session.scalar(select(CustomerGroup.name).where(CustomerGroup.id == action.group_id))
        if found is None:
            raise ActionFailed(_("The customer group of this action no longer exists. Choose another one in the rule."))
        name = found
    moving = (who, Client.group_id.is_distinct_from(action.group_id))
    moved = session.execute(
        update(Client).where(*moving).values(group_id=action.group_id, version=Client.version + 1, updated_at=utcnow()),
        execution_options={"synchronize_session": False},
    ).rowcount
    if moved != 0:
        session.info[CLIENTS_WRITTEN] = True
    return name


def _create_task(
    session: Session, action: ActionData, who: ColumnElement[bool], today: date, by: str, client_id: int | None
) -> str:
    staff = ""
    if action.staff_id is not None:
        found = session.scalar(select(StaffMember.name).where(StaffMember.id == action.staff_id))
        if found is None:
            raise ActionFailed(_("The staff member of this action no longer exists. Choose another one in the rule."))
        staff = found
    due = today + timedelta(days=action.days or 0)
    task = {"staff_id": action.staff_id, "title": action.title, "due_on": due, "created_at": utcnow(),
            "created_by": by[:100], "done_by": "", "outcome": ""}  # fmt: skip
    if client_id is not None:
        session.execute(_ONE_TASK, {"client_id": client_id, **task})
    else:
        rows = select(Client.id, *(literal(value, _TASK_TYPES[column]) for column, value in task.items())).where(who)
        session.execute(insert(Task.__table__).from_select(["client_id", *task], rows))
    text = _("“{title}”, due {date}").format(title=action.title, date=due.isoformat())
    return _("{task} for {staff}").format(task=text, staff=staff) if staff else text


_ONE_TASK = insert(Task.__table__)
"""One client's task: on the table, not the mapped class, a plain INSERT without the ORM's bulk machinery."""
_TASK_TYPES = {"staff_id": Integer(), "title": String(), "due_on": Date(), "created_at": UtcDateTime(),
               "created_by": String(), "done_by": String(), "outcome": String()}  # fmt: skip


def _changed(session: Session, where: ColumnElement[bool]) -> None:
    """Note the clients ``where`` picks as changed: ``refresh_stale`` writes their label and version (a card
    opened before the change is refused on save and reloaded); the engine then reads loaded clients again."""
    mark_stale(session, where)
    session.info[CLIENTS_WRITTEN] = True
