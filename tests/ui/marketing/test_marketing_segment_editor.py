"""The segment editor and the client list filtered by a segment, driven through the real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from marketing_world import build_world, matches
from salon_desk.services import Services
from salon_desk.services.clients.segment_rules import CategoryMode, SegmentRules, VisitMode
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.clients.client_list_page import ClientListPage
from salon_desk.ui.marketing.segment_editor_dialog import SegmentEditorDialog


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def world(app_services: Services):
    return build_world(app_services, clients=400)


def student_rules(world) -> SegmentRules:
    return SegmentRules(category_mode=CategoryMode.ANY, category_ids=(world.category_ids[2],),
                        visit_mode=VisitMode.NOT_WITHIN, visit_days=60, has_email=True)  # fmt: skip


def expected(world, rules: SegmentRules) -> set[int]:
    return {p.id for p in world.people if matches(rules, p, date.today())}


def pick(combo: QComboBox, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def tick(listing: QListWidget, text: str) -> None:
    listing.findItems(text, Qt.MatchFlag.MatchExactly)[0].setCheckState(Qt.CheckState.Checked)


def build_students(qtbot: QtBot, dialog: SegmentEditorDialog) -> None:
    """Student/in, no visit in 60 days, has email: typed into the editor."""
    pick(dialog.findChild(QComboBox, "segmentCategoryModeCombo"), "any of")
    tick(dialog.findChild(QListWidget, "segmentCategoryList"), "Student")
    pick(dialog.findChild(QComboBox, "segmentVisitModeCombo"), "not within the last … days")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "segmentVisitDaysEdit"), "60")
    dialog.findChild(QCheckBox, "segmentHasEmailCheck").setChecked(True)


def count_text(dialog: SegmentEditorDialog) -> str:
    return dialog.findChild(QLabel, "segmentCountLabel").text()


def error(dialog, name: str) -> str:
    label = dialog.findChild(QLabel, f"{name}Error")
    return label.text() if label is not None and not label.isHidden() else ""


def test_the_editor_counts_as_conditions_change(qtbot: QtBot, app_services, world):
    dialog = SegmentEditorDialog(app_services, DataBus())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "400 clients" in count_text(dialog))
    build_students(qtbot, dialog)
    assert dialog.form.rules() == student_rules(world)
    wanted = len(expected(world, student_rules(world)))
    qtbot.waitUntil(lambda: count_text(dialog) == f"In this segment: {wanted} clients")


def test_wrong_entries_are_named_at_their_field_and_nothing_is_saved(qtbot: QtBot, app_services, world):
    app_services.segments.create("Studis", SegmentRules(has_email=True))
    dialog = SegmentEditorDialog(app_services, DataBus())
    qtbot.addWidget(dialog)
    dialog.show()
    pick(dialog.findChild(QComboBox, "segmentVisitModeCombo"), "within the last … days")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "segmentVisitDaysEdit"), "-5")
    qtbot.waitUntil(lambda: "between 0 and" in error(dialog, "segmentVisitDaysEdit"))
    assert count_text(dialog) == "Count: —"
    dialog.findChild(QLineEdit, "segmentVisitDaysEdit").setText("30")
    dialog.findChild(QCheckBox, "segmentSalesCheck").setChecked(True)
    dialog.form.sales_to.setDate(dialog.form.sales_from.date().addDays(-3))
    qtbot.keyClicks(dialog.findChild(QLineEdit, "segmentVisitsMinEdit"), "1")
    qtbot.waitUntil(lambda: "before its start" in error(dialog, "segmentSalesToEdit"))
    dialog.form.sales_to.setDate(dialog.form.sales_from.date().addDays(30))
    qtbot.waitUntil(lambda: count_text(dialog).startswith("In this segment"))
    save = dialog.findChild(QPushButton, "saveSegmentButton")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "enter a name" in error(dialog, "segmentNameEdit")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "segmentNameEdit"), " studis ")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "already exists" in error(dialog, "segmentNameEdit")
    assert dialog.isVisible()
    assert [s.name for s in app_services.segments.list()] == ["Studis"]


def drive(monkeypatch, script) -> None:
    """The editor's exec() runs ``script`` on the shown dialog instead of waiting for a person."""

    def run(dialog: SegmentEditorDialog) -> int:
        dialog.show()
        script(dialog)
        return dialog.result()

    monkeypatch.setattr(SegmentEditorDialog, "exec", run)


def list_page(qtbot: QtBot, services: Services, clients: int) -> ClientListPage:
    page = ClientListPage(services, DataBus())
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitUntil(lambda: page.model.count() == clients)
    return page


def test_a_saved_segment_filters_the_list_and_search_works_inside_it(qtbot: QtBot, app_services, world, monkeypatch):
    page = list_page(qtbot, app_services, 400)

    def save_students(dialog: SegmentEditorDialog) -> None:
        build_students(qtbot, dialog)
        qtbot.keyClicks(dialog.findChild(QLineEdit, "segmentNameEdit"), "Reaktivierung Studis")
        qtbot.mouseClick(dialog.findChild(QPushButton, "saveSegmentButton"), Qt.MouseButton.LeftButton)

    drive(monkeypatch, save_students)
    qtbot.mouseClick(page.findChild(QPushButton, "editSegmentButton"), Qt.MouseButton.LeftButton)
    wanted = expected(world, student_rules(world))
    combo = page.findChild(QComboBox, "segmentCombo")
    assert combo.currentText() == "Reaktivierung Studis"
    qtbot.waitUntil(lambda: page.model.count() == len(wanted))
    assert page.findChild(QLabel, "clientCountLabel").text() == f"{len(wanted)} clients"
    shown = {page.model.client_id(row) for row in range(page.model.rowCount())}
    assert shown == wanted
    one = sorted(wanted)[0]
    qtbot.keyClicks(page.search_edit, f"nach{one:05d}")
    qtbot.waitUntil(lambda: page.model.count() == 1)
    assert page.model.client_id(0) == one
    page.search_edit.clear()
    pick(combo, "All clients")
    qtbot.waitUntil(lambda: page.model.count() == 400)


def test_an_unsaved_segment_filters_the_list_too(qtbot: QtBot, app_services, world, monkeypatch):
    page = list_page(qtbot, app_services, 400)

    def show_only(dialog: SegmentEditorDialog) -> None:
        dialog.findChild(QLineEdit, "segmentPostalPrefixEdit").setText("50")
        qtbot.mouseClick(dialog.findChild(QPushButton, "applySegmentButton"), Qt.MouseButton.LeftButton)

    drive(monkeypatch, show_only)
    qtbot.mouseClick(page.findChild(QPushButton, "editSegmentButton"), Qt.MouseButton.LeftButton)
    assert page.findChild(QComboBox, "segmentCombo").currentText() == "Unsaved segment"
    wanted = {p.id for p in world.people if p.postal_code.startswith("50")}
    qtbot.waitUntil(lambda: page.model.count() == len(wanted))
    assert app_services.segments.list() == []


def test_the_editor_speaks_german(qtbot: QtBot, app_services):
    from salon_desk import i18n

    i18n.set_language("de")
    dialog = SegmentEditorDialog(app_services, DataBus())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Neues Segment"
    assert dialog.findChild(QLabel, "segmentCountLabel").text() == "In diesem Segment: 0 Kunden"
    pick(dialog.findChild(QComboBox, "segmentVisitModeCombo"), "in den letzten … Tagen")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "segmentVisitDaysEdit"), "-1")
    qtbot.waitUntil(lambda: error(dialog, "segmentVisitDaysEdit") == "Die Anzahl Tage muss zwischen 0 und 36500 liegen.")
