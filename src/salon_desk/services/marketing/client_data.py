"""What the campaign tables hold about one client: listed in the client's GDPR export, forgotten on erasure.

The outbox keeps no address of its own (the sender reads it from the client when it
sends), but a failed row keeps the server's reply, and replies often name the address
("550 5.1.1 <anna@example.de>: user unknown").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from salon_desk.models import AppMeta
from salon_desk.models.campaign import Campaign, CampaignRecipient, RecipientState
from salon_desk.services.marketing.audience import SkipReason, skip_label
from salon_desk.services.marketing.campaigns import placeholder_values
from salon_desk.services.marketing.placeholders import fill


def campaign_messages(session: Session, client_id: int) -> list[dict[str, Any]]:
    """The client's campaign messages, oldest first: campaign, subject as the client got it, when, state and why."""
    rows = session.execute(
        select(Campaign.name, Campaign.subject, Campaign.queued_at, CampaignRecipient.state, CampaignRecipient.sent_at,
               CampaignRecipient.reason)
        .join(Campaign, Campaign.id == CampaignRecipient.campaign_id)
        .where(CampaignRecipient.client_id == client_id)
        .order_by(CampaignRecipient.id)
    ).all()
    if not rows:
        return []
    salon = session.scalar(select(AppMeta.value).where(AppMeta.key == "business_name")) or ""
    values, _name, _email = placeholder_values(session, client_id, salon)
    return [
        {"campaign": name, "subject": fill(subject, values), "queued_at": queued_at, "sent_at": sent_at,
         "state": RecipientState(state).value,
         "reason": skip_label(reason) if state == RecipientState.SKIPPED else reason}
        for name, subject, queued_at, state, sent_at, reason in rows
    ]


def forget_recipients(session: Session, client_ids: list[int]) -> None:
    """Erasure: the rows stay (the campaign's counts), without the servers' replies; queued rows never go out."""
    mine = CampaignRecipient.client_id.in_(client_ids)
    options = {"synchronize_session": False}
    session.execute(update(CampaignRecipient).where(mine, CampaignRecipient.state == RecipientState.QUEUED)
                    .values(state=RecipientState.SKIPPED, reason=SkipReason.ERASED.value), execution_options=options)
    session.execute(update(CampaignRecipient).where(mine, CampaignRecipient.state != RecipientState.SKIPPED)
                    .values(reason=""), execution_options=options)
