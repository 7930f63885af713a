"""The conditions of a segment (DESIGN §7), their checks, and their JSON form.

Every condition is optional; those that are set all have to hold (AND). ``SegmentRules``
is frozen and hashable, so a client-list query that carries one stays a cache key.
``salon_desk.services.clients.segment_sql`` turns the rules into one SQL condition.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from salon_desk.errors import ValidationError
from salon_desk.i18n import _

MAX_DAYS = 36_500
POSTAL_PREFIX_MAX = 10


class CategoryMode(StrEnum):
    """How the chosen categories combine."""

    ANY = "any"
    ALL = "all"
    NONE = "none"


class GroupMode(StrEnum):
    """The customer-group condition."""

    ONE_OF = "one_of"
    NONE = "none"


class VisitMode(StrEnum):
    """The last-visit condition."""

    BEFORE = "before"
    WITHIN = "within"
    NOT_WITHIN = "not_within"
    NEVER = "never"


@dataclass(frozen=True)
class SegmentRules:
    """What a client must match to be in the segment; ``None`` (or empty) leaves a condition out."""

    category_mode: CategoryMode | None = None
    category_ids: tuple[int, ...] = ()
    include_expired: bool = False
    group_mode: GroupMode | None = None
    group_ids: tuple[int, ...] = ()
    recipient_group_id: int | None = None
    visit_mode: VisitMode | None = None
    visit_before: date | None = None
    visit_days: int | None = None
    sales_from: date | None = None
    sales_to: date | None = None
    visits_min: int | None = None
    visits_max: int | None = None
    revenue_min: Decimal | None = None
    revenue_max: Decimal | None = None
    birthday_month: int | None = None
    birthday_days: int | None = None
    created_from: date | None = None
    created_to: date | None = None
    city: str = ""
    postal_prefix: str = ""
    has_email: bool = False
    has_phone: bool = False
    email_consent: bool = False
    sms_consent: bool = False
    phone_consent: bool = False

    def is_empty(self) -> bool:
        """True when no condition is set: the segment holds every client."""
        return self == SegmentRules()

    def uses_sales(self) -> bool:
        """True when the number of visits or the revenue in a date range is asked for."""
        return any(v is not None for v in (self.visits_min, self.visits_max, self.revenue_min, self.revenue_max))

    def to_json(self) -> str:
        """The stored form: only the conditions that are set."""
        default = SegmentRules()
        values = {k: v for k, v in asdict(self).items() if v != getattr(default, k)}
        return json.dumps(values, default=_plain, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SegmentRules:
        """The rules stored by ``to_json`` (unknown keys, from a newer version, are ignored)."""
        raw: dict[str, Any] = json.loads(text or "{}")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in raw.items():
            if name in known and value is not None:
                values[name] = _parse(name, value)
        return cls(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


_DATES = {"visit_before", "sales_from", "sales_to", "created_from", "created_to"}
_MONEY = {"revenue_min", "revenue_max"}
_IDS = {"category_ids", "group_ids"}
_ENUMS: dict[str, type[StrEnum]] = {"category_mode": CategoryMode, "group_mode": GroupMode, "visit_mode": VisitMode}


def _parse(name: str, value: Any) -> Any:
    if name in _DATES:
        return date.fromisoformat(value)
    if name in _MONEY:
        return Decimal(value)
    if name in _IDS:
        return tuple(int(v) for v in value)
    if name in _ENUMS:
        return _ENUMS[name](value)
    return value


def _enum(kind: type[StrEnum], value: object) -> Any:
    """The member for ``value``; a form's combo box hands the plain string back."""
    return None if value is None else kind(value)


def validate(rules: SegmentRules) -> SegmentRules:
    """The rules cleaned up, or a ValidationError naming the field that is wrong."""
    rules = replace(rules, category_mode=_enum(CategoryMode, rules.category_mode),
                    group_mode=_enum(GroupMode, rules.group_mode), visit_mode=_enum(VisitMode, rules.visit_mode))  # fmt: skip
    _check_ranges(rules)
    _check_counts(rules)
    if rules.category_mode is not None and not rules.category_ids:
        raise ValidationError(_("Choose at least one category for the category condition."), "category_ids")
    if rules.group_mode is GroupMode.ONE_OF and not rules.group_ids:
        raise ValidationError(_("Choose at least one customer group for the group condition."), "group_ids")
    if rules.visit_mode is VisitMode.BEFORE and rules.visit_before is None:
        raise ValidationError(_("Enter the date for “last visit before”."), "visit_before")
    if rules.visit_mode in (VisitMode.WITHIN, VisitMode.NOT_WITHIN) and rules.visit_days is None:
        raise ValidationError(_("Enter the number of days for the last visit."), "visit_days")
    if rules.uses_sales() and (rules.sales_from is None or rules.sales_to is None):
        raise ValidationError(_("Enter the date range the visits and revenue are counted in."), "sales_from")
    if rules.birthday_month is not None and not 1 <= rules.birthday_month <= 12:
        raise ValidationError(_("The birthday month must be between 1 and 12."), "birthday_month")
    prefix = rules.postal_prefix.strip()
    if len(prefix) > POSTAL_PREFIX_MAX or not all(ch.isalnum() or ch == " " for ch in prefix):
        raise ValidationError(_("The postal code prefix may have only letters and digits."), "postal_prefix")
    return replace(
        rules,
        category_ids=tuple(sorted(set(rules.category_ids))),
        group_ids=tuple(sorted(set(rules.group_ids))),
        city=" ".join(rules.city.split()),
        postal_prefix=prefix,
    )


def _check_ranges(rules: SegmentRules) -> None:
    pairs: list[tuple[Any, Any, str, str]] = [
        (rules.sales_from, rules.sales_to, "sales_to", _("The end of the sales period is before its start.")),
        (rules.created_from, rules.created_to, "created_to", _("The end of the “client since” range is before its start.")),
        (rules.visits_min, rules.visits_max, "visits_max", _("The most visits are fewer than the fewest visits.")),
        (rules.revenue_min, rules.revenue_max, "revenue_max", _("The highest revenue is below the lowest revenue.")),
    ]
    for start, end, field, message in pairs:
        if start is not None and end is not None and end < start:
            raise ValidationError(message, field)


def _check_counts(rules: SegmentRules) -> None:
    for value, field in ((rules.visit_days, "visit_days"), (rules.birthday_days, "birthday_days")):
        if value is not None and not 0 <= value <= MAX_DAYS:
            raise ValidationError(_("The number of days must be between 0 and {max}.").format(max=MAX_DAYS), field)
    for count, field in ((rules.visits_min, "visits_min"), (rules.visits_max, "visits_max")):
        if count is not None and count < 0:
            raise ValidationError(_("The number of visits cannot be negative."), field)
    for amount, field in ((rules.revenue_min, "revenue_min"), (rules.revenue_max, "revenue_max")):
        if amount is None:
            continue
        try:
            ok = amount.is_finite() and amount >= 0 and amount == amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            ok = False
        if not ok:
            raise ValidationError(_("Enter the revenue as a positive amount with at most two decimals."), field)
