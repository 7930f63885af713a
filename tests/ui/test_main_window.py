"""The main window as a salon uses it: navigation, shortcuts, remembered size, and the issue's whole flow.

A manager creates "Student/in" with 10 % through the calculator; front desk finds a
client by typing "mül", opens the card, adds the category, saves and sees it in the list.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QListWidget, QWidget

from salon_desk import i18n
from salon_desk.services.clients.clients import ClientData
from salon_desk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    """Each test remembers window sizes and columns in its own data folder."""
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def window(qtbot, app_services):
    for first, last in (("Anna", "Müller"), ("Jonas", "Bäcker"), ("Eva", "Schmidt"), ("Tom", "Muller")):
        app_services.clients.create(ClientData(first_name=first, last_name=last))
    main = MainWindow(app_services)
    qtbot.addWidget(main)
    main.show()
    return main


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def click(qtbot, widget: QWidget, pos: QPoint | None = None) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos if pos is not None else widget.rect().center())


def tick(qtbot, check: QWidget) -> None:
    """Check boxes stretch across the form; their box sits at the left edge."""
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Key presses; QTest knows only ASCII keys, so umlauts go as key events carrying their text."""
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def retype(qtbot, edit: QWidget, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def go_to(qtbot, window: MainWindow, key: str) -> QWidget:
    """Click the page's entry in the navigation."""
    item = window.nav.item(list(window.pages).index(key))
    click(qtbot, window.nav.viewport(), window.nav.visualItemRect(item).center())
    assert window.stack.currentWidget() is window.pages[key]
    return window.pages[key]


def open_windows(name: str) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


def double_click_item(qtbot, view: QListWidget, text: str) -> None:
    item = next(view.item(row) for row in range(view.count()) if view.item(row).text() == text)
    centre = view.visualItemRect(item).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def create_student_category_through_the_calculator(qtbot, window: MainWindow) -> None:
    page = go_to(qtbot, window, "categories")
    click(qtbot, child(page, "newCategoryPageButton"))
    editor = page.editor
    qtbot.keyClicks(child(editor, "categoryNameEdit"), "Student/in")
    tick(qtbot, child(editor, "discountCheck"))
    click(qtbot, child(editor, "discountCalculatorButton"))
    calculator = editor.calculator
    retype(qtbot, child(calculator, "calcPriceEdit"), "50,00")
    retype(qtbot, child(calculator, "calcTargetPriceEdit"), "45,00")
    click(qtbot, calculator.ok_button())
    assert child(editor, "discountPercentEdit").text() == "10"
    click(qtbot, child(editor, "saveCategoryButton"))
    qtbot.waitUntil(lambda: not editor.isVisible())


def test_manager_and_front_desk_flow_from_the_issue(qtbot, window, app_services):
    i18n.set_language("de")
    create_student_category_through_the_calculator(qtbot, window)
    student = next(c for c in app_services.categories.list() if c.name == "Student/in")
    assert student.discount_percent == Decimal("10.00")

    page = go_to(qtbot, window, "clients")
    type_text(qtbot, child(page, "clientSearchEdit"), "mül")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)  # Müller and Muller
    row = [page.model.index(r, 0).data() for r in range(2)].index("Müller, Anna")
    page.view.setCurrentIndex(page.model.index(row, 0))
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    (card,) = open_windows("clientCardWindow")

    click(qtbot, child(card, "addCategoryButton"))
    double_click_item(qtbot, card.panel.picker.list, "Student/in")
    assert "Student/in" in [card.panel.list.item(r).text() for r in range(card.panel.list.count())]
    click(qtbot, child(card, "saveClientButton"))
    qtbot.waitUntil(lambda: not card.isVisible())

    qtbot.waitUntil(lambda: "Student/in" in (page.model.index(row, 1).data() or ""))
    anna = app_services.clients.get(page.model.client_id(row))
    assert "Student/in" in [m.category.name for m in anna.memberships]


def test_ctrl_n_opens_an_empty_card_and_ctrl_f_the_search(qtbot, window):
    window.pages["clients"].view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(open_windows("clientCardWindow")) == 1)
    (card,) = open_windows("clientCardWindow")
    assert card.first_name_edit.text() == "" and card.last_name_edit.text() == ""
    card.close()
    go_to(qtbot, window, "categories")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pages["clients"]
    assert QApplication.focusWidget() is child(window.pages["clients"], "clientSearchEdit")


def test_the_marketing_entry_opens_the_campaigns_page(window):
    titles = {window.nav.item(r).text(): window.nav.item(r) for r in range(window.nav.count())}
    assert titles["Marketing"].flags() & Qt.ItemFlag.ItemIsEnabled
    assert window.show_page("marketing").objectName() == "campaignsPage"


def test_window_size_is_remembered(qtbot, app_services):
    first = MainWindow(app_services)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.width(), 580)  # the default is 760; the offscreen screen is only 800 × 600
    first.close()
    second = MainWindow(app_services)
    qtbot.addWidget(second)
    assert second.height() == 580


def test_every_page_fits_a_1240_pixel_window(qtbot, app_services):
    """The stack is as wide as its widest page: one page too wide clips them all at 1240 × 760."""
    from salon_desk.ui.main_window import MainWindow

    window = MainWindow(app_services)
    qtbot.addWidget(window)
    widest = {key: page.minimumSizeHint().width() for key, page in window.pages.items()}
    assert window.minimumSizeHint().width() <= 1240, widest
