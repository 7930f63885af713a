"""The statistics page: presets, the table read back, the chart's bars and lines, wrong ranges, CSV, PDF, managers only."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers_staff import PINS, add_member
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QFileDialog, QLabel, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot
from statistics_shop import make_statistics_shop

from salon_desk import i18n
from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.services.statistics import Comparison
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.main_window import MainWindow
from salon_desk.ui.statistics.statistics_chart import StatisticsChart
from salon_desk.ui.statistics.statistics_page import StatisticsPage


def child(widget: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def choose(page: QWidget, name: str, text: str) -> None:
    combo = child(page, name, QComboBox)
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def table(page: StatisticsPage) -> dict[str, dict[str, str]]:
    """Each row of the table by name: column title → text."""
    model = child(page, "statisticsTable", QTableView).model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    rows = {}
    for r in range(model.rowCount()):
        cells = [str(model.index(r, c).data()) for c in range(model.columnCount())]
        rows[cells[0]] = dict(zip(titles, cells, strict=True))
    return rows


def set_date(page: StatisticsPage, name: str, day: date) -> None:
    child(page, name, QDateEdit).setDate(QDate(day.year, day.month, day.day))


@pytest.fixture
def shop(app_services: Services):  # type: ignore[no-untyped-def]
    return make_statistics_shop(app_services)


def make_page(qtbot: QtBot, services: Services) -> StatisticsPage:
    page = StatisticsPage(services, DataBus())
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    return page


def test_this_month_shows_the_figures_beside_last_year(qtbot: QtBot, app_services: Services, shop) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, app_services)
    assert child(page, "statisticsPresetCombo", QComboBox).currentText() == "Last year"
    choose(page, "statisticsPresetCombo", "This month")
    assert child(page, "statisticsFromDate", QDateEdit).date().toPython() == date.today().replace(day=1)
    rows = table(page)
    assert rows["All clients"]["Revenue (gross)"] == "152.07"
    assert rows["All clients"]["Clients with a sale"] == "3"
    everyone = rows["All clients"]
    assert everyone["Comparison"] == "0.00" and everyone["Change (%)"] == ""
    assert (rows["Student/in"]["Sales"], rows["Student/in"]["Discounts by this category"]) == ("2", "5.28")
    assert (rows["VIP-Club"]["Revenue (gross)"], rows["VIP-Club"]["Discounts"]) == ("53.26", "8.64")
    assert rows["Club"]["Average ticket"] == "35.91"
    note = child(page, "statisticsNoteLabel", QLabel).text()
    assert "counts in each" in note


def test_the_table_sorts_by_a_figure(qtbot: QtBot, app_services: Services, shop) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, app_services)
    choose(page, "statisticsPresetCombo", "This month")
    view = child(page, "statisticsTable", QTableView)
    model = view.model()
    gross = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Revenue (gross)")
    view.horizontalHeader().setSortIndicator(gross, Qt.SortOrder.DescendingOrder)
    names = [model.index(r, 0).data() for r in range(4)]
    assert names == ["All clients", "Student/in", "VIP-Club", "Club"]


def test_the_chart_has_one_bar_per_category_and_lines_per_month(qtbot: QtBot, app_services: Services, shop) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, app_services)
    choose(page, "statisticsPresetCombo", "This year")
    chart = child(page, "statisticsChart", StatisticsChart)
    categories = sorted((c.name for c in app_services.categories.list()), key=str.casefold)
    assert chart.bar_labels() == categories
    values = dict(zip(chart.bar_labels(), chart.bar_values("Range"), strict=True))
    assert (values["Student/in"], values["VIP-Club"], values["VIP"]) == (89.17, 53.26, 0.0)
    assert chart.bar_values("Comparison") == [0.0] * len(categories)
    choose(page, "statisticsChartModeCombo", "Revenue per customer group")
    assert chart.bar_labels() == ["Club"]
    view = child(page, "statisticsTable", QTableView)
    view.clearSelection()
    for r in range(view.model().rowCount()):
        if view.model().index(r, 0).data() in ("Student/in", "VIP-Club"):
            view.selectionModel().select(view.model().index(r, 0), view.selectionModel().SelectionFlag.Select
                                         | view.selectionModel().SelectionFlag.Rows)
    choose(page, "statisticsChartModeCombo", "Revenue per month")
    assert sorted(chart.line_names()) == ["Student/in", "VIP-Club"]


def test_a_wrong_range_is_refused_naming_the_field_and_the_figures_stay(qtbot: QtBot, app_services: Services, shop) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, app_services)
    choose(page, "statisticsPresetCombo", "This month")
    set_date(page, "statisticsToDate", date.today().replace(day=1) - timedelta(days=1))
    message = child(page, "statisticsMessageLabel", QLabel)
    assert message.isVisible() and message.text().startswith("To: ") and "before" in message.text()
    assert table(page)["All clients"]["Revenue (gross)"] == "152.07"
    assert child(page, "statisticsPresetCombo", QComboBox).currentText() == "Custom"
    set_date(page, "statisticsFromDate", date(2000, 1, 1))
    set_date(page, "statisticsToDate", date(2012, 1, 1))
    assert message.text().startswith("To: ") and "10 years" in message.text()
    set_date(page, "statisticsFromDate", date.today().replace(day=1))
    set_date(page, "statisticsToDate", date.today())
    assert not message.isVisible() and table(page)["All clients"]["Revenue (gross)"] == "152.07"


def test_csv_export_for_a_spreadsheet_in_german(qtbot: QtBot, app_services: Services, shop, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("de")
    page = make_page(qtbot, app_services)
    choose(page, "statisticsPresetCombo", "Dieser Monat")
    target = tmp_path / "statistik"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(child(page, "statisticsExportButton", QPushButton), Qt.MouseButton.LeftButton)
    raw = (tmp_path / "statistik.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    header = lines[1].split(";")
    everyone = next(line.split(";") for line in lines if line.startswith("Alle Kunden;"))
    assert everyone[header.index("Umsatz (brutto)")] == "152,07"
    assert everyone[header.index("Besuche pro Kunde")] == "1,33"
    assert everyone[header.index("Rabatte (Vergleich)")] == "0,00"  # last month: nothing sold
    assert everyone[header.index("Veränderung: Rabatte")] == ""  # no base to compare with
    assert len(header) == 2 + 3 * 10  # name, row; every figure now, in the comparison, and its change
    assert child(page, "statisticsMessageLabel", QLabel).text().endswith("Zeilen nach {} exportiert.".format(
        tmp_path / "statistik.csv"
    ))


def test_a_csv_file_that_cannot_be_written_is_named(qtbot: QtBot, app_services: Services, shop, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, app_services)
    target = tmp_path / "missing-folder" / "stats.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(child(page, "statisticsExportButton", QPushButton), Qt.MouseButton.LeftButton)
    message = child(page, "statisticsMessageLabel", QLabel).text()
    assert str(target) in message and "could not be written" in message
    assert not target.exists()


def test_print_to_pdf_has_the_table(qtbot: QtBot, app_services: Services, shop, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, app_services)
    choose(page, "statisticsPresetCombo", "This month")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(tmp_path / "stats"), ""))
    qtbot.mouseClick(child(page, "statisticsPdfButton", QPushButton), Qt.MouseButton.LeftButton)
    # pypdf cuts words where Qt placed glyphs apart ("Student/ in"): compare without blanks.
    text = "".join("".join(p.extract_text() for p in PdfReader(tmp_path / "stats.pdf").pages).split())
    assert "Student/in" in text and "152.07" in text and "Allclients" in text


def test_only_managers_see_statistics(qtbot: QtBot, app_services: Services) -> None:
    def titles(window: MainWindow) -> list[str]:
        return [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]

    manager = add_member(app_services, "Maria", Role.MANAGER)
    cashier = add_member(app_services, "Cem", Role.CASHIER)
    app_services.workstation.actor = app_services.staff.sign_in(manager.id, PINS[Role.MANAGER])
    window = MainWindow(app_services)
    qtbot.addWidget(window)
    window.show()
    assert "Statistics" in titles(window)
    page = window.show_page("statistics")
    assert page.objectName() == "statisticsPage" and child(page, "statisticsTable", QTableView).model().rowCount() > 0
    app_services.workstation.actor = app_services.staff.sign_in(cashier.id, PINS[Role.CASHIER])
    window.staff_controls.apply_actor()
    assert "Statistics" not in titles(window)


@pytest.mark.parametrize("values", [[0.0, 0.0], [3.0, 1.0], [57.86, 1234.5]])
def test_the_chart_axis_counts_in_whole_steps_even_when_empty(qtbot: QtBot, values: list[float]) -> None:
    """An empty range used to label its axis "1 1 1 0 0"; every label is a whole number now."""
    from salon_desk.ui.statistics.statistics_chart import BarSet, StatisticsChart

    chart = StatisticsChart()
    qtbot.addWidget(chart)
    chart.show_bars("Umsatz", ["VIP", "Neukunde"], [BarSet("2026", values)])
    low, high, ticks = chart.value_axis()
    step = (high - low) / (ticks - 1)
    assert low == 0 and high >= max(values) and step >= 1 and step == int(step)


def test_a_comparison_range_of_ones_own_choice(qtbot: QtBot, app_services: Services, shop) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, app_services)
    compare_from = page.findChild(QDateEdit, "statisticsCompareFromDate")
    assert not compare_from.isVisible()
    combo = page.findChild(QComboBox, "statisticsComparisonCombo")
    combo.setCurrentIndex(combo.findData(Comparison.CUSTOM))
    assert compare_from.isVisible()
    assert compare_from.date() == page.from_edit.date().addYears(-1)  # starts as the year before
    assert page.minimumSizeHint().width() <= 1240 - 200  # still fits a 1240-pixel window beside the navigation
    compare_to = page.findChild(QDateEdit, "statisticsCompareToDate")
    compare_to.setDate(compare_from.date().addDays(-1))  # ends before it starts
    assert "Compare to" in page.message_label.text() and page.message_label.isVisible()
    compare_to.setDate(compare_from.date().addDays(30))
    assert not page.message_label.isVisible()
    assert page.report.compared is not None
    assert page.report.compared.start == compare_from.date().toPython()
    assert page.report.compared.end == compare_to.date().toPython()


def test_the_change_is_shown_for_the_figure_chosen(qtbot: QtBot, app_services: Services, shop) -> None:  # type: ignore[no-untyped-def]
    """This month against a comparison range of the first half of this month and the next fifteen days."""
    page = make_page(qtbot, app_services)
    choose(page, "statisticsPresetCombo", "This month")
    change = child(page, "statisticsChangeCombo", QComboBox)
    assert change.isVisible() and change.currentText() == "Revenue (gross)"
    page.resize(1240 - 200, 760)  # the page beside the navigation of a 1240-pixel window
    view = child(page, "statisticsTable", QTableView)
    titles = [view.model().headerData(c, Qt.Orientation.Horizontal) for c in range(view.model().columnCount())]
    shown = titles.index("Change (%)")
    assert titles[shown - 2 : shown + 1] == ["Revenue (gross)", "Comparison", "Change (%)"]
    header = view.horizontalHeader()
    assert header.sectionViewportPosition(shown) + header.sectionSize(shown) <= view.viewport().width()
    page.comparison_combo.setCurrentIndex(page.comparison_combo.findData(Comparison.CUSTOM))
    today = date.today()
    set_date(page, "statisticsCompareFromDate", today - timedelta(days=400))
    set_date(page, "statisticsCompareToDate", today - timedelta(days=1))  # before today's sales: nothing
    choose(page, "statisticsChangeCombo", "Discounts")
    titles = [view.model().headerData(c, Qt.Orientation.Horizontal) for c in range(view.model().columnCount())]
    assert titles[titles.index("Discounts") + 1 : titles.index("Discounts") + 3] == ["Comparison", "Change (%)"]
    rows = table(page)
    assert (rows["VIP-Club"]["Comparison"], rows["VIP-Club"]["Change (%)"]) == ("0.00", "")
    set_date(page, "statisticsCompareFromDate", today)
    set_date(page, "statisticsCompareToDate", today)  # the same sales: no change
    rows = table(page)
    assert (rows["VIP-Club"]["Comparison"], rows["VIP-Club"]["Change (%)"]) == ("8.64", "0%")
    choose(page, "statisticsChangeCombo", "Clients with a sale")
    assert table(page)["All clients"]["Comparison"] == "3"
    page.comparison_combo.setCurrentIndex(page.comparison_combo.findData(Comparison.NONE))
    assert not change.isVisible() and "Comparison" not in table(page)["All clients"]
