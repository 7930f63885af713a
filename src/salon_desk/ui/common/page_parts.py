"""Building blocks the managers' list pages share: title, buttons, a record table, a confirmation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from salon_desk.ui.common.row_table_model import RowTableModel

ROW_HEIGHT = 28
HINT_STYLE = "color: #666666;"


def page_title(text: str) -> QLabel:
    """A page heading, larger and bold."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label


def hint_label(text: str, name: str = "") -> QLabel:
    """A grey, wrapping explanation."""
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def push_button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    """A named button calling ``slot`` when clicked."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def header_row(title: str, *widgets: QWidget) -> QHBoxLayout:
    """The page title on the left, ``widgets`` (buttons) on the right."""
    row = QHBoxLayout()
    row.addWidget(page_title(title))
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row


def record_table(name: str, model: RowTableModel, stretch_column: int = 0, multi: bool = False) -> QTableView:
    """A read-only, sortable table of records with fixed row height and whole-row selection."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.ExtendedSelection if multi else mode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setStyleSheet("QTableView::item { padding: 0 6px; }")
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    return table


def selected_records(table: QTableView) -> list[object]:
    """The records of the selected rows, in display order."""
    model = table.model()
    assert isinstance(model, RowTableModel)
    rows = sorted(index.row() for index in table.selectionModel().selectedRows())
    return [model.record(row) for row in rows]


def select_record(table: QTableView, record_id: int) -> None:
    """Select the row of ``record_id`` if it is shown."""
    model = table.model()
    assert isinstance(model, RowTableModel)
    row = model.row_of(record_id)
    if row >= 0:
        table.selectRow(row)


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask a yes/no question whose safe answer (No) is the default."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class ReloadWhenShown(QWidget):
    """A page that reloads after a data change while it is shown, or else the next time it is shown.

    Subclasses implement ``reload()``, which clears ``_stale``.
    """

    _stale = True

    def reload(self) -> None:
        raise NotImplementedError

    def reload_now_or_when_shown(self) -> None:
        """Reload at once if the page is on screen; otherwise mark it for the next ``showEvent``."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.reload()
