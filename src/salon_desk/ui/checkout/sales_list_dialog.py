"""Past sales: newest first, filtered by date or receipt number; reprint a receipt or cancel a sale."""

from __future__ import annotations

from decimal import Decimal

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_date, format_money
from salon_desk.services import Changes, Services
from salon_desk.services.checkout.checkout import SaleFilter, SaleSummary
from salon_desk.services.checkout.receipt import build_receipt, payment_label
from salon_desk.services.staff.approval import Approval, ApprovalPurpose
from salon_desk.ui.checkout import receipt_printer
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import ERROR_STYLE, RememberedDialog

ID_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_DAYS = 30
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def ask_approval(
    services: Services,
    action_text: str,
    purpose: ApprovalPurpose,
    subject: str | int | Decimal,
    parent: QWidget | None,
    reason: str = "",
) -> Approval | None:
    """A manager's approval (PIN and reason, ``reason`` filled in) of ``purpose`` for ``subject``; None if cancelled."""
    from salon_desk.ui.staff.approval_dialog import ApprovalDialog

    dialog = ApprovalDialog(services, action_text, purpose, subject, parent, reason)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    approval = dialog.approval
    return approval if isinstance(approval, Approval) else None


def _status(row: SaleSummary) -> str:
    if row.reverses_number is not None:
        return _("cancels no. {number}").format(number=row.reverses_number)
    if row.reversed_by_number is not None:
        return _("cancelled by no. {number}").format(number=row.reversed_by_number)
    return ""


def _refusal(row: SaleSummary) -> str:
    """Why the sale cannot be cancelled ('' when it can), known before asking a manager."""
    if row.reverses_number is not None:
        return _("Receipt no. {number} is itself a cancellation and cannot be cancelled.").format(number=row.number)
    if row.reversed_by_number is not None:
        return _("Receipt no. {number} was already cancelled by receipt no. {other}.").format(
            number=row.number, other=row.reversed_by_number
        )
    return ""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class SalesListDialog(RememberedDialog):
    """The sales of a date range; Reprint shows a receipt again, Cancel writes its reversal."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("salesListDialog")
        self.setWindowTitle(_("Past sales"))
        self.services = services
        self.bus = bus
        self.rows: list[SaleSummary] = []
        self.preview: QDialog | None = None
        self._build()
        self.reload()
        self.resize(860, 520)
        self.restore()

    def _build(self) -> None:
        today = date.today()
        self.from_edit = self._date_edit("salesFromDate", today - timedelta(days=DEFAULT_DAYS))
        self.to_edit = self._date_edit("salesToDate", today)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("salesNumberEdit")
        self.number_edit.setPlaceholderText(_("Receipt no."))
        self.number_edit.setMaximumWidth(120)
        self.number_edit.textEdited.connect(self.reload)
        filters = QHBoxLayout()
        for label, widget in ((_("From:"), self.from_edit), (_("To:"), self.to_edit), (_("No.:"), self.number_edit)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("salesTable")
        self.table.setHorizontalHeaderLabels(
            [_("No."), _("Date"), _("Client"), _("Served by"), _("Payment"), _("Total"), _("Status")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.reprint)
        self.message_label = QLabel()
        self.message_label.setObjectName("salesMessageLabel")
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(self._buttons())

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.dateChanged.connect(self.reload)
        return edit

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, name, slot in (
            (_("&Reprint receipt"), "reprintSaleButton", self.reprint),
            (_("&Cancel sale…"), "cancelSaleButton", self.cancel_sale),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton(_("Close"))
        close.setObjectName("closeSalesButton")
        close.clicked.connect(self.reject)
        row.addWidget(close)
        return row

    # -- content ----------------------------------------------------------------------

    def _filter(self) -> SaleFilter:
        number = self.number_edit.text().strip()
        return SaleFilter(
            date_from=self.from_edit.date().toPython(),
            date_to=self.to_edit.date().toPython(),
            number=int(number) if number.isdigit() else None,
        )

    def reload(self) -> None:
        """Fetch the sales matching the filters."""
        self.rows = self.services.checkout.list_sales(self._filter())
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            moment = row.completed_at.astimezone()
            cells = (
                str(row.number),
                f"{format_date(moment.date())} {moment.strftime('%H:%M')}",
                row.client_name or _("(no client)"),
                row.staff_name,
                payment_label(row.payment_method),
                format_money(row.total_gross),
                _status(row),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, row.id)
                if column in (0, 5):
                    cell.setTextAlignment(RIGHT)
                self.table.setItem(index, column, cell)
        if self.rows:
            self.table.selectRow(0)

    def selected(self) -> SaleSummary | None:
        """The sale under the cursor."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    # -- actions ------------------------------------------------------------------------

    def reprint(self) -> None:
        """Show the stored receipt again (as it was sold), ready to print."""
        summary = self.selected()
        if summary is None:
            return
        sale = self.services.checkout.get_sale(summary.id)
        receipt = build_receipt(sale, self.services.checkout.business(), copy=True)
        pdf = receipt_printer.write_pdf(receipt)
        self.preview = receipt_printer.show_preview(receipt, pdf, self)

    def cancel_sale(self) -> None:
        """Cancel the selected sale with a manager's approval; its reversal's receipt is shown."""
        summary = self.selected()
        if summary is None:
            return
        self.message_label.setText(_refusal(summary))
        if self.message_label.text():
            return
        question = _("Cancel receipt no. {number} over {total}? A reversing receipt is written; nothing is deleted.")
        answer = QMessageBox.question(
            self, _("Cancel sale"), question.format(number=summary.number, total=format_money(summary.total_gross))
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        action = _("Cancel receipt no. {number}").format(number=summary.number)
        approval = ask_approval(self.services, action, ApprovalPurpose.CANCEL_SALE, summary.id, self)
        if approval is None:
            return
        try:
            reversal = self.services.checkout.cancel(summary.id, approval)
        except SalonError as error:
            self.message_label.setText(error.message)
            self.reload()
            return
        self.bus.publish(Changes(clients=frozenset({reversal.client_id}) if reversal.client_id else frozenset()))
        self.reload()
        receipt = build_receipt(reversal, self.services.checkout.business())
        self.preview = receipt_printer.show_preview(receipt, receipt_printer.write_pdf(receipt), self)
