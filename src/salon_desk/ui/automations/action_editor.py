"""One action of a rule: its kind and what it needs (category, group, staff member, days, task title, campaign)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _
from salon_desk.services.automations.rules import ActionData, ActionKind, action_label, check_action
from salon_desk.ui.automations.choices import Names, fill
from salon_desk.ui.common.forms import ERROR_STYLE, RememberedDialog


class ActionEditorDialog(RememberedDialog):
    """Choose what the action does; OK checks it and keeps it as ``action``."""

    def __init__(self, names: Names, number: int, action: ActionData | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("actionEditorDialog")
        self.setWindowTitle(_("Action {n}").format(n=number))
        self.number = number
        self.action = action
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("actionKindCombo")
        for kind in ActionKind:
            self.kind_combo.addItem(action_label(kind), kind.value)
        self.category_combo = self._combo("actionCategoryCombo")
        fill(self.category_combo, names.categories, None, action.category_id if action else None)
        self.group_combo = self._combo("actionGroupCombo")
        fill(self.group_combo, names.groups, _("No group"), action.group_id if action else None)
        self.staff_combo = self._combo("actionStaffCombo")
        fill(self.staff_combo, names.staff, _("Anyone"), action.staff_id if action else None)
        self.campaign_combo = self._combo("actionCampaignCombo")
        fill(self.campaign_combo, names.campaigns, None, action.campaign_id if action else None)
        self.days_edit = QLineEdit()
        self.days_edit.setObjectName("actionDaysEdit")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("actionTitleEdit")
        self.error_label = QLabel()
        self.error_label.setObjectName("actionErrorLabel")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self._build()
        if action is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(action.kind.value))
            self.days_edit.setText("" if action.days is None else str(action.days))
            self.title_edit.setText(action.title)
        self.kind_combo.currentIndexChanged.connect(self.on_kind_changed)
        self.on_kind_changed()
        self.restore()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        return combo

    def _build(self) -> None:
        self.form = QFormLayout()
        self.form.addRow(_("Action:"), self.kind_combo)
        self.form.addRow(_("Category:"), self.category_combo)
        self.form.addRow(_("Customer group:"), self.group_combo)
        self.form.addRow(_("Task:"), self.title_edit)
        self.form.addRow(_("For:"), self.staff_combo)
        self.form.addRow(_("Email campaign:"), self.campaign_combo)
        self.days_label = QLabel()
        self.form.addRow(self.days_label, self.days_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("actionOkButton")
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.error_label.hide()

    def kind(self) -> ActionKind:
        """The chosen kind of action."""
        return ActionKind(self.kind_combo.currentData())

    def on_kind_changed(self) -> None:
        """Show only the fields the chosen kind needs."""
        kind = self.kind()
        shown = {
            self.category_combo: kind in (ActionKind.ASSIGN_CATEGORY, ActionKind.REMOVE_CATEGORY),
            self.group_combo: kind is ActionKind.SET_GROUP,
            self.title_edit: kind is ActionKind.CREATE_TASK,
            self.staff_combo: kind is ActionKind.CREATE_TASK,
            self.campaign_combo: kind is ActionKind.SEND_EMAIL,
            self.days_edit: kind in (ActionKind.ASSIGN_CATEGORY, ActionKind.CREATE_TASK),
        }
        for widget, visible in shown.items():
            self.form.setRowVisible(widget, visible)
        if kind is ActionKind.ASSIGN_CATEGORY:
            self.days_label.setText(_("Valid for days:"))
            self.days_edit.setPlaceholderText(_("empty: no end"))
        else:
            self.days_label.setText(_("Due in days:"))
            self.days_edit.setPlaceholderText(_("0: today"))

    def read(self) -> ActionData:
        """The action as typed, or a ValidationError saying what is wrong."""
        kind = self.kind()
        text = self.days_edit.text().strip()
        try:
            days = int(text) if text else None
        except ValueError:
            raise ValidationError(_("Please enter the number of days as a whole number."), "days") from None
        action = ActionData(
            kind=kind,
            category_id=self.category_combo.currentData() if kind in (ActionKind.ASSIGN_CATEGORY, ActionKind.REMOVE_CATEGORY) else None,
            group_id=self.group_combo.currentData() if kind is ActionKind.SET_GROUP else None,
            staff_id=self.staff_combo.currentData() if kind is ActionKind.CREATE_TASK else None,
            days=days if kind in (ActionKind.ASSIGN_CATEGORY, ActionKind.CREATE_TASK) else None,
            title=self.title_edit.text() if kind is ActionKind.CREATE_TASK else "",
            campaign_id=self.campaign_combo.currentData() if kind is ActionKind.SEND_EMAIL else None,
        )
        return check_action(action, self.number)

    def check_and_accept(self) -> None:
        """Keep the action and close, or say what is wrong and stay open."""
        try:
            self.action = self.read()
        except SalonError as error:
            self.error_label.setText(error.message)
            self.error_label.show()
            return
        self.accept()
