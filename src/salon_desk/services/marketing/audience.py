"""A campaign's audience as one SQL condition on ``clients``, and the reason each client is skipped.

Both are SQLAlchemy Core expressions: counts, the preview list and the outbox's
``INSERT … SELECT`` use them as one statement, never a loop over clients in Python.
"""

from __future__ import annotations

import json
from enum import StrEnum

from sqlalchemy import ColumnElement, Integer, and_, case, false, literal_column, not_, or_, select
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.models import Client, ClientMerge, RecipientGroupMember, Segment
from salon_desk.models.campaign import AudienceKind, Channel
from salon_desk.services.clients.sales_year import counted_for
from salon_desk.services.clients.segment_rules import SegmentRules
from salon_desk.services.clients.segment_sql import segment_condition


class SkipReason(StrEnum):
    """Why a client of the audience gets nothing."""

    NO_ADDRESS = "no_address"
    UNSUBSCRIBED = "unsubscribed"
    FAILING = "failing"
    NO_CONSENT = "no_consent"
    MERGED = "merged"  # written by ``services/clients/merge.py`` too (it cannot import this room)
    ERASED = "erased"


SKIP_LABELS = {
    SkipReason.NO_ADDRESS: N_("no address"),
    SkipReason.UNSUBSCRIBED: N_("unsubscribed"),
    SkipReason.FAILING: N_("address failing"),
    SkipReason.NO_CONSENT: N_("no consent"),
    SkipReason.MERGED: N_("card merged into another"),
    SkipReason.ERASED: N_("personal data erased"),
}


def skip_label(reason: str) -> str:
    """The translated reason; an unknown one as it is."""
    try:
        return _(SKIP_LABELS[SkipReason(reason)])
    except ValueError:
        return reason


def parse_ids(text: str) -> tuple[int, ...]:
    """The client ids of a selection audience (stored as JSON)."""
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(int(i) for i in data if isinstance(i, int))


def _inline(ids: tuple[int, ...]) -> list[ColumnElement[int]]:
    # ints written into the SQL: a big selection would pass SQLite's limit of bound parameters
    return [literal_column(str(int(i)), Integer()) for i in ids]


def audience_condition(
    session: Session, kind: AudienceKind, audience_id: int | None, client_ids: tuple[int, ...]
) -> ColumnElement[bool]:
    """The clients the audience names; a vanished segment or group is a ValidationError naming ``audience``."""
    if kind == AudienceKind.SELECTION:
        return Client.id.in_(_inline(client_ids)) if client_ids else false()
    if audience_id is None:
        raise ValidationError(_("Please choose who receives the campaign."), "audience")
    if kind == AudienceKind.SEGMENT:
        segment = session.get(Segment, audience_id)
        if segment is None:
            raise ValidationError(_("The chosen segment no longer exists."), "audience")
        rules = SegmentRules.from_json(segment.rules)
        return segment_condition(rules, sales_year=counted_for(session.connection(), rules))
    if kind == AudienceKind.GROUP:
        return Client.group_id == audience_id
    members = select(RecipientGroupMember.client_id).where(RecipientGroupMember.recipient_group_id == audience_id)
    return Client.id.in_(members)


def skip_reason(channel: Channel, own_similar_services: bool) -> ColumnElement[str | None]:
    """The reason a client gets nothing on ``channel`` (NULL: the client receives it), in SQL.

    Email needs express consent, or, for campaigns marked "own similar services", the
    §7(3) UWG kind of consent (an existing customer who was told of the right to object).
    A card merged into another is closed: a selection made before the merge may still name it.
    """
    if channel == Channel.SMS:
        return case(
            (_closed(), SkipReason.MERGED.value),
            (Client.phone == "", SkipReason.NO_ADDRESS.value),
            (not_(Client.sms_consent), SkipReason.NO_CONSENT.value),
            else_=None,
        )
    consent: ColumnElement[bool] = Client.email_consent
    if own_similar_services:
        consent = or_(Client.email_consent, Client.email_existing_customer)
    return case(
        (_closed(), SkipReason.MERGED.value),
        (Client.email == "", SkipReason.NO_ADDRESS.value),
        (Client.email_unsubscribed_at.is_not(None), SkipReason.UNSUBSCRIBED.value),
        (Client.email_failing_at.is_not(None), SkipReason.FAILING.value),
        (not_(consent), SkipReason.NO_CONSENT.value),
        else_=None,
    )


def receives(channel: Channel, own_similar_services: bool) -> ColumnElement[bool]:
    """The clients who get the message now (the negation of every skip reason)."""
    if channel == Channel.SMS:
        return and_(not_(_closed()), Client.phone != "", Client.sms_consent)
    consent: ColumnElement[bool] = Client.email_consent
    if own_similar_services:
        consent = or_(Client.email_consent, Client.email_existing_customer)
    return and_(
        not_(_closed()), Client.email != "", Client.email_unsubscribed_at.is_(None), Client.email_failing_at.is_(None), consent
    )


def _closed() -> ColumnElement[bool]:
    """The client's card was merged into another."""
    return Client.id.in_(select(ClientMerge.client_id))
