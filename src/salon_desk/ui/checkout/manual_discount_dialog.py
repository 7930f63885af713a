"""A manual discount on one line or the whole sale: percentage and reason, with the clerk's limit in view."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _, format_percent
from salon_desk.pricing import ManualDiscount
from salon_desk.services.staff.approval import ApprovalPurpose, reasons_for
from salon_desk.ui.categories.discount_calculator import HINT_STYLE, parse_percent, percent_text
from salon_desk.ui.common.forms import FieldErrors, example_hint, grow_to_fit



class ManualDiscountDialog(QDialog):
    """Ask for a percentage (empty removes the discount) and a reason."""

    def __init__(
        self,
        target: str,
        staff_name: str,
        limit: Decimal | None,
        current: ManualDiscount | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("manualDiscountDialog")
        self.setWindowTitle(_("Manual discount"))
        self.staff_name = staff_name
        self.limit = limit
        self.discount: ManualDiscount | None = current
        self.errors = FieldErrors()
        self.percent_edit = QLineEdit(percent_text(current.percent) if current else "")
        self.percent_edit.setObjectName("manualPercentEdit")
        self.percent_edit.setMaxLength(8)
        self.percent_edit.setPlaceholderText(example_hint(percent_text(Decimal(10))))
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("manualReasonCombo")
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(reasons_for(ApprovalPurpose.MANUAL_DISCOUNT))
        self.reason_combo.setCurrentIndex(-1)
        self.reason_combo.setCurrentText(current.reason if current else "")
        self.reason_combo.lineEdit().setPlaceholderText(_("Pick or type a reason"))
        self.hint = QLabel()
        self.hint.setObjectName("manualLimitHint")
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.setWordWrap(True)
        self._build(target)
        self.percent_edit.textEdited.connect(self.update_hint)
        self.update_hint()

    def _build(self, target: str) -> None:
        form = QFormLayout()
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.percent_edit)
        column.addWidget(self.errors.label_for("percent", self.percent_edit))
        form.addRow(self._buddy(_("&Percentage:"), self.percent_edit), column)
        reason = QVBoxLayout()
        reason.setSpacing(2)
        reason.addWidget(self.reason_combo)
        reason.addWidget(self.errors.label_for("reason", self.reason_combo))
        form.addRow(self._buddy(_("&Reason:"), self.reason_combo), reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("okManualDiscountButton")
        buttons.accepted.connect(self.save_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(target)
        title.setObjectName("manualDiscountTarget")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def update_hint(self) -> None:
        """Say whether the typed percentage will need a manager's approval."""
        try:
            percent = self._percent()
        except ValidationError:
            percent = None
        if self.limit is None:
            text = ""
        elif percent is not None and percent > self.limit:
            text = _("Above your limit of {limit}: a manager approves it with their PIN when the sale is completed.")
        else:
            text = _("You may give up to {limit} without a manager's approval.")
        self.hint.setText(text.format(limit=format_percent(self.limit)) if self.limit is not None else "")
        self.hint.setVisible(bool(self.hint.text()))
        if self.hint.text():
            grow_to_fit(self.hint)

    def _percent(self) -> Decimal | None:
        text = self.percent_edit.text().strip()
        if not text:
            return None
        try:
            percent = parse_percent(text)
        except ValidationError as error:
            raise ValidationError(error.message, "percent") from None
        return percent if percent else None

    def _problems(self) -> list[SalonError]:
        """Everything wrong with the form, field by field (the percentage, then the reason)."""
        problems: list[SalonError] = []
        try:
            percent = self._percent()
        except SalonError as error:
            problems.append(error)
            percent = None
        given = bool(self.percent_edit.text().strip()) and (percent is not None or problems)
        if given and not self.reason():
            problems.append(ValidationError(_("Please pick or type a reason for the discount."), "reason"))
        return problems

    def reason(self) -> str:
        """The reason picked or typed, blanks tidied."""
        return " ".join(self.reason_combo.currentText().split())

    def save_and_accept(self) -> None:
        """Keep the discount (None when removed); stay open on wrong input."""
        problems = self._problems()
        if problems:
            self.errors.show_all(problems, self)
            return
        self.errors.clear()
        percent = self._percent()
        self.discount = None if percent is None else ManualDiscount(percent, self.staff_name, self.reason())
        self.accept()
