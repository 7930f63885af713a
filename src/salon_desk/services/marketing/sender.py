"""The campaign sender: works through a campaign's outbox over one SMTP connection, Qt-free.

``send_pending(campaign_id, should_stop, on_progress)`` runs in a process of its own
(``send_worker``, which the UI starts) or directly (tests, scripts). The order of steps per message
and the rule for a run that died mid-message are in ``outbox.py``: a message is never
sent twice. 4xx answers are retried with back-off, a 5xx answer fails the row with the
server's reply and marks the client's address as failing. The rate limit of the SMTP
settings spaces the messages.
"""

from __future__ import annotations

import logging
import re
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY

from salon_desk.db import Database
from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.models.campaign import Campaign, Channel, RecipientState
from salon_desk.services.common import Service, Workstation
from salon_desk.services.marketing.audience import skip_label
from salon_desk.services.marketing.campaigns import salon_sender
from salon_desk.services.marketing.messages import Sender, letter, mime, new_message_id
from salon_desk.services.marketing.outbox import Outbox, OutboxRow
from salon_desk.services.marketing.smtp_link import SmtpProblem, close, connect, reply_text
from salon_desk.services.marketing.smtp_settings import SmtpSettings, SmtpSettingsService, stored_password
from salon_desk.services.permissions import Permission

log = logging.getLogger(__name__)

OUTCOMES = {
    RecipientState.SENT: N_("{name}: sent"),
    RecipientState.UNCERTAIN: N_("{name}: sent, not confirmed"),
    RecipientState.SKIPPED: N_("{name}: taken by another desk"),
}
HEARTBEAT_S = 30.0
"""How often a waiting run tells other desks it is alive (they take over after ``outbox.STALE_AFTER``)."""
RETRY_DELAYS = (10.0, 60.0, 300.0)
"""Seconds to wait before each new try after a temporary (4xx) answer or a lost connection."""


@dataclass(frozen=True)
class RowOutcome:
    """What became of one outbox row: its new state, the reason (server's reply, skip reason) and the time sent."""

    id: int
    state: RecipientState
    reason: str = ""
    sent_at: datetime | None = None


@dataclass(frozen=True)
class SendProgress:
    """Where a run stands; ``last`` is the newest outcome in words (for the status line), ``rows`` the rows it
    settled (so the outbox on screen follows without reading the database)."""

    counts: dict[str, int]
    last: str = ""
    rows: tuple[RowOutcome, ...] = ()

    def count(self, state: RecipientState) -> int:
        """Rows in ``state``."""
        return self.counts.get(state.value, 0)

    @property
    def total(self) -> int:
        """Every row of the outbox."""
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        """Rows that need nothing more."""
        return self.total - self.count(RecipientState.QUEUED) - self.count(RecipientState.SENDING)


@dataclass(frozen=True)
class SendResult:
    """How a run ended: every row handled (``finished``), or stopped (cancel, or the server unreachable)."""

    progress: SendProgress
    finished: bool
    problem: str = ""


class _Temporary(Exception):
    """Try this message again later: a 4xx answer or a lost connection."""

    def __init__(self, reply: str, connection_lost: bool = False) -> None:
        super().__init__(reply)
        self.reply, self.connection_lost = reply, connection_lost


