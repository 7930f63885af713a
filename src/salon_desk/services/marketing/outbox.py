"""The outbox's bookkeeping: each state change of a recipient row is its own committed transaction.

The rule that keeps a message from going out twice (see ``sender.py`` for the order of steps):

1. The whole message is handed to the server except the final "." that ends SMTP's DATA.
2. The row becomes ``sending`` (with this run's token and the Message-ID), committed.
3. One line "row id" is appended to this run's journal file (no fsync: it only has to
   survive the death of the process, and the kernel keeps written pages when a process dies).
4. The final "." goes out; the server answers.
5. On "250" the row becomes ``sent`` with its time, committed at once.

A row found in ``sending`` when a campaign is taken up again is judged by the journal:
without its line the "." never left, the server dropped the half message, and the row is
queued again (with the same Message-ID). With its line (or without a journal, when
another computer's sender died) the message may have arrived: the row becomes
``uncertain`` and is never re-sent by itself. The one moment that can lose a message is
between steps 3 and 4, a few microseconds of Python; a message can never be sent twice.
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, or_, select, update

from salon_desk import paths
from salon_desk.db import Database
from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import Client, CustomerGroup
from salon_desk.models.base import utcnow
from salon_desk.models.campaign import Campaign, CampaignRecipient, CampaignStatus, RecipientState
from salon_desk.services.marketing.audience import skip_reason

STALE_AFTER = timedelta(minutes=2)
"""A campaign's sender on another computer that has not sent for this long is taken to be gone."""


@dataclass(frozen=True)
class OutboxRow:
    """A queued row with what the message needs; ``skip`` is set when the client may no longer receive it."""

    id: int
    client_id: int
    email: str
    first_name: str
    last_name: str
    categories: str
    group: str
    message_id: str
    skip: str | None


def journal_dir() -> Path:
    """Where the senders on this computer keep their journals."""
    return paths.private_dir(paths.home_dir() / "outbox")


class Journal:
    """This run's journal: the ids of rows whose final "." may have left; locked while the run lives."""

    def __init__(self, token: str) -> None:
        self.path = journal_dir() / f"{token}.journal"
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if not _try_lock(self.fd):
            raise RuntimeError("journal already locked")

    def mark(self, row_id: int) -> None:
        """Record that the final "." of ``row_id`` is about to leave."""
        os.write(self.fd, f"{row_id}\n".encode())

    def close(self, remove: bool) -> None:
        """Unlock, and delete the journal once nothing in the outbox needs it."""
        os.close(self.fd)
        if remove:
            self.path.unlink(missing_ok=True)


