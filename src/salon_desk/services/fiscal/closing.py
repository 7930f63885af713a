"""The daily closing (Kassenabschluss): count the drawer, compare with the expected cash, keep the Z-report.

Closings are numbered without gaps. A closing covers every receipt numbered after
the previous closing's last one, up to the counter's value while it holds the
counter row: a sale committed after it belongs to the next closing. A sale still
waiting for its TSE signature refuses the closing for a moment; one that waited
longer than ``PENDING_GRACE`` (a desk that crashed) is taken in as sold through an
outage. What the closing took in never changes again (triggers of migration 0010).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from salon_desk.errors import ConflictError
from salon_desk.i18n import _
from salon_desk.models import CashMovement, Closing, Sale, TseAbort, TseOutage, utcnow
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.common import Service, require
from salon_desk.services.fiscal.counting import DrawerCount, counted_cash
from salon_desk.services.fiscal.drawer import lock_receipts
from salon_desk.services.fiscal.totals import ClosingTotals, OutageRecord, current_totals
from salon_desk.services.permissions import Permission
from salon_desk.services.checkout.tse import FAILED_STATUS, PENDING_STATUS

PENDING_GRACE = timedelta(minutes=2)
CLOSED_DAY = "a closed day cannot change"
"""The text of the database's refusal (migration 0010's triggers)."""


@dataclass(frozen=True)
class ClosingRecord:
    """One closing as the dialog, the Z-report and the export read it."""

    id: int
    number: int
    created_at: datetime
    staff_name: str
    cash_expected: Decimal
    cash_counted: Decimal
    cash_difference: Decimal
    pieces: dict[str, int]
    totals: ClosingTotals


@dataclass(frozen=True)
class ClosingPreview:
    """What the open day holds so far, before the drawer is counted."""

    number: int
    totals: ClosingTotals
    pending: tuple[int, ...]


def closing_record(closing: Closing) -> ClosingRecord:
    """A stored closing as a record."""
    return ClosingRecord(
        id=closing.id,
        number=closing.number,
        created_at=closing.created_at,
        staff_name=closing.staff_name,
        cash_expected=closing.cash_expected,
        cash_counted=closing.cash_counted,
        cash_difference=closing.cash_difference,
        pieces=json.loads(closing.count_detail) if closing.count_detail else {},
        totals=ClosingTotals.from_json(closing.totals),
    )


def _last_closed(session: Session) -> tuple[int, int]:
    """The last closing's number and last receipt (0, 0 before the first closing)."""
    row = session.execute(select(Closing.number, Closing.last_receipt).order_by(Closing.number.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, 0)


def _pending(session: Session, first: int, last: int) -> list[Sale]:
    return list(
        session.scalars(
            select(Sale).where(Sale.number.between(first, last), Sale.tse_status == PENDING_STATUS).order_by(
                Sale.number,
            )
        )
    )


class ClosingService(Service):
    """Preview the open day, close it with a counted drawer, read past closings."""

    def preview(self) -> ClosingPreview:
        """The open day's figures and the expected cash, for the closing dialog."""
        with self.db.read() as session:
            number, last_closed = _last_closed(session)
            last = session.scalar(select(func.max(Sale.number))) or 0
            totals = current_totals(session, last_closed + 1, last)
            pending = tuple(s.number for s in _pending(session, last_closed + 1, last))
            return ClosingPreview(number + 1, totals, pending)

    def close(self, count: DrawerCount) -> ClosingRecord:
        """Close the day: numbered without gaps, with the counted drawer; nothing in it changes afterwards."""
        self.require(Permission.SELL)
        counted, pieces = counted_cash(count)
        with self.transaction(_("The daily closing")) as session:
            last = lock_receipts(session)
            number, last_closed = _last_closed(session)
            self._settle_pending(session, last_closed + 1, last)
            totals = current_totals(session, last_closed + 1, last)
            now = utcnow()
            closing = Closing(
                number=number + 1,
                created_at=now,
                staff_id=self.actor.staff_id,
                staff_name=self.actor.name[:100],
                first_receipt=last_closed + 1,
                last_receipt=last,
                cash_expected=totals.expected_cash,
                cash_counted=counted,
                cash_difference=counted - totals.expected_cash,
                count_detail=json.dumps(pieces) if pieces else "",
                totals=totals.to_json(),
            )
            session.add(closing)
            session.flush()
            self._take_in(session, closing.id, now)
            after = {"number": closing.number, "receipts": [closing.first_receipt, last], "counted": str(counted)}
            audit.record(session, self.actor, Action.CLOSE_DAY, Entity.CLOSING, closing.id, after=after)
            return closing_record(closing)

    def _settle_pending(self, session: Session, first: int, last: int) -> None:
        """Refuse while a sale waits for the TSE; take in as failed those a crashed desk left waiting."""
        stale_before = utcnow() - PENDING_GRACE
        for sale in _pending(session, first, last):
            if sale.completed_at > stale_before:
                raise ConflictError(
                    _(
                        "Receipt no. {number} is still being written (waiting for the TSE). "
                        "Please close the day again in a moment."
                    ).format(number=sale.number),
                    "closing",
                )
            sale.tse_status = FAILED_STATUS
            session.add(
                TseOutage(
                    started_at=sale.completed_at,
                    ended_at=sale.completed_at,
                    cause=_("No answer from the TSE was recorded"),
                    first_receipt=sale.number,
                    last_receipt=sale.number,
                    sales=1,
                )
            )
        session.flush()

    @staticmethod
    def _take_in(session: Session, closing_id: int, now: datetime) -> None:
        """The open drawer's movements, the outages (ended now if still open) and aborts join the closing."""
        session.execute(
            update(TseOutage).where(TseOutage.closing_id.is_(None), TseOutage.ended_at.is_(None)).values(ended_at=now)
        )
        for model in (CashMovement, TseOutage, TseAbort):
            session.execute(
                update(model)
                .where(model.closing_id.is_(None))  # type: ignore[attr-defined]
                .values(closing_id=closing_id),
                execution_options={"synchronize_session": False},
            )

    def closings(self, limit: int = 100) -> list[ClosingRecord]:
        """Past closings, newest first."""
        with self.db.read() as session:
            rows = session.scalars(select(Closing).order_by(Closing.number.desc()).limit(limit))
            return [closing_record(c) for c in rows]

    def get(self, closing_id: int) -> ClosingRecord:
        """One closing."""
        with self.db.read() as session:
            closing = require(session.get(Closing, closing_id), _("The closing"))
            assert isinstance(closing, Closing)
            return closing_record(closing)


__all__ = ["CLOSED_DAY", "ClosingPreview", "ClosingRecord", "ClosingService", "DrawerCount", "OutageRecord"]
