"""The automations page and rule editor as a manager uses them, and the issue's whole flow through a real checkout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QTableView, QWidget
from pytestqt.qtbot import QtBot

from salon_desk.kinds import ItemKind
from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.services.automations.rules import ActionKind
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.events import Event
from salon_desk.ui.automations.action_editor import ActionEditorDialog
from salon_desk.ui.automations.automations_page import AutomationsPage
from salon_desk.ui.automations.rule_editor import RuleEditorDialog
from salon_desk.ui.checkout.checkout_window import CheckoutWindow
from salon_desk.ui.clients.client_card import ClientCardWindow
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.main_window import MainWindow

FIRST_SALE = "New client → regular client after the first sale"


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("salon_desk.ui.checkout.receipt_printer.show_preview", lambda receipt, pdf, parent: None)


def child(widget: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot: QtBot, widget: QWidget, name: str) -> None:
    qtbot.mouseClick(child(widget, name), Qt.MouseButton.LeftButton)


def table_rows(table: QTableView) -> list[list[str]]:
    model = table.model()
    return [
        [str(model.data(model.index(r, c)) or "") for c in range(model.columnCount())] for r in range(model.rowCount())
    ]


def select_row(table: QTableView, text: str) -> None:
    row = next(n for n, cells in enumerate(table_rows(table)) if cells[0] == text)
    table.selectRow(row)


def categories_on_card(card: ClientCardWindow) -> list[str]:
    widget = child(card, "clientCategoryList", QListWidget)
    return [widget.item(n).text() for n in range(widget.count())]  # type: ignore[attr-defined]


def sign_in(services: Services, role: Role, name: str) -> None:
    from helpers_staff import signed_in

    signed_in(services, role, name)


def test_the_first_sale_template_switched_on_makes_a_new_client_regular_at_the_checkout(
    qtbot: QtBot, app_services: Services
) -> None:
    cut = app_services.catalog.create_item(
        ItemData(name="Haircut", kind=ItemKind.SERVICE, price=Decimal("30.00"), vat_rate=Decimal("19"))
    )[0].id
    assert cut
    sign_in(app_services, Role.MANAGER, "Maria")
    window = MainWindow(app_services)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("automations")
    table = child(page, "automationRulesTable", QTableView)
    select_row(table, FIRST_SALE)
    click(qtbot, page, "toggleRuleButton")
    assert [r[2] for r in table_rows(table) if r[0] == FIRST_SALE] == ["✓"]

    newbie = app_services.clients.create(ClientData(first_name="Nina", last_name="Neu"))[0].id  # at the front desk
    sign_in(app_services, Role.CASHIER, "Cem")
    window.apply_role()
    card = ClientCardWindow(app_services, window.bus, newbie)
    qtbot.addWidget(card)
    card.show()
    assert categories_on_card(card) == ["New client"]

    checkout = window.open_checkout(newbie)
    assert isinstance(checkout, CheckoutWindow)
    search = child(checkout, "itemSearchEdit", QLineEdit)
    qtbot.keyClicks(search, "hairc")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.keyClicks(child(checkout, "givenEdit", QLineEdit), "50")
    click(qtbot, checkout, "completeSaleButton")

    assert categories_on_card(card) == ["Regular client"]  # the open card shows it at once
    titles = [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
    assert "Automations" not in titles  # the cashier does not see the rules

    sign_in(app_services, Role.MANAGER, "Mia")  # a manager reads the run log
    window.apply_role()
    window.show_page("automations")
    log = table_rows(child(page, "ruleRunLogTable", QTableView))
    assert [(r[1], r[2], r[3], r[4]) for r in reversed(log)] == [
        (FIRST_SALE, "Nina Neu", "Assign a category", "Done"),
        (FIRST_SALE, "Nina Neu", "Remove a category", "Done"),
    ]


def open_editor(qtbot: QtBot, services: Services) -> RuleEditorDialog:
    dialog = RuleEditorDialog(services, DataBus(), None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def error_of(dialog: QWidget, widget_name: str) -> str:
    label = child(dialog, f"{widget_name}Error", QLabel)
    return label.text() if label.isVisible() else ""


def test_the_editor_refuses_a_rule_without_event_without_action_or_with_n_at_most_zero(
    qtbot: QtBot, app_services: Services
) -> None:
    dialog = open_editor(qtbot, app_services)
    qtbot.keyClicks(child(dialog, "ruleNameEdit", QLineEdit), "Call the absent")
    click(qtbot, dialog, "saveRuleButton")
    assert error_of(dialog, "ruleEventCombo") == "Please choose the event that starts the rule."

    events = child(dialog, "ruleEventCombo", QComboBox)
    events.setCurrentIndex(events.findData(Event.NO_VISIT.value))
    days = child(dialog, "ruleEventDaysEdit", QLineEdit)
    assert days.isVisible()
    qtbot.keyClicks(days, "0")
    click(qtbot, dialog, "saveRuleButton")
    assert error_of(dialog, "ruleEventCombo") == ""
    assert error_of(dialog, "ruleEventDaysEdit").startswith("The number of days without a visit must be at least 1.")

    days.clear()
    qtbot.keyClicks(days, "60")
    click(qtbot, dialog, "saveRuleButton")
    assert error_of(dialog, "ruleActionsList") == "Please add at least one action."
    assert dialog.isVisible() and app_services.automations.list()[-1].rule.name != "Call the absent"

    def fill_action(action: QWidget) -> None:
        kinds = child(action, "actionKindCombo", QComboBox)
        kinds.setCurrentIndex(kinds.findData(ActionKind.CREATE_TASK.value))
        qtbot.keyClicks(child(action, "actionTitleEdit", QLineEdit), "Call back")
        qtbot.keyClicks(child(action, "actionDaysEdit", QLineEdit), "-2")
        click(qtbot, action, "actionOkButton")
        assert "0 (today) or more days" in child(action, "actionErrorLabel", QLabel).text()
        child(action, "actionDaysEdit", QLineEdit).clear()
        qtbot.keyClicks(child(action, "actionDaysEdit", QLineEdit), "2")
        click(qtbot, action, "actionOkButton")

    answer_action_dialog(qtbot, fill_action)
    click(qtbot, dialog, "addActionButton")
    actions = child(dialog, "ruleActionsList", QListWidget)
    assert actions.item(0).text() == "1. Create a task: “Call back” for anyone, due in 2 days"  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog, "saveRuleButton")
    saved = app_services.automations.list()
    made = next(r.rule for r in saved if r.rule.name == "Call the absent")
    assert (made.event, made.event_param, made.active, len(made.actions)) == (Event.NO_VISIT, 60, False, 1)


def test_the_birthday_template_gets_its_email_campaign_in_the_action_editor(qtbot: QtBot, app_services: Services) -> None:
    from salon_desk.models.campaign import AudienceKind
    from salon_desk.services.marketing.campaigns import CampaignData

    app_services.campaigns.create(CampaignData(name="Geburtstagsgruß", subject="Alles Gute, {first_name}!",
                                               body="10 % auf alles.", audience_kind=AudienceKind.SELECTION,
                                               client_ids=(1,)))
    birthday = next(r.rule for r in app_services.automations.list() if r.rule.template == "birthday")
    dialog = RuleEditorDialog(app_services, DataBus(), birthday, None)
    qtbot.addWidget(dialog)
    dialog.show()
    actions = child(dialog, "ruleActionsList", QListWidget)
    assert actions.item(0).text() == "1. Send an email template: (choose an email campaign)"  # type: ignore[attr-defined]
    needs = child(dialog, "ruleNeedsLabel", QLabel)
    assert "choose the email campaign" in needs.text()

    def choose(action: QWidget) -> None:
        assert child(action, "actionKindCombo", QComboBox).currentData() == ActionKind.SEND_EMAIL.value
        campaigns = child(action, "actionCampaignCombo", QComboBox)
        assert campaigns.isVisible() and not child(action, "actionTitleEdit", QLineEdit).isVisible()
        campaigns.setCurrentIndex(campaigns.findText("Geburtstagsgruß"))
        click(qtbot, action, "actionOkButton")

    actions.setCurrentRow(0)  # type: ignore[attr-defined]
    answer_action_dialog(qtbot, choose)
    click(qtbot, dialog, "editActionButton")
    assert actions.item(0).text() == "1. Send an email template: Geburtstagsgruß"  # type: ignore[attr-defined]
    child(dialog, "ruleActiveCheck").setChecked(True)  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog, "saveRuleButton")
    saved = app_services.automations.get(birthday.id)
    assert saved.active and saved.needs == "" and saved.actions[0].campaign_id is not None


def answer_action_dialog(qtbot: QtBot, handle) -> None:  # type: ignore[no-untyped-def]
    """Answer the action editor once it is open (it is modal)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ActionEditorDialog):
            QTimer.singleShot(10, answer)
            return
        handle(dialog)

    QTimer.singleShot(0, answer)


