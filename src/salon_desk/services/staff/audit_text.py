"""The audit log as people read it: translated field names, and numbers, money and dates in the locale's format.

``describe`` turns the values an entry keeps (``{"total": "-57.86"}``) into one line
(``Betrag: −57,86 €``); keys kept only for the machine (``reversal_id``) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import dates

from salon_desk.i18n import N_, _, format_date, format_money, format_percent, language, locale_name, ngettext
from salon_desk.models.staff import Role
from salon_desk.services.permissions import role_label
from salon_desk.services.staff.audit_kinds import action_label, entity_label

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
    subject: str = ""
    cursor: tuple[datetime, int] = field(default=(datetime.min.replace(tzinfo=UTC), 0), repr=False)


FIELD_LABELS = {
    "name": N_("name"),
    "description": N_("description"),
    "color": N_("colour"),
    "icon": N_("icon"),
    "is_default": N_("default"),
    "discount_percent": N_("discount"),
    "discount_scope": N_("discount applies to"),
    "applies_to_offers": N_("also on special offers"),
    "role": N_("role"),
    "active": N_("active"),
    "price": N_("price"),
    "item": N_("item"),
    "kind": N_("kind"),
    "vat_rate": N_("VAT rate"),
    "no_discounts": N_("no discounts"),
    "starts_on": N_("from"),
    "ends_on": N_("until"),
    "offer_price": N_("offer price"),
    "percent_off": N_("percent off"),
    "items": N_("items (no.)"),
    "categories": N_("categories"),
    "category": N_("category"),
    "group": N_("group"),
    "recipient_group": N_("recipient group"),
    "self_assignable": N_("clients may join themselves"),
    "has_password": N_("password protected"),
    "action": N_("action"),
    "manual_discount_limit": N_("manual discount limit"),
    "idle_lock_minutes": N_("lock after minutes idle"),
    "minutes": N_("minutes"),
    "clients": N_("clients"),
    "clients_added": N_("clients added"),
    "first_name": N_("first name"),
    "last_name": N_("last name"),
    "phone": N_("phone"),
    "email": N_("email"),
    "birthday": N_("birthday"),
    "street": N_("street"),
    "postal_code": N_("postal code"),
    "city": N_("city"),
    "notes": N_("notes"),
    "email_consent": N_("email consent"),
    "sms_consent": N_("SMS consent"),
    "kept": N_("card kept"),
    "merged": N_("card merged into it"),
    "sales_kept": N_("sales kept"),
    "number": N_("number"),
    "total": N_("total"),
    "lines": N_("lines"),
    "percent": N_("discount"),
    "amount": N_("amount"),
    "receipts": N_("receipts"),
    "counted": N_("counted"),
    "file": N_("file"),
    "created": N_("new"),
    "skipped": N_("left out"),
    "count": N_("clients"),
    "added": N_("newly given"),
    "valid_until": N_("valid until"),
    "proof_note": N_("proof"),
    "selection": N_("selected clients"),
    "list": N_("whole list"),
    "segment": N_("segment"),
    "search": N_("search"),
    "category_id": N_("category no."),
    "group_id": N_("group no."),
    "title": N_("title"),
    "advertising": N_("advertising"),
    "payment": N_("payment"),
    "tse_base_url": N_("TSE address"),
    "tse_tss_id": N_("TSS ID"),
    "tse_client_id": N_("TSE client ID"),
}
MONEY_KEYS = frozenset({"price", "total", "amount", "counted", "offer_price"})
PERCENT_KEYS = frozenset({"discount_percent", "percent", "manual_discount_limit", "percent_off", "vat_rate"})
DATE_KEYS = frozenset({"birthday", "valid_until", "starts_on", "ends_on"})
HIDDEN_KEYS = frozenset({"reversal_id"})
"""Kept for the machine; the entry shows the receipt number instead."""
VALUE_LABELS = {
    "services": N_("services"),
    "products": N_("products"),
    "both": N_("services and products"),
    "service": N_("service"),
    "product": N_("product"),
    "float": N_("opening float"),
    "cash_in": N_("cash in"),
    "cash_out": N_("cash out"),
    "cash": N_("cash"),
    "card": N_("card"),
}
ENUM_KEYS = frozenset({"discount_scope", "kind", "payment"})
# Shown with every change although unchanged: they say which record the change was about.
IDENTITY_KEYS = frozenset({"name", "item", "role"})


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money_text(value: Any) -> str:
    """``-57.86`` as ``−57,86 €`` (a true minus sign)."""
    amount = _decimal(value)
    return str(value) if amount is None else format_money(amount).replace("-", "\u2212")


def _date_text(value: Any) -> str:
    try:
        return format_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def value_text(key: str, value: Any) -> str:
    """One value as people read it, by what its key says it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "role" and value in set(Role):
        return role_label(Role(value))
    if key in MONEY_KEYS:
        return money_text(value)
    if key in PERCENT_KEYS and _decimal(value) is not None:
        return format_percent(_decimal(value))  # type: ignore[arg-type]
    if key in DATE_KEYS:
        return _date_text(value)
    if key in ENUM_KEYS and value in VALUE_LABELS:
        return _(VALUE_LABELS[value])
    if key == "segment":
        return _segment_text(value)
    if key == "receipts" and isinstance(value, list) and len(value) == 2:
        return f"{value[0]}\u2013{value[1]}" if value[0] != value[1] else str(value[0])
    if isinstance(value, list):
        return ", ".join(value_text(key, v) for v in value) or "—"
    if isinstance(value, dict) and "category" in value:
        return _membership_text(value)
    if isinstance(value, dict):
        return " ".join(value_text(k, v) for k, v in value.items() if k not in HIDDEN_KEYS)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value)
    return str(value)