class _Permanent(Exception):
    """The server refused this message for good (5xx)."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


def _wire(message: EmailMessage) -> bytes:
    """The message as SMTP carries it: CRLF line ends, lines starting with "." doubled, ending in CRLF."""
    data = message.as_bytes(policy=SMTP_POLICY)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class CampaignSender(Service):
    """Sends the queued rows of a campaign (managers)."""

    def __init__(self, db: Database, workstation: Workstation | None = None,
                 retry_delays: tuple[float, ...] = RETRY_DELAYS, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(db, workstation)
        self.retry_delays = retry_delays
        self.sleep = sleep
        self.link: smtplib.SMTP | None = None

    def send_pending(self, campaign_id: int, should_stop: Callable[[], bool] = lambda: False,
                     on_progress: Callable[[SendProgress], None] | None = None) -> SendResult:
        """Send every queued row of the campaign until done or ``should_stop()``; resumable at any point."""
        self.require(Permission.RUN_CAMPAIGNS)
        settings = SmtpSettingsService(self.db, self.workstation).load()
        if not settings.configured:
            raise ValidationError(_("Please set up the mail server first (Settings, Email)."), "smtp")
        outbox = Outbox(self.db, campaign_id)
        outbox.take()
        finished, problem = False, ""
        try:
            finished = _Run(self, outbox, settings, should_stop, on_progress).work()
        except SmtpProblem as exc:
            problem = exc.message
            log.warning("campaign %s stopped: %s", campaign_id, problem)
        except ValidationError as exc:  # taken over by another desk
            problem = exc.message
        finally:
            close(self.link)
            self.link = None
            outbox.release(finished)
        return SendResult(SendProgress(outbox.counts(), problem), finished, problem)


class _Run:
    """One pass through a campaign's outbox."""

    def __init__(self, sender: CampaignSender, outbox: Outbox, settings: SmtpSettings,
                 should_stop: Callable[[], bool], on_progress: Callable[[SendProgress], None] | None) -> None:
        self.sender, self.outbox, self.settings = sender, outbox, settings
        self.password = stored_password(settings)
        self.should_stop = should_stop
        self.on_progress = on_progress or (lambda _p: None)
        self.interval = 60.0 / settings.rate_per_minute if settings.rate_per_minute else 0.0
        self.next_start = 0.0
        self.counts = outbox.counts()
        with sender.db.read() as session:
            campaign = session.get(Campaign, outbox.campaign_id)
            assert campaign is not None
            if campaign.channel != Channel.EMAIL:
                raise ValidationError(_("No SMS provider is set up yet; SMS campaigns cannot be sent."), "channel")
            self.campaign = (campaign.subject, campaign.body, campaign.own_similar_services)
            self.from_ = salon_sender(session, settings.sender_name, settings.sender_address)

    def work(self) -> bool:
        """True when no row is left queued; False when stopped."""
        self.on_progress(SendProgress(dict(self.counts)))
        after = 0
        while True:
            rows = self.outbox.queued(after)
            if not rows:
                return True
            for row in rows:
                if self.should_stop():
                    return False
                after = row.id
                self._one(row)

    def _one(self, row: OutboxRow) -> None:
        if row.skip is not None:
            self.outbox.skipped(row.id, row.skip)
            self._moved(RecipientState.SKIPPED, _("{name}: skipped ({reason})").format(
                name=_name(row), reason=skip_label(row.skip)), RowOutcome(row.id, RecipientState.SKIPPED, row.skip))
            return
        message_id = row.message_id or new_message_id(self.from_.address)
        last = ""
        for delay in (0.0, *self.sender.retry_delays):
            if delay and not self._wait(delay):
                return  # cancelled while waiting: the row stays queued
            self._keep_rate()
            try:
                outcome = self._deliver(row, message_id)
            except _Temporary as exc:
                last = exc.reply
                log.info("campaign %s row %s: temporary failure %s", self.outbox.campaign_id, row.id, exc.reply)
                if exc.connection_lost:
                    self._drop()
                continue
            except _Permanent as exc:
                self.outbox.failed(row.id, exc.reply, row.client_id)
                self._moved(RecipientState.FAILED, _("{name}: failed ({reply})").format(name=_name(row), reply=exc.reply),
                            RowOutcome(row.id, RecipientState.FAILED, exc.reply))
                return
            self._moved(outcome.state, _(OUTCOMES[outcome.state]).format(name=_name(row)),
                        None if outcome.state == RecipientState.SKIPPED else outcome)
            return
        self.outbox.failed(row.id, last)
        self._moved(RecipientState.FAILED, _("{name}: failed ({reply})").format(name=_name(row), reply=last),
                    RowOutcome(row.id, RecipientState.FAILED, last))

    def _deliver(self, row: OutboxRow, message_id: str) -> RowOutcome:
        """Steps 1–5 of ``outbox.py`` for one row (SKIPPED: another desk had changed the row)."""
        values = {"first_name": row.first_name, "last_name": row.last_name, "client_category": row.categories,
                  "customer_group": row.group, "salon_name": self.from_.salon_name}
        subject, body, own = self.campaign
        item = letter(subject, body, values, self.from_, own)
        data = _wire(mime(item, self.from_, _name(row), row.email, message_id))
        link = self._link()
        try:
            code, reply = link.mail(self.from_.address)
            if code >= 500:  # the server refuses the sender: no message can go out
                raise SmtpProblem(_("The server refused the sender address {address}: {reply}").format(
                    address=self.from_.address, reply=reply_text(code, reply)), code)
            _expect((code, reply), (250,), link)
            _expect(link.rcpt(row.email), (250, 251), link)
            _expect(link.docmd("DATA"), (354,), None)
            link.send(data)  # step 1: everything but the final "."
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise _Temporary(_("The connection was lost ({reason}).").format(reason=exc.__class__.__name__), True) from None
        if not self.outbox.hand_over(row.id, message_id):  # step 2
            self._drop()  # the server drops the half message with the connection
            return RowOutcome(row.id, RecipientState.SKIPPED)
        self.outbox.mark_journal(row.id)  # step 3
        try:
            link.send(b".\r\n")  # step 4
            code, reply = link.getreply()
        except (OSError, smtplib.SMTPServerDisconnected):
            self._drop()
            reason = _("The connection broke just after the message was handed over; "
                       "it has probably arrived and is not sent again.")
            self.outbox.uncertain(row.id, reason)
            return RowOutcome(row.id, RecipientState.UNCERTAIN, reason)
        if code == 250:
            return RowOutcome(row.id, RecipientState.SENT, sent_at=self.outbox.sent(row.id))  # step 5
        text = reply_text(code, reply)
        if 400 <= code < 500:
            self.outbox.requeue(row.id, text)
            raise _Temporary(text)
        raise _Permanent(text)

    def _link(self) -> smtplib.SMTP:
        if self.sender.link is None:
            try:
                self.sender.link = connect(self.settings.server, self.password)
            except SmtpProblem as exc:
                if exc.permanent:
                    raise
                raise _Temporary(exc.message, True) from None
        return self.sender.link

    def _drop(self) -> None:
        if self.sender.link is not None:
            self.sender.link.close()
            self.sender.link = None

    def _keep_rate(self) -> None:
        now = time.monotonic()
        if self.next_start > now:
            self._wait(self.next_start - now)
        self.next_start = max(now, self.next_start) + self.interval

    def _wait(self, seconds: float) -> bool:
        """Sleep in short steps, telling other desks this run lives; False when cancelled meanwhile."""
        end = time.monotonic() + seconds
        beat = time.monotonic() + HEARTBEAT_S
        while (left := end - time.monotonic()) > 0:
            if self.should_stop():
                return False
            if time.monotonic() >= beat:
                self.outbox.heartbeat()
                beat = time.monotonic() + HEARTBEAT_S
            self.sender.sleep(min(left, 0.2))
        return True

    def _moved(self, state: RecipientState, last: str, outcome: RowOutcome | None) -> None:
        self.counts[RecipientState.QUEUED.value] = self.counts.get(RecipientState.QUEUED.value, 0) - 1
        self.counts[state.value] = self.counts.get(state.value, 0) + 1
        self.on_progress(SendProgress(dict(self.counts), last, (outcome,) if outcome else ()))


def _expect(answer: tuple[int, bytes], good: tuple[int, ...], link: smtplib.SMTP | None) -> None:
    code, reply = answer
    if code in good:
        return
    if link is not None:
        try:
            link.rset()
        except (OSError, smtplib.SMTPException):
            pass
    text = reply_text(code, reply)
    if 400 <= code < 500 or code == -1:
        raise _Temporary(text, connection_lost=code in (-1, 421))
    raise _Permanent(text)


def _name(row: OutboxRow) -> str:
    return " ".join(p for p in (row.first_name, row.last_name) if p) or row.email


__all__ = ["CampaignSender", "RowOutcome", "SendProgress", "SendResult", "Sender"]
