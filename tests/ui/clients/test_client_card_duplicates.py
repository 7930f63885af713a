"""The client card (issue 12): duplicate warning, merging, closed cards, Enter to save, the header while editing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import shiboken6
from helpers_staff import signed_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.kinds import ItemKind
from salon_desk.models import PaymentMethod, Role
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.clients.clients import ClientData
from salon_desk.ui.clients.client_card import ClientCardWindow
from salon_desk.ui.common.bus import DataBus

OpenCard = Callable[[int | None], ClientCardWindow]


@pytest.fixture
def bus() -> DataBus:
    return DataBus()


@pytest.fixture
def open_card(qtbot: QtBot, app_services: Services, bus: DataBus, monkeypatch) -> Iterator[OpenCard]:
    windows: list[ClientCardWindow] = []

    def opener(client_id: int | None) -> ClientCardWindow:
        window = ClientCardWindow(app_services, bus, client_id)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield opener
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    for window in windows:
        if shiboken6.isValid(window):
            window.close()


def new_client(services: Services, first: str, last: str, **values) -> int:
    return services.clients.create(ClientData(first_name=first, last_name=last, **values))[0].id


def type_into(qtbot: QtBot, window: ClientCardWindow, name: str, text: str) -> None:
    edit = window.findChild(QWidget, name)
    edit.clear()
    qtbot.keyClicks(edit, text)


def click(qtbot: QtBot, window, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None and button.isVisible(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_new_client_with_a_known_phone_warns_names_the_card_and_offers_to_open_it(
    qtbot, app_services, bus, open_card
):
    anna = new_client(app_services, "Anna", "Müller", phone="0171 1234567")
    window = open_card(None)
    type_into(qtbot, window, "firstNameEdit", "Anna")
    type_into(qtbot, window, "lastNameEdit", "Mueller")
    type_into(qtbot, window, "phoneEdit", "+49 171 123 45 67")
    click(qtbot, window, "saveClientButton")
    box = window.findChild(QMessageBox, "duplicateMessageBox")
    assert box is not None and box.isVisible()
    assert f"Anna Müller (no. {anna}): same phone number" in box.informativeText()
    with qtbot.waitSignal(bus.sig_open_client) as opened:
        qtbot.mouseClick(box.findChild(QPushButton, "openDuplicateButton"), Qt.MouseButton.LeftButton)
    assert opened.args == [anna]
    assert app_services.client_list.count(_all()) == 1  # nothing saved


def _all():
    from salon_desk.services.clients.client_list import ClientListQuery

    return ClientListQuery()


def test_the_user_can_still_save_after_the_warning(qtbot, app_services, open_card):
    new_client(app_services, "Anna", "Müller", email="Anna@Example.de")
    window = open_card(None)
    type_into(qtbot, window, "lastNameEdit", "Mueller-Schmidt")
    type_into(qtbot, window, "emailEdit", "anna@example.DE")
    click(qtbot, window, "saveClientButton")
    box = window.findChild(QMessageBox, "duplicateMessageBox")
    assert "same email address" in box.informativeText()
    qtbot.mouseClick(box.findChild(QPushButton, "saveAnywayButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app_services.client_list.count(_all()) == 2)


def test_saving_an_unchanged_phone_does_not_warn_again(qtbot, app_services, open_card):
    new_client(app_services, "Anna", "Müller", phone="0171 1234567")
    twin = new_client(app_services, "Anne", "Müller", phone="0171 1234567")
    window = open_card(twin)
    type_into(qtbot, window, "cityEdit", "Koeln")
    click(qtbot, window, "saveClientButton")
    assert window.findChild(QMessageBox, "duplicateMessageBox") is None
    assert app_services.clients.get(twin).data.city == "Koeln"


def test_enter_saves_the_card_except_in_the_notes(qtbot, app_services, open_card):
    anna = new_client(app_services, "Anna", "Müller")
    window = open_card(anna)
    notes = window.findChild(QWidget, "notesEdit")
    notes.setFocus()
    qtbot.keyClicks(notes, "Mag Tee")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "und Kekse")
    assert window.isVisible() and notes.toPlainText() == "Mag Tee\nund Kekse"
    type_into(qtbot, window, "cityEdit", "Bonn")
    with qtbot.waitSignal(window.sig_saved):
        qtbot.keyClick(window.findChild(QWidget, "cityEdit"), Qt.Key.Key_Return)
    stored = app_services.clients.get(anna).data
    assert (stored.city, stored.notes) == ("Bonn", "Mag Tee\nund Kekse")


def test_the_save_button_names_its_shortcut(open_card, app_services):
    window = open_card(new_client(app_services, "Anna", "Müller"))
    assert "Ctrl+S" in window.findChild(QPushButton, "saveClientButton").toolTip()


def test_clearing_the_name_keeps_the_stored_name_in_the_header(qtbot, app_services, open_card):
    window = open_card(new_client(app_services, "Anna", "Müller"))
    type_into(qtbot, window, "firstNameEdit", "")
    type_into(qtbot, window, "lastNameEdit", "")
    assert window.findChild(QLabel, "clientNameLabel").text() == "Anna Müller"
    assert window.windowTitle().startswith("Anna Müller")
    type_into(qtbot, window, "lastNameEdit", "Schmidt")
    assert window.findChild(QLabel, "clientNameLabel").text() == "Anna Müller"  # until saved


def test_a_manager_merges_a_duplicate_into_the_card_and_its_visits_show_both(
    qtbot, app_services, open_card, monkeypatch
):
    signed_in(app_services, Role.MANAGER, "Chefin")
    keep = new_client(app_services, "Anna", "Müller", phone="0171 1234567")
    other = new_client(app_services, "Anna", "Mueller", phone="+49 171 1234567", notes="Allergie: Latex")
    item = app_services.catalog.create_item(ItemData(name="Schnitt", kind=ItemKind.SERVICE, price=Decimal("30")))[0]
    sale = app_services.checkout.complete(other, Cart((CartLine(item.id),)), Payment(PaymentMethod.CASH))
    window = open_card(keep)
    click(qtbot, window, "mergeClientButton")
    dialog = window.merge_button.dialog
    qtbot.waitExposed(dialog)
    candidates = dialog.findChild(QListWidget, "mergeCandidateList")
    assert candidates.count() == 1 and f"Anna Mueller (no. {other})" in candidates.item(0).text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog, "mergeButton")
    assert "Allergie: Latex" in window.findChild(QWidget, "notesEdit").toPlainText()
    visits = window.findChild(QListWidget, "visitHistoryList")
    assert visits.count() == 1 and f"receipt {sale.number}" in visits.item(0).text()
    assert app_services.clients.get(other).merged_into.client_id == keep


def test_the_merge_button_is_for_managers_only(app_services, open_card):
    signed_in(app_services, Role.FRONT_DESK, "Fritz")
    window = open_card(new_client(app_services, "Anna", "Müller"))
    assert not window.findChild(QPushButton, "mergeClientButton").isVisible()


def test_a_closed_card_says_where_it_went_and_cannot_be_saved(qtbot, app_services, bus, open_card):
    keep = new_client(app_services, "Anna", "Müller")
    other = new_client(app_services, "Anna", "Mueller")
    app_services.clients.merge(keep, other)
    window = open_card(other)
    banner = window.findChild(QLabel, "mergedIntoLabel")
    assert banner is not None and f"merged into the card of Anna Müller (no. {keep})" in banner.text()
    assert not window.findChild(QPushButton, "saveClientButton").isEnabled()
    with qtbot.waitSignal(bus.sig_open_client) as opened:
        click(qtbot, window, "openMergedIntoButton")
    assert opened.args == [keep]
