"""The daily closing: the open day's figures, the drawer counted by denomination or as a sum, the Z-report."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_money
from salon_desk.services.fiscal.closing import ClosingPreview, ClosingRecord, ClosingService
from salon_desk.services.fiscal.counting import DENOMINATIONS, DrawerCount, counted_cash, denomination_field
from salon_desk.services.fiscal.zreport import sales_rows, tse_rows, vat_rows
from salon_desk.ui.fiscal.zreport_printer import open_pdf, write_zreport
from salon_desk.ui.common.forms import FieldErrors, RememberedDialog
from salon_desk.ui.common.page_parts import confirm

Business = tuple[str, str, str]


class DailyClosingDialog(RememberedDialog):
    """Count the drawer, compare with the expected cash, close the day and save its Z-report."""

    sig_closed = Signal(object)
    """Emitted after the day is closed.

    Args:
        closing (ClosingRecord): the closing as stored.
    """

    def __init__(
        self,
        closings: ClosingService,
        business: Business,
        parent: QWidget | None = None,
        show_report: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dailyClosingDialog")
        self.closings, self.business, self.show_report = closings, business, show_report
        self.errors = FieldErrors()
        self.preview: ClosingPreview = closings.preview()
        self.closing: ClosingRecord | None = None
        self.report_path: Path | None = None
        self.setWindowTitle(_("Daily closing no. {number}").format(number=self.preview.number))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("closingSummaryLabel")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(self._count_box())
        layout.addLayout(self._result_form())
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(_("Close the &day"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setObjectName("closeDayButton")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelClosingButton")
        buttons.accepted.connect(self.close_day)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_summary()
        self.on_count_changed()
        self.restore()

    def _count_box(self) -> QGroupBox:
        box = QGroupBox(_("Counted cash"))
        column = QVBoxLayout(box)
        self.by_sum = QRadioButton(_("As a &sum"))
        self.by_sum.setObjectName("countBySumRadio")
        self.by_denomination = QRadioButton(_("By &denomination"))
        self.by_denomination.setObjectName("countByDenominationRadio")
        group = QButtonGroup(box)
        group.addButton(self.by_sum)
        group.addButton(self.by_denomination)
        self.by_sum.setChecked(True)
        self.total = QLineEdit()
        self.total.setObjectName("countedTotalEdit")
        column.addWidget(self.by_sum)
        column.addWidget(self.total)
        column.addWidget(self.errors.label_for("counted_total", self.total))
        column.addWidget(self.by_denomination)
        column.addWidget(self._denomination_grid())
        for widget in (self.total, *self.pieces.values()):
            widget.textChanged.connect(self.on_count_changed)
        self.by_sum.toggled.connect(self.on_count_changed)
        return box

    def _denomination_grid(self) -> QWidget:
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        self.pieces: dict[Decimal, QLineEdit] = {}
        for index, denomination in enumerate(DENOMINATIONS):
            edit = QLineEdit()
            edit.setObjectName(f"{denomination_field(denomination)}Edit")
            edit.setPlaceholderText(_("count"))
            edit.setMaximumWidth(70)
            row, column = divmod(index, 3)
            cell = QVBoxLayout()
            cell.addWidget(edit)
            cell.addWidget(self.errors.label_for(denomination_field(denomination), edit))
            grid.addWidget(QLabel(f"{format_money(denomination)} ×"), row, column * 2)
            grid.addLayout(cell, row, column * 2 + 1)
            self.pieces[denomination] = edit
        return grid_widget

    def _result_form(self) -> QFormLayout:
        form = QFormLayout()
        self.expected = QLabel(format_money(self.preview.totals.expected_cash))
        self.expected.setObjectName("expectedCashLabel")
        self.counted = QLabel()
        self.counted.setObjectName("countedCashLabel")
        self.difference = QLabel()
        self.difference.setObjectName("cashDifferenceLabel")
        form.addRow(_("Expected cash:"), self.expected)
        form.addRow(_("Counted cash:"), self.counted)
        form.addRow(_("Difference:"), self.difference)
        return form

    def _show_summary(self) -> None:
        totals = self.preview.totals
        rows = sales_rows(totals) + [(_("VAT {rate}").format(rate=r), g) for r, _n, _v, g in vat_rows(totals)]
        rows += tse_rows(totals)
        text = "<br>".join(f"{label}: <b>{value}</b>" for label, value in rows)
        if self.preview.pending:
            text += "<br>" + _("Receipts still waiting for the TSE: {numbers}").format(
                numbers=", ".join(str(n) for n in self.preview.pending)
            )
        self.summary.setText(text)

    def count(self) -> DrawerCount:
        """The count as typed: the sum, or the pieces per denomination."""
        if self.by_sum.isChecked():
            return DrawerCount(total=self.total.text())
        return DrawerCount(pieces={d: edit.text() for d, edit in self.pieces.items()})

    def on_count_changed(self) -> None:
        """Show the counted sum and the difference as the clerk types ('—' while the count is not valid)."""
        self.total.setEnabled(self.by_sum.isChecked())
        for edit in self.pieces.values():
            edit.setEnabled(self.by_denomination.isChecked())
        try:
            counted, _pieces = counted_cash(self.count())
        except SalonError:
            self.counted.setText("—")
            self.difference.setText("—")
            return
        self.counted.setText(format_money(counted))
        self.difference.setText(format_money(counted - self.preview.totals.expected_cash))

    def close_day(self) -> None:
        """Close the day after asking; save and show the Z-report; a wrong count is shown at its field."""
        self.errors.clear()
        question = _("Close the day now? Nothing about it can be changed afterwards.")
        if not confirm(self, _("Daily closing"), question):
            return
        try:
            self.closing = self.closings.close(self.count())
        except SalonError as error:
            self.errors.show(error, self)
            return
        self.report_path = write_zreport(self.closing, self.business)
        self.sig_closed.emit(self.closing)
        (self.show_report or open_pdf)(self.report_path)
        self.accept()
