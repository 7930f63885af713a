"""The audit log: who changed what and when, with the values before and after; listing and CSV export."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import dates
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _, language, locale_name
from salon_desk.models import AuditEntry, Category, ClientCategory, CustomerGroup, StaffMember, utcnow
from salon_desk.models.staff import Role
from salon_desk.services.common import Actor, Service
from salon_desk.services.permissions import Permission, role_label

if TYPE_CHECKING:
    from salon_desk.services.staff.approval import Approval

PAGE = 200
CENT = Decimal("0.01")
WHO_SYSTEM = 0  # the "who" filter for entries written by Salon Desk itself


class Action(StrEnum):
    """The actions Salon Desk writes into the log (other strings are shown as they are)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    MEMBERSHIPS = "memberships"
    GROUP = "group"
    PRICE = "price"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    RESET_PIN = "reset_pin"
    LOCK_OUT = "lock_out"
    APPROVE = "approve"
    MANUAL_DISCOUNT = "manual_discount"
    CANCEL = "cancel"
    SETTING = "setting"
    FLOAT = "float"
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    CLOSE_DAY = "close_day"
    IMPORT = "import"
    ERASE = "erase"
    BULK_ASSIGN_CATEGORY = "bulk_assign_category"
    BULK_REMOVE_CATEGORY = "bulk_remove_category"
    BULK_GROUP = "bulk_group"
    BULK_RECIPIENTS = "bulk_recipients"
    EXPORT_CLIENTS = "export_clients"
    CALL_LIST = "call_list"
    UNSUBSCRIBE = "unsubscribe"


class Entity(StrEnum):
    """The kinds of records the log speaks about."""

    CATEGORY = "category"
    CLIENT = "client"
    GROUP = "group"
    ITEM = "item"
    OFFER = "offer"
    RECIPIENT_GROUP = "recipient_group"
    STAFF = "staff"
    SALE = "sale"
    SETTING = "setting"
    APPROVAL = "approval"
    CASH_DRAWER = "cash_drawer"
    CLOSING = "closing"


ACTION_LABELS = {
    Action.CREATE: N_("Created"),
    Action.UPDATE: N_("Changed"),
    Action.DELETE: N_("Deleted"),
    Action.MEMBERSHIPS: N_("Categories changed"),
    Action.GROUP: N_("Customer group changed"),
    Action.PRICE: N_("Price changed"),
    Action.DEACTIVATE: N_("Deactivated"),
    Action.REACTIVATE: N_("Reactivated"),
    Action.RESET_PIN: N_("PIN reset"),
    Action.LOCK_OUT: N_("Locked after wrong PINs"),
    Action.APPROVE: N_("Approval given"),
    Action.MANUAL_DISCOUNT: N_("Manual discount"),
    Action.CANCEL: N_("Cancelled"),
    Action.SETTING: N_("Setting changed"),
    Action.FLOAT: N_("Opening float"),
    Action.CASH_IN: N_("Cash in"),
    Action.CASH_OUT: N_("Cash out"),
    Action.CLOSE_DAY: N_("Day closed"),
    Action.IMPORT: N_("Clients imported"),
    Action.ERASE: N_("Personal data erased"),
    Action.BULK_ASSIGN_CATEGORY: N_("Category given to several clients"),
    Action.BULK_REMOVE_CATEGORY: N_("Category taken from several clients"),
    Action.BULK_GROUP: N_("Customer group set for several clients"),
    Action.BULK_RECIPIENTS: N_("Clients added to a recipient group"),
    Action.EXPORT_CLIENTS: N_("Clients exported as CSV"),
    Action.CALL_LIST: N_("Call list created"),
    Action.UNSUBSCRIBE: N_("Marked as unsubscribed from email"),
}

ENTITY_LABELS = {
    Entity.CATEGORY: N_("Category"),
    Entity.CLIENT: N_("Client"),
    Entity.GROUP: N_("Customer group"),
    Entity.ITEM: N_("Catalogue item"),
    Entity.OFFER: N_("Special offer"),
    Entity.RECIPIENT_GROUP: N_("Recipient group"),
    Entity.STAFF: N_("Staff member"),
    Entity.SALE: N_("Sale"),
    Entity.SETTING: N_("Setting"),
    Entity.APPROVAL: N_("Approval"),
    Entity.CASH_DRAWER: N_("Cash drawer"),
    Entity.CLOSING: N_("Daily closing"),
}


def action_label(action: str) -> str:
    """The translated name of ``action`` (unknown actions as written)."""
    label = ACTION_LABELS.get(action)  # type: ignore[call-overload]
    return _(label) if label else action


def entity_label(entity: str) -> str:
    """The translated name of ``entity`` (unknown kinds as written)."""
    label = ENTITY_LABELS.get(entity)  # type: ignore[call-overload]
    return _(label) if label else entity


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
) -> None:
    """Write one audit entry inside the caller's transaction."""
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


