"""Statistics per client category and customer group (DESIGN §7)."""

from salon_desk.services.statistics.figures import Figures
from salon_desk.services.statistics.ranges import Comparison, DateRange, Preset, comparison_range, preset_range
from salon_desk.services.statistics.report import Backfill, Report, StatRow
from salon_desk.services.statistics.service import StatisticsService

__all__ = [
    "Backfill",
    "Comparison",
    "DateRange",
    "Figures",
    "Preset",
    "Report",
    "StatRow",
    "StatisticsService",
    "comparison_range",
    "preset_range",
]
