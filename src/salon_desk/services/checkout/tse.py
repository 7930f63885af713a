"""The technical security device (TSE, KassenSichV) behind an adapter the sale flow calls.

A sale starts a TSE transaction before its receipt number is taken and finishes
it once the number and the total are known; the signature fields go onto the
sale and its receipt. Until a certified device is attached, ``NoTse`` records
that none is connected, and the receipt says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from salon_desk.models.base import utcnow

NO_TSE_STATUS = "no TSE connected"
"""``tse_status`` of a sale made without a TSE (the receipt translates it)."""
SIGNED_STATUS = "signed"
"""``tse_status`` of a sale a TSE signed."""
FAILED_STATUS = "failed"
"""``tse_status`` of a sale sold through a TSE outage (the receipt says "TSE ausgefallen")."""
PENDING_STATUS = "pending"
"""``tse_status`` of a sale written and waiting for its signature; never shown as signed."""


class TseError(Exception):
    """The TSE refused, timed out or failed; the sale is completed and the outage recorded."""


@dataclass(frozen=True)
class TseStart:
    """A TSE transaction that has been started."""

    transaction: str
    started_at: str


@dataclass(frozen=True)
class TseSignature:
    """What the TSE returns on finishing a transaction; printed on the receipt."""

    status: str
    serial: str = ""
    transaction: str = ""
    signature_counter: str = ""
    signature: str = ""
    start: str = ""
    finish: str = ""
    qr_code: str = ""
    process_type: str = ""
    process_data: str = ""

    @property
    def connected(self) -> bool:
        """True when a TSE signed the transaction (a failed or pending signature is not one)."""
        return self.status == SIGNED_STATUS

    @property
    def failed(self) -> bool:
        """True when the sale was made through a TSE outage (or its signature never came)."""
        return self.status in (FAILED_STATUS, PENDING_STATUS)


@dataclass(frozen=True)
class TseReceiptData:
    """The sale facts a TSE signs."""

    receipt_number: int
    total: Decimal
    payment_method: str
    reverses_number: int | None = None
    # Gross per VAT rate (rate, gross) as fiskaly's ``amounts_per_vat_rate`` wants them.
    vat_amounts: tuple[tuple[Decimal, Decimal], ...] = ()


class TseAdapter(Protocol):
    """Start and finish one transaction per sale on the security device."""

    def start_transaction(self) -> TseStart:
        """Open a transaction before the sale's number is taken."""
        ...

    def finish_transaction(self, start: TseStart, data: TseReceiptData) -> TseSignature:
        """Sign the finished sale; raises TseError when the device fails."""
        ...

    def cancel_transaction(self, start: TseStart) -> None:
        """Abort a started transaction whose sale was not written; raises TseError when that fails."""
        ...


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class NoTse:
    """No TSE is connected: the sale records that, and the receipt says so."""

    def start_transaction(self) -> TseStart:
        """Nothing to open; the start time is kept for the record."""
        return TseStart(transaction="", started_at=_iso(utcnow()))

    def finish_transaction(self, start: TseStart, data: TseReceiptData) -> TseSignature:
        """No signature: the status says no TSE was connected."""
        return TseSignature(status=NO_TSE_STATUS, start=start.started_at, finish=_iso(utcnow()))

    def cancel_transaction(self, start: TseStart) -> None:
        """Nothing was opened."""


class FakeTse:
    """A TSE stand-in for tests: signs with a counter, and can be told to fail."""

    def __init__(
        self, serial: str = "FAKE-TSE-0001", fail_on_finish: bool = False, fail_on_start: bool = False
    ) -> None:
        self.serial = serial
        self.fail_on_finish = fail_on_finish
        self.fail_on_start = fail_on_start
        self.counter = 0
        self.started: list[TseStart] = []
        self.finished: list[TseReceiptData] = []
        self.cancelled: list[TseStart] = []

    def start_transaction(self) -> TseStart:
        """Open a numbered transaction, or fail when told to."""
        if self.fail_on_start:
            raise TseError("the fake TSE was told to fail")
        start = TseStart(transaction=str(len(self.started) + 1), started_at=_iso(utcnow()))
        self.started.append(start)
        return start

    def finish_transaction(self, start: TseStart, data: TseReceiptData) -> TseSignature:
        """Sign with a predictable signature, or fail when told to."""
        if self.fail_on_finish:
            raise TseError("the fake TSE was told to fail")
        self.counter += 1
        self.finished.append(data)
        return TseSignature(
            status=SIGNED_STATUS,
            serial=self.serial,
            transaction=start.transaction,
            signature_counter=str(self.counter),
            signature=f"SIG-{data.receipt_number}-{data.total}-{data.payment_method}",
            start=start.started_at,
            finish=_iso(utcnow()),
        )

    def cancel_transaction(self, start: TseStart) -> None:
        """Record the aborted transaction."""
        self.cancelled.append(start)
