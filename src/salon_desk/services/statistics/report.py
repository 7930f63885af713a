"""What the statistics service hands out: a report of rows, each a range's figures beside the comparison's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from salon_desk.services.statistics.figures import Figures, Key
from salon_desk.services.statistics.ranges import DateRange


@dataclass(frozen=True)
class StatRow:
    """One line of the statistics: everyone, a category or a group, now and in the comparison range."""

    kind: str
    id: int
    name: str
    current: Figures
    previous: Figures | None

    @property
    def key(self) -> Key:
        """The row's kind and id, as ``monthly`` takes them."""
        return (self.kind, self.id)


@dataclass(frozen=True)
class Backfill:
    """When the sales from before the statistics were given their client's categories of that day."""

    at: datetime
    sales: int


@dataclass(frozen=True)
class Report:
    """The figures of a range and its comparison range, everyone first, then categories, then groups."""

    span: DateRange
    compared: DateRange | None
    rows: list[StatRow] = field(default_factory=list)
    backfill: Backfill | None = None
