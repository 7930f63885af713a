"""The "send an email template" action: a campaign's subject and body, queued through the campaign outbox.

The template is any email campaign (the campaign model has no template state, and a
campaign's outbox holds a client once, so a birthday greeting could never go out twice from
the template's own outbox). Each rule queues into a *dispatch* of its own per template and
day: a campaign copied from the template (subject, body, "own similar services"), with a
selection audience of nobody, so queuing it again adds no one, and ``audience_id`` naming
the template. The rows are written in the triggering transaction with the campaigns' own
consent rule (``audience.skip_reason``): queued, or skipped with the same reasons. The
sender (``email_worker``) sends the queued rows after the commit, as Salon Desk itself:
the manager who made the rule allowed it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, case, func, insert, literal, select
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.models import AutomationRun, Client, utcnow
from salon_desk.models.base import UtcDateTime
from salon_desk.models.campaign import AudienceKind, Campaign, CampaignRecipient, CampaignStatus, Channel, RecipientState
from salon_desk.services.automations.rules import ActionData, Outcome, Rule
from salon_desk.services.events import Event
from salon_desk.services.marketing.audience import SKIP_LABELS, skip_reason

AUTOMATION_SENDER = "Salon Desk"


class EmailFailed(Exception):
    """The template cannot be sent (gone, or not an email); ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Queued:
    """What the action put into the outbox: the dispatch campaign and the run log's text."""

    dispatch_id: int
    detail: str


def is_dispatch() -> ColumnElement[bool]:
    """Condition on ``campaigns``: a dispatch of an automation (a selection audience naming its template)."""
    return (Campaign.audience_kind == AudienceKind.SELECTION) & Campaign.audience_id.is_not(None)


def queue_email(session: Session, action: ActionData, who: ColumnElement[bool], today: date, by: str) -> Queued:
    """Queue the template for the clients ``who`` picks (skipped ones with their reason); one INSERT … SELECT."""
    template = session.get(Campaign, action.campaign_id) if action.campaign_id is not None else None
    if template is None:
        raise EmailFailed(_("The email campaign of this action no longer exists. Choose another one in the rule."))
    if template.channel != Channel.EMAIL:
        raise EmailFailed(_("The campaign “{name}” is not an email; choose an email campaign.").format(name=template.name))
    dispatch = _dispatch(session, template, today, by)
    present = select(CampaignRecipient.client_id).where(CampaignRecipient.campaign_id == dispatch.id)
    reason = skip_reason(Channel.EMAIL, template.own_similar_services)
    new = select(
        literal(dispatch.id, Integer()), Client.id,
        case((reason.is_(None), RecipientState.QUEUED.value), else_=RecipientState.SKIPPED.value),
        func.coalesce(reason, ""), literal(0), literal(""), literal(""),
    ).where(who, Client.id.not_in(present))  # fmt: skip
    columns = ["campaign_id", "client_id", "state", "reason", "attempts", "token", "message_id"]
    session.execute(insert(CampaignRecipient).from_select(columns, new))
    if dispatch.status != CampaignStatus.SENDING:
        dispatch.status, dispatch.finished_at = CampaignStatus.SENDING, None
    return Queued(dispatch.id, _("“{subject}”, queued").format(subject=template.subject))


def _dispatch(session: Session, template: Campaign, today: date, by: str) -> Campaign:
    """The dispatch of ``template`` for this rule and day, made on its first use."""
    name = f"{template.name[:60]} · {today.isoformat()}"
    found = session.scalar(
        select(Campaign).where(is_dispatch(), Campaign.audience_id == template.id, Campaign.name == name,
                               Campaign.created_by == by[:100]).limit(1)
    )  # fmt: skip
    if found is not None:
        return found
    dispatch = Campaign(
        name=name, subject=template.subject, body=template.body, channel=Channel.EMAIL,
        audience_kind=AudienceKind.SELECTION, audience_id=template.id, audience_clients="[]",
        own_similar_services=template.own_similar_services, status=CampaignStatus.SENDING, created_by=by[:100],
        queued_at=utcnow(), sender_token="",
    )  # fmt: skip
    session.add(dispatch)
    session.flush()
    return dispatch


def log_queued(session: Session, rule: Rule, event: Event, action: ActionData, queued: Queued,
               clients: Select[Any]) -> None:  # fmt: skip
    """One run-log line per client: done when queued (or already queued today), skipped with the campaigns' reason."""
    ids = clients.subquery()
    row = CampaignRecipient
    skipped = row.state == RecipientState.SKIPPED.value
    labels = [(row.reason == reason.value, literal(_(label), String())) for reason, label in SKIP_LABELS.items()]
    detail = case((skipped, case(*labels, else_=row.reason)), else_=literal(queued.detail, String()))
    outcome = case((skipped, Outcome.SKIPPED.value), else_=Outcome.DONE.value)
    lines = select(
        literal(utcnow(), UtcDateTime()), literal(rule.id, Integer()), literal(rule.name, String()), ids.c[0],
        literal(event.value, String()), literal(action.kind.value, String()), outcome, detail,
    ).select_from(ids.join(row, (row.client_id == ids.c[0]) & (row.campaign_id == queued.dispatch_id)))  # fmt: skip
    columns = ["at", "rule_id", "rule_name", "client_id", "event", "action", "outcome", "detail"]
    session.execute(insert(AutomationRun).from_select(columns, lines))


def waiting(session: Session) -> list[int]:
    """The dispatches with queued rows, oldest first."""
    queued = select(CampaignRecipient.campaign_id).where(CampaignRecipient.state == RecipientState.QUEUED)
    return list(session.scalars(select(Campaign.id).where(is_dispatch(), Campaign.id.in_(queued)).order_by(Campaign.id)))


def send_waiting(db: Database, should_stop: Callable[[], bool] = lambda: False) -> dict[str, int]:
    """Send every queued automation email (as Salon Desk itself); the rows per state over the dispatches sent."""
    from salon_desk.services.common import Actor, Workstation
    from salon_desk.services.marketing.sender import CampaignSender

    with db.read() as session:
        dispatches = waiting(session)
    totals: dict[str, int] = {}
    sender = CampaignSender(db, Workstation(Actor(None, AUTOMATION_SENDER)))
    for dispatch_id in dispatches:
        if should_stop():
            break
        try:
            result = sender.send_pending(dispatch_id, should_stop)
        except SalonError:  # sent at another desk right now, or no mail server yet: the rows stay queued
            continue
        for state, number in result.progress.counts.items():
            totals[state] = totals.get(state, 0) + number
        if result.problem:
            break  # the server is unreachable: the next round tries again
    return totals
