"""Consent per channel (DESIGN §7 "Consent records"): grant, withdraw, unsubscribe, the current state, the history.

Every change adds a record and keeps the columns of ``clients`` in step in the same
transaction (``services.clients.consent_log``). There is no way to change or delete a
record here; only the GDPR erasure removes a client's records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, String, and_, insert, literal, or_, select, union_all, update
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.errors import NotFoundError, ValidationError
from salon_desk.i18n import _
from salon_desk.models import Client, ClientErasure, ConsentRecord
from salon_desk.models.base import UtcDateTime, utcnow
from salon_desk.services.clients import consent_log
from salon_desk.services.clients.client_list import ClientListService
from salon_desk.services.clients.consent_log import ConsentKind, ConsentSource, Flag
from salon_desk.services.common import Changes, Service, Workstation, store_meta
from salon_desk.services.marketing.bulk import BulkResult, Target, _count, target_conditions
from salon_desk.services.permissions import Permission
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity


@dataclass(frozen=True)
class ConsentState:
    """One flag now: granted or not, and the record that made it so (None before any record)."""

    flag: Flag
    granted: bool
    since: datetime | None = None
    source: str = ""
    recorded_by: str = ""
    wording: str = ""


@dataclass(frozen=True)
class ConsentOverview:
    """What the card's consent panel shows."""

    states: dict[Flag, ConsentState]
    unsubscribed_at: datetime | None = None
    failing_at: datetime | None = None


@dataclass(frozen=True)
class ConsentEntry:
    """One record of the history."""

    id: int
    recorded_at: datetime
    channel: str
    granted: bool
    kind: str
    source: str
    wording: str
    recorded_by: str


def _source(source: str) -> ConsentSource:
    try:
        return ConsentSource(source)
    except ValueError:
        raise ValidationError(_("Unknown consent source “{source}”.").format(source=source), "source") from None


