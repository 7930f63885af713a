"""The check-in screen: the client ticks a consent box and the text shown beside it is recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.services import Services
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.clients.consent_log import Flag
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.groups.check_in_window import CheckInWindow


def child(widget: QWidget, kind: type, name: str):  # noqa: ANN201 - the found widget
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def test_the_client_gives_email_consent_at_the_check_in(qtbot: QtBot, app_services: Services) -> None:
    client_id = app_services.clients.create(
        ClientData(first_name="Anna", last_name="Berger", phone="0171 1234567", email="anna@example.de")
    )[0].id
    window = CheckInWindow(app_services, DataBus())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.keyClicks(child(window, QWidget, "checkInContactEdit"), "anna@example.de")
    qtbot.keyClicks(child(window, QWidget, "checkInLastNameEdit"), "Berger")
    qtbot.mouseClick(child(window, QWidget, "checkInButton"), Qt.MouseButton.LeftButton)
    shown = child(window, QLabel, "checkIn_email_consentWording").text()
    assert shown.startswith("I would like to receive offers and news by email")
    box = child(window, QCheckBox, "checkIn_email_consentCheck")
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(child(window, QWidget, "checkInConsentButton"), Qt.MouseButton.LeftButton)
    assert child(window, QLabel, "checkInConsentMessage").text() == "Thank you! Your choices are saved."
    [entry] = app_services.consent.history(client_id)
    assert (entry.channel, entry.granted, entry.source, entry.wording) == ("email", True, "check_in", shown)
    assert app_services.consent.current(client_id).states[Flag.EMAIL].granted

    qtbot.mouseClick(child(window, QWidget, "checkInDoneButton"), Qt.MouseButton.LeftButton)
    assert window.findChild(QCheckBox, "checkIn_email_consentCheck") is None or not window.consent_checks
