"""What a rule is: its event, filter and ordered actions, their checks, and their JSON form in the database."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.models.automation import RULE_NAME_MAX
from salon_desk.models.marketing import TASK_TITLE_MAX
from salon_desk.services.clients.segment_rules import CategoryMode  # the segments' any / all / none
from salon_desk.services.events import Event

DAYS_MAX = 3650


class ActionKind(StrEnum):
    """What a rule can do."""

    ASSIGN_CATEGORY = "assign_category"
    REMOVE_CATEGORY = "remove_category"
    SET_GROUP = "set_group"
    CREATE_TASK = "create_task"
    SEND_EMAIL = "send_email"


class GroupMode(StrEnum):
    """How the filter's customer groups are read: the client is in one of them, or in no group."""

    ONE_OF = "one_of"
    NO_GROUP = "no_group"


class Outcome(StrEnum):
    """What became of an action on a client."""

    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


EVENT_LABELS = {
    Event.CLIENT_CREATED: N_("Client created"),
    Event.CLIENT_CHANGED: N_("Client changed"),
    Event.CATEGORY_ASSIGNED: N_("Category assigned"),
    Event.CATEGORY_REMOVED: N_("Category removed"),
    Event.GROUP_CHANGED: N_("Customer group changed"),
    Event.SALE_COMPLETED: N_("Sale completed"),
    Event.BIRTHDAY: N_("Birthday (daily)"),
    Event.NO_VISIT: N_("No visit for N days (daily)"),
}
ACTION_LABELS = {
    ActionKind.ASSIGN_CATEGORY: N_("Assign a category"),
    ActionKind.REMOVE_CATEGORY: N_("Remove a category"),
    ActionKind.SET_GROUP: N_("Set the customer group"),
    ActionKind.CREATE_TASK: N_("Create a task"),
    ActionKind.SEND_EMAIL: N_("Send an email template"),
}
OUTCOME_LABELS = {Outcome.DONE: N_("Done"), Outcome.FAILED: N_("Failed"), Outcome.SKIPPED: N_("Skipped")}
DAILY_EVENTS = frozenset({Event.BIRTHDAY, Event.NO_VISIT})


@dataclass(frozen=True)
class RuleFilter:
    """Which clients a rule acts on; empty: every client the event happens to."""

    category_mode: CategoryMode | None = None
    category_ids: tuple[int, ...] = ()
    group_mode: GroupMode | None = None
    group_ids: tuple[int, ...] = ()

    def is_empty(self) -> bool:
        """True when the rule acts on every client."""
        return self.category_mode is None and self.group_mode is None

    def matches(self, held: frozenset[int], group_id: int | None) -> bool:
        """Whether one client, holding the (unexpired) categories ``held``, passes the filter."""
        chosen = set(self.category_ids)
        if self.category_mode is CategoryMode.ANY and not held & chosen:
            return False
        if self.category_mode is CategoryMode.ALL and not chosen <= held:
            return False
        if self.category_mode is CategoryMode.NONE and held & chosen:
            return False
        if self.group_mode is GroupMode.NO_GROUP and group_id is not None:
            return False
        return not (self.group_mode is GroupMode.ONE_OF and group_id not in self.group_ids)


@dataclass(frozen=True)
class ActionData:
    """One action: the category, group or staff member it names, and its N days.

    ``days``: valid-until in N days (assign a category; None: no end), due in N days (task).
    ``group_id`` None with "set the customer group" takes the client out of any group.
    ``staff_id`` None gives the task to anyone.
    ``campaign_id``: the email campaign whose subject and body are sent (send an email template).
    """

    kind: ActionKind
    category_id: int | None = None
    group_id: int | None = None
    staff_id: int | None = None
    days: int | None = None
    title: str = ""
    campaign_id: int | None = None


@dataclass(frozen=True)
class RuleData:
    """What the rule editor submits."""

    name: str
    event: Event | None
    event_param: int | None = None
    filter: RuleFilter = field(default_factory=RuleFilter)
    actions: tuple[ActionData, ...] = ()
    active: bool = False


@dataclass(frozen=True)
class Rule(RuleData):
    """A saved rule, as the rules page and the engine use it."""

    id: int = 0
    version: int = 1
    template: str | None = None
    needs: str = ""
    failure: str = ""
    failed: bool = False


def event_label(event: str) -> str:
    """The translated name of an event kind."""
    try:
        return _(EVENT_LABELS[Event(event)])
    except ValueError:
        return event


def action_label(kind: str) -> str:
    """The translated name of an action kind."""
    try:
        return _(ACTION_LABELS[ActionKind(kind)])
    except ValueError:
        return kind


def outcome_label(outcome: str) -> str:
    """The translated name of an outcome."""
    try:
        return _(OUTCOME_LABELS[Outcome(outcome)])
    except ValueError:
        return outcome


