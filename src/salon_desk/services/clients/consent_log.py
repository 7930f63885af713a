"""Consent records written together with the client columns they prove (DESIGN §7 "Consent records").

The columns on ``clients`` (``email_consent``, ``email_existing_customer``, …) are the
current state that campaigns read; each change of one of them adds a ``ConsentRecord``
in the same transaction. Records are never changed afterwards.

This module is the one place that writes both; the client card (``clients.py``), the
import, the check-in and ``services.marketing.consent`` all go through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.kinds import Channel
from salon_desk.models import AppMeta, Client, ConsentRecord, utcnow
from salon_desk.services.common import Actor


class ConsentKind(StrEnum):
    """Consent proper, or the §7(3) UWG existing-customer exception (email only)."""

    CONSENT = "consent"
    EXISTING_CUSTOMER = "existing_customer"


class ConsentSource(StrEnum):
    """Where a grant or withdrawal was recorded."""

    CARD = "card"
    CHECK_IN = "check_in"
    IMPORT = "import"
    UNSUBSCRIBE = "unsubscribe"
    MIGRATION = "migration"


class Flag(StrEnum):
    """A consent column of ``clients``; the names are those of ``ClientData`` too."""

    EMAIL = "email_consent"
    SMS = "sms_consent"
    PHONE = "phone_consent"
    EMAIL_EXISTING_CUSTOMER = "email_existing_customer"

    @property
    def channel(self) -> Channel:
        """The channel the flag speaks about."""
        return {Flag.SMS: Channel.SMS, Flag.PHONE: Channel.PHONE}.get(self, Channel.EMAIL)

    @property
    def kind(self) -> ConsentKind:
        """Consent proper or the existing-customer exception."""
        return ConsentKind.EXISTING_CUSTOMER if self is Flag.EMAIL_EXISTING_CUSTOMER else ConsentKind.CONSENT

    @classmethod
    def of(cls, channel: str, kind: str = ConsentKind.CONSENT) -> Flag:
        """The flag of ``channel`` and ``kind``; a ValidationError for an unknown one."""
        for flag in cls:
            if flag.channel == channel and flag.kind == kind:
                return flag
        if channel not in {c.value for c in Channel}:
            raise ValidationError(_("Unknown consent channel “{channel}”.").format(channel=channel), "channel")
        raise ValidationError(_("The existing-customer kind exists only for email."), "kind")


SOURCE_LABELS = {
    ConsentSource.CARD: N_("client card"),
    ConsentSource.CHECK_IN: N_("check-in"),
    ConsentSource.IMPORT: N_("import"),
    ConsentSource.UNSUBSCRIBE: N_("unsubscribe"),
    ConsentSource.MIGRATION: N_("earlier version"),
}
CHANNEL_LABELS = {Channel.EMAIL: N_("Email"), Channel.SMS: N_("SMS"), Channel.PHONE: N_("Phone")}
KIND_LABELS = {ConsentKind.CONSENT: N_("consent"), ConsentKind.EXISTING_CUSTOMER: N_("existing customer (§7(3) UWG)")}
ORDER = (Flag.EMAIL, Flag.EMAIL_EXISTING_CUSTOMER, Flag.SMS, Flag.PHONE)
CHECK_TEXT = {
    Flag.EMAIL: N_("Email"),
    Flag.EMAIL_EXISTING_CUSTOMER: N_("Existing customer (§7(3) UWG), objection notice given"),
    Flag.SMS: N_("SMS"),
    Flag.PHONE: N_("Phone calls"),
}
"""The consent boxes in the order the card shows them, with their labels."""
DEFAULT_WORDING = {
    Flag.EMAIL: N_("I would like to receive offers and news by email. I can withdraw this at any time."),
    Flag.SMS: N_("I would like to receive offers and news by text message (SMS). I can withdraw this at any time."),
    Flag.PHONE: N_("The salon may call me about offers and news. I can withdraw this at any time."),
    Flag.EMAIL_EXISTING_CUSTOMER: N_(
        "Email address received with a purchase; the client was told that they may object to advertising "
        "by email at any time, at no cost other than the basic transmission rates."
    ),
}
WORDING_KEY = "consent_wording_{flag}"
WORDING_MAX = 2000


def source_label(source: str) -> str:
    """The translated name of a source (unknown ones as written)."""
    label = SOURCE_LABELS.get(source)  # type: ignore[call-overload]
    return _(label) if label else source


def channel_label(channel: str) -> str:
    """The translated name of a channel."""
    label = CHANNEL_LABELS.get(channel)  # type: ignore[call-overload]
    return _(label) if label else channel


def kind_label(kind: str) -> str:
    """The translated name of a kind."""
    label = KIND_LABELS.get(kind)  # type: ignore[call-overload]
    return _(label) if label else kind


def wording(session: Session, flag: Flag) -> str:
    """The salon's text for ``flag``, or the default in the current language."""
    stored = session.scalar(select(AppMeta.value).where(AppMeta.key == WORDING_KEY.format(flag=flag.value)))
    return stored or _(DEFAULT_WORDING[flag])


