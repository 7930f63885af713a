"""The client list (issue 12, point 8): a "No category" filter, expired memberships marked in the category column."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from salon_desk import i18n
from salon_desk.services.clients.client_list import NO_CATEGORY, ClientListQuery
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.ui.clients.client_list_model import CATEGORY, CHIPS_ROLE, EXPIRED_COLOR, NAME
from salon_desk.ui.clients.client_list_page import ClientListPage
from salon_desk.ui.common.bus import DataBus
from PySide6.QtWidgets import QWidget


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def clients(app_services):
    """Anna: an expired Student membership and VIP; Ben: no category; Clara: a valid Student membership."""
    ids = {c.name: c.id for c in app_services.categories.list()}
    past, future = date.today() - timedelta(days=3), date.today() + timedelta(days=30)

    def add(first: str, *memberships: MembershipData) -> int:
        data = ClientData(first_name=first, last_name="Test")
        return app_services.clients.create(data, CategoryChanges(tuple(memberships)))[0].id

    return {
        "anna": add("Anna", MembershipData(ids["Student"], past), MembershipData(ids["VIP"])),
        "ben": add("Ben"),
        "clara": add("Clara", MembershipData(ids["Student"], future)),
    }


def make_page(qtbot, services) -> ClientListPage:
    page = ClientListPage(services, DataBus())
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def column(page, number):
    return [page.model.index(row, number).data() for row in range(page.model.rowCount())]


def test_the_category_filter_offers_no_category(qtbot, app_services, clients):
    page = make_page(qtbot, app_services)
    combo = page.category_combo
    assert combo.itemText(1) == "No category"
    combo.setCurrentIndex(1)
    assert column(page, NAME) == ["Test, Ben"]
    assert page.count_label.text() == "1 client"
    assert app_services.client_list.count(ClientListQuery(category_id=NO_CATEGORY)) == 1


def test_an_expired_membership_looks_expired_in_the_category_column(qtbot, app_services, clients):
    i18n.set_language("de")
    page = make_page(qtbot, app_services)
    names = column(page, NAME)
    categories = dict(zip(names, column(page, CATEGORY), strict=True))
    assert categories["Test, Anna"] == "Student (abgelaufen), VIP"  # the names as created, in English
    assert categories["Test, Clara"] == "Student"
    row = names.index("Test, Anna")
    chips = page.model.index(row, CATEGORY).data(CHIPS_ROLE)
    assert [(chip.name, chip.expired) for chip in chips] == [("Student", True), ("VIP", False)]
    assert page.model.index(row, CATEGORY).data(Qt.ItemDataRole.ToolTipRole) == "Student (abgelaufen), VIP"
    dots = page.model.index(row, CATEGORY).data(Qt.ItemDataRole.DecorationRole).toImage()
    assert QColor(EXPIRED_COLOR).rgb() in {dots.pixel(x, dots.height() // 2) for x in range(dots.width())}


def test_a_manager_merges_from_the_list_and_the_closed_card_leaves_it(qtbot, app_services, clients, monkeypatch):
    from helpers_staff import signed_in
    from PySide6.QtWidgets import QListWidget, QMessageBox, QPushButton

    from salon_desk.models import Role

    twin = app_services.clients.create(ClientData(first_name="Ben", last_name="Test"))[0].id
    signed_in(app_services, Role.MANAGER, "Chefin")
    page = make_page(qtbot, app_services)
    row = column(page, NAME).index("Test, Ben")
    page.view.selectRow(row)
    action = page.selection_menu().findChild(type(page.selection_menu().actions()[0]), "mergeClientsAction")
    assert action.isEnabled()
    action.trigger()
    dialog = page.merge_dialog
    qtbot.waitExposed(dialog)
    search = dialog.findChild(QWidget, "mergeSearchEdit")
    qtbot.keyClicks(search, "Ben")
    candidates = dialog.findChild(QListWidget, "mergeCandidateList")
    assert candidates.count() == 1 and str(twin) in candidates.item(0).text()  # never the card itself
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.findChild(QPushButton, "mergeButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: column(page, NAME).count("Test, Ben") == 1)
    assert page.model.rowCount() == 3


def test_the_list_offers_no_merge_to_front_desk(qtbot, app_services, clients):
    from helpers_staff import signed_in

    from salon_desk.models import Role

    signed_in(app_services, Role.FRONT_DESK, "Fritz")
    page = make_page(qtbot, app_services)
    assert all(a.objectName() != "mergeClientsAction" for a in page.selection_menu().actions())
