"""A call list from the client list: one task per client, a printable PDF, and a CSV for managers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, ngettext
from salon_desk.services import Services
from salon_desk.services.marketing.bulk import CONFIRM_ABOVE
from salon_desk.services.marketing.tasks import CallList
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import FieldErrors, RememberedDialog, show_error
from salon_desk.ui.marketing.bulk_action_dialog import ListState, ScopeBox
from salon_desk.ui.marketing.call_list_printer import write_call_list_pdf
from salon_desk.ui.marketing.segment_editor_dialog import clients_text
from salon_desk.ui.common.page_parts import confirm


class CallListDialog(RememberedDialog):
    """Make the call list; afterwards it shows who was left out and offers the PDF and the CSV."""

    def __init__(self, services: Services, bus: DataBus, state: ListState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callListDialog")
        self.setWindowTitle(_("Call list"))
        self.services, self.bus = services, bus
        self.call_list: CallList | None = None
        self.pdf: Path | None = None
        self.errors = FieldErrors()
        self.scope = ScopeBox(services, state)
        self.title_edit = QLineEdit(_("Call back"))
        self.title_edit.setObjectName("callListTitleEdit")
        self.due_edit = QDateEdit(QDate.currentDate())
        self.due_edit.setObjectName("callListDueEdit")
        self.due_edit.setCalendarPopup(True)
        self.staff_combo = QComboBox()
        self.staff_combo.setObjectName("callListStaffCombo")
        self.staff_combo.addItem(_("— anyone —"), None)
        for member in services.staff.list(include_inactive=False):
            self.staff_combo.addItem(member.name, member.id)
        self.service_check = QCheckBox(_("Service call (e.g. a cancelled appointment): include clients without phone consent"))
        self.service_check.setObjectName("callListServiceCheck")
        self.summary = QLabel(_("For advertising calls, clients without phone consent are left out (UWG §7)."))
        self.summary.setObjectName("callListSummaryLabel")
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Clients:"), self.scope)
        self.errors.add_row(form, _("Task:"), "title", self.title_edit)
        form.addRow(_("Due on:"), self.due_edit)
        self.errors.add_row(form, _("For:"), "staff_id", self.staff_combo)
        form.addRow("", self.service_check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.create_button = self._button(_("&Create call list"), "createCallListButton", self.create_call_list)
        self.pdf_button = self._button(_("Open &PDF"), "callListPdfButton", self.open_pdf)
        self.csv_button = self._button(_("Save C&SV…"), "callListCsvButton", self.save_csv)
        self.pdf_button.setEnabled(False)
        self.csv_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.restore()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def create_call_list(self) -> None:
        """One task per client (asking first above 100), then the PDF."""
        count = self.scope.count()
        question = _("Create a call list for {clients}?").format(clients=clients_text(count))
        if count > CONFIRM_ABOVE and not confirm(self, _("Call list"), question):
            return
        value = self.due_edit.date()
        self.errors.clear()
        try:
            self.call_list = self.services.tasks.create_call_list(
                self.scope.target(), self.title_edit.text(), date(value.year(), value.month(), value.day()),
                self.staff_combo.currentData(), advertising=not self.service_check.isChecked(),
            )  # fmt: skip
        except SalonError as error:
            self.errors.show(error, self)
            return
        self.bus.publish(self.call_list.changes)
        self.pdf = write_call_list_pdf(self.call_list)
        self.summary.setText(self._summary(self.call_list))
        self.create_button.setEnabled(False)
        self.pdf_button.setEnabled(True)
        self.csv_button.setEnabled(allows(self.services.workstation.actor.role, Permission.EXPORT_CLIENTS))

    def _summary(self, call_list: CallList) -> str:
        lines = [ngettext("{n} task created.", "{n} tasks created.", len(call_list.rows)).format(n=len(call_list.rows))]
        if call_list.without_consent:
            lines.append(ngettext("{n} client left out without phone consent.", "{n} clients left out without phone consent.",
                                  call_list.without_consent).format(n=call_list.without_consent))  # fmt: skip
        if call_list.without_phone:
            lines.append(ngettext("{n} client left out without a phone number.", "{n} clients left out without a phone number.",
                                  call_list.without_phone).format(n=call_list.without_phone))  # fmt: skip
        return " ".join(lines)

    def open_pdf(self) -> None:
        """Show the PDF in the system's viewer, to print it."""
        if self.pdf is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf)))

    def save_csv(self) -> None:
        """Save the call list as CSV (managers: personal data leaves the system)."""
        if self.call_list is None:
            return
        name, _filter = QFileDialog.getSaveFileName(self, _("Save call list as CSV"), "call-list.csv", _("CSV files (*.csv)"))
        if not name:
            return
        try:
            self.services.tasks.write_call_list_csv(self.call_list, Path(name))
        except SalonError as error:
            show_error(self, error.message)