@dataclass(frozen=True)
class CardConsent:
    """What the card's consent panel hands to the save: the text shown per flag, and an unsubscribe."""

    wording: Mapping[str, str] = field(default_factory=dict)
    unsubscribe: bool = False


def flags_of(client: Client) -> dict[Flag, bool]:
    """The client's consent columns now."""
    return {flag: bool(getattr(client, flag.value)) for flag in Flag}


def check_contact(wanted: Mapping[Flag, bool], email: str, phone: str) -> None:
    """Refuse consent to a channel the client has no address for, naming the flag."""
    for flag, on in wanted.items():
        if on and flag.channel is Channel.EMAIL and not email.strip():
            raise ValidationError(_("Email consent needs an email address."), flag.value)
        if on and flag.channel is not Channel.EMAIL and not phone.strip():
            if flag is Flag.SMS:
                raise ValidationError(_("SMS consent needs a phone number."), flag.value)
            raise ValidationError(_("Phone consent needs a phone number."), flag.value)


def write(
    session: Session,
    actor: Actor,
    client: Client,
    flag: Flag,
    granted: bool,
    source: ConsentSource,
    text: str = "",
    at: datetime | None = None,
) -> ConsentRecord:
    """Add one record for ``client`` (which has an id) and set its columns to match."""
    now = at or utcnow()
    setattr(client, flag.value, granted)
    if flag.kind is ConsentKind.CONSENT:
        setattr(client, f"{flag.channel.value}_consent_at", now if granted else None)
    if granted and flag.channel is Channel.EMAIL:
        client.email_unsubscribed_at = None  # a new grant ends the unsubscribe
    record = ConsentRecord(
        client_id=client.id,
        channel=flag.channel.value,
        granted=granted,
        kind=flag.kind.value,
        source=source.value,
        wording=text.strip()[:WORDING_MAX] if granted else "",
        recorded_by=actor.name[:100],
        recorded_at=now,
    )
    session.add(record)
    return record


def apply(
    session: Session,
    actor: Actor,
    client: Client,
    wanted: Mapping[Flag, bool],
    source: ConsentSource,
    texts: Mapping[str, str] | None = None,
) -> list[Flag]:
    """Records only for the flags whose state changes; the flags that changed.

    A grant without a text shown stores the salon's wording for the flag.
    """
    now = utcnow()
    changed = [flag for flag, on in wanted.items() if on != bool(getattr(client, flag.value))]
    for flag in changed:
        on = wanted[flag]
        text = (texts or {}).get(flag.value) or (wording(session, flag) if on else "")
        write(session, actor, client, flag, on, source, text, now)
    return changed


def unsubscribe(session: Session, actor: Actor, client: Client) -> None:
    """Withdraw email consent and the existing-customer kind, and mark the client as unsubscribed."""
    now = utcnow()
    held = [f for f in (Flag.EMAIL, Flag.EMAIL_EXISTING_CUSTOMER) if getattr(client, f.value)] or [Flag.EMAIL]
    for flag in held:  # without any email consent one withdrawal still proves the unsubscribe
        write(session, actor, client, flag, False, ConsentSource.UNSUBSCRIBE, at=now)
    client.email_unsubscribed_at = now


def apply_card(
    session: Session, actor: Actor, client: Client, wanted: Mapping[Flag, bool], card: CardConsent | None
) -> None:
    """The card's save: its flags as records (source "card"), then an unsubscribe if one was asked for."""
    card = card or CardConsent()
    if card.unsubscribe:
        wanted = {f: on for f, on in wanted.items() if f not in (Flag.EMAIL, Flag.EMAIL_EXISTING_CUSTOMER)}
    apply(session, actor, client, wanted, ConsentSource.CARD, card.wording)
    if card.unsubscribe:
        unsubscribe(session, actor, client)
