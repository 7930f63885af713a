"""The automation engine: listens for client events and runs the matching active rules in the caller's transaction.

Per event it takes the active rules for that event from a cache (reloaded when the rules'
version number in the database moves, so a rule saved at another desk counts at once),
decides which clients pass each rule's filter, and only then runs the actions (so the rules
see the state the event left, whatever their order). Each action runs in a savepoint: a
failing one is rolled back alone, logged as failed and flags its rule; the change that fired
the event stands. While the engine runs, the session fires no events: what automations
change starts no rule.

One client is filtered in Python from one small query, none when no rule has a filter, and
its run-log lines go in one INSERT (the per-save cost stays tiny); a set
of clients (a bulk change, a daily event) is filtered in SQL over a temporary table, and each
action is one statement over the matched set.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.i18n import _
from salon_desk.models import AppMeta, AutomationRule, Category, Client, ClientCategory
from salon_desk.services import events
from salon_desk.services.categories.labels import refresh_stale
from salon_desk.services.automations import email, scope
from salon_desk.services.automations.actions import CLIENTS_WRITTEN, ActionFailed, already_assigned, run_action
from salon_desk.services.automations.rules import (
    ActionData,
    ActionKind,
    Outcome,
    Rule,
    actions_from_json,
    filter_from_json,
)
from salon_desk.services.events import Event

log = logging.getLogger(__name__)

RULES_VERSION_KEY = "automation_rules_version"
_SESSION_RULES = "salon_desk_automation_rules"
# built once: a save pays for executing them, not for building them
_RULES_VERSION = select(AppMeta.value).where(AppMeta.key == RULES_VERSION_KEY)
_CLIENT_STATE = (
    select(Client.group_id, ClientCategory.category_id, ClientCategory.valid_until, Category.name)
    .outerjoin(ClientCategory, ClientCategory.client_id == Client.id)
    .outerjoin(Category, Category.id == ClientCategory.category_id)
    .where(Client.id == bindparam("client_id"))
)


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
            version = session.scalar(_RULES_VERSION) or "0"
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
        session.info.pop(CLIENTS_WRITTEN, None)
        try:
            ran = self._run(session, event, rules, clients, today)
            refresh_stale(session)  # the labels of every client the actions gave or took a category, once
            return ran
        finally:
            session.info.pop(events.QUIET, None)
            if session.info.pop(CLIENTS_WRITTEN, False):
                _expire_clients(session)

    def _run(
        self, session: Session, event: Event, rules: Sequence[Rule], clients: events.Clients, today: date
    ) -> list[Ran]:
        if isinstance(clients, Select):
            return self._run_set(session, event, rules, clients, today)
        given = list(dict.fromkeys(clients))
        ids = [client_id for client_id in given if client_id is not None]
        if not ids:  # [None]: an event without a client (a sale to nobody)
            return [self._skip(session, event, rule) for rule in rules] if given else []
        if len(ids) == 1:
            return self._run_one(session, event, rules, ids[0], today)
        return self._run_set(session, event, rules, ids, today)

    def _run_one(self, session: Session, event: Event, rules: Sequence[Rule], client_id: int, today: date) -> list[Ran]:
        """One client: filters in Python from one small query, assignments it holds already skipped, one log INSERT.

        The query (none when no rule filters or assigns) reads the client's group and memberships
        with their names: a rule assigning a category the client holds changes nothing and needs
        no SQL beyond its run-log line.
        """
        matched, members = list(rules), None
        assigns = any(action.kind is ActionKind.ASSIGN_CATEGORY for rule in rules for action in rule.actions)
        if assigns or any(not rule.filter.is_empty() for rule in rules):
            rows = session.execute(_CLIENT_STATE, {"client_id": client_id}).all()
            if not rows:
                return []
            group_id = rows[0][0]
            members = {category_id: name for _group, category_id, _until, name in rows if category_id is not None}
            held = frozenset(c for _g, c, until, _n in rows if c is not None and (until is None or until >= today))
            matched = [rule for rule in rules if rule.filter.matches(held, group_id)]
        if not matched:
            return []
        who = Client.id == client_id
        lines: list[dict[str, Any]] = []
        done = [
            self._act(session, event, rule, who, 1, scope.one_client(client_id), today, lines, members, client_id)
            for rule in matched
        ]  # fmt: skip
        scope.log_lines(session, lines, client_id)
        return done

    def _run_set(
        self, session: Session, event: Event, rules: Sequence[Rule], clients: Iterable[int] | Select[Any], today: date
    ) -> list[Ran]:
        scope_table, matches = scope.prepare(session, clients)
        everyone = scope.everyone(session, scope_table)
        # a rule without a filter acts on the whole scope, which stays as it is: nothing to copy
        counts = {
            rule.id: everyone if rule.filter.is_empty() else scope.match(session, scope_table, matches, rule, today)
            for rule in rules
        }  # fmt: skip
        done = []
        whole = scope.SharedClients()  # the run-log pairs of the whole scope, written once for all rules acting on it
        for rule in rules:
            if counts[rule.id] == everyone:  # the filter kept every client (or there is none)
                source, shared = select(scope_table.c.client_id), whole
            elif counts[rule.id]:
                source, shared = scope.matched_clients(matches, rule.id), scope.SharedClients()
            else:
                continue
            who = Client.id.in_(source)
            done.append(self._act(session, event, rule, who, counts[rule.id], source, today, shared=shared))
        return done

    def _act(
        self, session: Session, event: Event, rule: Rule, who: ColumnElement[bool], count: int,
        clients: Select[Any], today: date, lines: list[dict[str, Any]] | None = None,
        members: dict[int, str] | None = None, client_id: int | None = None,
        shared: scope.SharedClients | None = None,
    ) -> Ran:  # fmt: skip
        """Run the rule's actions in order, each in a savepoint, and write the run log (or add to ``lines``).

        ``members``: one client's categories by id (names), kept up to date with what the actions remove;
        ``client_id``: that client. ``shared``: the run-log pairs of ``clients``, once written.
        """
        outcomes = []
        by = _("Automation: {rule}").format(rule=rule.name)
        for action in rule.actions:
            unchanged = already_assigned(action, members, today) if members is not None else None
            if unchanged is not None:
                outcome, done = Outcome.DONE, unchanged
            else:
                outcome, done = self._one_action(session, action, who, today, by, client_id)
                if members is not None and action.kind is ActionKind.REMOVE_CATEGORY:
                    members.pop(action.category_id or 0, None)
            if isinstance(done, email.Queued):  # per client: queued, or skipped with the reason
                email.log_queued(session, rule, event, action, done, clients)
                outcomes.append(outcome)
                continue
            if outcome is Outcome.FAILED:
                scope.flag(session, rule.id, done)
                log.warning("automation rule %s failed: %s", rule.id, done)
            if lines is not None:
                lines.append(scope.log_line(rule, event, action, outcome, done))
            else:
                scope.log_runs(session, rule, event, action, outcome, done, clients, shared)
            outcomes.append(outcome)
        return Ran(rule, count, tuple(outcomes))

    def _one_action(
        self, session: Session, action: ActionData, who: ColumnElement[bool], today: date, by: str,
        client_id: int | None,
    ) -> tuple[Outcome, str | email.Queued]:  # fmt: skip
        try:
            with session.begin_nested():
                return Outcome.DONE, run_action(session, action, who, today, by, client_id)
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
