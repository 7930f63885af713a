"""Campaigns (a message to an audience of clients) and their outbox: one row per recipient."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, TimestampMixin, UtcDateTime, VersionedMixin, enum_column

CAMPAIGN_NAME_MAX = 80
SUBJECT_MAX = 200


class Channel(StrEnum):
    """How a campaign reaches its clients."""

    EMAIL = "email"
    SMS = "sms"


class AudienceKind(StrEnum):
    """Who a campaign is written to."""

    SEGMENT = "segment"
    GROUP = "group"
    RECIPIENTS = "recipients"
    SELECTION = "selection"


class CampaignStatus(StrEnum):
    """Draft until it is sent; sending while rows are queued; done when none are left."""

    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"


class RecipientState(StrEnum):
    """The life of one outbox row (see ``services/marketing/sender.py`` for the rule on "sending")."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    UNCERTAIN = "uncertain"
    FAILED = "failed"
    SKIPPED = "skipped"


class Campaign(VersionedMixin, TimestampMixin, Base):
    """A message with placeholders to an audience; ``audience_clients`` holds the ids of a selection (JSON)."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(CAMPAIGN_NAME_MAX))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 10), default=Channel.EMAIL)
    audience_kind: Mapped[AudienceKind] = mapped_column(enum_column(AudienceKind), default=AudienceKind.SEGMENT)
    audience_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audience_clients: Mapped[str] = mapped_column(Text, default="[]")
    own_similar_services: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[CampaignStatus] = mapped_column(enum_column(CampaignStatus), default=CampaignStatus.DRAFT)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # One desk sends a campaign at a time: its token, refreshed with every message it sends.
    sender_token: Mapped[str] = mapped_column(String(40), default="")
    sender_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class CampaignRecipient(Base):
    """One client of a campaign's outbox: queued, sending, sent, uncertain, failed (server's reply) or skipped (reason).

    The address is not copied here: the sender reads it from the client when it sends, so an
    erased client leaves no address behind.
    """

    __tablename__ = "campaign_recipients"
    __table_args__ = (
        UniqueConstraint("campaign_id", "client_id"),
        Index("ix_campaign_recipients_state", "campaign_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    state: Mapped[RecipientState] = mapped_column(enum_column(RecipientState), default=RecipientState.QUEUED)
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    token: Mapped[str] = mapped_column(String(40), default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
