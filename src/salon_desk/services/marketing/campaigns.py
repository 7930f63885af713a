"""Campaigns (managers): write, check and preview a message to an audience, and put it into the outbox.

Counts, skip reasons and the outbox rows come from set-based SQL over the audience's
condition (``audience.py``); no client list is loaded into Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, insert, literal, select
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.models import AppMeta, Client, CustomerGroup
from salon_desk.models.base import utcnow
from salon_desk.models.campaign import (
    CAMPAIGN_NAME_MAX,
    SUBJECT_MAX,
    AudienceKind,
    Campaign,
    CampaignRecipient,
    CampaignStatus,
    Channel,
    RecipientState,
)
from salon_desk.services.common import Changes, Service, check_version, require
from salon_desk.services.marketing.audience import audience_condition, parse_ids, receives, skip_reason
from salon_desk.services.marketing.messages import Letter, Sender, letter
from salon_desk.services.marketing.placeholders import check
from salon_desk.services.marketing.sms import SmsGateway, configured_gateway
from salon_desk.services.marketing.smtp_settings import SmtpSettingsService
from salon_desk.services.permissions import Permission
from salon_desk.services.staff import audit

STATE_LABELS = {
    RecipientState.QUEUED: N_("queued"),
    RecipientState.SENDING: N_("sending"),
    RecipientState.SENT: N_("sent"),
    RecipientState.UNCERTAIN: N_("sent, not confirmed"),
    RecipientState.FAILED: N_("failed"),
    RecipientState.SKIPPED: N_("skipped"),
}


def state_label(state: RecipientState) -> str:
    """The translated state of an outbox row."""
    return _(STATE_LABELS[state])


@dataclass(frozen=True)
class CampaignData:
    """What the editor saves."""

    name: str
    subject: str = ""
    body: str = ""
    channel: Channel = Channel.EMAIL
    audience_kind: AudienceKind = AudienceKind.SEGMENT
    audience_id: int | None = None
    client_ids: tuple[int, ...] = ()
    own_similar_services: bool = False


@dataclass(frozen=True)
class CampaignInfo:
    """A saved campaign with its outbox counts per state."""

    id: int
    data: CampaignData
    status: CampaignStatus
    version: int
    counts: dict[str, int] = field(default_factory=dict)
    queued_at: datetime | None = None

    def count(self, state: RecipientState) -> int:
        """How many outbox rows are in ``state``."""
        return self.counts.get(state.value, 0)


@dataclass(frozen=True)
class Forecast:
    """Before sending: how many receive the campaign, and how many are skipped for which reason."""

    receive: int
    skipped: dict[str, int]

    @property
    def total(self) -> int:
        """Everyone in the audience."""
        return self.receive + sum(self.skipped.values())


@dataclass(frozen=True)
class RecipientRow:
    """One outbox row as the recipients table shows it."""

    id: int
    client_id: int
    name: str
    address: str
    state: RecipientState
    reason: str
    sent_at: datetime | None


def validate(data: CampaignData) -> CampaignData:
    """The data tidied, or a ValidationError naming the field."""
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError(_("Please enter a name for the campaign."), "name")
    if len(name) > CAMPAIGN_NAME_MAX:
        raise ValidationError(_("The name may have at most {max} characters.").format(max=CAMPAIGN_NAME_MAX), "name")
    subject = " ".join(data.subject.split())
    if data.channel == Channel.EMAIL and not subject:
        raise ValidationError(_("Please enter a subject."), "subject")
    if len(subject) > SUBJECT_MAX:
        raise ValidationError(_("The subject may have at most {max} characters.").format(max=SUBJECT_MAX), "subject")
    if not data.body.strip():
        raise ValidationError(_("Please write the message."), "body")
    check(subject, "subject")
    check(data.body, "body")
    if data.audience_kind == AudienceKind.SELECTION:
        if not data.client_ids:
            raise ValidationError(_("The selection holds no clients."), "audience")
    elif data.audience_id is None:
        raise ValidationError(_("Please choose who receives the campaign."), "audience")
    ids = tuple(dict.fromkeys(data.client_ids)) if data.audience_kind == AudienceKind.SELECTION else ()
    return CampaignData(name, subject, data.body.rstrip(), data.channel, data.audience_kind,
                        None if ids else data.audience_id, ids, data.own_similar_services)


def _data(campaign: Campaign) -> CampaignData:
    return CampaignData(campaign.name, campaign.subject, campaign.body, campaign.channel, campaign.audience_kind,
                        campaign.audience_id, parse_ids(campaign.audience_clients), campaign.own_similar_services)


def salon_sender(session: Session, sender_name: str, sender_address: str) -> Sender:
    """The sender of every campaign: the SMTP settings' name and address, and the salon's name."""
    salon = session.scalar(select(AppMeta.value).where(AppMeta.key == "business_name")) or ""
    return Sender(sender_name or salon, sender_address, salon)


def placeholder_values(session: Session, client_id: int, salon_name: str) -> tuple[dict[str, str], str, str]:
    """The placeholder values of one client, its name and its email address."""
    row = session.execute(
        select(Client.first_name, Client.last_name, Client.category_label, CustomerGroup.name, Client.email)
        .select_from(Client).outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
        .where(Client.id == client_id)
    ).one_or_none()
    if row is None:
        raise ValidationError(_("The chosen client no longer exists."), "preview")
    first, last, categories, group, email = row
    values = {"first_name": first, "last_name": last, "client_category": categories, "customer_group": group or "",
              "salon_name": salon_name}
    return values, " ".join(p for p in (first, last) if p), email


class CampaignService(Service):
    """Save, check, preview and queue campaigns; read their outbox."""

    sms: SmsGateway | None = None

    def list(self) -> list[CampaignInfo]:
        """Every campaign, newest first, with its outbox counts."""
        with self.db.read() as session:
            campaigns = list(session.scalars(select(Campaign).order_by(Campaign.id.desc())))
            counts: dict[int, dict[str, int]] = {}
            rows = session.execute(select(CampaignRecipient.campaign_id, CampaignRecipient.state, func.count())
                                   .group_by(CampaignRecipient.campaign_id, CampaignRecipient.state))
            for campaign_id, state, number in rows:
                counts.setdefault(campaign_id, {})[str(state)] = number
            return [self._info(c, counts.get(c.id, {})) for c in campaigns]

    def get(self, campaign_id: int) -> CampaignInfo:
        """One campaign with its outbox counts."""
        with self.db.read() as session:
            campaign = self._get(session, campaign_id)
            return self._info(campaign, self._counts(session, campaign_id))

    def create(self, data: CampaignData) -> tuple[CampaignInfo, Changes]:
        """Save a new draft."""
        self.require(Permission.RUN_CAMPAIGNS)
        clean = validate(data)
        with self.transaction(_("The campaign")) as session:
            audience_condition(session, clean.audience_kind, clean.audience_id, clean.client_ids)
            campaign = Campaign(created_by=self.actor.name[:100])
            _apply(campaign, clean)
            session.add(campaign)
            session.flush()
            audit.record(session, self.actor, audit.Action.CREATE, audit.Entity.CAMPAIGN, campaign.id,
                         subject=campaign.name)
            return self._info(campaign, {}), Changes()

    def update(self, campaign_id: int, version: int | None, data: CampaignData) -> tuple[CampaignInfo, Changes]:
        """Change a draft (a campaign already queued keeps its outbox; only its wording may change)."""
        self.require(Permission.RUN_CAMPAIGNS)
        clean = validate(data)
        with self.transaction(_("The campaign")) as session:
            campaign = self._get(session, campaign_id)
            check_version(campaign, version, _("The campaign"))
            audience_condition(session, clean.audience_kind, clean.audience_id, clean.client_ids)
            if campaign.status != CampaignStatus.DRAFT and _audience_changed(_data(campaign), clean):
                raise ValidationError(_("The campaign is already being sent; its audience can no longer change."),
                                      "audience")
            _apply(campaign, clean)
            session.flush()
            return self._info(campaign, self._counts(session, campaign_id)), Changes()

    def delete(self, campaign_id: int) -> Changes:
        """Delete a campaign and its outbox (refused while messages are on their way)."""
        self.require(Permission.RUN_CAMPAIGNS)
        with self.transaction(_("The campaign")) as session:
            campaign = self._get(session, campaign_id)
            if self._counts(session, campaign_id).get(RecipientState.SENDING.value):
                raise ValidationError(_("The campaign is being sent right now; cancel it first."), "campaign")
            audit.record(session, self.actor, audit.Action.DELETE, audit.Entity.CAMPAIGN, campaign_id,
                         before={"clients": sum(self._counts(session, campaign_id).values())}, subject=campaign.name)
            session.delete(campaign)
            return Changes()

    def forecast(self, data: CampaignData) -> Forecast:
        """Who receives the campaign and who is skipped for which reason: one grouped SQL statement."""
        with self.db.read() as session:
            where = audience_condition(session, data.audience_kind, data.audience_id, data.client_ids)
            reason = skip_reason(data.channel, data.own_similar_services).label("reason")
            inner = select(reason).where(where).subquery()
            rows = session.execute(select(inner.c.reason, func.count()).group_by(inner.c.reason))
            counts = {r: n for r, n in rows}
        receive = counts.pop(None, 0)
        return Forecast(receive, {str(k): v for k, v in counts.items()})

    def preview_clients(self, data: CampaignData, limit: int = 200) -> list[tuple[int, str]]:
        """Up to ``limit`` clients who receive the campaign, by name, for the preview's choice."""
        with self.db.read() as session:
            where = audience_condition(session, data.audience_kind, data.audience_id, data.client_ids)
            rows = session.execute(
                select(Client.id, Client.first_name, Client.last_name)
                .where(where, receives(data.channel, data.own_similar_services))
                .order_by(Client.sort_name, Client.id).limit(limit)
            )
            return [(i, " ".join(p for p in (f, la) if p)) for i, f, la in rows]

    def preview(self, data: CampaignData, client_id: int) -> Letter:
        """The message as ``client_id`` gets it; the placeholders are checked first."""
        check(data.subject, "subject")
        check(data.body, "body")
        settings = SmtpSettingsService(self.db, self.workstation).load()
        with self.db.read() as session:
            sender = salon_sender(session, settings.sender_name, settings.sender_address)
            values, _name, _email = placeholder_values(session, client_id, sender.salon_name)
        return letter(data.subject, data.body, values, sender, data.own_similar_services)

    def queue(self, campaign_id: int) -> CampaignInfo:
        """Put every audience client into the outbox: queued, or skipped with the reason (one INSERT … SELECT).

        Queuing again (after a cancel, or once clients joined the segment) adds only the new ones.
        """
        self.require(Permission.RUN_CAMPAIGNS)
        with self.transaction(_("The campaign")) as session:
            campaign = self._get(session, campaign_id)
            self._check_channel(session, campaign)
            where = audience_condition(session, campaign.audience_kind, campaign.audience_id,
                                       parse_ids(campaign.audience_clients))
            present = select(CampaignRecipient.client_id).where(CampaignRecipient.campaign_id == campaign_id)
            reason = skip_reason(campaign.channel, campaign.own_similar_services)
            new = select(
                literal(campaign_id), Client.id,
                case((reason.is_(None), RecipientState.QUEUED.value), else_=RecipientState.SKIPPED.value),
                func.coalesce(reason, ""), literal(0), literal(""), literal(""),
            ).where(where, Client.id.not_in(present))
            added = session.scalar(select(func.count()).select_from(new.subquery())) or 0
            columns = ["campaign_id", "client_id", "state", "reason", "attempts", "token", "message_id"]
            session.execute(insert(CampaignRecipient).from_select(columns, new))
            campaign.status = CampaignStatus.SENDING
            campaign.queued_at = campaign.queued_at or utcnow()
            campaign.finished_at = None
            audit.record(session, self.actor, audit.Action.CAMPAIGN_SEND, audit.Entity.CAMPAIGN, campaign_id,
                         after={"clients_added": added}, subject=campaign.name)
            session.flush()
            return self._info(campaign, self._counts(session, campaign_id))

    def recipients(self, campaign_id: int, after_id: int = 0, limit: int = 500) -> list[RecipientRow]:
        """A page of the outbox, by row id after ``after_id`` (keyset)."""
        with self.db.read() as session:
            rows = session.execute(
                select(CampaignRecipient.id, CampaignRecipient.client_id, Client.first_name, Client.last_name,
                       Client.email, CampaignRecipient.state, CampaignRecipient.reason, CampaignRecipient.sent_at)
                .join(Client, Client.id == CampaignRecipient.client_id)
                .where(CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.id > after_id)
                .order_by(CampaignRecipient.id).limit(limit)
            )
            return [RecipientRow(i, c, " ".join(p for p in (f, la) if p), e, RecipientState(s), r, t)
                    for i, c, f, la, e, s, r, t in rows]

    def _check_channel(self, session: Session, campaign: Campaign) -> None:
        if campaign.channel == Channel.SMS:
            gateway = self.sms or configured_gateway()
            if not gateway.configured:
                raise ValidationError(_("No SMS provider is set up yet; SMS campaigns cannot be sent."), "channel")
            return
        if not SmtpSettingsService(self.db, self.workstation).load().configured:
            raise ValidationError(_("Please set up the mail server first (Settings, Email)."), "smtp")

    def _get(self, session: Session, campaign_id: int) -> Campaign:
        campaign = require(session.get(Campaign, campaign_id), _("The campaign"))
        assert isinstance(campaign, Campaign)
        return campaign

    @staticmethod
    def _counts(session: Session, campaign_id: int) -> dict[str, int]:
        rows = session.execute(select(CampaignRecipient.state, func.count())
                               .where(CampaignRecipient.campaign_id == campaign_id).group_by(CampaignRecipient.state))
        return {str(s): n for s, n in rows}

    @staticmethod
    def _info(campaign: Campaign, counts: dict[str, int]) -> CampaignInfo:
        return CampaignInfo(campaign.id, _data(campaign), campaign.status, campaign.version, counts, campaign.queued_at)


def _apply(campaign: Campaign, data: CampaignData) -> None:
    campaign.name, campaign.subject, campaign.body = data.name, data.subject, data.body
    campaign.channel, campaign.audience_kind, campaign.audience_id = data.channel, data.audience_kind, data.audience_id
    campaign.audience_clients = json.dumps(list(data.client_ids))
    campaign.own_similar_services = data.own_similar_services


def _audience_changed(old: CampaignData, new: CampaignData) -> bool:
    return (old.channel, old.audience_kind, old.audience_id, old.client_ids, old.own_similar_services) != (
        new.channel, new.audience_kind, new.audience_id, new.client_ids, new.own_similar_services)
