"""The automation engine: listens for client events and runs the matching active rules in the caller's transaction.

Per event it takes the active rules for that event from a cache (reloaded when the rules'
version number in the database moves, so a rule saved at another desk counts at once),
decides which clients pass each rule's filter, and only then runs the actions (so the rules
see the state the event left, whatever their order). Each action runs in a savepoint: a
failing one is rolled back alone, logged as failed and flags its rule; the change that fired
the event stands. While the engine runs, the session fires no events: what automations
change starts no rule.

One client is filtered in Python from two small queries (the per-save cost stays tiny); a set
of clients (a bulk change, a daily event) is filtered in SQL over a temporary table, and each
action is one statement over the matched set.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.i18n import _
from salon_desk.models import AppMeta, AutomationRule, Client, ClientCategory
from salon_desk.services import events
from salon_desk.services.automations import email, scope
from salon_desk.services.automations.actions import ActionFailed, run_action
from salon_desk.services.automations.rules import (
    ActionData,
    Outcome,
    Rule,
    actions_from_json,
    filter_from_json,
)
from salon_desk.services.events import Event

log = logging.getLogger(__name__)

RULES_VERSION_KEY = "automation_rules_version"
_SESSION_RULES = "salon_desk_automation_rules"


@dataclass(frozen=True)
class Ran:
    """What one rule did to its matched clients: one entry per action."""

    rule: Rule
    clients: int
    outcomes: tuple[Outcome, ...]


class AutomationEngine:
    """The events listener of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._version: str | None = None
        self._by_event: dict[str, list[Rule]] = {}
        self.stop = events.listen(db.engine, self)

    # -- the rules, cached -----------------------------------------------------------

    def rules_for(self, session: Session, event: Event) -> list[Rule]:
        """The active rules of ``event``, checked against the rules' version once per transaction."""
        by_event = session.info.get(_SESSION_RULES)
        if by_event is None:
            version = session.scalar(select(AppMeta.value).where(AppMeta.key == RULES_VERSION_KEY)) or "0"
            if version != self._version:
                self._by_event = _load(session)
                self._version = version
            by_event = session.info[_SESSION_RULES] = self._by_event
        return by_event.get(event.value, [])

    def wants(self, session: Session, event: Event) -> bool:
        """True when an active rule waits for ``event``."""
        return bool(self.rules_for(session, event))

    # -- events ----------------------------------------------------------------------------

    def __call__(self, session: Session, event: Event, clients: events.Clients, details: dict[str, Any]) -> None:
        rules = [rule for rule in self.rules_for(session, event) if _applies(rule, details)]
        if rules:
            self.run(session, event, rules, clients, date.today())

    def run(
        self, session: Session, event: Event, rules: Sequence[Rule], clients: events.Clients, today: date
    ) -> list[Ran]:
        """Run ``rules`` for ``clients`` (ids or a SELECT of ids) in the session's transaction."""
        session.flush()
        session.info[events.QUIET] = True
        try:
            if isinstance(clients, Select):
                return self._run_set(session, event, rules, clients, today)
            given = list(dict.fromkeys(clients))
            ids = [client_id for client_id in given if client_id is not None]
            if not ids:  # [None]: an event without a client (a sale to nobody)
                return [self._skip(session, event, rule) for rule in rules] if given else []
            if len(ids) == 1:
                return self._run_one(session, event, rules, ids[0], today)
            return self._run_set(session, event, rules, ids, today)
        finally:
            session.info.pop(events.QUIET, None)
            _expire_clients(session)

    def _run_one(self, session: Session, event: Event, rules: Sequence[Rule], client_id: int, today: date) -> list[Ran]:
        held = frozenset(
            session.scalars(
                select(ClientCategory.category_id).where(ClientCategory.client_id == client_id, scope.unexpired(today))
            )
        )
        group_id = session.scalar(select(Client.group_id).where(Client.id == client_id))
        matched = [rule for rule in rules if rule.filter.matches(held, group_id)]
        who = Client.id == client_id
        return [self._act(session, event, rule, who, 1, scope.one_client(client_id), today) for rule in matched]

    def _run_set(
        self, session: Session, event: Event, rules: Sequence[Rule], clients: Iterable[int] | Select[Any], today: date
    ) -> list[Ran]:
        scope_table, matches = scope.prepare(session, clients)
        counts = {rule.id: scope.match(session, scope_table, matches, rule, today) for rule in rules}
        done = []
        for rule in rules:
            if counts[rule.id]:
                who = Client.id.in_(select(matches.c.client_id).where(matches.c.rule_id == rule.id))
                source = scope.matched_clients(matches, rule.id)
                done.append(self._act(session, event, rule, who, counts[rule.id], source, today))
        return done

    def _act(
        self, session: Session, event: Event, rule: Rule, who: ColumnElement[bool], count: int,
        clients: Select[Any], today: date,
    ) -> Ran:  # fmt: skip
        """Run the rule's actions in order, each in a savepoint, and write the run log."""
        outcomes = []
        by = _("Automation: {rule}").format(rule=rule.name)
        for action in rule.actions:
            outcome, done = self._one_action(session, action, who, today, by)
            if isinstance(done, email.Queued):  # per client: queued, or skipped with the reason
                email.log_queued(session, rule, event, action, done, clients)
                outcomes.append(outcome)
                continue
            if outcome is Outcome.FAILED:
                scope.flag(session, rule.id, done)
                log.warning("automation rule %s failed: %s", rule.id, done)
            scope.log_runs(session, rule, event, action, outcome, done, clients)
            outcomes.append(outcome)
        return Ran(rule, count, tuple(outcomes))

    def _one_action(
        self, session: Session, action: ActionData, who: ColumnElement[bool], today: date, by: str
    ) -> tuple[Outcome, str | email.Queued]:
        try:
            with session.begin_nested():
                return Outcome.DONE, run_action(session, action, who, today, by)
        except ActionFailed as failure:
            return Outcome.FAILED, failure.message
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
            return Outcome.FAILED, _("The database refused the action: {reason}").format(reason=reason)

    def _skip(self, session: Session, event: Event, rule: Rule) -> Ran:
        """An event without a client (a sale to nobody): every action is skipped, and logged so."""
        for action in rule.actions:
            scope.log_runs(session, rule, event, action, Outcome.SKIPPED, _("The event has no client."), None)
        return Ran(rule, 0, tuple(Outcome.SKIPPED for _action in rule.actions))


