"""The connection to the salon's SMTP server (``smtplib``) and its answers in plain words.

Nothing here ever puts the password into a message: smtplib's own exceptions carry only
the server's reply, and the texts below name the host, the port and the reply.
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum

from salon_desk.i18n import _

TIMEOUT_S = 20.0


class Security(StrEnum):
    """How the connection is protected."""

    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to connect; the password is handed over separately and never kept in here."""

    host: str
    port: int
    security: Security
    user: str = ""


class SmtpProblem(Exception):
    """The server could not be used; ``message`` says why in plain words, ``permanent`` for a 5xx answer."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def permanent(self) -> bool:
        """A 5xx answer: sending the same again will fail again."""
        return self.code is not None and 500 <= self.code < 600

    @property
    def temporary(self) -> bool:
        """A 4xx answer, or the connection was lost: worth another try later."""
        return not self.permanent


def reply_text(code: int, message: bytes | str) -> str:
    """The server's reply as one line: "550 5.1.1 No such user"."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}".strip()


def connect(server: SmtpServer, password: str, timeout: float = TIMEOUT_S) -> smtplib.SMTP:
    """An open, signed-in connection; SmtpProblem in plain words when that fails."""
    where = f"{server.host}:{server.port}"
    try:
        if server.security == Security.SSL:
            link: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout,
                                                  context=ssl.create_default_context())
        else:
            link = smtplib.SMTP(server.host, server.port, timeout=timeout)
            if server.security == Security.STARTTLS:
                link.starttls(context=ssl.create_default_context())
        # The message and its final "." are written separately (see outbox.py): without this, Nagle's
        # algorithm holds the "." until the server's delayed acknowledgement, 40 ms per message.
        if link.sock is not None:
            link.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        link.ehlo_or_helo_if_needed()
        if server.user:
            _login(link, server.user, password)
        return link
    except smtplib.SMTPAuthenticationError as exc:
        raise SmtpProblem(
            _("The server {server} refused the user name or password ({reply}).").format(
                server=where, reply=reply_text(exc.smtp_code, exc.smtp_error)
            ),
            exc.smtp_code,
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SmtpProblem(
            _("The server {server} does not offer this kind of security or sign-in; check SSL/STARTTLS and the user name.")
            .format(server=where)
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise SmtpProblem(
            _("The server {server} answered: {reply}").format(server=where, reply=reply_text(exc.smtp_code, exc.smtp_error)),
            exc.smtp_code,
        ) from None
    except ssl.SSLError as exc:
        raise SmtpProblem(
            _("The secure connection to {server} failed ({reason}); check SSL/STARTTLS and the port.").format(
                server=where, reason=exc.reason or exc.__class__.__name__
            )
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SmtpProblem(_("Could not reach the mail server {server} ({reason}).").format(
            server=where, reason=_os_reason(exc))) from None


def _login(link: smtplib.SMTP, user: str, password: str) -> None:
    """Sign in; smtplib encodes user and password as ASCII only, so others go as UTF-8 AUTH PLAIN (RFC 4616)."""
    if (user + password).isascii():
        link.login(user, password)
        return
    if "plain" not in link.esmtp_features.get("auth", "").lower().split():
        raise SmtpProblem(_("The server offers no sign-in for a user name or password with umlauts or other "
                            "special characters; please choose one without them."))
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, reply = link.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return _("no answer in time")
    if isinstance(exc, ConnectionRefusedError):
        return _("connection refused")
    if isinstance(exc, socket.gaierror):
        return _("unknown host name")
    return exc.__class__.__name__


def close(link: smtplib.SMTP | None) -> None:
    """Say goodbye to the server; a dead connection is simply dropped."""
    if link is None:
        return
    try:
        link.quit()
    except (OSError, smtplib.SMTPException):
        link.close()