def _try_lock(fd: int) -> bool:
    """An exclusive lock on the open file ``fd`` without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def dead_journal(token: str) -> set[int] | None:
    """The rows marked in the journal of ``token`` when its run is dead; None when there is none on this computer
    or its run still lives."""
    path = journal_dir() / f"{token}.journal"
    if not token or not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        if not _try_lock(fd):
            return None
        return {int(line) for line in path.read_text().split() if line.isdigit()}
    finally:
        os.close(fd)


class Outbox:
    """One sending run of one campaign: takes the campaign, claims rows and writes their outcome."""

    def __init__(self, db: Database, campaign_id: int) -> None:
        self.db = db
        self.campaign_id = campaign_id
        self.token = uuid.uuid4().hex
        self.journal: Journal | None = None

    # -- taking the campaign -----------------------------------------------------------

    def take(self) -> None:
        """Become the campaign's only sender and settle the rows a dead run left in ``sending``."""
        with self.db.transaction() as session:
            campaign = session.get(Campaign, self.campaign_id)
            if campaign is None:
                raise ValidationError(_("The campaign no longer exists."), "campaign")
            if campaign.status == CampaignStatus.DRAFT:
                raise ValidationError(_("The campaign has not been put into the outbox yet."), "campaign")
            previous = campaign.sender_token
            marked = dead_journal(previous)
            seen = campaign.sender_seen_at
            alive = previous and marked is None and seen is not None and utcnow() - seen < STALE_AFTER
            if alive:
                raise ValidationError(_("This campaign is being sent at another desk right now."), "campaign")
            campaign.sender_token, campaign.sender_seen_at = self.token, utcnow()
            self._settle(session, marked or set())
        if previous:
            (journal_dir() / f"{previous}.journal").unlink(missing_ok=True)
        self.journal = Journal(self.token)

    def _settle(self, session, marked: set[int]) -> None:  # type: ignore[no-untyped-def]
        """Rows left in ``sending``: queued again when their "." never left, else uncertain."""
        left = session.execute(select(CampaignRecipient.id, CampaignRecipient.token).where(
            CampaignRecipient.campaign_id == self.campaign_id, CampaignRecipient.state == RecipientState.SENDING)).all()
        for row_id, token in left:
            known = dead_journal(token) if token else None
            if known is not None and row_id not in known:
                values = {"state": RecipientState.QUEUED, "reason": ""}
            else:
                values = {"state": RecipientState.UNCERTAIN,
                          "reason": _("Sending was interrupted just as the server took the message; "
                                      "it has probably arrived and is not sent again.")}
            session.execute(update(CampaignRecipient).where(CampaignRecipient.id == row_id).values(**values))

    def release(self, finished: bool) -> None:
        """Give the campaign up (at the end, on cancel or error); done when no row is queued any more."""
        with self.db.transaction() as session:
            campaign = session.get(Campaign, self.campaign_id)
            if campaign is not None and campaign.sender_token == self.token:
                campaign.sender_token, campaign.sender_seen_at = "", None
                if finished:
                    campaign.status, campaign.finished_at = CampaignStatus.DONE, utcnow()
        if self.journal is not None:
            self.journal.close(remove=True)
            self.journal = None

    # -- reading ------------------------------------------------------------------------

    def queued(self, after_id: int, limit: int = 200) -> list[OutboxRow]:
        """The next queued rows by id, each with the client's details as they are now."""
        with self.db.read() as session:
            campaign = session.get(Campaign, self.campaign_id)
            assert campaign is not None
            reason = skip_reason(campaign.channel, campaign.own_similar_services)
            rows = session.execute(
                select(CampaignRecipient.id, CampaignRecipient.client_id, Client.email, Client.first_name,
                       Client.last_name, Client.category_label, CustomerGroup.name, CampaignRecipient.message_id, reason)
                .join(Client, Client.id == CampaignRecipient.client_id)
                .outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
                .where(CampaignRecipient.campaign_id == self.campaign_id, CampaignRecipient.id > after_id,
                       CampaignRecipient.state == RecipientState.QUEUED)
                .order_by(CampaignRecipient.id).limit(limit)
            ).all()
        return [OutboxRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7], r[8]) for r in rows]

    # -- writing: each one transaction ----------------------------------------------------

    def heartbeat(self) -> None:
        """Tell other desks this run is alive (during long waits: rate limit, back-off)."""
        with self.db.transaction() as session:
            self._still_mine(session)

    def _still_mine(self, session) -> None:  # type: ignore[no-untyped-def]
        mine = session.execute(update(Campaign).where(Campaign.id == self.campaign_id, Campaign.sender_token == self.token)
                               .values(sender_seen_at=utcnow()), execution_options={"synchronize_session": False})
        if mine.rowcount != 1:
            raise ValidationError(_("Another desk took over sending this campaign."), "campaign")

    def hand_over(self, row_id: int, message_id: str) -> bool:
        """Step 2: the row becomes ``sending``; False when it is no longer queued (changed meanwhile).

        Raises ValidationError when another desk has taken the campaign over (this run was
        thought dead): nothing is sent then.
        """
        with self.db.transaction() as session:
            self._still_mine(session)
            claimed = session.execute(
                update(CampaignRecipient)
                .where(CampaignRecipient.id == row_id, CampaignRecipient.state == RecipientState.QUEUED)
                .values(state=RecipientState.SENDING, token=self.token, message_id=message_id,
                        attempts=CampaignRecipient.attempts + 1),
                execution_options={"synchronize_session": False},
            ).rowcount
            return claimed == 1

    def mark_journal(self, row_id: int) -> None:
        """Step 3."""
        assert self.journal is not None
        self.journal.mark(row_id)

    def sent(self, row_id: int) -> datetime:
        """Step 5: the server accepted the message; the time written."""
        at = utcnow()
        self._set(row_id, RecipientState.SENT, "", sent_at=at)
        return at

    def requeue(self, row_id: int, reply: str) -> None:
        """The server refused the message for now (4xx after the "."): queued again."""
        self._set(row_id, RecipientState.QUEUED, reply)

    def uncertain(self, row_id: int, reason: str) -> None:
        """The connection broke after the "." left: it may have arrived; never sent again by itself."""
        self._set(row_id, RecipientState.UNCERTAIN, reason)

    def skipped(self, row_id: int, reason: str) -> None:
        """The client may no longer receive it (consent withdrawn, unsubscribed, address removed)."""
        self._set(row_id, RecipientState.SKIPPED, reason)

    def failed(self, row_id: int, reply: str, client_id: int | None = None) -> None:
        """The server refused: the row failed with its reply; with ``client_id`` (a 5xx) the address is marked failing."""
        with self.db.transaction() as session:
            self._update(session, row_id, RecipientState.FAILED, reply)
            if client_id is not None:
                session.execute(update(Client).where(Client.id == client_id).values(email_failing_at=utcnow()),
                                execution_options={"synchronize_session": False})

    def _set(self, row_id: int, state: RecipientState, reason: str, **values: object) -> None:
        with self.db.transaction() as session:
            self._update(session, row_id, state, reason, **values)

    def _update(self, session, row_id: int, state: RecipientState, reason: str, **values: object) -> None:  # type: ignore[no-untyped-def]
        mine = or_(CampaignRecipient.state == RecipientState.QUEUED,
                   and_(CampaignRecipient.state == RecipientState.SENDING, CampaignRecipient.token == self.token))
        session.execute(update(CampaignRecipient).where(CampaignRecipient.id == row_id, mine)
                        .values(state=state, reason=reason[:1000], **values),
                        execution_options={"synchronize_session": False})

    def counts(self) -> dict[str, int]:
        """The campaign's rows per state."""
        from sqlalchemy import func

        with self.db.read() as session:
            rows = session.execute(select(CampaignRecipient.state, func.count()).where(
                CampaignRecipient.campaign_id == self.campaign_id).group_by(CampaignRecipient.state))
            return {str(s): n for s, n in rows}