def test_a_failed_rule_is_flagged_on_the_page_and_the_log_filters_by_rule_and_outcome(
    qtbot: QtBot, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from automation_helpers import category, client, rule, set_category_list

    from salon_desk.services.automations.rules import ActionData

    gone, kept = category(app_services, "Gone"), category(app_services, "Kept")
    rule(app_services, "Broken", Event.CLIENT_CREATED, ActionData(ActionKind.ASSIGN_CATEGORY, category_id=gone))
    rule(app_services, "Fine", Event.CLIENT_CREATED, ActionData(ActionKind.ASSIGN_CATEGORY, category_id=kept))
    app_services.categories.delete(gone)
    anna = client(app_services, "Anna")
    set_category_list(app_services, anna, (kept,))
    page = AutomationsPage(app_services, DataBus())
    qtbot.addWidget(page)
    page.show()

    rules = {r[0]: r for r in table_rows(child(page, "automationRulesTable", QTableView))}
    assert rules["Broken"][4].startswith("Failed: The category of this action no longer exists.")
    assert rules["Fine"][4] == "" and rules["Birthday greeting"][4] == "Needs an email campaign chosen"
    log_table = child(page, "ruleRunLogTable", QTableView)
    assert {(r[1], r[4]) for r in table_rows(log_table)} == {("Broken", "Failed"), ("Fine", "Done")}
    outcomes = child(page, "runLogOutcomeCombo", QComboBox)
    outcomes.setCurrentIndex(outcomes.findText("Failed"))
    assert [(r[1], r[2], r[4]) for r in table_rows(log_table)] == [("Broken", "Anna Test", "Failed")]
    outcomes.setCurrentIndex(0)
    by_rule = child(page, "runLogRuleCombo", QComboBox)
    by_rule.setCurrentIndex(by_rule.findText("Fine"))
    assert [(r[1], r[4]) for r in table_rows(log_table)] == [("Fine", "Done")]

    select_row(child(page, "automationRulesTable", QTableView), "Birthday greeting")
    shown: list[str] = []
    monkeypatch.setattr(
        "salon_desk.ui.automations.automations_page.show_error", lambda parent, message: shown.append(message)
    )
    click(qtbot, page, "toggleRuleButton")
    assert shown and "email campaign" in shown[0]


def test_a_bulk_changes_log_shows_each_client_and_keeps_the_selection_on_its_row_when_sorted(
    qtbot: QtBot, app_services: Services
) -> None:
    from automation_helpers import category, client, rule

    from salon_desk.services.automations.rules import ActionData
    from salon_desk.services.marketing.bulk import Target

    y, x = category(app_services, "Y"), category(app_services, "X")
    rule(app_services, "Y → X", Event.CATEGORY_ASSIGNED, ActionData(ActionKind.ASSIGN_CATEGORY, category_id=x), param=y)
    ids = [client(app_services, name) for name in ("Berta", "Anna", "Cleo")]
    app_services.bulk.assign_category(Target.selection(ids), y)
    page = AutomationsPage(app_services, DataBus())
    qtbot.addWidget(page)
    page.show()

    log_table = child(page, "ruleRunLogTable", QTableView)
    assert sorted((r[1], r[2], r[3], r[4], r[5]) for r in table_rows(log_table)) == [
        ("Y → X", f"{name} Test", "Assign a category", "Done", "X") for name in ("Anna", "Berta", "Cleo")
    ]
    berta = next(n for n, cells in enumerate(table_rows(log_table)) if cells[2] == "Berta Test")
    log_table.selectRow(berta)
    log_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # by client
    assert [r[2] for r in table_rows(log_table)] == ["Anna Test", "Berta Test", "Cleo Test"]
    assert [index.row() for index in log_table.selectionModel().selectedRows()] == [1]  # still Berta's row


def test_the_desk_sends_the_queued_automation_emails_in_a_process_of_its_own(qtbot: QtBot, app_services: Services) -> None:
    import smtp_server
    from automation_helpers import category, client, rule, set_category_list
    from campaign_world import smtp_to

    from salon_desk.models.campaign import AudienceKind
    from salon_desk.services.automations.rules import ActionData
    from salon_desk.services.marketing.campaigns import CampaignData
    from salon_desk.ui.automations.daily_runner import DailyRunner

    with smtp_server.running() as server:
        smtp_to(app_services, server.port)
        gold = category(app_services, "Gold")
        campaign = app_services.campaigns.create(CampaignData(
            name="Gold", subject="Willkommen, {first_name}", body="Schön!", audience_kind=AudienceKind.SELECTION,
            client_ids=(1,)))[0].id
        rule(app_services, "Gold mail", Event.CATEGORY_ASSIGNED,
             ActionData(ActionKind.SEND_EMAIL, campaign_id=campaign), param=gold)
        anna = client(app_services, "Anna", email="anna@kunden.example", email_consent=True)
        bus = DataBus()
        runner = DailyRunner(app_services, bus)
        assert not runner.send_emails()  # nothing waits
        set_category_list(app_services, anna, (gold,))
        assert runner.send_emails()
        assert not runner.send_emails()  # one sender at a time
        runner.wait()
        qtbot.waitUntil(lambda: runner.sender is None, timeout=10_000)
        assert server.handler.count_by_address() == {"anna@kunden.example": 1}
        assert not app_services.automations.emails_waiting()
        runner.stop()
        runner.deleteLater()  # gone before the next test: no timer of it fires there
        qtbot.wait(50)


def test_the_desk_counts_the_last_years_sales_per_client_when_a_day_begins(qtbot: QtBot, app_services: Services) -> None:
    """The runner's tick has the year counted in a thread; a segment on the last year then reads that count."""
    from datetime import date

    from salon_desk.services.clients import sales_year
    from salon_desk.ui.automations.daily_runner import DailyRunner

    runner = DailyRunner(app_services, DataBus())
    with app_services.db.engine.connect() as connection:
        assert sales_year.counted_for(connection) is None
    runner.run()
    assert runner.counting is not None
    runner.counting.join(10)
    with app_services.db.engine.connect() as connection:
        assert sales_year.counted_for(connection) == date.today()
    assert not app_services.segments.refresh_sales_year()  # counted once a day
    runner.stop()
    runner.deleteLater()
    qtbot.wait(50)