def _client(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None or session.get(ClientErasure, client_id) is not None:
        raise NotFoundError(_("The client no longer exists or was erased."), "client")
    return client


class ConsentService(Service):
    """Consent records of clients: added to, never edited."""

    def __init__(self, db: Database, workstation: Workstation | None, client_list: ClientListService) -> None:
        super().__init__(db, workstation)
        self.client_list = client_list

    # -- one client -----------------------------------------------------------------

    def grant(
        self, client_id: int, channel: str, *, kind: str = "consent", source: str = "card", wording: str | None = None
    ) -> Changes:
        """Record a grant (a second grant adds a second record); without ``wording`` the salon's text is stored."""
        self.require(Permission.EDIT_CLIENTS)
        flag, origin = Flag.of(channel, kind), _source(source)
        with self.transaction(_("The consent")) as session:
            client = _client(session, client_id)
            consent_log.check_contact({flag: True}, client.email, client.phone)
            text = wording if wording is not None else consent_log.wording(session, flag)
            consent_log.write(session, self.actor, client, flag, True, origin, text)
            return Changes(clients=frozenset({client_id}))

    def withdraw(self, client_id: int, channel: str, *, kind: str = "consent", source: str = "card") -> Changes:
        """Record a withdrawal; email withdrawn this way is not an unsubscribe."""
        self.require(Permission.EDIT_CLIENTS)
        flag, origin = Flag.of(channel, kind), _source(source)
        with self.transaction(_("The consent")) as session:
            client = _client(session, client_id)
            consent_log.write(session, self.actor, client, flag, False, origin)
            return Changes(clients=frozenset({client_id}))

    def current(self, client_id: int) -> ConsentOverview:
        """Per flag: granted?, and since when, from where, by whom, with which text."""
        with self.db.read() as session:
            client = _client(session, client_id)
            latest: dict[Flag, ConsentRecord] = {}
            for record in session.scalars(self._records(client_id)):
                latest.setdefault(Flag.of(record.channel, record.kind), record)
            states = {flag: _state(client, flag, latest.get(flag)) for flag in Flag}
            return ConsentOverview(states, client.email_unsubscribed_at, client.email_failing_at)

    def history(self, client_id: int) -> list[ConsentEntry]:
        """Every record of the client, newest first."""
        with self.db.read() as session:
            _client(session, client_id)
            return [
                ConsentEntry(r.id, r.recorded_at, r.channel, r.granted, r.kind, r.source, r.wording, r.recorded_by)
                for r in session.scalars(self._records(client_id))
            ]

    @staticmethod
    def _records(client_id: int):  # noqa: ANN205 - a Select of ConsentRecord
        return (
            select(ConsentRecord)
            .where(ConsentRecord.client_id == client_id)
            .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        )

    # -- unsubscribe ----------------------------------------------------------------

    def unsubscribe(self, clients: Target | Iterable[int], source: str = "unsubscribe") -> BulkResult:
        """Withdraw email consent and the existing-customer kind and mark the clients unsubscribed.

        Set-based: one ``INSERT … SELECT`` of the records, one ``UPDATE`` of the clients, one
        audit entry with the count. Clients already unsubscribed without any email consent are left alone.
        """
        self.require(Permission.EDIT_CLIENTS)
        origin = _source(source)
        target = clients if isinstance(clients, Target) else Target.selection(list(clients))
        with self.transaction(_("The unsubscribe")) as session:
            conditions = target_conditions(session.connection(), self.client_list, target)
            changing = and_(
                *conditions,
                Client.id.not_in(select(ClientErasure.client_id)),
                or_(
                    Client.email_unsubscribed_at.is_(None),
                    Client.email_consent.is_(True),
                    Client.email_existing_customer.is_(True),
                ),
            )
            count = _count(session, select(Client.id).where(changing))
            if count:
                now = utcnow()
                self._insert_withdrawals(session, changing, origin, now)
                session.execute(
                    update(Client)
                    .where(changing)
                    .values(
                        email_consent=False, email_consent_at=None, email_existing_customer=False,
                        email_unsubscribed_at=now, version=Client.version + 1, updated_at=now,
                    ),  # fmt: skip
                    execution_options={"synchronize_session": False},
                )
            after = {"count": count, "source": origin.value}
            audit.record(session, self.actor, Action.UNSUBSCRIBE, Entity.CLIENT, None, target.describe(), after)
            ids = frozenset(target.client_ids or ())
            return BulkResult(count, Changes(clients=ids, all_clients=target.client_ids is None))

    def _insert_withdrawals(self, session: Session, changing: object, origin: ConsentSource, now: datetime) -> None:
        """Email consent withdrawn for those who held it (or held nothing: the proof of the request);
        the existing-customer kind for those who held that."""

        def rows(kind: ConsentKind, which: object):  # noqa: ANN202 - a Select
            return select(
                Client.id, literal("email", String()), literal(False, Boolean()), literal(kind.value, String()),
                literal(origin.value, String()), literal("", String()), literal(self.actor.name[:100], String()),
                literal(now, UtcDateTime()),
            ).where(changing, which)  # fmt: skip

        held_or_none = or_(Client.email_consent.is_(True), Client.email_existing_customer.is_(False))
        consent = rows(ConsentKind.CONSENT, held_or_none)
        existing = rows(ConsentKind.EXISTING_CUSTOMER, Client.email_existing_customer.is_(True))
        columns = ["client_id", "channel", "granted", "kind", "source", "wording", "recorded_by", "recorded_at"]
        session.execute(insert(ConsentRecord).from_select(columns, union_all(consent, existing)))

    # -- the salon's wording ----------------------------------------------------------

    def wordings(self) -> dict[Flag, str]:
        """The text shown next to each checkbox: the salon's own, or the default."""
        with self.db.read() as session:
            return {flag: consent_log.wording(session, flag) for flag in Flag}

    def set_wordings(self, texts: Mapping[Flag | str, str]) -> Changes:
        """Store the salon's texts (managers), in one step; an empty text goes back to the default."""
        self.require(Permission.EDIT_SETTINGS)
        clean: dict[str, str] = {}
        for flag, text in texts.items():
            try:
                key = consent_log.WORDING_KEY.format(flag=Flag(flag).value)
            except ValueError:
                message = _("Unknown consent channel “{channel}”.").format(channel=flag)
                raise ValidationError(message, "channel") from None
            clean[key] = " ".join(text.split())
            if len(clean[key]) > consent_log.WORDING_MAX:
                message = _("The consent text may have at most {max} characters.").format(max=consent_log.WORDING_MAX)
                raise ValidationError(message, Flag(flag).value)
        with self.transaction(_("The consent text")) as session:
            before = store_meta(session, clean)
            audit.record(session, self.actor, Action.SETTING, Entity.SETTING, None, before, clean)
            return Changes()


def _state(client: Client, flag: Flag, record: ConsentRecord | None) -> ConsentState:
    granted = bool(getattr(client, flag.value))
    if record is None or record.granted != granted:  # a flag set before records were kept
        since = getattr(client, f"{flag.channel.value}_consent_at") if flag.kind is ConsentKind.CONSENT else None
        return ConsentState(flag, granted, since if granted else None)
    return ConsentState(flag, granted, record.recorded_at, record.source, record.recorded_by, record.wording)