def record_memberships(session: Session, actor: Actor, client_id: int, before: list[dict[str, Any]]) -> None:
    """Log a client's category changes (before and after lists), if there were any."""
    session.flush()
    after = client_memberships(session, client_id)
    if to_json({"categories": after}) != to_json({"categories": before}):
        old, new = {"categories": before}, {"categories": after}
        record(session, actor, Action.MEMBERSHIPS, Entity.CLIENT, client_id, old, new)


def record_group_change(session: Session, actor: Actor, client_id: int, old_id: int | None, new_id: int | None) -> None:
    """Log a client's move to another customer group (or out of one), if it moved."""
    if old_id == new_id:
        return
    names = dict(session.execute(select(CustomerGroup.id, CustomerGroup.name).where(CustomerGroup.id.in_(
        [i for i in (old_id, new_id) if i is not None]))).all())  # fmt: skip
    before, after = {"group": names.get(old_id) if old_id else None}, {"group": names.get(new_id) if new_id else None}
    record(session, actor, Action.GROUP, Entity.CLIENT, client_id, before, after)


# -- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list: who (a staff id, or WHO_SYSTEM), what (entity, action) and a local date range."""

    staff_id: int | None = None
    entity: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One entry as the log page shows it."""

    id: int
    at: datetime
    staff_id: int | None
    staff_name: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | list[Any] | None = None
    after: dict[str, Any] | list[Any] | None = None
    reason: str = ""
    approved_by: str = ""
    cursor: tuple[datetime, int] = field(default=(datetime.min.replace(tzinfo=UTC), 0), repr=False)


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


# -- presenting ----------------------------------------------------------------------

FIELD_LABELS = {
    "name": N_("name"),
    "description": N_("description"),
    "color": N_("colour"),
    "icon": N_("icon"),
    "is_default": N_("default"),
    "discount_percent": N_("discount %"),
    "discount_scope": N_("discount applies to"),
    "applies_to_offers": N_("also on special offers"),
    "role": N_("role"),
    "active": N_("active"),
    "price": N_("price"),
    "item": N_("item"),
    "categories": N_("categories"),
    "group": N_("group"),
    "action": N_("action"),
    "manual_discount_limit": N_("manual discount limit %"),
    "idle_lock_minutes": N_("lock after minutes idle"),
    "clients": N_("clients"),
}
# Shown with every change although unchanged: they say which record the change was about.
IDENTITY_KEYS = frozenset({"name", "item", "role"})


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value) or "—"
    if isinstance(value, dict) and "category" in value:
        return _membership_text(value)
    if isinstance(value, dict):
        return " ".join(_value_text(v) for v in value.values())
    return str(value)


def _membership_text(value: dict[str, Any]) -> str:
    text = str(value["category"])
    if value.get("valid_until"):
        text += " " + _("(until {date})").format(date=value["valid_until"])
    if value.get("proof_note"):
        text += " " + _("[{note}]").format(note=value["proof_note"])
    return text


def describe(values: dict[str, Any] | list[Any] | None, keys: set[str] | None = None) -> str:
    """``values`` as one readable line (``name: Student; discount %: 10.00``), limited to ``keys``."""
    if values is None:
        return ""
    if not isinstance(values, dict):
        return _value_text(values)
    parts = []
    for key, value in values.items():
        if keys is None or key in keys:
            label = FIELD_LABELS.get(key)
            text = role_label(Role(value)) if key == "role" and value in set(Role) else _value_text(value)
            parts.append(f"{_(label) if label else key}: {text}")
    return "; ".join(parts)


def changed_keys(row: AuditRow) -> set[str] | None:
    """For a change with values before and after: the keys whose value differs (None: show all)."""
    if not isinstance(row.before, dict) or not isinstance(row.after, dict):
        return None
    keys = {k for k in row.before.keys() | row.after.keys() if row.before.get(k) != row.after.get(k)}
    return keys | IDENTITY_KEYS if keys else None


def local_time_text(at: datetime) -> str:
    """The entry's time on this computer's clock, as German Excel reads it (``22.11.2026 10:50:35``)."""
    pattern = "dd.MM.yyyy HH:mm:ss" if language() == "de" else "yyyy-MM-dd HH:mm:ss"
    return dates.format_datetime(at.astimezone(), pattern, locale=locale_name())


def csv_headers() -> list[str]:
    """The export's column titles."""
    return [_("Time"), _("Who"), _("Action"), _("Record"), _("ID"), _("Before"), _("After"), _("Reason"),
            _("Approved by")]


def csv_row(row: AuditRow) -> list[str]:
    """One exported line: full values before and after, not only the changed ones."""
    return [
        local_time_text(row.at),
        row.staff_name,
        action_label(row.action),
        entity_label(row.entity),
        "" if row.entity_id is None else str(row.entity_id),
        describe(row.before),
        describe(row.after),
        row.reason,
        row.approved_by,
    ]


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
