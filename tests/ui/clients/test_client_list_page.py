"""The client list page: search as you type, sorting, filters, columns, opening cards, big lists."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from salon_desk.services import open_services
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.groups.groups import GroupData
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.clients.client_list_model import CATEGORY, EMAIL, GROUP, NAME
from salon_desk.ui.clients.client_list_page import ClientListPage

# (first, last, categories, group)
PEOPLE = [
    ("Anna", "Müller", ["Student"], "Gold"),
    ("Jürgen", "Müller", ["VIP", "Regular client"], None),
    ("Hans", "Müller-Lüdenscheidt", ["Senior"], "Gold"),
    ("Zoë", "Mueller", [], None),
    ("Max", "Mustermann", ["Regular client"], "Silver"),
    ("Ömer", "Öztürk", ["VIP"], None),
    ("Eva", "Schmidt", ["Student"], "Silver"),
    ("Jörg", "Weiß", ["Staff"], None),
    ("Lena", "Groß", ["New client"], None),
    ("Björn", "Bäcker", ["Referral"], "Gold"),
    ("Sören", "Köhler", ["Flyer campaign", "Student"], None),
    ("Anke", "Schäfer", [], None),
    ("Paul", "Becker", ["Regular client"], None),
    ("Clara", "Fischer", ["VIP"], "Silver"),
    ("Lukas", "Wagner", ["Student"], None),
    ("Mia", "Hoffmann", ["Senior"], None),
    ("Felix", "Koch", ["Regular client"], None),
    ("Sophie", "Richter", [], "Gold"),
    ("Leon", "Klein", ["New client"], None),
    ("Emma", "Wolf", ["Referral", "VIP"], None),
    ("Noah", "Schröder", ["Student"], None),
    ("Hannah", "Neumann", ["Regular client"], None),
    ("Elias", "Schwarz", ["Staff"], None),
    ("Lea", "Zimmermann", ["New client"], None),
    ("Ben", "Braun", [], None),
    ("Marie", "Krüger", ["Senior"], "Silver"),
    ("Finn", "Hofmann", ["VIP"], None),
    ("Lina", "Hartmann", ["Regular client"], None),
    ("Paul", "Lange", ["Student"], None),
    ("Ida", "Schmitt", ["Regular client"], None),
]
MUELLER_ROWS = ["Müller, Anna", "Müller, Jürgen", "Müller-Lüdenscheidt, Hans"]


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    """Each test keeps its remembered columns in its own data folder."""
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


def _add_people(services, people):
    categories = {c.name: c.id for c in services.categories.list()}
    groups = {name: services.groups.create(GroupData(name=name))[0].id for name in ("Gold", "Silver")}
    ids = {}
    for first, last, names, group in people:
        staged = CategoryChanges(tuple(MembershipData(categories[n]) for n in names))
        card, _ = services.clients.create(
            ClientData(first_name=first, last_name=last, group_id=groups.get(group)), staged
        )
        ids[f"{last}, {first}"] = card.id
    return ids


@pytest.fixture
def ids(app_services):
    return _add_people(app_services, PEOPLE)


@pytest.fixture
def bus():
    return DataBus()


def _page(qtbot, services, bus):
    page = ClientListPage(services, bus)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def page(qtbot, app_services, bus, ids):
    return _page(qtbot, app_services, bus)


def column(page, number):
    model = page.model
    return [model.index(row, number).data() for row in range(model.rowCount())]


def type_text(qtbot, widget, text):
    """Key presses for ``text``; QTest knows only ASCII keys, so umlauts go as key events with their text."""
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def _click_header(qtbot, page, section):
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_page_shows_every_client_by_name_with_the_count(page):
    names = column(page, NAME)
    assert len(names) == 30 and page.count_label.text() == "30 clients"
    assert names[:3] == ["Bäcker, Björn", "Becker, Paul", "Braun, Ben"]
    assert page.view.objectName() == "clientListView" and page.objectName() == "clientsPage"
    assert page.model.headerData(CATEGORY, Qt.Orientation.Horizontal) == "Category"


@pytest.mark.parametrize("typed", ["mül", "MÜL", "mul"])
def test_typing_finds_mueller_however_it_is_typed(qtbot, page, typed):
    type_text(qtbot, page.search_edit, typed)
    assert page.search_timer.isActive()  # waits for a pause in typing before querying
    qtbot.waitUntil(lambda: column(page, NAME) == MUELLER_ROWS)
    assert page.count_label.text() == "3 clients"


def test_a_broad_search_says_more_than_at_once_and_the_exact_count_once_typing_stops(qtbot, page, monkeypatch):
    """Counted up to the cap while typing; the exact count follows in a thread, only for the text that stayed."""
    page.model.count_cap = 2
    counted = []
    count = page.model.service.count
    monkeypatch.setattr(page.model.service, "count", lambda query: counted.append(query.text) or count(query))
    for typed in ("s", "sc", "sch"):  # faster than the count's delay: none of them is counted exactly
        page.search_edit.setText(typed)
        page.apply_filters()
    assert page.count_label.text() == "more than 2 clients"
    assert page.model.rowCount() == 3 and not page.model.count_is_exact()
    qtbot.waitUntil(lambda: page.count_label.text() == "5 clients")
    assert column(page, NAME) == ["Schäfer, Anke", "Schmidt, Eva", "Schmitt, Ida", "Schröder, Noah", "Schwarz, Elias"]
    assert counted == ["sch"]


def test_clearing_the_search_shows_everyone_again_and_one_hit_says_client(qtbot, page):
    type_text(qtbot, page.search_edit, "öztürk")
    qtbot.waitUntil(lambda: column(page, NAME) == ["Öztürk, Ömer"])
    assert page.count_label.text() == "1 client"
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 30)
    assert page.count_label.text() == "30 clients"


def test_enter_in_the_search_field_selects_the_first_hit_in_the_list(qtbot, page):
    qtbot.keyClicks(page.search_edit, "schmi")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert column(page, NAME) == ["Schmidt, Eva", "Schmitt, Ida"]
    assert page.view.currentIndex().row() == 0


def test_category_header_click_sorts_by_category_label_and_again_descending(qtbot, page):
    by_name = column(page, CATEGORY)
    _click_header(qtbot, page, CATEGORY)
    labels = column(page, CATEGORY)
    assert labels == sorted(labels) and labels != by_name
    assert labels[:4] == ["", "", "", ""]
    assert page.view.horizontalHeader().sortIndicatorSection() == CATEGORY
    _click_header(qtbot, page, CATEGORY)
    assert column(page, CATEGORY) == sorted(labels, reverse=True)


def test_category_column_carries_the_chips_and_a_colour_swatch(page, ids):
    model = page.model
    row = column(page, NAME).index("Müller, Jürgen")
    index = model.index(row, CATEGORY)
    assert [(c.name, c.color) for c in index.data(Qt.ItemDataRole.UserRole + 1)] == [
        ("Regular client", "#2E7D32"),
        ("VIP", "#C9A227"),
    ]
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.index(row, NAME).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(row, NAME).data(Qt.ItemDataRole.UserRole) == ids["Müller, Jürgen"]


def test_group_header_click_sorts_clients_without_group_first(qtbot, page):
    _click_header(qtbot, page, GROUP)
    groups = column(page, GROUP)
    assert groups == [""] * 22 + ["Gold"] * 4 + ["Silver"] * 4
    _click_header(qtbot, page, GROUP)
    assert column(page, GROUP) == ["Silver"] * 4 + ["Gold"] * 4 + [""] * 22


def test_filter_by_category_and_group(qtbot, page):
    combo = page.category_combo
    assert combo.objectName() == "categoryFilterCombo" and combo.itemText(0) == "All categories"
    combo.setCurrentIndex(combo.findText("Senior"))
    assert column(page, NAME) == ["Hoffmann, Mia", "Krüger, Marie", "Müller-Lüdenscheidt, Hans"]
    assert page.count_label.text() == "3 clients"
    groups = page.group_combo
    groups.setCurrentIndex(groups.findText("Silver"))
    assert column(page, NAME) == ["Krüger, Marie"]
    groups.setCurrentIndex(groups.findText("No group"))
    assert column(page, NAME) == ["Hoffmann, Mia"]
    combo.setCurrentIndex(0)
    groups.setCurrentIndex(0)
    assert page.model.rowCount() == 30


def test_hidden_column_is_remembered_by_a_new_page(qtbot, app_services, bus, page):
    menu = page.column_menu()
    action = next(a for a in menu.actions() if a.text() == "Email")
    assert "Name" not in [a.text() for a in menu.actions()]
    action.trigger()
    assert page.view.isColumnHidden(EMAIL)
    again = _page(qtbot, app_services, bus)
    assert again.view.isColumnHidden(EMAIL) and not again.view.isColumnHidden(GROUP)
    shown = next(a for a in again.column_menu().actions() if a.text() == "Email")
    assert not shown.isChecked()
    shown.trigger()
    assert not again.view.isColumnHidden(EMAIL)
    assert not _page(qtbot, app_services, bus).view.isColumnHidden(EMAIL)


def _card_windows():
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == "clientCardWindow" and w.isVisible()]


def test_enter_opens_the_card_of_the_current_client(qtbot, page, ids):
    row = column(page, NAME).index("Öztürk, Ömer")
    page.view.setCurrentIndex(page.model.index(row, NAME))
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    (card,) = _card_windows()
    assert card.last_name_edit.text() == "Öztürk" and card.first_name_edit.text() == "Ömer"
    qtbot.keyClick(page.view, Qt.Key.Key_Enter)
    assert _card_windows() == [card]  # the open card is raised, not opened twice
    card.close()


def test_double_click_opens_the_card_and_new_client_an_empty_one(qtbot, page, ids, monkeypatch):
    opened = []

    class StandIn(QWidget):
        def __init__(self, services, bus, client_id, parent=None):
            super().__init__(parent, Qt.WindowType.Window)
            opened.append(client_id)

    monkeypatch.setattr("salon_desk.ui.clients.client_card.ClientCardWindow", StandIn)
    row = column(page, NAME).index("Weiß, Jörg")
    index = page.model.index(row, GROUP)
    where = page.view.visualRect(index).center()
    # A real double click: press and release, then the double-click press (QTest's alone lacks the first).
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert opened == [ids["Weiß, Jörg"]]
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert opened == [ids["Weiß, Jörg"], None]
    assert [client_id for client_id, _card in page.cards] == [ids["Weiß, Jörg"], None]


def test_new_client_opens_the_real_empty_card(qtbot, page):
    page.new_client()
    (card,) = _card_windows()
    assert card.last_name_edit.text() == "" and card.first_name_edit.text() == ""
    card.close()


def test_a_change_on_the_bus_refreshes_list_and_count_and_keeps_the_selection(qtbot, app_services, bus, page):
    row = column(page, NAME).index("Schmidt, Eva")
    page.view.selectRow(row)
    _card, changes = app_services.clients.create(ClientData(first_name="Aaron", last_name="Aal"))
    bus.publish(changes)
    qtbot.waitUntil(lambda: page.count_label.text() == "31 clients")
    assert column(page, NAME)[0] == "Aal, Aaron"
    current = page.view.currentIndex()
    assert current.row() == row + 1 and current.data() == "Schmidt, Eva"
    assert page.view.selectionModel().isRowSelected(row + 1)


def test_a_renamed_category_reloads_the_filter_and_the_labels(qtbot, app_services, bus, page):
    from dataclasses import asdict

    from salon_desk.services.categories.categories import CategoryData

    staff = next(c for c in app_services.categories.list() if c.name == "Staff")
    fields = {k: v for k, v in asdict(staff).items() if k in CategoryData.__dataclass_fields__}
    _info, changes = app_services.categories.update(staff.id, staff.version, CategoryData(**{**fields, "name": "Team"}))
    bus.publish(changes)
    qtbot.waitUntil(lambda: page.category_combo.findText("Team") > 0)
    assert page.category_combo.findText("Staff") == -1
    row = column(page, NAME).index("Weiß, Jörg")
    qtbot.waitUntil(lambda: "Team" in page.model.index(row, CATEGORY).data())


def test_focus_search_selects_the_typed_text(qtbot, page):
    page.search_edit.setText("anna")
    page.focus_search()
    assert page.search_edit.selectedText() == "anna"


def test_rows_have_a_fixed_height(page):
    from PySide6.QtWidgets import QHeaderView

    rows = page.view.verticalHeader()
    assert rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert page.view.rowHeight(0) == page.view.rowHeight(29) == rows.defaultSectionSize()


@pytest.fixture(scope="module")
def thousand_file(sqlite_template, tmp_path_factory):
    """A database with 1,000 clients named in a shuffled order, so that ids and names disagree; made once."""
    path = tmp_path_factory.mktemp("thousand") / "salon.sqlite3"
    shutil.copy(sqlite_template, path)
    services = open_services(f"sqlite:///{path}")
    numbers = list(range(1000))
    random.Random(7).shuffle(numbers)
    for number in numbers:
        services.clients.create(ClientData(first_name="Kim", last_name=f"Kunde {number:04d}"))
    with services.db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    services.db.dispose()
    return path


@pytest.fixture
def thousand(app_services, thousand_file):
    """The 1,000 clients in the test's own database (a copy of the one made once); their names in list order."""
    app_services.db.dispose()
    target = Path(app_services.db.file)
    for extra in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        extra.unlink(missing_ok=True)
    shutil.copy(thousand_file, target)
    return [f"Kunde {n:04d}, Kim" for n in range(1000)]


