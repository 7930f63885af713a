"""The rule editor (managers): name, active, one event, an optional filter, and the actions in order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.services import Changes, Services
from salon_desk.services.automations.rules import (
    ActionData,
    CategoryMode,
    GroupMode,
    Rule,
    RuleData,
    RuleFilter,
    event_label,
)
from salon_desk.services.events import Event
from salon_desk.ui.automations.action_editor import ActionEditorDialog
from salon_desk.ui.automations.choices import Names, describe, fill
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import EditorDialog, FieldErrors
from salon_desk.ui.common.page_parts import hint_label, push_button

CATEGORY_EVENTS = (Event.CATEGORY_ASSIGNED, Event.CATEGORY_REMOVED)
NEEDS_TEXT = {
    "campaign": N_("This template sends an email: choose the email campaign whose subject and text go out in its action."),
    "category": N_("This template needs its categories: choose them in the filter and the actions."),
}


def _checklist(name: str, names: dict[int, str], chosen: tuple[int, ...]) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setMaximumHeight(90)
    for record_id, text in sorted(names.items(), key=lambda item: item[1].casefold()):
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if record_id in chosen else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> tuple[int, ...]:
    return tuple(
        widget.item(n).data(Qt.ItemDataRole.UserRole)
        for n in range(widget.count())
        if widget.item(n).checkState() == Qt.CheckState.Checked
    )


class RuleEditorDialog(EditorDialog):
    """Create or edit a rule; OK saves it through the services, a refusal is shown next to its field."""

    def __init__(self, services: Services, bus: DataBus, rule: Rule | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ruleEditorDialog")
        self.setWindowTitle(_("Edit rule") if rule else _("New rule"))
        self.services, self.bus, self.rule = services, bus, rule
        self.errors = FieldErrors()
        self.names = Names.load(services)
        self.actions: list[ActionData] = list(rule.actions) if rule else []
        self._build_fields(rule)
        self._build_layout(rule)
        self.on_event_changed()
        self.on_filter_changed()
        self._show_actions()
        self.restore()

    # -- building ----------------------------------------------------------------------

    def _widget(self, widget: QWidget, name: str) -> QWidget:
        widget.setObjectName(name)
        return widget

    def _build_fields(self, rule: Rule | None) -> None:
        self.name_edit = self._widget(QLineEdit(rule.name if rule else ""), "ruleNameEdit")
        self.active_check = self._widget(QCheckBox(_("Active")), "ruleActiveCheck")
        self.active_check.setChecked(bool(rule and rule.active))
        self.event_combo = self._widget(QComboBox(), "ruleEventCombo")
        self.event_combo.addItem(_("Choose an event…"), None)
        for event in Event:
            self.event_combo.addItem(event_label(event), event.value)
        self.event_combo.setCurrentIndex(max(self.event_combo.findData(rule.event.value if rule and rule.event else None), 0))
        param = rule.event_param if rule else None
        self.event_category_combo = self._widget(QComboBox(), "ruleEventCategoryCombo")
        fill(self.event_category_combo, self.names.categories, _("Any category"), param)
        self.event_group_combo = self._widget(QComboBox(), "ruleEventGroupCombo")
        fill(self.event_group_combo, self.names.groups, _("Any group"), param)
        self.event_days_edit = self._widget(QLineEdit(), "ruleEventDaysEdit")
        self.event_days_edit.setPlaceholderText(_("days"))
        if rule and rule.event is Event.NO_VISIT and param is not None:
            self.event_days_edit.setText(str(param))
        rule_filter = rule.filter if rule else RuleFilter()
        self.category_mode_combo = self._widget(QComboBox(), "ruleFilterCategoryModeCombo")
        for text, mode in (
            (_("Categories: no condition"), None), (_("holds any of"), CategoryMode.ANY),
            (_("holds all of"), CategoryMode.ALL), (_("holds none of"), CategoryMode.NONE),
        ):  # fmt: skip
            self.category_mode_combo.addItem(text, mode.value if mode else None)
        mode = rule_filter.category_mode
        self.category_mode_combo.setCurrentIndex(max(self.category_mode_combo.findData(mode.value if mode else None), 0))
        self.category_list = _checklist("ruleFilterCategoryList", self.names.categories, rule_filter.category_ids)
        self.group_mode_combo = self._widget(QComboBox(), "ruleFilterGroupModeCombo")
        for text, mode in (
            (_("Customer group: no condition"), None), (_("is one of"), GroupMode.ONE_OF), (_("has none"), GroupMode.NO_GROUP)
        ):  # fmt: skip
            self.group_mode_combo.addItem(text, mode.value if mode else None)
        group_mode = rule_filter.group_mode
        self.group_mode_combo.setCurrentIndex(max(self.group_mode_combo.findData(group_mode.value if group_mode else None), 0))
        self.group_list = _checklist("ruleFilterGroupList", self.names.groups, rule_filter.group_ids)
        self.actions_list = self._widget(QListWidget(), "ruleActionsList")
        self.actions_list.doubleClicked.connect(lambda _index: self.edit_action())

    def _build_layout(self, rule: Rule | None) -> None:
        form = QFormLayout()
        form.addRow(_("Name:"), self.with_error("name", self.name_edit))
        form.addRow("", self.active_check)
        event_row = QHBoxLayout()
        for widget in (self.event_combo, self.event_category_combo, self.event_group_combo, self.event_days_edit):
            event_row.addWidget(widget, 1)
        event_box = QVBoxLayout()
        event_box.addLayout(event_row)
        for field, widget in (
            ("event_days", self.event_days_edit), ("event_category", self.event_category_combo),
            ("event_group", self.event_group_combo),
        ):  # fmt: skip
            event_box.addWidget(self.errors.label_for(field, widget))
        form.addRow(_("When:"), self.with_error("event", self.event_combo, event_box))
        categories = QVBoxLayout()
        categories.addWidget(self.category_mode_combo)
        categories.addWidget(self.category_list)
        form.addRow(_("Only clients:"), self.with_error("filter_categories", self.category_mode_combo, categories))
        groups = QVBoxLayout()
        groups.addWidget(self.group_mode_combo)
        groups.addWidget(self.group_list)
        form.addRow("", self.with_error("filter_groups", self.group_mode_combo, groups))
        form.addRow(_("Then:"), self.with_error("actions", self.actions_list, self._actions_row()))
        layout = QVBoxLayout(self)
        if rule is not None and rule.needs in NEEDS_TEXT:
            layout.addWidget(hint_label(_(NEEDS_TEXT[rule.needs]), "ruleNeedsLabel"))
        if rule is not None and rule.failed:
            layout.addWidget(hint_label(_("An action failed: {reason}").format(reason=rule.failure), "ruleFailureLabel"))
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.ok_cancel_buttons("saveRuleButton", "cancelRuleButton"))
        self.event_combo.currentIndexChanged.connect(self.on_event_changed)
        self.category_mode_combo.currentIndexChanged.connect(self.on_filter_changed)
        self.group_mode_combo.currentIndexChanged.connect(self.on_filter_changed)
        self.actions_list.setMinimumHeight(110)
        self.resize(660, self.sizeHint().height())

    def _actions_row(self) -> QHBoxLayout:
        buttons = QVBoxLayout()
        for text, name, slot in (
            (_("&Add…"), "addActionButton", self.add_action), (_("&Edit…"), "editActionButton", self.edit_action),
            (_("&Remove"), "removeActionButton", self.remove_action), (_("Up"), "moveActionUpButton", self.move_up),
            (_("Down"), "moveActionDownButton", self.move_down),
        ):  # fmt: skip
            buttons.addWidget(push_button(text, name, slot))
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.actions_list, 1)
        row.addLayout(buttons)
        return row

    # -- reacting ----------------------------------------------------------------------

    def chosen_event(self) -> Event | None:
        """The chosen event, or None."""
        value = self.event_combo.currentData()
        return Event(value) if value else None

    def on_event_changed(self) -> None:
        """Show the event's own setting: its category, its group, or its days."""
        event = self.chosen_event()
        self.event_category_combo.setVisible(event in CATEGORY_EVENTS)
        self.event_group_combo.setVisible(event is Event.GROUP_CHANGED)
        self.event_days_edit.setVisible(event is Event.NO_VISIT)

    def on_filter_changed(self) -> None:
        """The lists of the filter are for choosing only when their condition is on."""
        self.category_list.setEnabled(self.category_mode() is not None)
        self.group_list.setEnabled(self.group_mode() is GroupMode.ONE_OF)

    def category_mode(self) -> CategoryMode | None:
        """How the filter reads its categories (None: no condition)."""
        value = self.category_mode_combo.currentData()
        return CategoryMode(value) if value else None

    def group_mode(self) -> GroupMode | None:
        """How the filter reads the customer group (None: no condition)."""
        value = self.group_mode_combo.currentData()
        return GroupMode(value) if value else None

    def _show_actions(self, current: int = -1) -> None:
        self.actions_list.clear()
        for n, action in enumerate(self.actions, start=1):
            self.actions_list.addItem(f"{n}. {describe(action, self.names)}")
        self.actions_list.setCurrentRow(current)

    def add_action(self) -> None:
        """Add an action at the end."""
        dialog = ActionEditorDialog(self.names, len(self.actions) + 1, None, self)
        if dialog.exec() and dialog.action is not None:
            self.actions.append(dialog.action)
            self._show_actions(len(self.actions) - 1)

    def edit_action(self) -> None:
        """Change the selected action."""
        row = self.actions_list.currentRow()
        if row < 0:
            return
        dialog = ActionEditorDialog(self.names, row + 1, self.actions[row], self)
        if dialog.exec() and dialog.action is not None:
            self.actions[row] = dialog.action
            self._show_actions(row)

    def remove_action(self) -> None:
        """Take the selected action out."""
        row = self.actions_list.currentRow()
        if row >= 0:
            del self.actions[row]
            self._show_actions(min(row, len(self.actions) - 1))

    def move_up(self) -> None:
        """Run the selected action one step earlier."""
        row = self.actions_list.currentRow()
        if row > 0:
            self.actions[row - 1], self.actions[row] = self.actions[row], self.actions[row - 1]
            self._show_actions(row - 1)

    def move_down(self) -> None:
        """Run the selected action one step later."""
        row = self.actions_list.currentRow()
        if 0 <= row < len(self.actions) - 1:
            self.actions[row + 1], self.actions[row] = self.actions[row], self.actions[row + 1]
            self._show_actions(row + 1)

    # -- saving ------------------------------------------------------------------------

    def data(self) -> RuleData:
        """The rule as the form shows it (days typed as text are checked here)."""
        event = self.chosen_event()
        param: int | None = None
        if event in CATEGORY_EVENTS:
            param = self.event_category_combo.currentData()
        elif event is Event.GROUP_CHANGED:
            param = self.event_group_combo.currentData()
        elif event is Event.NO_VISIT:
            text = self.event_days_edit.text().strip()
            try:
                param = int(text)
            except ValueError:
                raise ValidationError(_("Please enter the number of days without a visit."), "event_days") from None
        category_mode, group_mode = self.category_mode(), self.group_mode()
        rule_filter = RuleFilter(
            category_mode=category_mode,
            category_ids=_checked(self.category_list) if category_mode is not None else (),
            group_mode=group_mode,
            group_ids=_checked(self.group_list) if group_mode is GroupMode.ONE_OF else (),
        )
        return RuleData(self.name_edit.text(), event, param, rule_filter, tuple(self.actions), self.active_check.isChecked())

    def save(self) -> Changes:
        """Create or update the rule."""
        data = self.data()
        if self.rule is None:
            self.rule, changes = self.services.automations.create(data)
        else:
            self.rule, changes = self.services.automations.update(self.rule.id, self.rule.version, data)
        return changes
