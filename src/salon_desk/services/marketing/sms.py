"""The SMS channel's seam: a ``SmsGateway`` adapter with no provider yet.

Consent for SMS is in the model (``clients.sms_consent``); a provider plugs in here later.
Until then the campaign editor shows the channel as not configured and the outbox refuses
SMS campaigns.
"""

from __future__ import annotations

from typing import Protocol


class SmsGateway(Protocol):
    """What an SMS provider must offer."""

    @property
    def configured(self) -> bool:
        """True when messages can be sent."""
        ...

    def send(self, phone: str, text: str) -> str:
        """Send one SMS; the provider's message id. Raises on failure."""
        ...


class NoSmsGateway:
    """No provider is set up: nothing can be sent."""

    configured = False

    def send(self, phone: str, text: str) -> str:
        """Always refused."""
        raise RuntimeError("no SMS provider is set up")


def configured_gateway() -> SmsGateway:
    """The SMS provider in use (none yet)."""
    return NoSmsGateway()
