"""PIN lock-outs: wrong PINs counted per person, locks that grow, and the same answer for strangers."""

from __future__ import annotations

import threading
import weakref
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from salon_desk.errors import LockedError
from salon_desk.i18n import ngettext
from salon_desk.models import StaffMember, utcnow

MAX_FAILURES = 5
LOCK_STEPS = (5, 15, 60)
"""Minutes of the first, second and every further lock within ``LOCK_MEMORY``: a 4-digit PIN then takes weeks to guess."""
LOCK_MEMORY = timedelta(hours=24)


def locked_message(until: datetime) -> str:
    minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
    return ngettext(
        "Too many wrong PINs. Please try again in {n} minute or ask a manager.",
        "Too many wrong PINs. Please try again in {n} minutes or ask a manager.",
        minutes,
    ).format(n=minutes)


def refuse_if_locked(member: StaffMember) -> None:
    if member.locked_until is not None and member.locked_until > utcnow():
        raise LockedError(locked_message(member.locked_until), "pin")


def store_attempts(session: Session, member: StaffMember, failures: int, locked_until: datetime | None) -> None:
    """Write the PIN-attempt counter without bumping the version: an editor open elsewhere stays valid."""
    table = StaffMember.__table__
    session.execute(
        update(table).where(table.c.id == member.id).values(failed_pins=failures, locked_until=locked_until)
    )
    set_committed_value(member, "failed_pins", failures)
    set_committed_value(member, "locked_until", locked_until)


class Strangers:
    """Wrong PINs for people who do not exist (or no longer work here), counted like a real person's.

    From the fifth wrong PIN on, the answer is the same lock message a real person gets,
    so the answers never tell whether someone exists. Kept in memory: nobody can sign in
    as a stranger anyway.
    """

    def __init__(self) -> None:
        self._failures: dict[int | None, int] = {}
        self._locked_until: dict[int | None, datetime] = {}
        self._lock = threading.Lock()

    def fail(self, staff_id: int | None) -> None:
        with self._lock:
            if self._locked(staff_id):
                return
            failures = self._failures.get(staff_id, 0) + 1
            if failures >= MAX_FAILURES:
                failures = 0
                self._locked_until[staff_id] = utcnow() + timedelta(minutes=LOCK_STEPS[0])
            self._failures[staff_id] = failures

    def _locked(self, staff_id: int | None) -> bool:
        until = self._locked_until.get(staff_id)
        return until is not None and until > utcnow()

    def refuse_if_locked(self, staff_id: int | None) -> None:
        with self._lock:
            until = self._locked_until.get(staff_id)
        if until is not None and until > utcnow():
            raise LockedError(locked_message(until), "pin")


_strangers: weakref.WeakKeyDictionary[object, Strangers] = weakref.WeakKeyDictionary()


def strangers_for(db: object) -> Strangers:
    return _strangers.setdefault(db, Strangers())
