"""The card's consent panel: tick, save, the state line, the history table, unsubscribe, wrong input."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from helpers_staff import signed_in
from salon_desk.models import Client, Role
from salon_desk.services import Services
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.clients.consent_log import Flag
from salon_desk.ui.clients.client_card import ClientCardWindow
from salon_desk.ui.common.bus import DataBus

OpenCard = Callable[[int | None], ClientCardWindow]


@pytest.fixture
def open_card(qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenCard]:
    windows: list[ClientCardWindow] = []
    bus = DataBus()

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


def client(services: Services, **fields: object) -> int:
    data = ClientData(**{"first_name": "Anna", "last_name": "Müller", "email": "anna@example.de", **fields})  # type: ignore[arg-type]
    return services.clients.create(data)[0].id


def click(qtbot: QtBot, window: ClientCardWindow, name: str) -> None:
    widget = window.findChild(QPushButton, name) or window.findChild(QCheckBox, name)
    assert widget is not None, name
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def save(qtbot: QtBot, window: ClientCardWindow) -> None:
    click(qtbot, window, "saveClientButton")


def test_ticked_consent_is_saved_with_the_text_shown_and_listed_in_the_history(
    qtbot: QtBot, app_services: Services, open_card: OpenCard
) -> None:
    signed_in(app_services, Role.FRONT_DESK, "Anna Berger")
    client_id = client(app_services, phone="0171 2345678")
    window = open_card(client_id)
    shown = window.findChild(QLabel, "emailConsentWordingLabel").text()
    assert shown.startswith("I would like to receive offers and news by email")
    click(qtbot, window, "emailConsentCheck")
    click(qtbot, window, "phoneConsentCheck")
    assert window.findChild(QLabel, "phoneConsentStateLabel").text() == "recorded when saved"
    save(qtbot, window)

    window = open_card(client_id)
    assert window.findChild(QCheckBox, "phoneConsentCheck").isChecked()
    state = window.findChild(QLabel, "emailConsentStateLabel").text()
    assert state.startswith("since ") and state.endswith("client card, by Anna Berger")
    click(qtbot, window, "consentHistoryButton")
    dialog = window.consent_panel.history_dialog
    qtbot.waitExposed(dialog)
    rows = dialog.rows()
    assert {(r[1], r[2], r[3], r[4], r[6]) for r in rows} == {
        ("Email", "granted", "consent", "client card", "Anna Berger"),
        ("Phone", "granted", "consent", "client card", "Anna Berger"),
    }
    assert next(r[5] for r in rows if r[1] == "Email") == shown
    dialog.close()


def test_saving_unchanged_consent_writes_no_record(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    client_id = client(app_services, email_consent=True)
    window = open_card(client_id)
    qtbot.keyClicks(window.notes_edit, "likes tea")
    save(qtbot, window)
    assert len(app_services.consent.history(client_id)) == 1


def test_unsubscribe_from_the_card_withdraws_both_email_kinds(
    qtbot: QtBot, app_services: Services, open_card: OpenCard
) -> None:
    client_id = client(app_services, email_consent=True, email_existing_customer=True)
    window = open_card(client_id)
    assert window.findChild(QCheckBox, "emailExistingCustomerCheck").isChecked()
    click(qtbot, window, "unsubscribeButton")
    assert not window.findChild(QCheckBox, "emailConsentCheck").isChecked()
    assert not window.findChild(QCheckBox, "emailExistingCustomerCheck").isChecked()
    assert window.findChild(QLabel, "unsubscribedLabel").text() == "Unsubscribed from email when saved."
    assert window.isWindowModified()
    save(qtbot, window)
    overview = app_services.consent.current(client_id)
    assert overview.unsubscribed_at is not None
    assert not overview.states[Flag.EMAIL].granted and not overview.states[Flag.EMAIL_EXISTING_CUSTOMER].granted
    assert {e.source for e in app_services.consent.history(client_id)[:2]} == {"unsubscribe"}

    window = open_card(client_id)
    assert window.findChild(QLabel, "unsubscribedLabel").text().startswith("Unsubscribed from email on ")


def test_phone_consent_without_a_phone_number_is_refused_next_to_the_box(
    qtbot: QtBot, app_services: Services, open_card: OpenCard
) -> None:
    client_id = client(app_services)
    window = open_card(client_id)
    click(qtbot, window, "phoneConsentCheck")
    save(qtbot, window)
    assert window.errors.text("phone_consent") == "Phone consent needs a phone number."
    assert window.isVisible() and window.findChild(QCheckBox, "phoneConsentCheck").isChecked()
    assert app_services.consent.history(client_id) == []


def test_a_new_client_gets_records_for_the_ticked_boxes(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    window = open_card(None)
    assert not window.findChild(QPushButton, "consentHistoryButton").isEnabled()
    qtbot.keyClicks(window.last_name_edit, "Neumann")
    qtbot.keyClicks(window.phone_edit, "0171 555")
    click(qtbot, window, "smsConsentCheck")
    save(qtbot, window)
    assert not shiboken6.isValid(window) or not window.isVisible()
    with app_services.db.read() as session:
        client_id = session.scalar(select(Client.id).where(Client.last_name == "Neumann"))
    history = app_services.consent.history(client_id)
    assert [(e.channel, e.granted, e.source) for e in history] == [("sms", True, "card")]
    assert history[0].wording.startswith("I would like to receive offers and news by text message")


def test_a_manager_changes_the_email_text_and_the_next_grant_stores_it(
    qtbot: QtBot, app_services: Services, open_card: OpenCard
) -> None:
    client_id = client(app_services)
    window = open_card(client_id)
    click(qtbot, window, "consentWordingButton")
    dialog = window.consent_panel.wording_dialog
    qtbot.waitExposed(dialog)
    edit = dialog.findChild(QPlainTextEdit, "email_consentWordingEdit")
    edit.clear()
    qtbot.keyClicks(edit, "Newsletter per E-Mail, jederzeit abbestellbar.")
    with qtbot.waitSignal(dialog.accepted):
        click_in(qtbot, dialog, "saveConsentWordingButton")
    assert window.findChild(QLabel, "emailConsentWordingLabel").text() == "Newsletter per E-Mail, jederzeit abbestellbar."
    click(qtbot, window, "emailConsentCheck")
    save(qtbot, window)
    assert app_services.consent.history(client_id)[0].wording == "Newsletter per E-Mail, jederzeit abbestellbar."


def test_front_desk_sees_no_texts_button(qtbot: QtBot, app_services: Services, open_card: OpenCard) -> None:
    signed_in(app_services, Role.FRONT_DESK)
    window = open_card(client(app_services))
    assert window.findChild(QPushButton, "consentWordingButton").isHidden()


def click_in(qtbot: QtBot, dialog, name: str) -> None:  # noqa: ANN001 - any dialog
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
