"""The client card: staged category edits, save, cancel, conflicts, validation, the default category."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.services import Services
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.clients.consent_log import Flag
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.category_entry import DETAIL_ROLE, EXPIRED_ROLE
from salon_desk.ui.categories.category_picker import CategoryPickerDialog
from salon_desk.ui.clients.client_card import ClientCardWindow


def category_id(services: Services, name: str) -> int:
    return next(c.id for c in services.categories.list() if c.name == name)


def make_client(services: Services, *names: str, **fields: object) -> int:
    data = ClientData(**{"first_name": "Anna", "last_name": "Müller", **fields})  # type: ignore[arg-type]
    memberships = tuple(MembershipData(category_id(services, n)) for n in names)
    card, _changes = services.clients.create(data, CategoryChanges(memberships))
    return card.id


def stored_names(services: Services, client_id: int) -> list[str]:
    return sorted(m.category.name for m in services.clients.get(client_id).memberships if m.category)


def shown_names(window: ClientCardWindow) -> list[str]:
    view = window.panel.list
    return sorted(view.item(row).text() for row in range(view.count()))


def item_named(view: QListWidget, name: str) -> QListWidgetItem:
    return next(view.item(row) for row in range(view.count()) if view.item(row).text() == name)


def click_item(
    qtbot: QtBot, view: QListWidget, name: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    rect = view.visualItemRect(item_named(view, name))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def double_click_item(qtbot: QtBot, view: QListWidget, name: str) -> None:
    center = view.visualItemRect(item_named(view, name)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)


@pytest.fixture
def bus() -> DataBus:
    return DataBus()


OpenCard = Callable[[int | None], ClientCardWindow]


@pytest.fixture
def open_card(
    qtbot: QtBot, app_services: Services, bus: DataBus, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OpenCard]:
    """Open card windows; the ones still open at the end are closed, discarding their changes.

    The window deletes itself when closed, so it is not handed to ``qtbot.addWidget``
    (that would close an already deleted window at teardown).
    """
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


def open_picker(qtbot: QtBot, window: ClientCardWindow) -> CategoryPickerDialog:
    qtbot.mouseClick(window.findChild(QPushButton, "addCategoryButton"), Qt.MouseButton.LeftButton)
    picker = window.panel.picker
    assert isinstance(picker, CategoryPickerDialog)
    qtbot.waitExposed(picker)
    return picker


def test_added_categories_are_staged_until_save(
    qtbot: QtBot, app_services: Services, bus: DataBus, open_card: OpenCard
) -> None:
    client_id = make_client(app_services, "New client")
    window = open_card(client_id)
    assert shown_names(window) == ["New client"]

    picker = open_picker(qtbot, window)
    with qtbot.waitSignal(picker.accepted):
        double_click_item(qtbot, picker.list, "Student")
    assert shown_names(window) == ["New client", "Student"]

    picker = open_picker(qtbot, window)
    click_item(qtbot, picker.list, "VIP")
    click_item(qtbot, picker.list, "Staff", Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(picker.accepted):
        qtbot.mouseClick(picker.findChild(QPushButton, "selectCategoryButton"), Qt.MouseButton.LeftButton)
    assert shown_names(window) == ["New client", "Staff", "Student", "VIP"]
    assert stored_names(app_services, client_id) == ["New client"]
    assert window.isWindowModified()

    with qtbot.waitSignal(bus.sig_data_changed) as published:
        qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)
    assert client_id in published.args[0].clients
    assert not window.isVisible()
    assert stored_names(app_services, client_id) == ["New client", "Staff", "Student", "VIP"]


def test_remove_by_button_and_delete_key(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    client_id = make_client(app_services, "New client", "Student", "VIP")
    window = open_card(client_id)
    remove = window.findChild(QPushButton, "removeCategoryButton")
    assert not remove.isEnabled()

    click_item(qtbot, window.panel.list, "Student")
    assert remove.isEnabled()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert shown_names(window) == ["New client", "VIP"]

    click_item(qtbot, window.panel.list, "VIP")
    qtbot.keyClick(window.panel.list, Qt.Key.Key_Delete)
    assert shown_names(window) == ["New client"]
    assert stored_names(app_services, client_id) == ["New client", "Student", "VIP"]

    qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)
    assert stored_names(app_services, client_id) == ["New client"]


def test_cancel_with_changes_asks_and_discards(
    qtbot: QtBot, app_services: Services, open_card: OpenCard, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = make_client(app_services, "New client")
    window = open_card(client_id)
    qtbot.keyClicks(window.first_name_edit, "-Lena")
    click_item(qtbot, window.panel.list, "New client")
    qtbot.keyClick(window.panel.list, Qt.Key.Key_Delete)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            asked.append(text)
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    cancel = window.findChild(QPushButton, "cancelClientButton")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "not saved" in asked[0]
    assert window.isVisible() and window.first_name_edit.text() == "Anna-Lena"

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert len(asked) == 2
    assert not window.isVisible()
    card = app_services.clients.get(client_id)
    assert card.data.first_name == "Anna"
    assert stored_names(app_services, client_id) == ["New client"]


def test_cancel_without_changes_closes_at_once(
    qtbot: QtBot, app_services: Services, open_card: OpenCard, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_card(make_client(app_services, "VIP"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked without changes"))
    qtbot.mouseClick(window.findChild(QPushButton, "cancelClientButton"), Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_conflict_on_save_offers_reload(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    client_id = make_client(app_services, "New client", city="München")
    window = open_card(client_id)
    qtbot.keyClicks(window.phone_edit, "0171 111")
    other = app_services.clients.get(client_id)
    app_services.clients.save(client_id, other.version, replace(other.data, city="Berlin"))

    qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)
    box = window.conflict_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "changed at another desk" in box.text()
    assert window.isVisible() and window.phone_edit.text() == "0171 111"

    qtbot.mouseClick(box.findChild(QPushButton, "reloadCardButton"), Qt.MouseButton.LeftButton)
    assert window.city_edit.text() == "Berlin"
    assert window.phone_edit.text() == ""
    assert not window.is_modified()
    assert app_services.clients.get(client_id).data.phone == ""


def test_wrong_email_is_shown_next_to_the_field(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    client_id = make_client(app_services, "New client")
    window = open_card(client_id)
    qtbot.keyClicks(window.email_edit, "anna@example")
    qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)

    assert "not a valid email address" in window.errors.text("email")
    label = window.findChild(type(window.name_label), "emailEditError")
    assert label is not None and label.isVisible()
    assert window.isVisible() and window.email_edit.text() == "anna@example"
    assert app_services.clients.get(client_id).data.email == ""


def test_birthday_is_typed_as_day_month_year(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    client_id = make_client(app_services, "New client")
    window = open_card(client_id)
    save = window.findChild(QPushButton, "saveClientButton")
    qtbot.keyClicks(window.birthday_edit, "31.02.1990")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "DD.MM.YYYY" in window.errors.text("birthday")
    assert window.isVisible()

    window.birthday_edit.clear()
    qtbot.keyClicks(window.birthday_edit, "24.12.85")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert app_services.clients.get(client_id).data.birthday == date(1985, 12, 24)


def test_new_client_gets_the_default_category_staged(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    window = open_card(None)
    assert window.windowTitle().startswith("New client")
    assert shown_names(window) == ["New client"]
    assert "saved with the card" in item_named(window.panel.list, "New client").data(DETAIL_ROLE)

    qtbot.keyClicks(window.first_name_edit, "Jonas")
    qtbot.keyClicks(window.last_name_edit, "Weiß")
    with qtbot.waitSignal(window.sig_saved) as saved:
        qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)
    card = saved.args[0]
    assert app_services.clients.get(card.id).data.last_name == "Weiß"
    assert stored_names(app_services, card.id) == ["New client"]


def test_new_client_without_default_category_starts_empty(app_services: Services, open_card: OpenCard) -> None:
    default = next(c for c in app_services.categories.list() if c.is_default)
    app_services.categories.update(default.id, default.version, replace(default, is_default=False))
    window = open_card(None)
    assert shown_names(window) == []
    assert window.panel.empty_label.isVisible()


def test_expired_membership_is_shown_expired_and_can_be_renewed(
    qtbot: QtBot, app_services: Services, open_card: OpenCard
) -> None:
    student = app_services.categories.get(category_id(app_services, "Student"))
    app_services.categories.update(student.id, student.version, replace(student, discount_percent=Decimal("10")))
    valid_until = date.today() - timedelta(days=10)
    card, _changes = app_services.clients.create(
        ClientData(first_name="Mia"), CategoryChanges((MembershipData(student.id, valid_until, "ID seen"),))
    )
    window = open_card(card.id)
    item = item_named(window.panel.list, "Student")
    assert item.data(EXPIRED_ROLE) is True
    assert item.data(DETAIL_ROLE).startswith("Expired since")
    renew = window.findChild(QPushButton, "renewCategoryButton")
    assert not renew.isVisible()

    click_item(qtbot, window.panel.list, "Student")
    assert renew.isVisible()
    qtbot.mouseClick(renew, Qt.MouseButton.LeftButton)
    dialog = window.panel.membership_dialog
    qtbot.waitExposed(dialog)
    assert dialog.membership().valid_until > date.today()
    assert dialog.proof_edit.text() == "" and "Previous proof: ID seen" in dialog.previous_proof.text()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # a renewal needs a new proof note
    assert dialog.isVisible() and dialog.proof_hint.isVisible()
    qtbot.keyClicks(dialog.proof_edit, "new ID seen, valid to 09/2028")
    assert not dialog.proof_hint.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    item = item_named(window.panel.list, "Student")
    assert item.data(EXPIRED_ROLE) is False
    assert item.data(DETAIL_ROLE).startswith("valid until")

    qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)
    stored = app_services.clients.get(card.id).memberships[0]
    assert stored.valid_until is not None and stored.valid_until > date.today()
    assert stored.proof_note == "new ID seen, valid to 09/2028"


def test_double_click_edits_valid_until_and_proof_note(
    qtbot: QtBot, app_services: Services, open_card: OpenCard
) -> None:
    client_id = make_client(app_services, "Student")
    window = open_card(client_id)
    double_click_item(qtbot, window.panel.list, "Student")
    dialog = window.panel.membership_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.valid_check.setChecked(True)
    qtbot.keyClicks(dialog.proof_edit, "student ID seen")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.proof_edit, Qt.Key.Key_Return)
    assert "student ID seen" in item_named(window.panel.list, "Student").data(DETAIL_ROLE)
    assert stored_names(app_services, client_id) == ["Student"]
    assert app_services.clients.get(client_id).memberships[0].proof_note == ""

    qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)
    stored = app_services.clients.get(client_id).memberships[0]
    assert stored.proof_note == "student ID seen"
    assert stored.valid_until is not None


def test_consent_date_is_shown_once_given(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    client_id = make_client(app_services, "New client", email="anna@example.de")
    window = open_card(client_id)
    check, label = window.consent_panel.checks[Flag.EMAIL], window.consent_panel.state_labels[Flag.EMAIL]
    assert label.text() == ""
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert label.text() == "recorded when saved"
    qtbot.mouseClick(window.findChild(QPushButton, "saveClientButton"), Qt.MouseButton.LeftButton)

    window = open_card(client_id)
    assert window.consent_panel.checks[Flag.EMAIL].isChecked()
    assert window.consent_panel.state_labels[Flag.EMAIL].text().startswith("since ")


def test_the_card_lists_the_clients_visits_from_sales(open_card: OpenCard, app_services: Services) -> None:
    from checkout_shop import make_shop

    from salon_desk.models import PaymentMethod
    from salon_desk.services.checkout.checkout import Cart, CartLine, Payment

    shop = make_shop(app_services)
    first = app_services.checkout.complete(shop.anna, Cart((CartLine(shop.cut),)), Payment(PaymentMethod.CARD))
    app_services.checkout.complete(shop.anna, Cart((CartLine(shop.shampoo, 2),)), Payment(PaymentMethod.CARD))
    window = open_card(shop.anna)
    visits = window.findChild(QListWidget, "visitHistoryList")
    texts = [visits.item(row).text() for row in range(visits.count())]
    assert len(texts) == 2 and visits.isVisibleTo(window)
    assert "receipt 2" in texts[0] and "receipt 1" in texts[1]
    assert f"receipt {first.number}" in texts[1] and "€" in texts[1]
    assert "Last visit" in window.findChild(QWidget, "lastVisitLabel").text()
