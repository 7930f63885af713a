"""Our chart widget: bars per row or lines per month. QtCharts draws them, behind this small interface.

The page only calls ``show_bars``, ``show_lines`` and ``clear``, and tests read back
``bar_labels``, ``bar_values`` and ``line_names``; another chart library can take
QtCharts' place by re-implementing these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget

from salon_desk.services.statistics.export import month_label

CURRENT_COLOR = "#1E88E5"
PREVIOUS_COLOR = "#B0BEC5"


@dataclass(frozen=True)
class BarSet:
    """One set of bars (e.g. the range, or the comparison range): a value per label."""

    name: str
    values: Sequence[float]
    color: str = CURRENT_COLOR


@dataclass(frozen=True)
class Line:
    """One line: a value per month."""

    name: str
    points: dict[date, float]
    color: str = ""


class StatisticsChart(QWidget):
    """Bars per category or group, or lines per month for chosen rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsChart")
        self._chart = QChart()
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._view = QChartView(self._chart)
        self._view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._labels: list[str] = []
        self._values: dict[str, list[float]] = {}
        self._lines: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

    def clear(self) -> None:
        """Remove every series and axis."""
        self._chart.removeAllSeries()
        for axis in self._chart.axes():
            self._chart.removeAxis(axis)
        self._labels, self._values, self._lines = [], {}, []

    def show_bars(self, title: str, labels: Sequence[str], sets: Sequence[BarSet]) -> None:
        """One group of bars per label, one bar in it per set."""
        self.clear()
        self._chart.setTitle(title)
        series = QBarSeries()
        top = 0.0
        for bar_set in sets:
            bars = QBarSet(bar_set.name)
            bars.setColor(QColor(bar_set.color))
            bars.append([float(v) for v in bar_set.values])
            series.append(bars)
            self._values[bar_set.name] = [float(v) for v in bar_set.values]
            top = max([top, *self._values[bar_set.name]])
        self._chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(list(labels))
        self._attach(series, axis_x, top)
        self._labels = list(labels)

    def show_lines(self, title: str, months: Sequence[date], lines: Sequence[Line]) -> None:
        """A line per row over the months of the range (a month without sales counts as 0)."""
        self.clear()
        self._chart.setTitle(title)
        top = 0.0
        axis_x = QBarCategoryAxis()
        axis_x.append([month_label(m) for m in months])
        for line in lines:
            series = QLineSeries()
            series.setName(line.name)
            for index, month in enumerate(months):
                value = float(line.points.get(month, 0.0))
                series.append(QPointF(index, value))
                top = max(top, value)
            if line.color:
                series.setColor(QColor(line.color))
            self._chart.addSeries(series)
            self._attach(series, axis_x, top)
            self._lines.append(line.name)

    def _attach(self, series: QBarSeries | QLineSeries, axis_x: QBarCategoryAxis, top: float) -> None:
        if axis_x not in self._chart.axes():
            self._chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        axes_y = self._chart.axes(Qt.Orientation.Vertical)
        axis_y = axes_y[0] if axes_y else QValueAxis()
        if not axes_y:
            axis_y.setLabelFormat("%.0f")
            self._chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        assert isinstance(axis_y, QValueAxis)
        # At least 0 … 4, and nice steps: labels are whole numbers ("0 1 2 3 4", never "0 0 1 1 1").
        axis_y.setRange(0, max(top * 1.1, 4.0))
        axis_y.applyNiceNumbers()
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)

    # -- read back (tests, accessibility) ------------------------------------------------

    def bar_labels(self) -> list[str]:
        """The labels under the bars, one per category or group shown."""
        return list(self._labels)

    def bar_values(self, set_name: str) -> list[float]:
        """The heights of one set of bars."""
        return list(self._values.get(set_name, []))

    def value_axis(self) -> tuple[float, float, int]:
        """The vertical axis: its range and number of ticks."""
        axis = self._chart.axes(Qt.Orientation.Vertical)[0]
        assert isinstance(axis, QValueAxis)
        return axis.min(), axis.max(), axis.tickCount()

    def line_names(self) -> list[str]:
        """The names of the lines shown."""
        return list(self._lines)

    def title(self) -> str:
        """The chart's title."""
        return self._chart.title()
