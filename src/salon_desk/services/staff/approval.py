"""A manager's approval: proof, made only by a successful PIN check, that an action above someone's rights was allowed.

The staff service issues an approval after the manager's PIN (``StaffService.approve``).
It is bound to one purpose and subject (cancel sale 17; a manual discount up to 20 %)
and carries a keyed hash over all its fields. The key is made anew for each open
database and never leaves this process, so an ``Approval`` built by hand, or an issued
one with another purpose, subject or manager, is refused. Each approval is spent by the
action it allowed and cannot be used again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import weakref
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from salon_desk.errors import PermissionDeniedError
from salon_desk.i18n import N_, _


class ApprovalPurpose(StrEnum):
    """What an approval allows."""

    MANUAL_DISCOUNT = "manual_discount"  # subject: the highest percentage allowed, e.g. "20.00"
    CANCEL_SALE = "cancel_sale"  # subject: the sale's id


REASONS: dict[ApprovalPurpose, tuple[str, ...]] = {
    ApprovalPurpose.MANUAL_DISCOUNT: (
        N_("Complaint"),
        N_("Goodwill for a regular client"),
        N_("Damaged or faulty product"),
        N_("Staff purchase"),
        N_("Price match"),
        N_("Promotion"),
    ),
    ApprovalPurpose.CANCEL_SALE: (
        N_("Wrong item"),
        N_("Wrong amount or quantity"),
        N_("Wrong payment method"),
        N_("Client changed their mind"),
        N_("Booked twice"),
        N_("Other"),
    ),
}
"""The reasons offered for each kind of approval; any other reason may be typed."""


def reasons_for(purpose: ApprovalPurpose) -> list[str]:
    """The reasons offered for ``purpose``, in the active language."""
    return [_(reason) for reason in REASONS[purpose]]


@dataclass(frozen=True)
class Approval:
    """A manager's approval of an action above someone's rights, with the reason given."""

    manager_id: int
    manager_name: str
    reason: str
    purpose: ApprovalPurpose | None = None
    subject: str = ""
    nonce: str = ""
    proof: str = ""


class ApprovalLedger:
    """Issues approvals for one open database and takes each back once."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._spent: set[str] = set()
        self._lock = threading.Lock()

    def issue(self, manager_id: int, manager_name: str, reason: str, purpose: ApprovalPurpose, subject: str) -> Approval:
        """A proven approval; only the staff service calls this, after the manager's PIN."""
        approval = Approval(manager_id, manager_name, reason, purpose, subject, secrets.token_hex(16))
        return replace(approval, proof=self._digest(approval))

    def check(self, approval: Approval, purpose: ApprovalPurpose, subject: str | Decimal) -> None:
        """Refuse an approval that was not issued here, is for something else, or was used already."""
        self.verify(approval, purpose, subject)
        self.check_unspent(approval)

    def verify(self, approval: Approval, purpose: ApprovalPurpose, subject: str | Decimal) -> None:
        """Refuse an approval that was not issued here or is for another purpose or subject."""
        proven = bool(approval.proof) and hmac.compare_digest(approval.proof, self._digest(approval))
        if not proven or approval.purpose is not purpose or not _covers(purpose, approval.subject, subject):
            raise PermissionDeniedError(_("This approval is not valid for this action; please ask again."), "approval")

    def check_unspent(self, approval: Approval) -> None:
        """Refuse an approval that allowed an action already."""
        with self._lock:
            if approval.nonce in self._spent:
                raise PermissionDeniedError(_("This approval was used already; please ask again."), "approval")

    def spend(self, approval: Approval) -> None:
        """The approved action was saved: the approval cannot be used again."""
        with self._lock:
            self._spent.add(approval.nonce)

    def _digest(self, approval: Approval) -> str:
        fields = (approval.manager_id, approval.manager_name, approval.reason, approval.purpose, approval.subject)
        message = "\x1f".join(map(str, (*fields, approval.nonce))).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def _covers(purpose: ApprovalPurpose, granted: str, wanted: str | Decimal) -> bool:
    """A discount approval covers any discount up to its percentage; any other subject must be the same."""
    if purpose is ApprovalPurpose.MANUAL_DISCOUNT:
        try:
            return Decimal(granted) >= Decimal(wanted)
        except InvalidOperation:
            return False
    return granted == str(wanted)


_ledgers: weakref.WeakKeyDictionary[object, ApprovalLedger] = weakref.WeakKeyDictionary()
_ledgers_lock = threading.Lock()


def ledger_for(db: object) -> ApprovalLedger:
    """The ledger of the open database ``db``, shared by all its services in this process."""
    with _ledgers_lock:
        ledger = _ledgers.get(db)
        if ledger is None:
            ledger = _ledgers[db] = ApprovalLedger()
        return ledger
