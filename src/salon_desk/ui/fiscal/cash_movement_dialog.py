"""The cash drawer: record the opening float, cash in and cash out with a reason; list the open drawer."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_money
from salon_desk.models import CashMovementKind
from salon_desk.services.fiscal.drawer import CashDrawerService, MovementRecord, kind_label
from salon_desk.ui.common.forms import FieldErrors, RememberedDialog


class CashMovementDialog(RememberedDialog):
    """Record cash movements one after another; each gets its number at once."""

    sig_recorded = Signal(object)
    """Emitted after a movement is recorded.

    Args:
        movement (MovementRecord): the movement as stored.
    """

    def __init__(self, drawer: CashDrawerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashMovementDialog")
        self.setWindowTitle(_("Cash drawer"))
        self.drawer = drawer
        self.errors = FieldErrors()
        self.kind = QComboBox()
        self.kind.setObjectName("cashMovementKindCombo")
        for kind in (CashMovementKind.CASH_IN, CashMovementKind.CASH_OUT, CashMovementKind.FLOAT):
            self.kind.addItem(kind_label(kind), kind)
        self.amount = QLineEdit()
        self.amount.setObjectName("cashAmountEdit")
        self.reason = QLineEdit()
        self.reason.setObjectName("cashReasonEdit")
        self.reason.setPlaceholderText(_("e.g. change from the bank, paid the window cleaner"))
        form = QFormLayout()
        form.addRow(_("&Kind:"), self.kind)
        self.errors.add_row(form, _("&Amount:"), "amount", self.amount)
        self.errors.add_row(form, _("&Reason:"), "reason", self.reason)
        self.status = QLabel()
        self.status.setObjectName("cashMovementStatusLabel")
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("cashMovementsTable")
        self.table.setHorizontalHeaderLabels([_("No."), _("Kind"), _("Amount"), _("Reason"), _("By")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox()
        record = buttons.addButton(_("&Record"), QDialogButtonBox.ButtonRole.ActionRole)
        record.setObjectName("recordCashMovementButton")
        record.setDefault(True)
        record.clicked.connect(self.record)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeCashMovementButton")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(_("Since the last closing:")))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.reload()
        self.restore()

    def reload(self) -> None:
        """Show the movements of the open drawer."""
        movements = self.drawer.open_movements()
        self.table.setRowCount(len(movements))
        for row, movement in enumerate(movements):
            cells = (
                str(movement.number),
                kind_label(movement.kind),
                _signed(movement),
                movement.reason,
                movement.staff_name,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def record(self) -> None:
        """Record the movement typed in; a refusal is shown next to its field and the typing stays."""
        self.errors.clear()
        try:
            movement = self.drawer.record(
                CashMovementKind(self.kind.currentData()),
                self.amount.text(),
                self.reason.text(),
            )
        except SalonError as error:
            self.errors.show(error, self)
            return
        self.amount.clear()
        self.reason.clear()
        self.status.setText(
            _("{kind} no. {number} recorded: {amount}.").format(
                kind=kind_label(movement.kind), number=movement.number, amount=format_money(movement.amount)
            )
        )
        self.reload()
        self.sig_recorded.emit(movement)


def _signed(movement: MovementRecord) -> str:
    sign = -1 if movement.kind is CashMovementKind.CASH_OUT else 1
    return format_money(movement.amount * sign)
