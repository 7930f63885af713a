"""What the statistics chart draws: bars per category or group (range beside comparison), or lines per month."""

from __future__ import annotations

from datetime import date, timedelta

from salon_desk.i18n import N_, _
from salon_desk.services import Services
from salon_desk.services.statistics import Report, StatRow
from salon_desk.services.statistics.totals import ALL, CATEGORY, GROUP
from salon_desk.ui.statistics.statistics_chart import PREVIOUS_COLOR, BarSet, Line, StatisticsChart

BARS_CATEGORIES = "bars_categories"
BARS_GROUPS = "bars_groups"
LINES = "lines"
MODE_LABELS = {
    BARS_CATEGORIES: N_("Revenue per category"),
    BARS_GROUPS: N_("Revenue per customer group"),
    LINES: N_("Revenue per month"),
}
LINE_COLORS = ("#1E88E5", "#E53935", "#43A047", "#FB8C00", "#8E24AA", "#00ACC1", "#6D4C41", "#546E7A")
MAX_LINES = len(LINE_COLORS)


def chart_modes() -> list[tuple[str, object]]:
    """The chart's modes for its combo box."""
    return [(_(label), mode) for mode, label in MODE_LABELS.items()]


def draw(chart: StatisticsChart, services: Services, report: Report, mode: str, selected: list[StatRow]) -> None:
    """Draw ``report`` in ``mode``; lines are drawn for the selected rows (or all clients)."""
    if mode == LINES:
        _lines(chart, services, report, selected)
        return
    kind = CATEGORY if mode == BARS_CATEGORIES else GROUP
    rows = [row for row in report.rows if row.kind == kind]
    sets = [BarSet(_("Range"), [float(r.current.gross) for r in rows])]
    if report.compared is not None:
        sets.append(BarSet(_("Comparison"), [float(r.previous.gross) if r.previous else 0.0 for r in rows],
                           PREVIOUS_COLOR))
    chart.show_bars(_(MODE_LABELS[mode]) + " (" + _("gross") + ")", [r.name for r in rows], sets)


def _months(report: Report) -> list[date]:
    months, month = [], report.span.start.replace(day=1)
    while month <= report.span.end:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def _lines(chart: StatisticsChart, services: Services, report: Report, selected: list[StatRow]) -> None:
    rows = selected[:MAX_LINES] or [row for row in report.rows if row.kind == ALL]
    revenue = services.statistics.monthly(report.span, [row.key for row in rows])
    lines = [
        Line(row.name, {m: float(v) for m, v in revenue.get(row.key, {}).items()}, LINE_COLORS[n])  # type: ignore[arg-type]
        for n, row in enumerate(rows)
    ]
    chart.show_lines(_(MODE_LABELS[LINES]) + " (" + _("gross") + ")", _months(report), lines)