def _load(session: Session) -> dict[str, list[Rule]]:
    """The active rules, by event, in the order they were created."""
    by_event: dict[str, list[Rule]] = {}
    for row in session.scalars(
        select(AutomationRule).where(AutomationRule.active.is_(True)).order_by(AutomationRule.id)
    ):
        by_event.setdefault(row.event, []).append(rule_of(row))
    return by_event


def rule_of(row: AutomationRule) -> Rule:
    """The rule a stored row holds."""
    return Rule(
        id=row.id,
        version=row.version,
        name=row.name,
        event=Event(row.event),
        event_param=row.event_param,
        filter=filter_from_json(row.filter),
        actions=actions_from_json(row.actions),
        active=row.active,
        template=row.template,
        needs=row.needs,
        failure=row.failure,
        failed=row.failed_at is not None,
    )


def _applies(rule: Rule, details: dict[str, Any]) -> bool:
    """A rule naming a category (or group) reacts only to events about it."""
    if rule.event_param is None:
        return True
    if rule.event in (Event.CATEGORY_ASSIGNED, Event.CATEGORY_REMOVED):
        return details.get("category_id") == rule.event_param
    if rule.event is Event.GROUP_CHANGED:
        return details.get("group_id") == rule.event_param
    return True


def _expire_clients(session: Session) -> None:
    """Clients and memberships the session holds are read again: the actions wrote past the ORM."""
    for instance in list(session.identity_map.values()):
        if isinstance(instance, Client | ClientCategory):
            session.expire(instance)


def bump_rules_version(session: Session) -> None:
    """Tell every desk's engine that the rules changed (called in the transaction that changes them)."""
    row = session.get(AppMeta, RULES_VERSION_KEY)
    if row is None:
        session.add(AppMeta(key=RULES_VERSION_KEY, value="1"))
    else:
        row.value = str(int(row.value or "0") + 1)
    session.info.pop(_SESSION_RULES, None)


__all__ = ["AutomationEngine", "Ran", "bump_rules_version", "rule_of"]
