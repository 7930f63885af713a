"""Payment: cash (the amount given, checked, and the change) or card."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _, format_decimal, format_money, parse_decimal
from salon_desk.models import PaymentMethod
from salon_desk.services.checkout.checkout import Payment, settle
from salon_desk.ui.common.forms import FieldErrors


class PaymentPanel(QGroupBox):
    """Choose cash or card; for cash, type what the client hands over and see the change."""

    sig_changed = Signal()
    """Emitted when the method or the amount given changes."""

    sig_submitted = Signal()
    """Enter was pressed in the amount given: complete the sale if the cash suffices; no arguments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Payment"), parent)
        self.setObjectName("paymentPanel")
        self.total = Decimal("0.00")
        self.errors = FieldErrors()
        self.cash_radio = QRadioButton(_("C&ash"))
        self.cash_radio.setObjectName("cashRadio")
        self.card_radio = QRadioButton(_("Ca&rd"))
        self.card_radio.setObjectName("cardRadio")
        self.methods = QButtonGroup(self)
        self.methods.addButton(self.cash_radio)
        self.methods.addButton(self.card_radio)
        self.cash_radio.setChecked(True)
        self.given_edit = QLineEdit()
        self.given_edit.setObjectName("givenEdit")
        self.given_edit.setMaxLength(12)
        self.given_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.given_edit.setToolTip(_("The cash the client hands over; leave empty when paid exactly"))
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self._build()
        self.methods.buttonToggled.connect(self.on_method_toggled)
        self.given_edit.textEdited.connect(self.update_change)
        self.given_edit.returnPressed.connect(self.sig_submitted)

    def _build(self) -> None:
        methods = QHBoxLayout()
        methods.addWidget(self.cash_radio)
        methods.addWidget(self.card_radio)
        methods.addStretch(1)
        given = QVBoxLayout()
        given.setSpacing(2)
        given.addWidget(self.given_edit)
        self.given_error = self.errors.label_for("given", self.given_edit)
        given.addWidget(self.given_error)
        self.given_label = QLabel(_("&Given:"))
        self.given_label.setBuddy(self.given_edit)
        self.change_title = QLabel(_("Change:"))
        form = QFormLayout()
        form.addRow(self.given_label, given)
        form.addRow(self.change_title, self.change_label)
        layout = QVBoxLayout(self)
        layout.addLayout(methods)
        layout.addLayout(form)

    # -- state -------------------------------------------------------------------------

    def method(self) -> PaymentMethod:
        """Cash or card."""
        return PaymentMethod.CASH if self.cash_radio.isChecked() else PaymentMethod.CARD

    def set_total(self, total: Decimal) -> None:
        """The amount to pay; the change follows."""
        self.total = total
        # A hint, not a value: an empty field means the client pays exactly the total.
        self.given_edit.setPlaceholderText(_("exactly {amount}").format(amount=format_money(total)))
        self.update_change()

    def clear(self) -> None:
        """Back to cash with nothing typed, for the next sale."""
        self.cash_radio.setChecked(True)
        self.given_edit.clear()
        self.errors.clear()
        self.update_change()

    def given(self) -> Decimal | None:
        """The typed amount; None when empty; a ValidationError on field ``given`` when it is not money."""
        text = self.given_edit.text().strip()
        if not text:
            return None
        try:
            return parse_decimal(text)
        except ValueError:
            raise ValidationError(
                _("“{text}” is not an amount. Type the cash given, e.g. {example}.").format(
                    text=text, example=format_decimal(Decimal(50))
                ),
                "given",
            ) from None

    def payment(self) -> Payment:
        """The payment, checked against the total; a ValidationError on field ``given`` when wrong."""
        if self.method() is PaymentMethod.CARD:
            return Payment(PaymentMethod.CARD)
        payment = Payment(PaymentMethod.CASH, self.given())
        settle(payment, self.total)
        return payment

    def show_error(self, error: SalonError) -> None:
        """Show a refused payment next to the amount given."""
        self.errors.show(error, self)

    # -- reacting ------------------------------------------------------------------------

    def on_method_toggled(self) -> None:
        """The amount given only matters for cash."""
        cash = self.method() is PaymentMethod.CASH
        for widget in (self.given_edit, self.given_label, self.change_title, self.change_label):
            widget.setEnabled(cash)
        self.update_change()

    def update_change(self) -> None:
        """Show the change, or what is wrong with the amount given."""
        self.errors.clear()
        self.change_label.setText("")
        if self.method() is PaymentMethod.CARD:
            self.sig_changed.emit()
            return
        try:
            given, change = settle(Payment(PaymentMethod.CASH, self.given()), self.total)
        except ValidationError as error:
            if self.given_edit.text().strip():
                # Shown without FieldErrors.show(), which would pull the focus into the field while typing.
                self.given_error.setText(error.message)
                self.given_error.show()
        else:
            self.change_label.setText(format_money(change or Decimal("0.00")))
        self.sig_changed.emit()
