"""The campaigns page, editor and Email settings through the real widgets, against a real SMTP server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

import smtp_server
from campaign_world import add_clients, consenting, recipient_list, smtp_to
from salon_desk.models.campaign import RecipientState
from salon_desk.services import Services
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.marketing.campaign_editor_dialog import CampaignEditorDialog
from salon_desk.ui.marketing.campaign_runner import runner_for
from salon_desk.ui.marketing.campaigns_page import CampaignsPage
from salon_desk.ui.settings_dialog import SettingsDialog


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def yes(monkeypatch) -> list[str]:
    asked: list[str] = []

    def answer(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


@pytest.fixture
def server():
    with smtp_server.running() as running:
        yield running


@pytest.fixture
def audience(app_services: Services) -> list[int]:
    ids = add_clients(app_services, [*consenting(20), {"email": "", "email_consent": True},
                                     {"email": "nein@kunden.example", "email_consent": False}])
    recipient_list(app_services, ids)
    return ids


def fill_editor(qtbot, dialog: CampaignEditorDialog, body: str) -> None:
    qtbot.keyClicks(dialog.name_edit, "Sommer")
    qtbot.keyClicks(dialog.subject_edit, "Hallo {first_name}")
    dialog.body_edit.setPlainText(body)
    index = dialog.audience_combo.findText("Recipient group: Newsletter")
    dialog.audience_combo.setCurrentIndex(index)


def test_the_editor_refuses_an_unknown_placeholder_and_shows_counts_and_preview(qtbot, app_services, audience) -> None:
    dialog = CampaignEditorDialog(app_services, DataBus())
    qtbot.addWidget(dialog)
    dialog.show()
    fill_editor(qtbot, dialog, "Hallo {vorname}, 10 % für {client_category}…")
    qtbot.waitUntil(lambda: "{vorname}" in dialog.preview.toPlainText())  # the preview names the wrong placeholder
    assert "Receives it: 20 clients." in dialog.counts_label.text()
    assert "Skipped: 2 (" in dialog.counts_label.text() and "no address 1" in dialog.counts_label.text()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "{vorname}" in dialog.errors.text("body")
    assert app_services.campaigns.list() == []
    dialog.body_edit.setPlainText("Hallo {first_name}, 10 % für {client_category}…")
    qtbot.waitUntil(lambda: dialog.preview.toPlainText().startswith("Subject: Hallo Kundin"))
    dialog.preview_combo.setCurrentIndex(3)
    chosen = dialog.preview_combo.currentText().split()[0]
    assert f"Hallo {chosen}, 10 % für" in dialog.preview.toPlainText()
    assert "unsubscribe" in dialog.preview.toPlainText().lower()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and [c.data.name for c in app_services.campaigns.list()] == ["Sommer"]


def test_sms_is_shown_as_not_configured(qtbot, app_services) -> None:
    dialog = CampaignEditorDialog(app_services, DataBus())
    qtbot.addWidget(dialog)
    item = dialog.channel_combo.model().item(1)
    assert "not configured" in item.text() and not item.isEnabled()


def test_sending_from_the_page_with_progress_cancel_and_resume_while_the_client_list_answers(
    qtbot, app_services, audience, server, yes, monkeypatch
) -> None:
    from salon_desk.ui.clients.client_list_page import ClientListPage

    smtp_to(app_services, server.port, rate=300)  # one message every 0.2 s: the run takes about 4 s
    bus = DataBus()
    page = CampaignsPage(app_services, bus)
    clients = ClientListPage(app_services, bus)
    for widget in (page, clients):
        qtbot.addWidget(widget)
        widget.show()
    captured = {}

    def run_editor(dialog):
        fill_editor(qtbot, dialog, "Hallo {first_name}!")
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        captured["result"] = dialog.result()
        return dialog.result()

    monkeypatch.setattr(CampaignEditorDialog, "exec", run_editor)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert "Receives it: 20 clients." in yes[-1]
    runner = runner_for(app_services)
    campaign_id = page.chosen().id
    assert runner.is_running(campaign_id) and page.cancel_button.isEnabled()
    # the client list answers while the campaign is being sent
    qtbot.keyClicks(clients.search_edit, "Kundin5")
    qtbot.waitUntil(lambda: 0 < clients.model.count() < 22, timeout=10000)
    assert clients.model.client_id(0) == audience[4]
    assert runner.is_running(campaign_id)
    qtbot.waitUntil(lambda: page.progress.value() >= 7, timeout=10000)  # 2 skipped at once, then 5 sent
    # while it runs, the outbox rows and the campaign's counts follow the progress
    outbox = page.recipients_table.model()
    shown = [outbox.index(r, 2).data() for r in range(outbox.rowCount())]
    assert shown.count("sent") >= 5 and shown.count("skipped") == 2 and "queued" in shown
    assert [outbox.index(r, 3).data() for r in range(outbox.rowCount()) if shown[r] == "sent"][0].count(":") == 2
    row = page.model.row_of(campaign_id)
    qtbot.waitUntil(lambda: int(page.model.index(row, 3).data()) >= 5, timeout=3000)
    assert runner.is_running(campaign_id) and page.model.index(row, 1).data() == "not finished"
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not runner.is_running(campaign_id), timeout=10000)
    stopped = len(server.handler.delivered)
    assert 5 <= stopped < 20
    assert page.send_button.text().replace("&", "") == "Resume"
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not runner.is_running(campaign_id) and page.chosen().status == "done", timeout=20000)
    assert server.handler.count_by_address() == {f"k{i}@kunden.example": 1 for i in range(20)}
    assert page.progress.value() == page.progress.maximum() == 22
    table = page.recipients_table.model()
    states = {table.index(r, 2).data() for r in range(table.rowCount())}
    assert states == {"sent", "skipped"}
    skipped = [table.index(r, 3).data() for r in range(table.rowCount()) if table.index(r, 2).data() == "skipped"]
    assert sorted(skipped) == ["no address", "no consent"]
    row = page.model.row_of(campaign_id)
    assert page.model.index(row, 3).data() == "20" and page.model.index(row, 5).data() == "2"
    assert app_services.campaigns.get(campaign_id).count(RecipientState.SENT) == 20


def test_email_settings_tab_tests_the_server_and_says_where_the_password_is(qtbot, app_services, server) -> None:
    dialog = SettingsDialog(services=app_services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.business_name_edit, "Salon Sonne")
    panel = dialog.email_panel
    dialog.tabs.setCurrentWidget(panel)
    assert "file in the data folder that only your user account can read" in panel.password_hint.text()
    qtbot.keyClicks(panel.host_edit, "127.0.0.1")
    panel.security_combo.setCurrentIndex(2)
    panel.port_spin.setValue(server.port)
    qtbot.keyClicks(panel.sender_address_edit, "salon@sonne")
    ok = dialog.findChild(QDialogButtonBox, "").button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not an email address" in panel.errors.text("sender_address")
    assert dialog.tabs.currentWidget() is panel
    qtbot.keyClicks(panel.sender_address_edit, ".example")
    qtbot.keyClicks(panel.password_edit, "geheim")
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "accepted the test message" in panel.test_result.text(), timeout=5000)
    assert len(server.handler.delivered) == 1
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = app_services.smtp.load()
    assert (stored.host, stored.port, stored.sender_address) == ("127.0.0.1", server.port, "salon@sonne.example")
    assert app_services.smtp.password() == "geheim"


def test_the_client_lists_bulk_menu_writes_a_campaign_to_the_selection(qtbot, app_services, audience, server, yes,
                                                                        monkeypatch) -> None:
    from PySide6.QtWidgets import QPushButton

    from salon_desk.ui.clients.client_list_model import NAME
    from salon_desk.ui.clients.client_list_page import ClientListPage

    smtp_to(app_services, server.port)
    page = ClientListPage(app_services, DataBus())
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitUntil(lambda: page.model.count() == 22)
    for n, row in enumerate(range(3)):
        rect = page.view.visualRect(page.model.index(row, NAME))
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    chosen = page.selected_client_ids()
    seen = {}

    def run_editor(dialog):
        dialog.show()
        seen["audience"] = dialog.audience_combo.currentText()
        seen["counts"] = dialog.counts_label.text()
        qtbot.keyClicks(dialog.name_edit, "Auswahl")
        dialog.subject_edit.setText("Für Sie")
        dialog.body_edit.setPlainText("Hallo {first_name}")
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(CampaignEditorDialog, "exec", run_editor)
    button = page.findChild(QPushButton, "bulkActionsButton")
    action = next(a for a in button.menu().actions() if a.objectName() == "bulk_campaignAction")
    action.trigger()
    assert seen["audience"] == "Selected clients (3 clients)"
    [campaign] = app_services.campaigns.list()
    assert set(campaign.data.client_ids) == set(chosen)
    runner = runner_for(app_services)
    qtbot.waitUntil(lambda: not runner.is_running(campaign.id), timeout=5000)
    sent = {r.address for r in app_services.campaigns.recipients(campaign.id) if r.state == RecipientState.SENT}
    assert server.handler.count_by_address() == {address: 1 for address in sent}
    assert seen["counts"].startswith(f"Receives it: {len(sent)} client") and sent
