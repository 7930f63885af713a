"""A real SMTP server on localhost (aiosmtpd) that records what it delivers and answers as told per address."""

from __future__ import annotations

import socket
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

USER = "salon"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Handler:
    """``rcpt_answers[address]``: replies for RCPT TO, one per try ("451 …", then the default 250)."""

    rcpt_answers: dict[str, list[str]] = field(default_factory=dict)
    data_answers: dict[str, list[str]] = field(default_factory=dict)
    delivered: list[tuple[str, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802, ANN001
        with self.lock:
            answers = self.rcpt_answers.get(address)
            answer = answers.pop(0) if answers else "250 OK"
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        with self.lock:
            answers = self.data_answers.get(envelope.rcpt_tos[0])
            answer = answers.pop(0) if answers else "250 Message accepted for delivery"
            if answer.startswith("250"):
                for address in envelope.rcpt_tos:
                    self.delivered.append((address, bytes(envelope.original_content or envelope.content)))
        return answer

    def messages(self) -> list[tuple[str, EmailMessage]]:
        """(recipient, parsed message) for every delivery."""
        with self.lock:
            return [(a, message_from_bytes(c, policy=default)) for a, c in self.delivered]  # type: ignore[misc]

    def count_by_address(self) -> dict[str, int]:
        with self.lock:
            counts: dict[str, int] = {}
            for address, _content in self.delivered:
                counts[address] = counts.get(address, 0) + 1
            return counts


@dataclass
class SmtpServer:
    handler: Handler
    port: int
    host: str = "127.0.0.1"


@contextmanager
def running(password: str | None = None) -> Iterator[SmtpServer]:
    """The server on a free port; with ``password`` it asks for sign-in (user ``salon``) over plain text."""
    handler = Handler()
    port = free_port()
    options: dict[str, object] = {}
    if password is not None:
        def check(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
            ok = auth_data.login.decode() == USER and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options = {"authenticator": check, "auth_require_tls": False, "auth_required": True}
    with warnings.catch_warnings():  # sign-in without TLS is what a local test server does
        warnings.simplefilter("ignore", UserWarning)
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
    try:
        yield SmtpServer(handler, port)
    finally:
        controller.stop()
