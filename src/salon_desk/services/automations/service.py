"""Automation rules for managers: list, edit, switch on and off, read the run log, run the daily events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import AutomationRule, AutomationRun, AutomationRunClient, Category, CustomerGroup, StaffMember
from salon_desk.models.automation import NOT_DONE
from salon_desk.services.automations import daily
from salon_desk.services.automations.engine import AutomationEngine, bump_rules_version, rule_of
from salon_desk.services.automations.rules import (
    ActionKind,
    Outcome,
    Rule,
    RuleData,
    actions_to_json,
    filter_to_json,
    validate_rule,
)
from salon_desk.services.common import Changes, Service, Workstation, check_version, require
from salon_desk.services.events import Event
from salon_desk.services.permissions import Permission

RUN_LOG_LIMIT = 1000
"""The run log shows at most this many lines at once (the newest first)."""
CATEGORY_NEEDED = "category"


@dataclass(frozen=True)
class RuleRow:
    """A rule as the rules page lists it, with its last run."""

    rule: Rule
    last_run: datetime | None

    @property
    def id(self) -> int:
        """The rule's id (the table keeps the selection by it)."""
        return self.rule.id


@dataclass(frozen=True)
class RunRow:
    """A line of the run log."""

    id: int
    at: datetime
    rule_id: int | None
    rule_name: str
    client_id: int | None
    client_name: str
    event: str
    action: str
    outcome: str
    detail: str


class AutomationService(Service):
    """The rules of one database and the engine that runs them."""

    def __init__(self, db: Database, workstation: Workstation | None = None) -> None:
        super().__init__(db, workstation)
        self.engine = AutomationEngine(db)

    # -- reading ---------------------------------------------------------------------

    def list(self) -> list[RuleRow]:
        """Every rule with the time of its last run, by name."""
        with self.db.read() as session:
            newest = select(AutomationRun.rule_id, func.max(AutomationRun.at)).group_by(AutomationRun.rule_id)
            last = {rule_id: at for rule_id, at in session.execute(newest)}
            rows = session.scalars(select(AutomationRule).order_by(func.lower(AutomationRule.name), AutomationRule.id))
            return [RuleRow(rule_of(row), last.get(row.id)) for row in rows]

    def get(self, rule_id: int) -> Rule:
        """The rule as stored now."""
        with self.db.read() as session:
            return rule_of(self._row(session, rule_id))

    def run_log(
        self, rule_id: int | None = None, outcome: Outcome | str | None = None, limit: int = RUN_LOG_LIMIT
    ) -> list[RunRow]:
        """The newest run-log lines, a line per client, of one rule and/or one outcome."""
        from salon_desk.models import Client

        pair = AutomationRunClient
        client_id = func.coalesce(pair.client_id, AutomationRun.client_id)
        query = (
            select(AutomationRun, client_id, Client.first_name, Client.last_name)
            .outerjoin(pair, pair.run_id == AutomationRun.client_set)
            .outerjoin(Client, Client.id == client_id)
            .where(~(AutomationRun.client_set.is_not(None) & pair.client_id.is_(None)))  # its clients all deleted
            .order_by(AutomationRun.id.desc(), pair.client_id.desc())
            .limit(limit)
        )
        if rule_id is not None:
            query = query.where(AutomationRun.rule_id == rule_id)
        if outcome is not None:
            query = query.where(AutomationRun.outcome == str(outcome))
            if str(outcome) != Outcome.DONE:
                query = query.where(NOT_DONE)  # the outcome index holds these lines only
        with self.db.read() as session:
            return [
                RunRow(
                    run.id,
                    run.at,
                    run.rule_id,
                    run.rule_name,
                    client,
                    " ".join(part for part in (first or "", last or "") if part),
                    run.event,
                    run.action,
                    run.outcome,
                    run.detail,
                )  # fmt: skip
                for run, client, first, last in session.execute(query)
            ]

    # -- editing ---------------------------------------------------------------------

    def create(self, data: RuleData) -> tuple[Rule, Changes]:
        """Save a new rule."""
        self.require(Permission.EDIT_AUTOMATIONS)
        clean = validate_rule(data)
        with self.transaction(_("The rule")) as session:
            _check_references(session, clean)
            row = AutomationRule(failure="", needs="")
            _apply(row, clean)
            session.add(row)
            session.flush()
            bump_rules_version(session)
            return rule_of(row), Changes(automations=True)

    def update(self, rule_id: int, version: int | None, data: RuleData) -> tuple[Rule, Changes]:
        """Save an edited rule (its failure flag is cleared: the manager has looked at it)."""
        self.require(Permission.EDIT_AUTOMATIONS)
        clean = validate_rule(data)
        with self.transaction(_("The rule")) as session:
            row = self._row(session, rule_id)
            check_version(row, version, _("The rule “{name}”").format(name=row.name))
            _check_references(session, clean)
            _apply(row, clean)
            row.needs, row.failed_at, row.failure = "", None, ""
            session.flush()
            bump_rules_version(session)
            return rule_of(row), Changes(automations=True)

    def set_active(self, rule_id: int, active: bool) -> Changes:
        """Switch a rule on (only a complete one) or off."""
        self.require(Permission.EDIT_AUTOMATIONS)
        with self.transaction(_("The rule")) as session:
            row = self._row(session, rule_id)
            if active:
                rule = rule_of(row)
                _check_references(session, validate_rule(rule))
                row.needs = ""
            row.active = active
            bump_rules_version(session)
            return Changes(automations=True)

    def delete(self, rule_id: int) -> Changes:
        """Delete a rule; its run-log lines stay, with its name."""
        self.require(Permission.EDIT_AUTOMATIONS)
        with self.transaction(_("The rule")) as session:
            session.delete(self._row(session, rule_id))
            bump_rules_version(session)
            return Changes(automations=True)

    # -- daily events and templates ---------------------------------------------------

    def run_daily(self, today: date | None = None) -> daily.DailyResult | None:
        """Run today's birthday and no-visit rules, unless a desk did so already today (then None)."""
        try:
            with self.db.transaction() as session:
                return daily.run(session, self.engine, today or date.today())
        except IntegrityError:  # another desk marked the day first and ran them
            return None

    def ensure_templates(self) -> bool:
        """Create the shipped rule templates (inactive) once per database; True if created now."""
        from salon_desk.services.automations.templates import create_templates, upgrade_templates

        with self.transaction(_("The rule")) as session:
            upgrade_templates(session)
            return create_templates(session)

    def emails_waiting(self) -> bool:
        """True when automation emails wait in the outbox (the desk then starts the sender)."""
        from salon_desk.services.automations.email import waiting

        with self.db.read() as session:
            return bool(waiting(session))

    def email_templates(self) -> list[tuple[int, str]]:
        """The email campaigns a rule can send (not the automations' own dispatches), by name."""
        from salon_desk.models.campaign import Campaign, Channel
        from salon_desk.services.automations.email import is_dispatch

        with self.db.read() as session:
            rows = session.execute(
                select(Campaign.id, Campaign.name).where(Campaign.channel == Channel.EMAIL, ~is_dispatch())
                .order_by(func.lower(Campaign.name), Campaign.id)
            )
            return [(campaign_id, name) for campaign_id, name in rows]

    def _row(self, session: Session, rule_id: int) -> AutomationRule:
        row = require(session.get(AutomationRule, rule_id), _("The rule"))
        assert isinstance(row, AutomationRule)
        return row