def _segment_text(value: Any) -> str:
    """A segment's stored rules as how many conditions it had (the rules themselves are for the machine)."""
    try:
        count = len(json.loads(value)) if isinstance(value, str) else len(value)
    except (ValueError, TypeError):
        return str(value)
    return ngettext("{count} condition", "{count} conditions", count).format(count=count)


def _membership_text(value: dict[str, Any]) -> str:
    text = str(value["category"])
    if value.get("valid_until"):
        text += " " + _("(until {date})").format(date=_date_text(value["valid_until"]))
    if value.get("proof_note"):
        text += " " + _("[{note}]").format(note=value["proof_note"])
    return text


def field_label(key: str) -> str:
    """The translated name of a value's key (an unknown key as written)."""
    label = FIELD_LABELS.get(key)
    return _(label) if label else key


def describe(values: dict[str, Any] | list[Any] | None, keys: set[str] | None = None) -> str:
    """``values`` as one readable line (``name: Student; discount: 10 %``), limited to ``keys``."""
    if values is None:
        return ""
    if not isinstance(values, dict):
        return value_text("", values)
    parts = [
        f"{field_label(key)}: {value_text(key, value)}"
        for key, value in values.items()
        if (keys is None or key in keys) and key not in HIDDEN_KEYS
    ]
    return "; ".join(parts)


def changed_keys(row: AuditRow) -> set[str] | None:
    """For a change with values before and after: the keys whose value differs (None: show all)."""
    if not isinstance(row.before, dict) or not isinstance(row.after, dict):
        return None
    keys = {k for k in row.before.keys() | row.after.keys() if row.before.get(k) != row.after.get(k)}
    return keys | IDENTITY_KEYS if keys else None


def record_text(row: AuditRow) -> str:
    """What the entry is about: its kind, and the record's name as it was then (``Client · Anna Müller``)."""
    kind = entity_label(row.entity)
    return f"{kind} · {row.subject}" if row.subject else kind


def local_time_text(at: Any) -> str:
    """The entry's time on this computer's clock, as German Excel reads it (``22.11.2026 10:50:35``)."""
    pattern = "dd.MM.yyyy HH:mm:ss" if language() == "de" else "yyyy-MM-dd HH:mm:ss"
    return dates.format_datetime(at.astimezone(), pattern, locale=locale_name())


def csv_headers() -> list[str]:
    """The export's column titles."""
    return [_("Time"), _("Who"), _("Action"), _("Record"), _("ID"), _("Before"), _("After"), _("Reason"),
            _("Approved by")]  # fmt: skip


def csv_row(row: AuditRow) -> list[str]:
    """One exported line: full values before and after, not only the changed ones."""
    return [
        local_time_text(row.at),
        row.staff_name,
        action_label(row.action),
        record_text(row),
        "" if row.entity_id is None else str(row.entity_id),
        describe(row.before),
        describe(row.after),
        row.reason,
        row.approved_by,
    ]
