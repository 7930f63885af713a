"""Signing a sale on the TSE without holding the database's write lock, and selling on through an outage.

A sale is signed in four steps: the TSE transaction is started (no transaction open
on the database), the sale is written and committed as "pending", the TSE finishes
the transaction (again with nothing open on the database), and a short second
transaction stores the signature. A second desk therefore sells while the first
waits on a slow TSE. When the TSE refuses, times out or answers with an error, the
sale stays completed: it is marked failed (the receipt says "TSE ausgefallen") and
the outage is recorded with its start, end and cause (KassenSichV). A TSE
transaction started for a sale that was then not written is recorded as aborted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from salon_desk.db import Database
from salon_desk.errors import SalonError
from salon_desk.models import Sale, SaleTse, TseAbort, TseOutage, utcnow
from salon_desk.services.checkout.sale_records import SaleRecord
from salon_desk.services.checkout.tse import (
    FAILED_STATUS,
    PENDING_STATUS,
    NoTse,
    TseAdapter,
    TseError,
    TseReceiptData,
    TseSignature,
    TseStart,
)

log = logging.getLogger(__name__)


@dataclass
class Signing:
    """One sale's way through the TSE: the started transaction, or why it could not start."""

    device: TseAdapter
    started: TseStart | None = None
    cause: str = ""
    failed_at: datetime = field(default_factory=utcnow)

    @property
    def local(self) -> bool:
        """True without a TSE: nothing to wait for, the sale is final when written."""
        return isinstance(self.device, NoTse)

    @property
    def initial_status(self) -> str:
        """The ``tse_status`` the sale is written with."""
        return FAILED_STATUS if self.started is None else PENDING_STATUS


def begin(device: TseAdapter) -> Signing:
    """Start the TSE transaction before the database is touched; a failure starts selling through an outage."""
    signing = Signing(device)
    try:
        signing.started = device.start_transaction()
    except TseError as exc:
        signing.cause = str(exc) or type(exc).__name__
        signing.failed_at = utcnow()
    return signing


def sign_with_sale(session: Session, sale: Sale, signing: Signing, data: TseReceiptData) -> TseSignature | None:
    """In the sale's own transaction: the outcome when it is already known, else None (still to sign).

    Without a TSE (NoTse) the 'signature' says so; when the TSE did not start, the sale
    is sold through the outage and the outage recorded.
    """
    if signing.started is None:
        session.add(SaleTse(sale_id=sale.id, error=signing.cause))
        _note_outage(session, sale.number, signing.cause, signing.failed_at)
        return TseSignature(status=FAILED_STATUS)
    if signing.local:
        signature = signing.device.finish_transaction(signing.started, data)
        _apply(sale, signature)
        return signature
    return None


def with_signature(
    db: Database, record: SaleRecord, signing: Signing, signature: TseSignature | None, data: TseReceiptData
) -> SaleRecord:
    """The committed sale's record with its TSE outcome; a pending one is finished now, outside any transaction."""
    if signature is None:
        signature = finish(db, signing, record.id, record.number, data)
    return replace(record, tse=signature)


def abort(db: Database, signing: Signing, error: BaseException) -> None:
    """The sale was not written: cancel its TSE transaction where possible and record it as aborted."""
    if signing.started is None or signing.local:
        return
    cancelled = True
    try:
        signing.device.cancel_transaction(signing.started)
    except TseError:
        cancelled = False
    cause = getattr(error, "message", "") or str(error) or type(error).__name__
    try:
        with db.transaction() as session:
            session.add(
                TseAbort(
                    at=utcnow(),
                    transaction=signing.started.transaction[:60],
                    cause=cause,
                    cancelled_on_tse=cancelled,
                )
            )
    except (SQLAlchemyError, SalonError):
        log.exception("The aborted TSE transaction %s could not be recorded", signing.started.transaction)


def finish(db: Database, signing: Signing, sale_id: int, number: int, data: TseReceiptData) -> TseSignature:
    """Finish the TSE transaction (no database transaction open), then store the outcome in a short one."""
    assert signing.started is not None
    try:
        signature: TseSignature | None = signing.device.finish_transaction(signing.started, data)
        cause = ""
    except TseError as exc:
        signature, cause = None, str(exc) or type(exc).__name__
    try:
        with db.transaction() as session:
            return _store(session, sale_id, number, signature, cause)
    except (SQLAlchemyError, SalonError):
        # The sale is written; only its signature could not be kept. It stays pending,
        # which every view shows as failed and the next closing records as an outage.
        log.exception("The TSE outcome of receipt %s could not be stored", number)
        return TseSignature(status=PENDING_STATUS)


def _store(session: Session, sale_id: int, number: int, signature: TseSignature | None, cause: str) -> TseSignature:
    now = utcnow()
    if signature is None:
        session.execute(
            update(Sale).where(Sale.id == sale_id, Sale.tse_status == PENDING_STATUS).values(tse_status=FAILED_STATUS),
            execution_options={"synchronize_session": False},
        )
        session.add(SaleTse(sale_id=sale_id, error=cause))
        _note_outage(session, number, cause, now)
        return TseSignature(status=FAILED_STATUS)
    session.execute(
        update(Sale)
        .where(Sale.id == sale_id, Sale.tse_status == PENDING_STATUS)
        .values(**_columns(signature)),
        execution_options={"synchronize_session": False},
    )
    session.add(
        SaleTse(
            sale_id=sale_id,
            qr_code=signature.qr_code,
            process_type=signature.process_type,
            process_data=signature.process_data,
        )
    )
    _end_outages(session, now)
    return signature


def _columns(signature: TseSignature) -> dict[str, str]:
    return {
        "tse_status": signature.status,
        "tse_serial": signature.serial[:200],
        "tse_transaction": signature.transaction[:60],
        "tse_signature_counter": signature.signature_counter[:60],
        "tse_signature": signature.signature,
        "tse_start": signature.start[:40],
        "tse_finish": signature.finish[:40],
    }


def _apply(sale: Sale, signature: TseSignature) -> None:
    for key, value in _columns(signature).items():
        setattr(sale, key, value)


def _note_outage(session: Session, number: int, cause: str, when: datetime) -> None:
    """Extend the open outage by this receipt, or open one."""
    outage = session.scalars(
        select(TseOutage)
        .where(TseOutage.ended_at.is_(None), TseOutage.closing_id.is_(None))
        .order_by(TseOutage.id.desc())
        .limit(1)
        .with_for_update()
    ).first()
    if outage is None:
        session.add(TseOutage(started_at=when, cause=cause, first_receipt=number, last_receipt=number, sales=1))
        return
    outage.first_receipt = min(outage.first_receipt or number, number)
    outage.last_receipt = max(outage.last_receipt or number, number)
    outage.sales += 1


def _end_outages(session: Session, when: datetime) -> None:
    """The TSE signed again: every open outage ends now."""
    session.execute(
        update(TseOutage)
        .where(TseOutage.ended_at.is_(None), TseOutage.closing_id.is_(None))
        .values(ended_at=when),
        execution_options={"synchronize_session": False},
    )
