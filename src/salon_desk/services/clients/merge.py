"""Merging two cards of one client: everything moves to the card kept, the other is closed (DESIGN §3, §8).

Memberships (the later valid-until wins where both have a category), the customer
group (the kept card's, unless it has none), consent records, recipient lists, tasks
and notes move; the closed card's campaign messages stay as history (its queued ones are
skipped); the sales stay as they were sold (sales are immutable) and the kept
card's visit history lists them through ``client_merges``. One transaction, one audit
entry naming both cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import Client, ClientCategory, ClientMerge, ConsentRecord, RecipientGroupMember, Task, utcnow
from salon_desk.models.campaign import CampaignRecipient, RecipientState
from salon_desk.models.data import ClientErasure
from salon_desk.services.categories.labels import refresh_labels
from salon_desk.services.common import Actor
from salon_desk.services.staff import audit
from salon_desk.textindex import LEAD_MARK


@dataclass(frozen=True)
class MergedInto:
    """Where a closed card went: the card kept, its name, and when."""

    client_id: int
    name: str
    merged_at: datetime


def client_name(client: Client) -> str:
    """"Anna Müller", or one of the names."""
    return " ".join(part for part in (client.first_name, client.last_name) if part)


def merged_into(session: Session, client_id: int) -> MergedInto | None:
    """The card this one was merged into, or None for an open card."""
    row = session.get(ClientMerge, client_id)
    if row is None:
        return None
    kept = session.get(Client, row.merged_into_id)
    return MergedInto(row.merged_into_id, client_name(kept) if kept else "", row.merged_at)


def merged_from(session: Session, client_id: int) -> tuple[int, ...]:
    """The cards merged into this one (directly or through a card merged into it later)."""
    found: set[int] = set()
    wanted = [client_id]
    while wanted:
        rows = session.scalars(select(ClientMerge.client_id).where(ClientMerge.merged_into_id.in_(wanted))).all()
        wanted = [row for row in rows if row not in found]
        found.update(wanted)
    return tuple(sorted(found))


def merge(session: Session, actor: Actor, keep_id: int, other_id: int) -> None:
    """Move everything of ``other_id`` to ``keep_id`` and close ``other_id``, inside the caller's transaction."""
    keep, other = _open_card(session, keep_id), _open_card(session, other_id)
    if keep.id == other.id:
        raise ValidationError(_("Please choose another card to merge with."), "other")
    names = {"kept": _label(keep), "merged": _label(other)}
    _move_memberships(session, keep.id, other.id)
    session.execute(update(ConsentRecord).where(ConsentRecord.client_id == other.id).values(client_id=keep.id))
    session.execute(update(Task).where(Task.client_id == other.id).values(client_id=keep.id))
    _move_recipient_lists(session, keep.id, other.id)
    _stop_campaign_messages(session, other.id)
    if keep.group_id is None and other.group_id is not None:
        audit.record_group_change(session, actor, keep.id, None, other.group_id, client_name(keep))
        keep.group_id = other.group_id
    if other.notes.strip():
        heading = _("From the merged card no. {id}:").format(id=other.id)
        keep.notes = "\n\n".join(part for part in (keep.notes.rstrip(), f"{heading}\n{other.notes.strip()}") if part)
    keep.last_visit = max(filter(None, (keep.last_visit, other.last_visit)), default=None)
    keep.updated_at = utcnow()
    _close(session, other, keep.id, actor)
    refresh_labels(session, Client.id.in_([keep.id, other.id]))
    audit.record(session, actor, audit.Action.MERGE, audit.Entity.CLIENT, keep.id, after=names,
                 subject=client_name(keep))  # fmt: skip


def _open_card(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None or session.get(ClientErasure, client_id) is not None:
        raise ValidationError(_("This client card no longer exists."), "other")
    if session.get(ClientMerge, client_id) is not None:
        raise ValidationError(_("This client card was already merged into another one."), "other")
    return client


def _label(client: Client) -> str:
    return _("{name} (no. {id})").format(name=client_name(client), id=client.id)


def _better(first: date | None, second: date | None) -> date | None:
    """The longer validity: no end date beats any date, a later date an earlier one."""
    if first is None or second is None:
        return None
    return max(first, second)


def _move_memberships(session: Session, keep_id: int, other_id: int) -> None:
    kept = {m.category_id: m for m in session.scalars(select(ClientCategory).where(ClientCategory.client_id == keep_id))}
    for moving in session.scalars(select(ClientCategory).where(ClientCategory.client_id == other_id)).all():
        mine = kept.get(moving.category_id)
        if mine is None:
            session.add(ClientCategory(client_id=keep_id, category_id=moving.category_id, valid_until=moving.valid_until,
                                       proof_note=moving.proof_note, assigned_at=moving.assigned_at,
                                       assigned_by=moving.assigned_by))  # fmt: skip
        elif _better(mine.valid_until, moving.valid_until) != mine.valid_until:
            mine.valid_until, mine.proof_note = moving.valid_until, moving.proof_note or mine.proof_note
    session.execute(delete(ClientCategory).where(ClientCategory.client_id == other_id))
    session.flush()


def _move_recipient_lists(session: Session, keep_id: int, other_id: int) -> None:
    mine = select(RecipientGroupMember.recipient_group_id).where(RecipientGroupMember.client_id == keep_id)
    session.execute(
        update(RecipientGroupMember)
        .where(RecipientGroupMember.client_id == other_id, RecipientGroupMember.recipient_group_id.not_in(mine))
        .values(client_id=keep_id)
    )
    session.execute(delete(RecipientGroupMember).where(RecipientGroupMember.client_id == other_id))


def _stop_campaign_messages(session: Session, other_id: int) -> None:
    """The closed card's campaign rows stay as history; its queued messages are skipped, never sent.

    (Resuming a campaign to a list or segment queues the card kept, which now stands in it.)
    """
    session.execute(
        update(CampaignRecipient)
        .where(CampaignRecipient.client_id == other_id, CampaignRecipient.state == RecipientState.QUEUED)
        .values(state=RecipientState.SKIPPED, reason="merged"),  # marketing's SkipReason.MERGED
        execution_options={"synchronize_session": False},
    )


def _close(session: Session, other: Client, keep_id: int, actor: Actor) -> None:
    """The closed card leaves the list, search, segments and check-in: no search words, a merge row."""
    session.flush()
    session.execute(
        update(Client).where(Client.id == other.id).values(
            search_text=LEAD_MARK, phone_digits="", email_key="", group_id=None, version=Client.version + 1,
            updated_at=utcnow()),  # fmt: skip
        execution_options={"synchronize_session": False},
    )
    session.add(ClientMerge(client_id=other.id, merged_into_id=keep_id, merged_at=utcnow(), merged_by=actor.name[:100]))
    session.expire(other)
