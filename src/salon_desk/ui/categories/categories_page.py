"""The managers' categories page: every category in a table, with New, Edit and Delete."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, ngettext
from salon_desk.services import Changes, Services
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.category_editor import CategoryEditorDialog
from salon_desk.ui.categories.category_table_model import NAME, CategoryTableModel
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import header_row, push_button

ROW_HEIGHT = 28
EDIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CategoriesPage(QWidget):
    """A table of all categories with their discount and number of clients."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("categoriesPage")
        self.services = services
        self.bus = bus
        self.editor: CategoryEditorDialog | None = None
        self.model = CategoryTableModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_table(), 1)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _build_header(self) -> QHBoxLayout:
        self.new_button = push_button(_("&New category…"), "newCategoryPageButton", self.new_category)
        self.edit_button = push_button(_("&Edit…"), "editCategoryButton", self.edit_selected)
        self.delete_button = push_button(_("&Delete…"), "deleteCategoryButton", self.delete_selected)
        return header_row(_("Client categories"), self.new_button, self.edit_button, self.delete_button)

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setObjectName("categoriesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setStyleSheet("QTableView::item { padding: 0 6px; }")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.table.installEventFilter(self)
        return self.table

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the categories again, keeping the selected one selected."""
        selected = self.selected_category()
        self.model.set_rows(self.services.categories.list())
        if selected is not None:
            self.select_category(selected.id)
        self.update_buttons()

    def on_data_changed(self, changes: Changes) -> None:
        """Reload when categories or memberships (the client counts) may have changed."""
        if changes.categories or changes.touches_clients():
            self.reload()

    def selected_category(self) -> CategoryInfo | None:
        """The category of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.category(rows[0].row()) if rows else None

    def select_category(self, category_id: int) -> None:
        """Select the row of ``category_id`` (if shown)."""
        row = self.model.row_of(category_id)
        if row >= 0:
            self.table.selectRow(row)

    def update_buttons(self) -> None:
        """Edit and Delete need a selected category."""
        has_selection = self.selected_category() is not None
        self.edit_button.setEnabled(has_selection)
        self.delete_button.setEnabled(has_selection)

    # -- actions ----------------------------------------------------------------------

    def new_category(self) -> None:
        """Open an empty category editor."""
        self._open_editor(None)

    def edit_selected(self) -> None:
        """Open the editor on the selected category (button, double-click, Enter)."""
        category = self.selected_category()
        if category is not None:
            self._open_editor(category)

    def _open_editor(self, category: CategoryInfo | None) -> None:
        if self.editor is not None:
            self.editor.deleteLater()
        self.editor = CategoryEditorDialog(self.services, self.bus, category, self)
        self.editor.accepted.connect(self.select_saved)
        self.editor.open()

    def select_saved(self) -> None:
        """Select the category the editor just saved (the bus has already reloaded the table)."""
        if self.editor is not None and self.editor.saved_category is not None:
            self.select_category(self.editor.saved_category.id)
            self.table.setFocus()

    def delete_selected(self) -> None:
        """Delete the selected category after a confirmation that names the consequences."""
        category = self.selected_category()
        if category is None:
            return
        answer = QMessageBox.question(
            self,
            _("Delete category"),
            self.delete_question(category),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            changes = self.services.categories.delete(category.id, category.version)
        except SalonError as exc:
            show_error(self, exc.message)
            self.reload()
            return
        self.bus.publish(changes)

    def delete_question(self, category: CategoryInfo) -> str:
        """The confirmation text: name, clients affected and what happens to them."""
        lines = [_("Delete the category “{name}”?").format(name=category.name)]
        count = category.client_count
        if count == 0:
            lines.append(_("No client has this category."))
        else:
            lines.append(
                ngettext(
                    "It will be removed from its {count} client.",
                    "It will be removed from all its {count} clients.",
                    count,
                ).format(count=count)
            )
            lines.append(self._orphan_consequence(category))
        if category.is_default:
            lines.append(_("It is the default category: new clients will then get no category."))
        lines.append(_("Past sales keep the category name and the discount they were sold with."))
        return "\n\n".join(lines)

    def _orphan_consequence(self, category: CategoryInfo) -> str:
        default = next((c for c in self.services.categories.list() if c.is_default and c.id != category.id), None)
        if default is None:
            return _("Clients left without any category stay uncategorised.")
        return _("Clients left without any category get the default category “{name}”.").format(name=default.name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter edits and Delete deletes the selected category in the table."""
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in EDIT_KEYS and self.selected_category() is not None:
                self.edit_selected()
                return True
            if key == Qt.Key.Key_Delete and self.selected_category() is not None:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)
