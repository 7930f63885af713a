"""One bulk action on the client list: the selection or the whole list, its count first, a confirmation above 100."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import N_, _
from salon_desk.services import Services
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.marketing.bulk import CONFIRM_ABOVE, BulkResult, Target
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import FieldErrors, RememberedDialog, show_error
from salon_desk.ui.marketing.segment_editor_dialog import clients_text
from salon_desk.ui.common.page_parts import confirm


class BulkKind(StrEnum):
    """The bulk actions of the client list."""

    ASSIGN_CATEGORY = "assign_category"
    REMOVE_CATEGORY = "remove_category"
    SET_GROUP = "set_group"
    ADD_RECIPIENTS = "add_recipients"
    EXPORT_CSV = "export_csv"
    UNSUBSCRIBE = "unsubscribe"


TITLES = {
    BulkKind.ASSIGN_CATEGORY: N_("Assign a category"),
    BulkKind.REMOVE_CATEGORY: N_("Remove a category"),
    BulkKind.SET_GROUP: N_("Set the customer group"),
    BulkKind.ADD_RECIPIENTS: N_("Add to a recipient group"),
    BulkKind.EXPORT_CSV: N_("Export as CSV"),
    BulkKind.UNSUBSCRIBE: N_("Mark as unsubscribed"),
}
QUESTIONS = {
    BulkKind.ASSIGN_CATEGORY: N_("Give the category “{choice}” to {clients}?"),
    BulkKind.REMOVE_CATEGORY: N_("Take the category “{choice}” from {clients}?"),
    BulkKind.SET_GROUP: N_("Put {clients} into the customer group “{choice}”?"),
    BulkKind.ADD_RECIPIENTS: N_("Add {clients} to the recipient group “{choice}”?"),
    BulkKind.EXPORT_CSV: N_("Export {clients} with their contact details as a CSV file?"),
    BulkKind.UNSUBSCRIBE: N_("Mark {clients} as unsubscribed from email? This withdraws their email consent."),
}
NO_CHOICE = (BulkKind.EXPORT_CSV, BulkKind.UNSUBSCRIBE)


@dataclass(frozen=True)
class ListState:
    """What the client list shows when the action starts: its selection and its query."""

    selected: tuple[int, ...]
    query: ClientListQuery


class ScopeBox(QWidget):
    """The selected clients or every client in the list, each with its count."""

    def __init__(self, services: Services, state: ListState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.whole_count = services.bulk.count(Target.whole_list(state.query))
        self.selection_radio = QRadioButton(_("the selected clients ({clients})").format(clients=clients_text(len(state.selected))))
        self.selection_radio.setObjectName("bulkScopeSelectionRadio")
        self.list_radio = QRadioButton(_("all clients in the list ({clients})").format(clients=clients_text(self.whole_count)))
        self.list_radio.setObjectName("bulkScopeListRadio")
        self.selection_radio.setEnabled(bool(state.selected))
        (self.selection_radio if state.selected else self.list_radio).setChecked(True)
        line = QVBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.selection_radio)
        line.addWidget(self.list_radio)

    def target(self) -> Target:
        """The clients chosen."""
        if self.selection_radio.isChecked():
            return Target.selection(self.state.selected)
        return Target.whole_list(self.state.query)

    def count(self) -> int:
        """How many clients the chosen scope holds."""
        return len(self.state.selected) if self.selection_radio.isChecked() else self.whole_count


class BulkActionDialog(RememberedDialog):
    """Choose the clients and the category, group or list; the action runs on OK."""

    def __init__(self, services: Services, bus: DataBus, kind: BulkKind, state: ListState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkActionDialog")
        self.setWindowTitle(_(TITLES[kind]))
        self.services, self.bus, self.kind = services, bus, kind
        self.bulk_result: BulkResult | None = None
        self.exported: Path | None = None
        self.errors = FieldErrors()
        self.scope = ScopeBox(services, state)
        self.count_label = QLabel()
        self.count_label.setObjectName("bulkCountLabel")
        form = QFormLayout()
        form.addRow(_("Clients:"), self.scope)
        self.choice = QComboBox()
        self.choice.setObjectName("bulkChoiceCombo")
        self._fill_choices()
        if kind not in NO_CHOICE:
            self.errors.add_row(form, _("Choice:"), self._choice_field(), self.choice)
        self.until_check = QCheckBox(_("valid until"))
        self.until_check.setObjectName("bulkValidUntilCheck")
        self.until_edit = QDateEdit(QDate.currentDate().addYears(1))
        self.until_edit.setObjectName("bulkValidUntilEdit")
        self.until_edit.setCalendarPopup(True)
        if kind is BulkKind.ASSIGN_CATEGORY:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(self.until_check)
            line.addWidget(self.until_edit, 1)
            self.errors.add_row(form, "", "valid_until", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("runBulkActionButton")
        buttons.accepted.connect(self.run_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        for radio in (self.scope.selection_radio, self.scope.list_radio):
            radio.toggled.connect(self.show_count)
        self.show_count()
        self.restore()

    def _choice_field(self) -> str:
        return {BulkKind.SET_GROUP: "group_id", BulkKind.ADD_RECIPIENTS: "recipient_group_id"}.get(self.kind, "category_id")

    def _fill_choices(self) -> None:
        if self.kind in (BulkKind.ASSIGN_CATEGORY, BulkKind.REMOVE_CATEGORY):
            entries = [(c.name, c.id) for c in self.services.categories.list()]
        elif self.kind is BulkKind.SET_GROUP:
            entries = [(_("— no group —"), None)] + [(g.name, g.id) for g in self.services.groups.list(counts=False)]
        elif self.kind is BulkKind.ADD_RECIPIENTS:
            entries = [(g.name, g.id) for g in self.services.recipients.list()]
        else:
            entries = []
        for text, data in entries:
            self.choice.addItem(text, data)

    def show_count(self) -> None:
        """How many clients the action affects, before it runs."""
        self.count_label.setText(_("This affects {clients}.").format(clients=clients_text(self.scope.count())))

    def run_and_accept(self) -> None:
        """Ask above 100 clients, run the action, tell the views; or show why not and stay open."""
        count = self.scope.count()
        if count > CONFIRM_ABOVE:
            question = _(QUESTIONS[self.kind]).format(choice=self.choice.currentText(), clients=clients_text(count))
            if not confirm(self, _(TITLES[self.kind]), question):
                return
        self.errors.clear()
        try:
            self._run()
        except _Cancelled:
            return
        except SalonError as error:
            self.errors.show(error, self)
            return
        if self.bulk_result is not None:
            self.bus.publish(self.bulk_result.changes)
        self.accept()

    def _run(self) -> None:
        target, choice, bulk = self.scope.target(), self.choice.currentData(), self.services.bulk
        if self.kind is BulkKind.EXPORT_CSV:
            self._export(target)
        elif self.kind is BulkKind.ASSIGN_CATEGORY:
            self.bulk_result = bulk.assign_category(target, choice, self._until())
        elif self.kind is BulkKind.REMOVE_CATEGORY:
            self.bulk_result = bulk.remove_category(target, choice)
        elif self.kind is BulkKind.SET_GROUP:
            self.bulk_result = bulk.set_group(target, choice)
        elif self.kind is BulkKind.UNSUBSCRIBE:
            self.bulk_result = self.services.consent.unsubscribe(target)
        else:
            self.bulk_result = bulk.add_to_recipient_group(target, choice)

    def _until(self) -> date | None:
        if not self.until_check.isChecked():
            return None
        value = self.until_edit.date()
        return date(value.year(), value.month(), value.day())

    def _export(self, target: Target) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export as CSV"), "clients.csv", _("CSV files (*.csv)"))
        if not name:
            raise _Cancelled()
        path = Path(name)
        self.services.bulk.export_csv(target, path)
        self.exported = path


class _Cancelled(SalonError):
    """The file dialog was closed without a name: nothing happens, the dialog stays open."""

    def __init__(self) -> None:
        super().__init__("", None)


def run_bulk_action(services: Services, bus: DataBus, kind: BulkKind, state: ListState, parent: QWidget) -> BulkResult | None:
    """Open the dialog for ``kind``; the result once it ran (None when cancelled or an export)."""
    dialog = BulkActionDialog(services, bus, kind, state, parent)
    if not dialog.choice.count() and kind not in (*NO_CHOICE, BulkKind.SET_GROUP):
        show_error(parent, _("There is nothing to choose from yet."))
        return None
    dialog.exec()
    return dialog.bulk_result
