"""Date ranges of the statistics: presets, comparison periods and the checks on a typed range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _

MAX_YEARS = 10


class Preset(StrEnum):
    """A range the page offers ready-made."""

    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    CUSTOM = "custom"


class Comparison(StrEnum):
    """What a range is compared with."""

    PREVIOUS_YEAR = "previous_year"
    PREVIOUS_PERIOD = "previous_period"
    CUSTOM = "custom"
    NONE = "none"


PRESET_LABELS = {
    Preset.THIS_MONTH: N_("This month"),
    Preset.LAST_MONTH: N_("Last month"),
    Preset.THIS_YEAR: N_("This year"),
    Preset.LAST_YEAR: N_("Last year"),
    Preset.CUSTOM: N_("Custom"),
}
COMPARISON_LABELS = {
    Comparison.PREVIOUS_YEAR: N_("Same period a year earlier"),
    Comparison.PREVIOUS_PERIOD: N_("Period just before"),
    Comparison.CUSTOM: N_("A range of my choice"),
    Comparison.NONE: N_("No comparison"),
}


@dataclass(frozen=True)
class DateRange:
    """From ``start`` to ``end``, both days included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days the range has."""
        return (self.end - self.start).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Local midnight at the start and after the end, in UTC, for timestamp columns."""
        return local_midnight(self.start), local_midnight(self.end + timedelta(days=1))


def local_midnight(day: date) -> datetime:
    """The start of ``day`` at this workstation, in UTC."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def preset_range(preset: Preset, today: date) -> DateRange:
    """The range of a preset as of ``today`` (this month and this year end today)."""
    if preset == Preset.THIS_MONTH:
        return DateRange(today.replace(day=1), today)
    if preset == Preset.LAST_MONTH:
        end = today.replace(day=1) - timedelta(days=1)
        return DateRange(end.replace(day=1), end)
    if preset == Preset.THIS_YEAR:
        return DateRange(today.replace(month=1, day=1), today)
    if preset == Preset.LAST_YEAR:
        return DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    raise ValueError(preset)


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def comparison_range(current: DateRange, comparison: Comparison, chosen: DateRange | None = None) -> DateRange | None:
    """The range to compare ``current`` with; whole months compare with whole months; CUSTOM is ``chosen``."""
    if comparison == Comparison.NONE:
        return None
    if comparison == Comparison.CUSTOM:
        return chosen
    if comparison == Comparison.PREVIOUS_YEAR:
        end = _year_earlier(current.end)
        if _is_month_end(current.end):
            end = end.replace(day=1) + timedelta(days=31)
            end = end.replace(day=1) - timedelta(days=1)
        return DateRange(_year_earlier(current.start), end)
    if current.start.day == 1 and _is_month_end(current.end):
        months = (current.end.year - current.start.year) * 12 + current.end.month - current.start.month + 1
        end = current.start - timedelta(days=1)
        index = end.year * 12 + end.month - months
        return DateRange(date(index // 12, index % 12 + 1, 1), end)
    return DateRange(current.start - timedelta(days=current.days), current.start - timedelta(days=1))


def check_range(start: date | None, end: date | None, start_field: str, end_field: str) -> DateRange:
    """The range, or a ValidationError naming the field that is wrong."""
    if start is None:
        raise ValidationError(_("Please enter the first day of the range."), start_field)
    if end is None:
        raise ValidationError(_("Please enter the last day of the range."), end_field)
    if end < start:
        raise ValidationError(_("The last day of the range is before its first day."), end_field)
    if start.year < 1900 or end.year > 9999 - MAX_YEARS:
        raise ValidationError(_("Please enter a date between 1900 and 9989."), start_field)
    if end >= start.replace(year=start.year + MAX_YEARS, day=min(start.day, 28)):
        raise ValidationError(
            _("A range may cover at most {years} years.").format(years=MAX_YEARS), end_field
        )
    return DateRange(start, end)


def preset_label(preset: Preset) -> str:
    """The translated name of a preset."""
    return _(PRESET_LABELS[preset])


def comparison_label(comparison: Comparison) -> str:
    """The translated name of a comparison."""
    return _(COMPARISON_LABELS[comparison])