def validate_rule(data: RuleData) -> RuleData:
    """The cleaned rule, or a ValidationError naming the first wrong field."""
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError(_("Please give the rule a name."), "name")
    if len(name) > RULE_NAME_MAX:
        raise ValidationError(_("A rule name may have at most {max} characters.").format(max=RULE_NAME_MAX), "name")
    if data.event is None:
        raise ValidationError(_("Please choose the event that starts the rule."), "event")
    if data.event is Event.NO_VISIT:
        _check_days(data.event_param, "event_days", _("The number of days without a visit must be at least 1."))
    _check_filter(data.filter)
    if not data.actions:
        raise ValidationError(_("Please add at least one action."), "actions")
    actions = tuple(check_action(action, n) for n, action in enumerate(data.actions, start=1))
    return replace(data, name=name, actions=actions)


def _check_days(days: int | None, field_name: str, message: str, minimum: int = 1) -> None:
    if days is None or days < minimum or days > DAYS_MAX:
        raise ValidationError(message + " " + _("(at most {max})").format(max=DAYS_MAX), field_name)


def _check_filter(rule_filter: RuleFilter) -> None:
    if rule_filter.category_mode is not None and not rule_filter.category_ids:
        raise ValidationError(_("Please choose the categories of the filter."), "filter_categories")
    if rule_filter.group_mode is GroupMode.ONE_OF and not rule_filter.group_ids:
        raise ValidationError(_("Please choose the customer groups of the filter."), "filter_groups")


def check_action(action: ActionData, n: int) -> ActionData:
    where = f"actions[{n}]"
    if action.kind in (ActionKind.ASSIGN_CATEGORY, ActionKind.REMOVE_CATEGORY) and action.category_id is None:
        raise ValidationError(_("Action {n}: please choose the category.").format(n=n), where)
    if action.kind is ActionKind.SEND_EMAIL and action.campaign_id is None:
        raise ValidationError(_("Action {n}: please choose the email campaign to send.").format(n=n), where)
    if action.kind is ActionKind.ASSIGN_CATEGORY and action.days is not None:
        message = _("Action {n}: the number of days the category stays valid must be at least 1.").format(n=n)
        _check_days(action.days, where, message)
    if action.kind is ActionKind.CREATE_TASK:
        title = " ".join(action.title.split())
        if not title:
            raise ValidationError(_("Action {n}: please say what the task is about.").format(n=n), where)
        if len(title) > TASK_TITLE_MAX:
            message = _("Action {n}: the task title may have at most {max} characters.").format(n=n, max=TASK_TITLE_MAX)
            raise ValidationError(message, where)
        message = _("Action {n}: the task is due in 0 (today) or more days.").format(n=n)
        _check_days(action.days if action.days is not None else 0, where, message, minimum=0)
        return replace(action, title=title)
    return action


# -- JSON form ------------------------------------------------------------------------------


def filter_to_json(rule_filter: RuleFilter) -> str:
    """The filter as stored."""
    found: dict[str, Any] = {}
    if rule_filter.category_mode is not None:
        found["categories"] = {"mode": rule_filter.category_mode.value, "ids": list(rule_filter.category_ids)}
    if rule_filter.group_mode is not None:
        found["groups"] = {"mode": rule_filter.group_mode.value, "ids": list(rule_filter.group_ids)}
    return json.dumps(found, sort_keys=True)


def filter_from_json(text: str) -> RuleFilter:
    """The stored filter."""
    found = json.loads(text or "{}")
    categories, groups = found.get("categories") or {}, found.get("groups") or {}
    return RuleFilter(
        category_mode=CategoryMode(categories["mode"]) if categories else None,
        category_ids=tuple(int(i) for i in categories.get("ids", ())),
        group_mode=GroupMode(groups["mode"]) if groups else None,
        group_ids=tuple(int(i) for i in groups.get("ids", ())),
    )


def actions_to_json(actions: tuple[ActionData, ...]) -> str:
    """The actions as stored, in order."""
    rows = []
    for action in actions:
        row: dict[str, Any] = {"kind": action.kind.value}
        for key in ("category_id", "group_id", "staff_id", "days", "campaign_id"):
            if getattr(action, key) is not None:
                row[key] = getattr(action, key)
        if action.title:
            row["title"] = action.title
        rows.append(row)
    return json.dumps(rows)


def actions_from_json(text: str) -> tuple[ActionData, ...]:
    """The stored actions, in order."""
    return tuple(
        ActionData(
            kind=ActionKind(row["kind"]),
            category_id=row.get("category_id"),
            group_id=row.get("group_id"),
            staff_id=row.get("staff_id"),
            days=row.get("days"),
            title=row.get("title", ""),
            campaign_id=row.get("campaign_id"),
        )
        for row in json.loads(text or "[]")
    )
