"""The tasks page: open tasks by due date, mine or everyone's, overdue ones marked; open the card, mark done."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_date
from salon_desk.services import Changes, Services
from salon_desk.services.marketing.tasks import TaskRow
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import header_row, hint_label, push_button, record_table, selected_records
from salon_desk.ui.common.row_table_model import Column, RowTableModel

OVERDUE = QColor("#C62828")


class TaskTableModel(RowTableModel):
    """Tasks as rows; overdue ones in red."""

    def __init__(self, parent: Any = None) -> None:
        columns = [
            Column(_("Due"), self._due_text, sort_key=lambda t: (t.due_on, t.id)),
            Column(_("Client"), lambda t: t.client_name),
            Column(_("Phone"), lambda t: t.phone),
            Column(_("Task"), lambda t: t.title),
            Column(_("For"), lambda t: t.staff_name or _("anyone")),
            Column(_("Outcome"), lambda t: t.outcome),
        ]
        super().__init__(columns, id_of=lambda t: t.id, muted=lambda t: t.done_at is not None, parent=parent)
        self.today = date.today()

    def _due_text(self, task: TaskRow) -> str:
        text = format_date(task.due_on)
        return _("{date} (overdue)").format(date=text) if task.overdue(self.today) else text

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and self.record(index.row()).overdue(self.today):
            return QBrush(OVERDUE)
        return super().data(index, role)


class TaskDoneDialog(QDialog):
    """Ask what came of the task."""

    def __init__(self, task: TaskRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskDoneDialog")
        self.setWindowTitle(_("Task done"))
        self.outcome_edit = QPlainTextEdit()
        self.outcome_edit.setObjectName("taskOutcomeEdit")
        self.outcome_edit.setPlaceholderText(_("e.g. reached, appointment on Friday"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("taskDoneOkButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{task} — {client}").format(task=task.title, client=task.client_name)))
        layout.addWidget(QLabel(_("Outcome:")))
        layout.addWidget(self.outcome_edit)
        layout.addWidget(buttons)


class TasksPage(QWidget):
    """Open tasks by due date with the client's phone; Open card and Done."""

    sig_open_client = Signal(int)
    """Emitted to open a client's card.

    Args:
        client_id (int): the client of the chosen task.
    """

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tasksPage")
        self.services, self.bus = services, bus
        self.model = TaskTableModel(self)
        self.table = record_table("tasksTable", self.model, stretch_column=3)
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("taskScopeCombo")
        self.scope_combo.addItem(_("Mine"), True)
        self.scope_combo.addItem(_("Everyone's"), False)
        self.done_check = QCheckBox(_("Show done tasks"))
        self.done_check.setObjectName("showDoneTasksCheck")
        self.open_button = push_button(_("&Open card"), "openTaskClientButton", self.open_client)
        self.done_button = push_button(_("&Done…"), "doneTaskButton", self.mark_done)
        layout = QVBoxLayout(self)
        layout.addLayout(header_row(_("Tasks"), self.scope_combo, self.done_check, self.open_button, self.done_button))
        layout.addWidget(hint_label(_("Tasks due today or earlier come first; overdue ones are red.")))
        layout.addWidget(self.table, 1)
        self.scope_combo.currentIndexChanged.connect(self.reload)
        self.done_check.toggled.connect(self.reload)
        self.table.doubleClicked.connect(lambda _index: self.open_client())
        self.table.selectionModel().selectionChanged.connect(self._enable)
        bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def reload(self) -> None:
        """Read the tasks again."""
        self.model.today = date.today()
        tasks = self.services.tasks.list(mine=bool(self.scope_combo.currentData()), include_done=self.done_check.isChecked())
        self.model.set_rows(tasks)
        self._enable()

    def _enable(self) -> None:
        chosen = self._chosen()
        self.open_button.setEnabled(chosen is not None)
        self.done_button.setEnabled(chosen is not None and chosen.done_at is None)

    def _chosen(self) -> TaskRow | None:
        records = selected_records(self.table)
        return records[0] if records else None  # type: ignore[return-value]

    def open_client(self) -> None:
        """Open the card of the chosen task's client (through the main window)."""
        task = self._chosen()
        if task is not None:
            self.sig_open_client.emit(task.client_id)

    def mark_done(self) -> None:
        """Mark the chosen task done with an outcome note."""
        task = self._chosen()
        if task is None or task.done_at is not None:
            return
        dialog = TaskDoneDialog(task, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            changes = self.services.tasks.mark_done(task.id, dialog.outcome_edit.toPlainText())
        except SalonError as error:
            show_error(self, error.message)
            self.reload()
            return
        self.bus.publish(changes)

    def on_data_changed(self, changes: Changes) -> None:
        """Tasks or clients changed: read the tasks again."""
        if changes.tasks or changes.touches_clients():
            self.reload()