def test_scrolling_to_the_bottom_of_1000_clients_shows_every_row_in_order(qtbot, app_services, bus, thousand):
    page = _page(qtbot, app_services, bus)
    view, model = page.view, page.model
    model.max_pages = 2  # a small cache, so that pages are dropped and loaded again on the way
    assert model.rowCount() == 1000 and page.count_label.text() == "1,000 clients"
    seen = {}
    bar = view.verticalScrollBar()
    while True:
        view.viewport().repaint()
        top, bottom = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
        bottom = bottom if bottom >= 0 else model.rowCount() - 1
        seen.update({row: model.index(row, NAME).data() for row in range(top, bottom + 1)})
        if bar.value() == bar.maximum():
            break
        bar.setValue(bar.value() + bar.pageStep())
    assert [seen[row] for row in range(1000)] == thousand
    assert len(model.cached_pages()) <= 2
    under_cursor = view.indexAt(QPoint(20, view.viewport().height() - 3))
    assert under_cursor.row() > 970 and under_cursor.data() == thousand[under_cursor.row()]
    assert view.indexAt(QPoint(20, 3)).data() == thousand[view.rowAt(3)]


def test_jumping_to_the_middle_and_the_end_loads_just_those_pages(qtbot, app_services, bus, thousand):
    page = _page(qtbot, app_services, bus)
    view, model = page.view, page.model
    model.page_size = 50
    page.reload()
    view.scrollTo(model.index(530, NAME), view.ScrollHint.PositionAtCenter)
    view.viewport().repaint()
    middle = view.indexAt(view.viewport().rect().center()).row()
    assert abs(middle - 530) <= 1 and model.index(middle, NAME).data() == thousand[middle]
    assert 0 not in model.cached_pages() and 10 in model.cached_pages()
    assert model.index(499, NAME).data() == thousand[499]  # page 9: before the first key of page 10
    view.scrollToBottom()
    view.viewport().repaint()
    assert model.index(999, NAME).data() == thousand[999]
    assert model.index(950, NAME).data() == thousand[950]
    qtbot.keyClicks(page.search_edit, "kunde 05")
    qtbot.waitUntil(lambda: page.count_label.text() == "100 clients")
    assert column(page, NAME) == thousand[500:600]


