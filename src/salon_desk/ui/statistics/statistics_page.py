"""The managers' statistics page: range and comparison, a sortable table, a chart, CSV and PDF (DESIGN §7)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import N_, _, format_date, language, ngettext
from salon_desk.services import Changes, Services
from salon_desk.services.statistics import Comparison, Preset, Report, StatRow, preset_range
from salon_desk.services.statistics.export import GROSS, MEASURES, NOTE, Measure, period_text
from salon_desk.services.statistics.ranges import comparison_label, preset_label
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import ERROR_STYLE
from salon_desk.ui.common.page_parts import ReloadWhenShown, hint_label, page_title, push_button, record_table
from salon_desk.ui.common.row_table_model import RowTableModel
from salon_desk.ui.statistics.statistics_chart import StatisticsChart
from salon_desk.ui.statistics.statistics_columns import row_id, statistics_columns
from salon_desk.ui.statistics.statistics_plot import LINES, chart_modes, draw

OK_STYLE = "color: #2E7D32;"
FIELD_LABELS = {
    "date_from": N_("From"),
    "date_to": N_("To"),
    "compare_from": N_("Compare from"),
    "compare_to": N_("Compare to"),
}


class StatisticsPage(ReloadWhenShown):
    """Figures per category and group beside a comparison range; loads when shown."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsPage")
        self.services = services
        self.bus = bus
        self.report: Report | None = None
        self._stale = True
        self.model = RowTableModel(statistics_columns(False), row_id, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_filters())
        self.message_label = QLabel()
        self.message_label.setObjectName("statisticsMessageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.note_label = hint_label(_(NOTE), "statisticsNoteLabel")
        layout.addWidget(self.note_label)
        layout.addWidget(self._build_body(), 1)
        self.bus.sig_data_changed.connect(self.on_data_changed)

    def _build_header(self) -> QHBoxLayout:
        self.export_button = push_button(_("E&xport CSV…"), "statisticsExportButton", self.export_csv)
        self.pdf_button = push_button(_("&Print to PDF…"), "statisticsPdfButton", self.print_pdf)
        row = QHBoxLayout()
        row.addWidget(page_title(_("Statistics")))
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.pdf_button)
        return row

    def _build_filters(self) -> QVBoxLayout:
        self.preset_combo = _combo("statisticsPresetCombo", [(preset_label(p), p) for p in Preset])
        self.from_edit = _date_edit("statisticsFromDate")
        self.to_edit = _date_edit("statisticsToDate")
        self.comparison_combo = _combo("statisticsComparisonCombo", [(comparison_label(c), c) for c in Comparison])
        self.compare_from_edit = _date_edit("statisticsCompareFromDate")
        self.compare_to_edit = _date_edit("statisticsCompareToDate")
        row = QHBoxLayout()
        for text, widget in ((_("&Range:"), self.preset_combo), (_("&From:"), self.from_edit),
                             (_("&To:"), self.to_edit), (_("&Compare with:"), self.comparison_combo)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            row.addSpacing(8)
        row.addStretch(1)
        # A line of its own, so that the filters still fit a 1240-pixel window.
        self.compare_dash = QLabel("–")
        self.compare_label = QLabel(_("Comparison range:"))
        chosen = QHBoxLayout()
        for widget in (self.compare_label, self.compare_from_edit, self.compare_dash, self.compare_to_edit):
            chosen.addWidget(widget)
            widget.hide()  # only for a comparison range of one's own choice
        self.change_combo = _combo("statisticsChangeCombo", [(_(m.title), m.attribute) for m in MEASURES])
        self.change_combo.setCurrentIndex(self.change_combo.findData(GROSS.attribute))
        self.change_combo.setToolTip(_("The figure whose comparison value and change the table shows"))
        self.change_label = QLabel(_("Chan&ge in:"))
        self.change_label.setBuddy(self.change_combo)
        chosen.addSpacing(8)
        chosen.addWidget(self.change_label)
        chosen.addWidget(self.change_combo)
        chosen.addStretch(1)
        rows = QVBoxLayout()
        rows.addLayout(row)
        rows.addLayout(chosen)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(Preset.LAST_YEAR))
        self.apply_preset()
        self.preset_combo.currentIndexChanged.connect(self.on_preset_changed)
        self.from_edit.dateChanged.connect(self.on_date_changed)
        self.to_edit.dateChanged.connect(self.on_date_changed)
        self.comparison_combo.currentIndexChanged.connect(self.on_comparison_changed)
        self.compare_from_edit.dateChanged.connect(self.reload)
        self.compare_to_edit.dateChanged.connect(self.reload)
        self.change_combo.currentIndexChanged.connect(self.show_report)
        return rows

    def _build_body(self) -> QSplitter:
        self.table = record_table("statisticsTable", self.model, multi=True)
        self.table.selectionModel().selectionChanged.connect(self.redraw)
        self.chart_mode_combo = _combo("statisticsChartModeCombo", chart_modes())
        self.chart_mode_combo.currentIndexChanged.connect(self.redraw)
        self.chart = StatisticsChart()
        self.chart.setMinimumHeight(260)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("C&hart:")))
        top.itemAt(0).widget().setBuddy(self.chart_mode_combo)  # type: ignore[union-attr]
        top.addWidget(self.chart_mode_combo)
        self.chart_hint = hint_label(_("For lines per month, select the rows to draw in the table."))
        top.addWidget(self.chart_hint)
        top.addStretch(1)
        column.addLayout(top)
        column.addWidget(self.chart, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("statisticsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([300, 320])
        return splitter

    # -- range --------------------------------------------------------------------------

    def apply_preset(self) -> None:
        """Put the chosen preset's dates into the date fields."""
        preset = Preset(self.preset_combo.currentData())
        if preset == Preset.CUSTOM:
            return
        span = preset_range(preset, date.today())
        for edit, day in ((self.from_edit, span.start), (self.to_edit, span.end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def on_preset_changed(self) -> None:
        """A preset sets the dates and reloads."""
        self.apply_preset()
        self.reload()

    def on_date_changed(self) -> None:
        """Typed dates make the range a custom one."""
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(Preset.CUSTOM))
        self.preset_combo.blockSignals(False)
        self.reload()

    # -- data ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the figures for the range; a wrong range is named and the last figures stay."""
        self._stale = False
        start = self.from_edit.date().toPython()
        end = self.to_edit.date().toPython()
        try:
            comparison = Comparison(self.comparison_combo.currentData())
            report = self.services.statistics.report(
                start,  # type: ignore[arg-type]
                end,  # type: ignore[arg-type]
                comparison,
                self.compare_from_edit.date().toPython(),  # type: ignore[arg-type]
                self.compare_to_edit.date().toPython(),  # type: ignore[arg-type]
            )
        except SalonError as exc:
            self.show_error(exc)
            return
        self.message_label.hide()
        for edit in (self.from_edit, self.to_edit, self.compare_from_edit, self.compare_to_edit):
            edit.setStyleSheet("")
        self.report = report
        self.show_report()

    def change_measure(self) -> Measure:
        """The figure chosen for the comparison columns."""
        return next(m for m in MEASURES if m.attribute == self.change_combo.currentData())

    def show_report(self) -> None:
        """Put the report into the table, with the comparison columns of the chosen figure, and draw the chart."""
        report = self.report
        if report is None:
            return
        compared = report.compared is not None
        self.change_label.setVisible(compared)
        self.change_combo.setVisible(compared)
        self.model = RowTableModel(statistics_columns(compared, self.change_measure()), row_id, parent=self)
        self.model.set_rows(report.rows)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self.redraw)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.note_label.setText(self._note(report))
        self.redraw()

    def _note(self, report: Report) -> str:
        text = period_text(report) + "\n" + _(NOTE)
        if report.backfill is not None:
            text += "\n" + ngettext(
                "The sale from before {date} counts for the categories and group its client had on that date.",
                "The {count} sales from before {date} count for the categories and group their clients had "
                "on that date.",
                report.backfill.sales,
            ).format(count=report.backfill.sales, date=format_date(report.backfill.at.astimezone().date()))
        return text

    def on_comparison_changed(self) -> None:
        """A range of one's own choice shows its two dates, first filled with the year before the range."""
        custom = self.comparison_combo.currentData() == Comparison.CUSTOM
        if custom and not self.compare_from_edit.isVisible():
            for edit, source in ((self.compare_from_edit, self.from_edit), (self.compare_to_edit, self.to_edit)):
                edit.blockSignals(True)
                edit.setDate(source.date().addYears(-1))
                edit.blockSignals(False)
        for widget in (self.compare_label, self.compare_from_edit, self.compare_dash, self.compare_to_edit):
            widget.setVisible(custom)
        self.reload()

    def show_error(self, exc: SalonError) -> None:
        """Show why the range was refused, naming the field, and mark that field."""
        edit = {
            "date_from": self.from_edit,
            "date_to": self.to_edit,
            "compare_from": self.compare_from_edit,
            "compare_to": self.compare_to_edit,
        }.get(exc.field or "")
        label = _(FIELD_LABELS[exc.field]) if exc.field in FIELD_LABELS else ""
        self.show_message(f"{label}: {exc.message}" if label else exc.message, ERROR_STYLE)
        if edit is not None:
            edit.setStyleSheet("QDateEdit { border: 1px solid #C62828; }")

    def show_message(self, text: str, style: str) -> None:
        """A line above the table: an export result or what is wrong."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet(style)
        self.message_label.show()

    def selected_rows(self) -> list[StatRow]:
        """The rows selected in the table, in display order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.record(row) for row in rows]

    def redraw(self) -> None:
        """Draw the chart for the current report and chart mode."""
        if self.report is None:
            return
        mode = self.chart_mode_combo.currentData()
        self.chart_hint.setVisible(mode == LINES)
        try:
            draw(self.chart, self.services, self.report, mode, self.selected_rows())
        except SalonError as exc:
            self.show_error(exc)

    def on_data_changed(self, changes: Changes) -> None:
        """A sale or a change of categories may change the figures: reload now if shown, else when shown."""
        self.reload_now_or_when_shown()

    # -- export -------------------------------------------------------------------------

    def _target(self, title: str, suffix: str, pattern: str) -> Path | None:
        suggestion = Path.home() / _("statistics-{date}").format(date=date.today().isoformat())
        path, _filter = QFileDialog.getSaveFileName(self, title, f"{suggestion}.{suffix}", pattern)
        if not path:
            return None
        return Path(path if path.lower().endswith(f".{suffix}") else f"{path}.{suffix}")

    def export_csv(self) -> None:
        """Write the table to a CSV file chosen by the user."""
        if self.report is None:
            return
        path = self._target(_("Export statistics"), "csv", _("CSV files (*.csv)"))
        if path is None:
            return
        try:
            count = self.services.statistics.export_csv(self.report, str(path))
        except SalonError as exc:
            self.show_message(exc.message, ERROR_STYLE)
            return
        text = ngettext("{count} row exported to {path}.", "{count} rows exported to {path}.", count)
        self.show_message(text.format(count=count, path=path), OK_STYLE)

    def print_pdf(self) -> None:
        """Save the table and the chart as a PDF chosen by the user."""
        from salon_desk.ui.statistics.statistics_printer import write_pdf

        if self.report is None:
            return
        path = self._target(_("Print statistics to PDF"), "pdf", _("PDF files (*.pdf)"))
        if path is None:
            return
        salon = self.services.checkout.stored_business().get("business_name", "")
        write_pdf(self.report, path, self.chart.grab().toImage(), salon, self.change_measure())
        if not path.exists():
            self.show_message(_("The file {path} could not be written.").format(path=path), ERROR_STYLE)
            return
        self.show_message(_("Saved as {path}.").format(path=path), OK_STYLE)


def _combo(name: str, entries: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for text, data in entries:
        combo.addItem(text, data)
    return combo


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy" if language() == "de" else "d MMM yyyy")
    return edit


__all__ = ["StatisticsPage"]
