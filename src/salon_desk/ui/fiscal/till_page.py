"""The till's legal day: cash drawer, daily closing with its Z-report, past closings, DSFinV-K export, TSE."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from salon_desk.i18n import N_, _, format_money
from salon_desk.services import Changes, Services
from salon_desk.services.fiscal.closing import ClosingRecord, ClosingService
from salon_desk.services.fiscal.drawer import CashDrawerService
from salon_desk.services.fiscal.dsfinvk_export import DsfinvkExportService
from salon_desk.services.fiscal.tse_settings import TseSettingsService
from salon_desk.services.fiscal.zreport import when_text
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.fiscal.cash_movement_dialog import CashMovementDialog
from salon_desk.ui.fiscal.daily_closing_dialog import DailyClosingDialog
from salon_desk.ui.fiscal.dsfinvk_export_dialog import DsfinvkExportDialog
from salon_desk.ui.fiscal.zreport_printer import open_pdf, write_zreport
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import page_title, push_button
from salon_desk.ui.common.role_gate import gate

COLUMNS = (
    N_("No."),
    N_("Closed on"),
    N_("Receipts"),
    N_("Gross"),
    N_("Expected"),
    N_("Counted"),
    N_("Difference"),
    N_("TSE outages"),
)


class TillPage(QWidget):
    """Open the drawer and closing dialogs, list the closings, export them; managers set up the TSE."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tillPage")
        self.services, self.bus = services, bus
        self.drawer = CashDrawerService(services.db, services.workstation)
        self.closings = ClosingService(services.db, services.workstation)
        self.export = DsfinvkExportService(services.db, services.workstation)
        self.tse_settings = TseSettingsService(services.db, services.workstation)
        self.use_configured_tse()
        buttons = QHBoxLayout()
        for text, name, slot in (
            (_("Cash in / out…"), "openCashMovementButton", self.open_cash_movements),
            (_("Close the day…"), "openDailyClosingButton", self.open_daily_closing),
            (_("Z-report"), "zReportButton", self.show_zreport),
            (_("DSFinV-K export…"), "openDsfinvkExportButton", self.open_export),
        ):
            button = push_button(text, name, slot)
            buttons.addWidget(button)
        gate(button, Permission.EXPORT_FISCAL, services, bus)  # the last one: the export is for managers
        buttons.addStretch(1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("closingsTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(_("Till")))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.reload()

    def use_configured_tse(self) -> None:
        """The checkout signs with the TSE set up here (none until a manager sets one up)."""
        self.services.checkout.tse = self.tse_settings.adapter()

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        """Everyone sees fresh closings."""
        self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        """List the closings, newest first."""
        self.records: list[ClosingRecord] = self.closings.closings()
        self.table.setRowCount(len(self.records))
        for row, closing in enumerate(self.records):
            totals = closing.totals
            cells = (
                str(closing.number),
                when_text(closing.created_at),
                _receipts(totals.first_receipt, totals.last_receipt),
                format_money(totals.gross),
                format_money(closing.cash_expected),
                format_money(closing.cash_counted),
                format_money(closing.cash_difference),
                str(len(totals.outages)),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self.records:
            self.table.selectRow(0)

    def business(self) -> tuple[str, str, str]:
        """The salon as the Z-report names it."""
        info = self.services.checkout.business()
        return info.name, info.address, info.tax_number

    def open_cash_movements(self) -> CashMovementDialog:
        """The cash drawer dialog."""
        dialog = CashMovementDialog(self.drawer, self)
        dialog.sig_recorded.connect(lambda _m: self.bus.publish(Changes()))
        dialog.open()
        return dialog

    def open_daily_closing(self) -> DailyClosingDialog:
        """The daily closing dialog; the page lists the new closing once it is done."""
        dialog = DailyClosingDialog(self.closings, self.business(), self)
        dialog.sig_closed.connect(lambda _c: (self.reload(), self.bus.publish(Changes())))
        dialog.open()
        return dialog

    def show_zreport(self) -> None:
        """Save and show the selected closing's Z-report again."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.records):
            show_error(self, _("Choose a closing first."))
            return
        open_pdf(write_zreport(self.records[row], self.business()))

    def open_export(self) -> DsfinvkExportDialog | None:
        """The DSFinV-K export dialog (managers)."""
        if not allows(self.services.workstation.actor.role, Permission.EXPORT_FISCAL):
            show_error(self, _("Only a manager can export the till's records."))
            return None
        last = self.records[0].number if self.records else 1
        dialog = DsfinvkExportDialog(self.export, last, self)
        dialog.open()
        return dialog


def _receipts(first: int, last: int) -> str:
    """The receipt numbers a closing covers, or a dash when it covers none."""
    return f"{first}–{last}" if last >= first else "–"