def test_a_sort_starts_at_the_top_unless_a_client_is_selected(qtbot, app_services, bus, thousand):
    page = _page(qtbot, app_services, bus)
    view, model = page.view, page.model
    view.scrollTo(model.index(700, NAME), view.ScrollHint.PositionAtTop)
    view.viewport().repaint()
    assert view.rowAt(0) > 600
    _click_header(qtbot, page, NAME)  # descending
    view.viewport().repaint()
    assert view.rowAt(0) == 0 and view.indexAt(QPoint(20, 3)).data() == thousand[999]
    view.scrollTo(model.index(530, NAME), view.ScrollHint.PositionAtCenter)
    assert model.index(530, NAME).data() == thousand[469]  # the descending list, its row read
    view.selectRow(530)
    _click_header(qtbot, page, NAME)  # ascending again: the selected client stays in view
    view.viewport().repaint()
    current = view.currentIndex()
    last_shown = view.rowAt(view.viewport().height() - 1)
    assert current.data() == thousand[469] and view.rowAt(0) <= current.row() <= last_shown


def test_jumps_count_from_the_anchors_found_beside_the_list(qtbot, app_services, bus, thousand, monkeypatch):
    page = _page(qtbot, app_services, bus)
    view, model = page.view, page.model
    model.page_size, model.anchor_every = 50, 64
    jumps = []
    page_at = model.service.page_at
    monkeypatch.setattr(model.service, "page_at", lambda *args: jumps.append(args) or page_at(*args))
    page.reload()
    qtbot.waitUntil(model.has_anchors)
    for row in (530, 912):
        view.scrollTo(model.index(row, NAME), view.ScrollHint.PositionAtCenter)
        view.viewport().repaint()
        assert model.index(row, NAME).data() == thousand[row]
    assert [(offset, anchors is not None) for _query, offset, _size, anchors in jumps] == [(500, True), (900, True)]
    _click_header(qtbot, page, NAME)  # descending: other keys, so the anchors of the ascending list go
    assert not model.has_anchors()
    qtbot.waitUntil(model.has_anchors)
    view.scrollTo(model.index(700, NAME), view.ScrollHint.PositionAtCenter)
    view.viewport().repaint()
    assert model.index(700, NAME).data() == thousand[999 - 700]
    _click_header(qtbot, page, NAME)
    assert model.has_anchors()  # kept for the ascending list, the data unchanged since
    page.reload()  # data changed: positions may have moved
    assert not model.has_anchors()
    qtbot.keyClicks(page.search_edit, "kunde 0")
    qtbot.waitUntil(lambda: page.count_label.text() == "1,000 clients" and model.query().text == "kunde 0")
    assert not model.gets_anchors()  # a search's hits would be sorted again for each anchor


def test_an_empty_list_says_why(qtbot, app_services, bus, page):
    assert not page.empty_label.isVisible()
    page.search_edit.setText("xyzzy")
    page.apply_filters()
    assert page.empty_label.isVisible() and "“xyzzy”" in page.empty_label.text()
    assert page.count_label.text() == "0 clients"
    page.category_combo.setCurrentIndex(page.category_combo.findText("Senior"))
    assert "All categories" in page.empty_label.text()
    page.search_edit.clear()
    page.apply_filters()
    assert not page.empty_label.isVisible() and page.model.rowCount() == 3


def test_a_new_database_invites_to_register_the_first_client(qtbot, app_services, bus):
    page = _page(qtbot, app_services, bus)
    assert page.empty_label.isVisible() and "New client" in page.empty_label.text()
