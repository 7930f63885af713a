"""The SMTP settings (managers): the salon's mail server, sender and rate limit; the password in the secret store.

The settings live in the database (``app_meta``), so every desk sharing one PostgreSQL
database sends through the same server. The password goes to the system's credential
store, or, where there is none, into an owner-only file on this computer
(``services/secret_store.py``); the settings page says which.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import select

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import AppMeta
from salon_desk.services.common import Service, store_meta
from salon_desk.services.marketing.smtp_link import Security, SmtpProblem, SmtpServer, close, connect, reply_text
from salon_desk.services.permissions import Permission
from salon_desk.services.secret_store import SecretStore, backend
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity

log = logging.getLogger(__name__)

PASSWORDS = SecretStore("Salon Desk SMTP", "smtp-credentials.json")
KEYS = ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_sender_name", "smtp_sender_address", "smtp_rate")
DEFAULT_RATE = 60
MAX_RATE = 6000


@dataclass(frozen=True)
class SmtpSettings:
    """What the Email settings show and save; an empty password keeps the stored one."""

    host: str = ""
    port: int = 587
    security: Security = Security.STARTTLS
    user: str = ""
    password: str = ""
    sender_name: str = ""
    sender_address: str = ""
    rate_per_minute: int = DEFAULT_RATE

    def __repr__(self) -> str:  # the password never shows in a log or a traceback's locals
        return f"SmtpSettings(host={self.host!r}, port={self.port}, security={self.security.value}, user={self.user!r})"

    @property
    def server(self) -> SmtpServer:
        """Where to connect."""
        return SmtpServer(self.host, self.port, self.security, self.user)

    @property
    def configured(self) -> bool:
        """True once a server and a sender address are set."""
        return bool(self.host and self.sender_address)


def password_store() -> str:
    """'keyring' or 'file': where the password is kept on this computer."""
    return backend()


def _account(host: str, user: str) -> str:
    return f"{user}@{host}"


def stored_password(settings: SmtpSettings) -> str:
    """The password kept for the settings' user and host ('' when none)."""
    return PASSWORDS.get(_account(settings.host, settings.user))


def check_address(address: str, field: str) -> str:
    """A plausible email address, or a ValidationError naming ``field``."""
    clean = address.strip()
    try:
        parsed = Address(addr_spec=clean)
    except (ValueError, IndexError):
        parsed = None
    if parsed is None or not parsed.domain or "." not in parsed.domain or not parsed.username:
        raise ValidationError(_("“{address}” is not an email address.").format(address=clean), field)
    return clean


def validated(settings: SmtpSettings) -> SmtpSettings:
    """The settings tidied, or a ValidationError naming the field that is wrong."""
    host = settings.host.strip()
    if not host or any(c.isspace() for c in host):
        raise ValidationError(_("Please enter the host name of the mail server."), "host")
    if not 1 <= settings.port <= 65535:
        raise ValidationError(_("The port must be a number from 1 to 65535."), "port")
    sender = check_address(settings.sender_address, "sender_address")
    if not 0 <= settings.rate_per_minute <= MAX_RATE:
        raise ValidationError(_("The rate limit must lie between 0 (none) and {max} messages a minute.").format(
            max=MAX_RATE), "rate_per_minute")
    name = " ".join(settings.sender_name.split())
    return replace(settings, host=host, user=settings.user.strip(), sender_name=name, sender_address=sender)


class SmtpSettingsService(Service):
    """Load and save the SMTP settings; send a test message."""

    def load(self) -> SmtpSettings:
        """The stored settings, without the password."""
        with self.db.read() as session:
            stored = dict(session.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(KEYS))).all())
        try:
            security = Security(stored.get("smtp_security", Security.STARTTLS.value))
        except ValueError:
            security = Security.STARTTLS
        return SmtpSettings(
            host=stored.get("smtp_host", ""),
            port=_int(stored.get("smtp_port"), 587),
            security=security,
            user=stored.get("smtp_user", ""),
            sender_name=stored.get("smtp_sender_name", ""),
            sender_address=stored.get("smtp_sender_address", ""),
            rate_per_minute=_int(stored.get("smtp_rate"), DEFAULT_RATE),
        )

    def save(self, settings: SmtpSettings) -> SmtpSettings:
        """Store the settings (managers); the password goes to the secret store, the audit says only that it changed."""
        self.require(Permission.EDIT_SETTINGS)
        clean = validated(settings)
        values = dict(zip(KEYS, (clean.host, str(clean.port), clean.security.value, clean.user, clean.sender_name,
                                 clean.sender_address, str(clean.rate_per_minute)), strict=True))
        with self.transaction(_("The email settings")) as session:
            store_meta(session, values)
            after: dict[str, object] = {**values, "password": "changed" if clean.password else "unchanged"}
            audit.record(session, self.actor, Action.SETTING, Entity.SETTING, None, after=after)
        if clean.password:
            PASSWORDS.set(_account(clean.host, clean.user), clean.password)
        log.info("SMTP settings saved for %s:%s (password %s)", clean.host, clean.port,
                 "changed" if clean.password else "unchanged")
        return replace(clean, password="")

    def password(self) -> str:
        """The stored password for the stored server (for the sender only)."""
        return stored_password(self.load())

    def send_test(self, settings: SmtpSettings, to_address: str = "") -> str:
        """Send a short message (to the sender address unless another is given); the server's answer in plain words.

        Raises SmtpProblem (a plain-words message) when the server cannot be used.
        """
        self.require(Permission.EDIT_SETTINGS)
        clean = validated(settings)
        target = check_address(to_address, "test_address") if to_address.strip() else clean.sender_address
        password = clean.password or stored_password(clean)
        message = EmailMessage()
        message["Subject"] = _("Salon Desk: test message")
        message["From"] = Address(clean.sender_name, addr_spec=clean.sender_address)
        message["To"] = target
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=clean.sender_address.rpartition("@")[2])
        message.set_content(_("This test message shows that Salon Desk can send email through {host}.").format(
            host=clean.host))
        link = connect(clean.server, password)
        try:
            refused = link.send_message(message)
            if refused:
                code, reply = next(iter(refused.values()))
                raise SmtpProblem(_("The server refused the address {address}: {reply}").format(
                    address=target, reply=reply_text(code, reply)), code)
            code, reply = link.noop()
        except SmtpProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - every smtplib failure becomes plain words
            raise _problem(exc, clean.host) from None
        finally:
            close(link)
        return _("The server {host} accepted the test message to {address}.").format(host=clean.host, address=target)


def _problem(exc: Exception, host: str) -> SmtpProblem:
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()))
        return SmtpProblem(_("The server {host} answered: {reply}").format(host=host, reply=reply_text(code, reply)), code)
    if isinstance(exc, smtplib.SMTPResponseException):
        return SmtpProblem(_("The server {host} answered: {reply}").format(
            host=host, reply=reply_text(exc.smtp_code, exc.smtp_error)), exc.smtp_code)
    return SmtpProblem(_("The connection to {host} was lost ({reason}).").format(host=host, reason=exc.__class__.__name__))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
