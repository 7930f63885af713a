"""The automations page (managers): the rules with their last run and failures, and the run log below."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_date
from salon_desk.services import Changes, Services
from salon_desk.services.automations.rules import Outcome, action_label, event_label, outcome_label
from salon_desk.services.automations.service import RuleRow, RunRow
from salon_desk.ui.automations.rule_editor import RuleEditorDialog
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import (
    ReloadWhenShown,
    confirm,
    header_row,
    hint_label,
    push_button,
    record_table,
    select_record,
    selected_records,
)
from salon_desk.ui.common.row_table_model import CHECK, NONE, Column, RowTableModel

FAILED = QColor("#C62828")


def when(moment: datetime | None) -> str:
    """A local date and time, e.g. 22.11.2026 14:05."""
    if moment is None:
        return NONE
    local = moment.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def status(row: RuleRow) -> str:
    """What the rules page says about a rule that needs attention."""
    if row.rule.failed:
        return _("Failed: {reason}").format(reason=row.rule.failure)
    if row.rule.needs == "campaign":
        return _("Needs an email campaign chosen")
    if row.rule.needs == "category":
        return _("Needs a category chosen")
    return ""


class RuleTableModel(RowTableModel):
    """Rules as rows; failed ones in red."""

    def __init__(self, parent: Any = None) -> None:
        columns = [
            Column(_("Rule"), lambda r: r.rule.name),
            Column(_("When"), lambda r: event_label(r.rule.event)),
            Column(_("Active"), lambda r: CHECK if r.rule.active else ""),
            Column(_("Last run"), lambda r: when(r.last_run), sort_key=lambda r: r.last_run or datetime.min),
            Column(_("Status"), status),
        ]
        super().__init__(columns, id_of=lambda r: r.id, muted=lambda r: not r.rule.active, parent=parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and self.record(index.row()).rule.failed:
            return QBrush(FAILED)
        return super().data(index, role)


class RunLogModel(RowTableModel):
    """Run-log lines, newest first."""

    def __init__(self, parent: Any = None) -> None:
        columns = [
            Column(_("When"), lambda r: when(r.at), sort_key=lambda r: -r.id),
            Column(_("Rule"), lambda r: r.rule_name),
            Column(_("Client"), lambda r: r.client_name or (f"#{r.client_id}" if r.client_id else NONE)),
            Column(_("Action"), lambda r: action_label(r.action)),
            Column(_("Outcome"), lambda r: outcome_label(r.outcome)),
            Column(_("Details"), lambda r: r.detail),
        ]
        # a bulk change's line stands once per client: line and client name a row
        super().__init__(columns, id_of=lambda r: (r.id, r.client_id), parent=parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and self.record(index.row()).outcome == Outcome.FAILED:
            return QBrush(FAILED)
        return super().data(index, role)


class AutomationsPage(ReloadWhenShown):
    """Rules: new, edit, switch on or off, delete; the run log filtered by rule and outcome."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("automationsPage")
        self.services, self.bus = services, bus
        self.model = RuleTableModel(self)
        self.table = record_table("automationRulesTable", self.model)
        self.log_model = RunLogModel(self)
        self.log_table = record_table("ruleRunLogTable", self.log_model, stretch_column=5)
        self.new_button = push_button(_("&New rule…"), "newRuleButton", self.new_rule)
        self.edit_button = push_button(_("&Edit…"), "editRuleButton", self.edit_rule)
        self.toggle_button = push_button(_("Switch &on"), "toggleRuleButton", self.toggle_rule)
        self.delete_button = push_button(_("&Delete"), "deleteRuleButton", self.delete_rule)
        self.rule_combo = QComboBox()
        self.rule_combo.setObjectName("runLogRuleCombo")
        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("runLogOutcomeCombo")
        self.outcome_combo.addItem(_("All outcomes"), None)
        for outcome in Outcome:
            self.outcome_combo.addItem(outcome_label(outcome), outcome)
        self._build()
        self.table.doubleClicked.connect(lambda _index: self.edit_rule())
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self.rule_combo.currentIndexChanged.connect(self.reload_log)
        self.outcome_combo.currentIndexChanged.connect(self.reload_log)
        bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _build(self) -> None:
        top = QWidget()
        rules = QVBoxLayout(top)
        rules.setContentsMargins(0, 0, 0, 0)
        buttons = (self.new_button, self.edit_button, self.toggle_button, self.delete_button)
        rules.addLayout(header_row(_("Automations"), *buttons))
        rules.addWidget(
            hint_label(_("When the event happens to a client who passes the filter, the actions run in order. "
                         "What the rules change starts no rule again."))
        )  # fmt: skip
        rules.addWidget(self.table, 1)
        bottom = QWidget()
        log = QVBoxLayout(bottom)
        log.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Run log")))
        filters.addStretch(1)
        filters.addWidget(self.rule_combo)
        filters.addWidget(self.outcome_combo)
        log.addLayout(filters)
        log.addWidget(self.log_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the rules and the run log again."""
        self._stale = False
        chosen = self._chosen()
        rows = self.services.automations.list()
        self.model.set_rows(rows)
        if chosen is not None:
            select_record(self.table, chosen.id)
        self._fill_rule_filter(rows)
        self.reload_log()
        self._enable()

    def _fill_rule_filter(self, rows: list[RuleRow]) -> None:
        current = self.rule_combo.currentData()
        self.rule_combo.blockSignals(True)
        self.rule_combo.clear()
        self.rule_combo.addItem(_("All rules"), None)
        for row in rows:
            self.rule_combo.addItem(row.rule.name, row.id)
        self.rule_combo.setCurrentIndex(max(self.rule_combo.findData(current), 0))
        self.rule_combo.blockSignals(False)

    def reload_log(self) -> None:
        """Read the run log for the chosen rule and outcome."""
        runs: list[RunRow] = self.services.automations.run_log(
            self.rule_combo.currentData(), self.outcome_combo.currentData()
        )
        self.log_model.set_rows(runs)

    def _chosen(self) -> RuleRow | None:
        records = selected_records(self.table)
        return records[0] if records else None  # type: ignore[return-value]

    def _enable(self) -> None:
        chosen = self._chosen()
        for button in (self.edit_button, self.toggle_button, self.delete_button):
            button.setEnabled(chosen is not None)
        active = chosen is not None and chosen.rule.active
        self.toggle_button.setText(_("Switch o&ff") if active else _("Switch &on"))

    # -- actions -------------------------------------------------------------------------

    def new_rule(self) -> RuleEditorDialog:
        """Open the rule editor for a new rule."""
        dialog = RuleEditorDialog(self.services, self.bus, None, self)
        dialog.open()
        return dialog

    def edit_rule(self) -> RuleEditorDialog | None:
        """Open the chosen rule in the editor."""
        chosen = self._chosen()
        if chosen is None:
            return None
        dialog = RuleEditorDialog(self.services, self.bus, self.services.automations.get(chosen.id), self)
        dialog.open()
        return dialog

    def toggle_rule(self) -> None:
        """Switch the chosen rule on or off (a rule that cannot work yet is refused, saying why)."""
        chosen = self._chosen()
        if chosen is None:
            return
        self._publish(lambda: self.services.automations.set_active(chosen.id, not chosen.rule.active))

    def delete_rule(self) -> None:
        """Delete the chosen rule after asking; its run-log lines stay."""
        chosen = self._chosen()
        if chosen is None:
            return
        question = _("Delete the rule “{name}”? Its lines in the run log stay.").format(name=chosen.rule.name)
        if confirm(self, _("Delete rule"), question):
            self._publish(lambda: self.services.automations.delete(chosen.id))

    def _publish(self, action: Any) -> None:
        try:
            changes = action()
        except SalonError as error:
            show_error(self, error.message)
            self.reload()
            return
        self.bus.publish(changes)

    def on_data_changed(self, changes: Changes) -> None:
        """Rules changed, or clients (whose changes may have run rules): read again."""
        if changes.automations or changes.touches_clients() or changes.categories or changes.groups:
            self.reload_now_or_when_shown()
