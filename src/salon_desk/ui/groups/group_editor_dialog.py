"""The customer-group editor: name, description, self-assignment and its optional password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.services import Changes, Services
from salon_desk.services.groups.groups import MIN_PASSWORD, NAME_MAX, GroupData, GroupInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import EditorDialog, FieldErrors
from salon_desk.ui.common.page_parts import hint_label


class GroupEditorDialog(EditorDialog):
    """Create or edit a group; the password is only ever typed, never shown (a 'set' indicator instead)."""

    def __init__(
        self, services: Services, bus: DataBus, group: GroupInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("groupEditorDialog")
        self.services = services
        self.bus = bus
        self.group = group
        self.saved_group: GroupInfo | None = None
        self.errors = FieldErrors()
        self._has_password = group.has_password if group else False
        self._remove_password = False
        self.setWindowTitle(_("New group") if group is None else _("Edit group “{name}”").format(name=group.name))
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form())
        layout.addStretch(1)
        layout.addWidget(self._build_buttons())
        self._load(group)
        self.setMinimumWidth(480)
        self.restore()

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("groupNameEdit")
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText(_("e.g. Company Müller staff"))
        form.addRow(_("&Name:"), self.with_error("name", self.name_edit))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("groupDescriptionEdit")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form.addRow(_("&Description:"), self.description_edit)
        self.self_assign_check = QCheckBox(_("Clients may &join this group themselves at the check-in screen"))
        self.self_assign_check.setObjectName("groupSelfAssignCheck")
        self.self_assign_check.toggled.connect(self.update_password_state)
        form.addRow("", self.self_assign_check)
        form.addRow(_("Password:"), self._build_password_box())
        return form

    def _build_password_box(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.password_status = QLabel()
        self.password_status.setObjectName("groupPasswordStatus")
        self.password_status.setWordWrap(True)
        self.password_button = QPushButton()
        self.password_button.setObjectName("groupPasswordButton")
        self.password_button.clicked.connect(self.start_password_entry)
        self.remove_password_button = QPushButton(_("&Remove password"))
        self.remove_password_button.setObjectName("removePasswordButton")
        self.remove_password_button.clicked.connect(self.remove_password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.password_button)
        buttons.addWidget(self.remove_password_button)
        buttons.addStretch(1)
        self.password_edit = self._password_field("groupPasswordEdit", _("New password"))
        self.repeat_edit = self._password_field("groupPasswordRepeatEdit", _("Repeat the new password"))
        for widget in (self.password_status, self.password_edit, self.repeat_edit):
            column.addWidget(widget)
        column.addLayout(buttons)
        column.addWidget(self.errors.label_for("password", self.password_edit))
        column.addWidget(
            hint_label(_("At least {min} characters. Stored only as a salted hash.").format(min=MIN_PASSWORD))
        )
        return box

    def _password_field(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText(placeholder)
        edit.hide()
        return edit

    def _build_buttons(self) -> QDialogButtonBox:
        return self.ok_cancel_buttons("saveGroupButton", "cancelGroupButton")

    def _load(self, group: GroupInfo | None) -> None:
        if group is not None:
            self.name_edit.setText(group.name)
            self.description_edit.setPlainText(group.description)
            self.self_assign_check.setChecked(group.self_assignable)
        self.update_password_state()

    # -- password -------------------------------------------------------------------

    def entering_password(self) -> bool:
        """True while the new-password fields are open."""
        return not self.password_edit.isHidden()

    def start_password_entry(self) -> None:
        """Open the fields for a new password (set or change)."""
        self._remove_password = False
        self.password_edit.show()
        self.repeat_edit.show()
        self.password_edit.setFocus()
        self.update_password_state()

    def remove_password(self) -> None:
        """Mark the password for removal on save (or close the fields of a new one)."""
        self._remove_password = self._has_password
        for edit in (self.password_edit, self.repeat_edit):
            edit.clear()
            edit.hide()
        self.update_password_state()

    def update_password_state(self) -> None:
        """Say whether a password is set, will change or will be removed; never show it."""
        self.password_status.setText(self._password_text())
        self.password_button.setText(_("&Change password…") if self._has_password else _("&Set password…"))
        self.password_button.setVisible(not self.entering_password())
        self.remove_password_button.setVisible(
            self.entering_password() or (self._has_password and not self._remove_password)
        )
        enabled = self.self_assign_check.isChecked()
        for widget in (self.password_button, self.remove_password_button, self.password_edit, self.repeat_edit):
            widget.setEnabled(enabled)

    def _password_text(self) -> str:
        if not self.self_assign_check.isChecked():
            return _("Only needed when clients may join themselves.")
        if self.entering_password():
            return _("Type the new password twice; it is saved with the group.")
        if self._remove_password:
            return _("The password will be removed when you save: anyone at the check-in screen can join.")
        if self._has_password:
            return _("A password is set. Clients must enter it to join.")
        return _("No password: anyone at the check-in screen can join.")

    def _password_value(self) -> str | None:
        """The password for the service: None keeps the current one, '' removes it."""
        if self.entering_password():
            if self.password_edit.text() != self.repeat_edit.text():
                raise ValidationError(_("The two passwords are not the same. Please type them again."), "password")
            if not self.password_edit.text():
                raise ValidationError(_("Please type the new password, or choose “Remove password”."), "password")
            return self.password_edit.text()
        return "" if self._remove_password else None

    # -- saving ---------------------------------------------------------------------

    def data(self) -> GroupData:
        """What the form holds; a ValidationError when the password fields disagree."""
        return GroupData(
            name=self.name_edit.text(),
            description=self.description_edit.toPlainText(),
            self_assignable=self.self_assign_check.isChecked(),
            password=self._password_value(),
        )

    def save(self) -> Changes:
        """Create or update the group."""
        data = self.data()
        if self.group is None:
            self.saved_group, changes = self.services.groups.create(data)
        else:
            self.saved_group, changes = self.services.groups.update(self.group.id, self.group.version, data)
        return changes
