"""A manager approves an action above someone's rights with their PIN and a reason."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.staff.approval import Approval, ApprovalPurpose, reasons_for
from salon_desk.services.staff.staff import REASON_MAX
from salon_desk.ui.common.forms import FieldErrors
from salon_desk.ui.staff.pin_edit import PinEdit

class ApprovalDialog(QDialog):
    """Manager, PIN and reason; after ``accept`` the approval is in ``self.approval``.

    The reasons offered depend on what is approved (a discount, a cancellation); a reason the
    clerk gave already (``reason``) stands in the field, so the manager need not type it again.
    """

    def __init__(
        self,
        services: Services,
        action_text: str,
        purpose: ApprovalPurpose,
        subject: str | int | Decimal,
        parent: QWidget | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("approvalDialog")
        self.services = services
        self.action_text = action_text
        self.purpose = purpose
        self.subject = subject
        self.approval: Approval | None = None
        self.errors = FieldErrors()
        self.setWindowTitle(_("Manager approval"))
        intro = QLabel(_("This needs a manager's approval:") + f"\n{action_text}")
        intro.setObjectName("approvalActionLabel")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_buttons())
        self.setMinimumWidth(420)
        self._load_managers()
        if reason:
            self.reason_combo.setEditText(reason)

    def _build_form(self) -> QFormLayout:
        self.manager_combo = QComboBox()
        self.manager_combo.setObjectName("approvalManagerCombo")
        self.pin_edit = PinEdit("approvalPinEdit")
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("approvalReasonCombo")
        self.reason_combo.setEditable(True)
        self.reason_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason_combo.addItems(reasons_for(self.purpose))
        self.reason_combo.setCurrentIndex(-1)
        self.reason_combo.lineEdit().setMaxLength(REASON_MAX)
        self.reason_combo.lineEdit().setPlaceholderText(_("Pick or type a reason"))
        form = QFormLayout()
        self.errors.add_row(form, _("&Manager:"), "manager", self.manager_combo)
        self.errors.add_row(form, _("Manager's &PIN:"), "pin", self.pin_edit)
        self.errors.add_row(form, _("&Reason:"), "reason", self.reason_combo)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.approve_button = QPushButton(_("&Approve"))
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setDefault(True)
        cancel = QPushButton(_("Cancel"))
        cancel.setObjectName("cancelApprovalButton")
        buttons.addButton(self.approve_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.approve_button.clicked.connect(self.approve_and_accept)
        cancel.clicked.connect(self.reject)
        return buttons

    def _load_managers(self) -> None:
        """Active managers; the signed-in person first if they are one."""
        current = self.services.workstation.actor.staff_id
        for manager in self.services.staff.managers():
            self.manager_combo.addItem(manager.name, manager.id)
            if manager.id == current:
                self.manager_combo.setCurrentIndex(self.manager_combo.count() - 1)
        self.approve_button.setEnabled(self.manager_combo.count() > 0)
        self.pin_edit.setFocus()

    def reason(self) -> str:
        """The reason picked or typed."""
        return self.reason_combo.currentText()

    def _missing(self) -> list[SalonError]:
        """Empty fields, in the form's order, named before the PIN is tried (a try may count as wrong)."""
        missing: list[SalonError] = []
        if not self.pin_edit.text().strip():
            missing.append(ValidationError(_("Please enter the manager's PIN."), "pin"))
        if not self.reason().strip():
            missing.append(ValidationError(_("Please pick or type a reason."), "reason"))
        return missing

    def approve_and_accept(self) -> None:
        """Check the manager's PIN and the reason; the approval is recorded in the log."""
        missing = self._missing()
        if missing:
            self.errors.show_all(missing, self)
            return
        try:
            self.approval = self.services.staff.approve(
                self.manager_combo.currentData(),
                self.pin_edit.text(),
                self.reason(),
                action=self.action_text,
                purpose=self.purpose,
                subject=self.subject,
            )
        except SalonError as exc:
            if exc.field == "pin":
                self.pin_edit.clear()
            self.errors.show(exc, self)
            return
        self.accept()
