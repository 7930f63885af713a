"""The audit log: who changed what and when, with the values before and after; listing and CSV export."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import AuditEntry, Category, Client, ClientCategory, CustomerGroup, StaffMember, utcnow
from salon_desk.services.common import Actor, Service
from salon_desk.services.permissions import Permission

from salon_desk.services.staff.audit_kinds import (  # noqa: F401 - the kinds are used as audit.Action etc.
    ACTION_LABELS,
    ENTITY_LABELS,
    Action,
    Entity,
    action_label,
    entity_label,
)
from salon_desk.services.staff.audit_text import AuditRow, csv_headers, csv_row

if TYPE_CHECKING:
    from salon_desk.services.staff.approval import Approval

PAGE = 200
CENT = Decimal("0.01")
WHO_SYSTEM = 0  # the "who" filter for entries written by Salon Desk itself


# -- writing -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON for the values Salon Desk keeps: Decimals, dates and enums as strings, sets as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):  # money and percentages: two places, as the database keeps them
        return f"{value:.2f}" if value == value.quantize(CENT) else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"cannot write {type(value).__name__} into the audit log")


def to_json(values: dict[str, Any] | None) -> str:
    """The stored text of ``values`` ('' for none)."""
    if values is None:
        return ""
    return json.dumps(values, default=_plain, ensure_ascii=False)


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    approval: Approval | None = None,
    subject: str = "",
) -> None:
    """Write one audit entry inside the caller's transaction; ``subject`` is the record's name as it is now."""
    session.add(
        AuditEntry(
            at=utcnow(),
            staff_id=actor.staff_id,
            staff_name=actor.name[:100],
            action=str(action),
            entity=str(entity),
            entity_id=entity_id,
            before=to_json(before),
            after=to_json(after),
            reason=(reason or (approval.reason if approval else "")).strip(),
            approved_by_id=approval.manager_id if approval else None,
            approved_by_name=approval.manager_name if approval else "",
            subject=subject.strip()[:201],
        )
    )


CATEGORY_FIELDS = (
    "name", "description", "color", "icon", "is_default", "discount_percent", "discount_scope", "applies_to_offers",
)  # fmt: skip
GROUP_FIELDS = ("name", "description", "self_assignable")
ITEM_FIELDS = ("name", "kind", "price", "vat_rate", "no_discounts", "active")
OFFER_FIELDS = ("name", "starts_on", "ends_on", "offer_price", "percent_off")


def group_values(group: CustomerGroup) -> dict[str, Any]:
    """What the log keeps of a customer group (whether it has a password, never the password)."""
    return snapshot(group, GROUP_FIELDS) | {"has_password": group.password_hash is not None}


def snapshot(record: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of ``record``, as the log keeps them before or after a change."""
    return {name: getattr(record, name) for name in fields}


def client_memberships(session: Session, client_id: int) -> list[dict[str, Any]]:
    """A client's categories as the log keeps them: name, valid-until date and proof note."""
    rows = session.execute(
        select(Category.name, ClientCategory.valid_until, ClientCategory.proof_note)
        .join(Category, Category.id == ClientCategory.category_id)
        .where(ClientCategory.client_id == client_id)
        .order_by(Category.name_key)
    )
    return [_membership(name, valid_until, note) for name, valid_until, note in rows]


def _membership(name: str, valid_until: date | None, note: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"category": name}
    if valid_until is not None:
        entry["valid_until"] = valid_until
    if note:
        entry["proof_note"] = note
    return entry


def record_memberships(
    session: Session, actor: Actor, client_id: int, before: list[dict[str, Any]], subject: str = ""
) -> None:
    """Log a client's category changes (before and after lists), if there were any."""
    session.flush()
    after = client_memberships(session, client_id)
    if to_json({"categories": after}) != to_json({"categories": before}):
        old, new = {"categories": before}, {"categories": after}
        record(session, actor, Action.MEMBERSHIPS, Entity.CLIENT, client_id, old, new, subject=subject)


def record_group_change(
    session: Session, actor: Actor, client_id: int, old_id: int | None, new_id: int | None, subject: str = ""
) -> None:
    """Log a client's move to another customer group (or out of one), if it moved."""
    if old_id == new_id:
        return
    names = dict(session.execute(select(CustomerGroup.id, CustomerGroup.name).where(CustomerGroup.id.in_(
        [i for i in (old_id, new_id) if i is not None]))).all())  # fmt: skip
    before, after = {"group": names.get(old_id) if old_id else None}, {"group": names.get(new_id) if new_id else None}
    record(session, actor, Action.GROUP, Entity.CLIENT, client_id, before, after, subject=subject)


CLIENT_FIELDS = (
    "first_name", "last_name", "phone", "email", "birthday", "street", "postal_code", "city", "notes",
    "email_consent", "sms_consent",
)  # fmt: skip


def client_subject(client: Client) -> str:
    """A client's name as the log keeps it with each entry: "Anna Müller"."""
    return " ".join(part for part in (client.first_name, client.last_name) if part)


