"""The cash drawer: the opening float, cash put in and taken out, each a numbered and audited record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.models import CashMovement, CashMovementKind, ReceiptCounter, utcnow
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.common import Service
from salon_desk.services.fiscal.counting import parse_amount
from salon_desk.services.permissions import Permission

COUNTER_ID = 1
REASON_MAX = 200
KIND_LABELS = {
    CashMovementKind.FLOAT: N_("Opening float"),
    CashMovementKind.CASH_IN: N_("Cash in"),
    CashMovementKind.CASH_OUT: N_("Cash out"),
}


def kind_label(kind: CashMovementKind) -> str:
    """The translated name of a movement kind."""
    return _(KIND_LABELS[kind])


@dataclass(frozen=True)
class MovementRecord:
    """One cash movement as the drawer dialog lists it."""

    id: int
    number: int
    kind: CashMovementKind
    amount: Decimal
    reason: str
    at: datetime
    staff_name: str
    closed: bool


def lock_receipts(session: Session) -> int:
    """Lock the receipt counter row until the transaction ends and return its last number.

    Sales take their numbers from this row, so while a closing or a cash movement
    holds it no sale is half-numbered: every sale numbered up to the value read is
    committed. A missing row is created first (INSERT ... ON CONFLICT DO NOTHING).
    """
    dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        dialect_insert(ReceiptCounter)
        .values(id=COUNTER_ID, last_number=0)
        .on_conflict_do_nothing(index_elements=[ReceiptCounter.id])
    )
    statement = (
        update(ReceiptCounter)
        .where(ReceiptCounter.id == COUNTER_ID)
        .values(last_number=ReceiptCounter.last_number)
        .returning(ReceiptCounter.last_number)
    )
    return int(session.execute(statement, execution_options={"synchronize_session": False}).scalar_one())


def _record(movement: CashMovement) -> MovementRecord:
    return MovementRecord(
        movement.id,
        movement.number,
        movement.kind,
        movement.amount,
        movement.reason,
        movement.at,
        movement.staff_name,
        movement.closing_id is not None,
    )


class CashDrawerService(Service):
    """Put cash in, take it out, set the opening float; list what the open drawer holds."""

    def record(self, kind: CashMovementKind, amount: str | Decimal, reason: str) -> MovementRecord:
        """Write one numbered cash movement; cash in and out need a reason."""
        self.require(Permission.SELL)
        value = parse_amount(amount, "amount", allow_zero=False)
        reason = " ".join(reason.split())
        if kind is not CashMovementKind.FLOAT and not reason:
            raise ValidationError(_("Please say why the cash goes in or out."), "reason")
        if len(reason) > REASON_MAX:
            raise ValidationError(_("The reason is at most {max} characters.").format(max=REASON_MAX), "reason")
        with self.transaction(_("The cash movement")) as session:
            lock_receipts(session)
            number = (session.scalar(select(func.max(CashMovement.number))) or 0) + 1
            movement = CashMovement(
                number=number,
                kind=kind,
                amount=value,
                reason=reason,
                at=utcnow(),
                staff_id=self.actor.staff_id,
                staff_name=self.actor.name[:100],
            )
            session.add(movement)
            session.flush()
            after = {"number": number, "kind": kind.value, "amount": str(value)}
            action = Action(kind.value)
            audit.record(session, self.actor, action, Entity.CASH_DRAWER, movement.id, after=after, reason=reason)
            return _record(movement)

    def open_movements(self) -> list[MovementRecord]:
        """The movements since the last closing, oldest first."""
        with self.db.read() as session:
            rows = session.scalars(
                select(CashMovement).where(CashMovement.closing_id.is_(None)).order_by(CashMovement.number)
            )
            return [_record(m) for m in rows]