def _apply(row: AutomationRule, data: RuleData) -> None:
    row.name = data.name
    row.active = data.active
    assert data.event is not None
    row.event = data.event.value
    row.event_param = data.event_param if data.event in _PARAM_EVENTS else None
    row.filter = filter_to_json(data.filter)
    row.actions = actions_to_json(data.actions)


_PARAM_EVENTS = frozenset({Event.CATEGORY_ASSIGNED, Event.CATEGORY_REMOVED, Event.GROUP_CHANGED, Event.NO_VISIT})


def _check_references(session: Session, data: RuleData) -> None:
    """Refuse a rule naming a category, group or staff member that no longer exists, naming the field."""

    def known(model: type, ids: set[int]) -> set[int]:
        return set(session.scalars(select(model.id).where(model.id.in_(ids)))) if ids else set()  # type: ignore[attr-defined]

    gone = _("The chosen category no longer exists.")
    if data.event in (Event.CATEGORY_ASSIGNED, Event.CATEGORY_REMOVED) and data.event_param is not None:
        if not known(Category, {data.event_param}):
            raise ValidationError(gone, "event_category")
    if data.event is Event.GROUP_CHANGED and data.event_param is not None:
        if not known(CustomerGroup, {data.event_param}):
            raise ValidationError(_("The chosen customer group no longer exists."), "event_group")
    if set(data.filter.category_ids) - known(Category, set(data.filter.category_ids)):
        raise ValidationError(_("A category of the filter no longer exists."), "filter_categories")
    if set(data.filter.group_ids) - known(CustomerGroup, set(data.filter.group_ids)):
        raise ValidationError(_("A customer group of the filter no longer exists."), "filter_groups")
    for n, action in enumerate(data.actions, start=1):
        where = f"actions[{n}]"
        if action.category_id is not None and not known(Category, {action.category_id}):
            raise ValidationError(_("Action {n}: the chosen category no longer exists.").format(n=n), where)
        if action.kind is ActionKind.SET_GROUP and action.group_id is not None:
            if not known(CustomerGroup, {action.group_id}):
                raise ValidationError(_("Action {n}: the chosen customer group no longer exists.").format(n=n), where)
        if action.kind is ActionKind.SEND_EMAIL and action.campaign_id is not None:
            _check_template(session, action.campaign_id, n, where)
        if action.kind is ActionKind.CREATE_TASK and action.staff_id is not None:
            if not known(StaffMember, {action.staff_id}):
                raise ValidationError(_("Action {n}: the chosen staff member no longer exists.").format(n=n), where)


def _check_template(session: Session, campaign_id: int, n: int, where: str) -> None:
    from salon_desk.models.campaign import Campaign, Channel

    channel = session.scalar(select(Campaign.channel).where(Campaign.id == campaign_id))
    if channel is None:
        raise ValidationError(_("Action {n}: the chosen email campaign no longer exists.").format(n=n), where)
    if channel != Channel.EMAIL:
        raise ValidationError(_("Action {n}: the chosen campaign is not an email.").format(n=n), where)