def record_client_created(session: Session, actor: Actor, client: Client) -> None:
    """Log a new client card with the details it was saved with (empty ones left out)."""
    after = {k: v for k, v in snapshot(client, CLIENT_FIELDS).items() if v not in ("", None, False)}
    record(session, actor, Action.CREATE, Entity.CLIENT, client.id, after=after, subject=client_subject(client))


def record_client_change(session: Session, actor: Actor, client: Client, before: dict[str, Any]) -> None:
    """Log the details that changed on a client card, each before and after; nothing when none did."""
    after = snapshot(client, CLIENT_FIELDS)
    changed = [key for key in CLIENT_FIELDS if to_json({key: before.get(key)}) != to_json({key: after[key]})]
    if changed:
        old, new = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
        record(session, actor, Action.UPDATE, Entity.CLIENT, client.id, old, new, subject=client_subject(client))


def forget_client(session: Session, client_id: int, label: str) -> None:
    """After an erasure: the client's entries keep no name and no personal details, only what was done."""
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.entity == Entity.CLIENT, AuditEntry.entity_id == client_id)
        .values(subject=label)
    )
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.entity == Entity.CLIENT, AuditEntry.entity_id == client_id,
               AuditEntry.action.in_([Action.CREATE, Action.UPDATE]))  # fmt: skip
        .values(before="", after="")
    )


# -- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list: who (a staff id, or WHO_SYSTEM), what (entity, action) and a local date range."""

    staff_id: int | None = None
    entity: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _parse(text: str) -> Any:
    return json.loads(text) if text else None


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        id=entry.id,
        at=entry.at,
        staff_id=entry.staff_id,
        staff_name=entry.staff_name,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        before=_parse(entry.before),
        after=_parse(entry.after),
        reason=entry.reason,
        approved_by=entry.approved_by_name,
        subject=entry.subject,
        cursor=(entry.at, entry.id),
    )


def _local_midnight(day: date) -> datetime:
    """The start of ``day`` on this computer's clock, in UTC."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _conditions(filters: AuditFilter) -> list[Any]:
    conditions: list[Any] = []
    if filters.staff_id == WHO_SYSTEM:
        conditions.append(AuditEntry.staff_id.is_(None))
    elif filters.staff_id is not None:
        conditions.append(AuditEntry.staff_id == filters.staff_id)
    if filters.entity:
        conditions.append(AuditEntry.entity == filters.entity)
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.date_from is not None:
        conditions.append(AuditEntry.at >= _local_midnight(filters.date_from))
    if filters.date_to is not None:
        conditions.append(AuditEntry.at < _local_midnight(filters.date_to + timedelta(days=1)))
    return conditions


def _older_than(cursor: tuple[datetime, int]) -> Any:
    at, entry_id = cursor
    return or_(AuditEntry.at < at, and_(AuditEntry.at == at, AuditEntry.id < entry_id))


class AuditService(Service):
    """Read and export the audit log (managers only)."""

    def list(
        self, filters: AuditFilter = AuditFilter(), limit: int = PAGE, after: tuple[datetime, int] | None = None
    ) -> list[AuditRow]:
        """Up to ``limit`` entries, newest first, older than the cursor ``after`` (keyset paging)."""
        self.require(Permission.VIEW_AUDIT)
        with self.db.read() as session:
            return self._page(session, filters, limit, after)

    def _page(
        self, session: Session, filters: AuditFilter, limit: int, after: tuple[datetime, int] | None
    ) -> list[AuditRow]:
        conditions = _conditions(filters)
        if after is not None:
            conditions.append(_older_than(after))
        query = select(AuditEntry).where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        return [_row(e) for e in session.scalars(query.limit(limit))]

    def _all(self, filters: AuditFilter) -> Iterator[AuditRow]:
        cursor: tuple[datetime, int] | None = None
        with self.db.read() as session:
            while True:
                rows = self._page(session, filters, 1000, cursor)
                yield from rows
                if len(rows) < 1000:
                    return
                cursor = rows[-1].cursor

    def export_csv(self, path: Path | str, filters: AuditFilter = AuditFilter()) -> int:
        """Write the entries that match ``filters`` to a CSV file for Excel (``;``, UTF-8 with BOM); the count."""
        self.require(Permission.VIEW_AUDIT)
        target = Path(path)
        partial = target.with_name(target.name + ".part")
        count = 0
        try:
            with partial.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
                writer.writerow(csv_headers())
                for row in self._all(filters):
                    writer.writerow(csv_row(row))
                    count += 1
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ValidationError(
                _("The file {path} could not be written: {error}").format(path=target, error=exc.strerror or exc),
                "path",
            ) from exc
        return count

    def who(self) -> list[tuple[int, str]]:
        """The people that appear in the log (id, latest name), for the "who" filter."""
        self.require(Permission.VIEW_AUDIT)
        with self.db.read() as session:
            used = select(AuditEntry.staff_id).where(AuditEntry.staff_id.is_not(None)).distinct()
            rows = session.execute(
                select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(used)).order_by(StaffMember.name_key)
            )
            return [(staff_id, name) for staff_id, name in rows]
