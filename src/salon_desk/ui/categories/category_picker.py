"""Pick one or more categories for a client, with a filter and a way to create a new category."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryInfo
from salon_desk.textindex import fold
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.category_entry import INFO_ROLE, CategoryItemDelegate, discount_text, fill_category_item
from salon_desk.ui.common.forms import RememberedDialog


class CategoryPickerDialog(RememberedDialog):
    """All categories with a filter; Select (or a double-click) adds the chosen ones to the card."""

    def __init__(self, services: Services, bus: DataBus, assigned_ids: set[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("categoryPickerDialog")
        self.setWindowTitle(_("Add categories"))
        self.services = services
        self.bus = bus
        self.assigned_ids = set(assigned_ids)
        self.editor: QDialog | None = None
        self._build()
        self.reload()
        self.resize(420, 520)
        self.restore()
        self.filter_edit.setFocus()

    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("pickerFilterEdit")
        self.filter_edit.setPlaceholderText(_("Filter categories…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.installEventFilter(self)
        self.list = QListWidget()
        self.list.setObjectName("pickerCategoryList")
        self.list.setItemDelegate(CategoryItemDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.no_match_label = QLabel(_("No category matches the filter."))
        self.no_match_label.setObjectName("pickerNoMatchLabel")
        self.no_match_label.setStyleSheet("color: palette(placeholder-text);")
        hint = QLabel(_("Tip: hold Ctrl or Shift to choose several categories."))
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.no_match_label)
        layout.addWidget(hint)
        layout.addLayout(self._build_buttons())
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.filter_edit.returnPressed.connect(self.on_filter_return)
        self.list.itemSelectionChanged.connect(self.on_selection_changed)
        self.list.itemDoubleClicked.connect(self.choose_item)

    def _build_buttons(self) -> QHBoxLayout:
        self.new_button = QPushButton(_("New category…"))
        self.new_button.setObjectName("newCategoryButton")
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_category)
        self.select_button = QPushButton(_("Select"))
        self.select_button.setObjectName("selectCategoryButton")
        self.select_button.setDefault(True)
        self.select_button.clicked.connect(self.accept)
        cancel = QPushButton(_("Cancel"))
        cancel.setObjectName("cancelPickerButton")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.select_button)
        return row

    def reload(self, select_id: int | None = None) -> None:
        """Fill the list with every category; already assigned ones are shown but cannot be chosen."""
        self.list.clear()
        for info in self.services.categories.list():
            item = QListWidgetItem()
            assigned = info.id in self.assigned_ids
            detail = _("(already assigned)") if assigned else _picker_detail(info)
            fill_category_item(item, info, detail)
            if assigned:
                item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
            self.list.addItem(item)
            if info.id == select_id:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show only categories whose name (or description) contains the typed text, ignoring case and accents."""
        needle = fold(self.filter_edit.text().strip())
        visible = 0
        for row in range(self.list.count()):
            item = self.list.item(row)
            info: CategoryInfo = item.data(INFO_ROLE)
            hidden = bool(needle) and needle not in fold(info.name) and needle not in fold(info.description)
            item.setHidden(hidden)
            if hidden:
                item.setSelected(False)
            visible += not hidden
        self.no_match_label.setVisible(visible == 0)
        self.on_selection_changed()

    def on_filter_return(self) -> None:
        """Enter in the filter field chooses the only matching category (the Select button then accepts)."""
        choosable = [
            self.list.item(row)
            for row in range(self.list.count())
            if not self.list.item(row).isHidden() and self.list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled
        ]
        if not self._chosen_items() and len(choosable) == 1:
            choosable[0].setSelected(True)

    def _chosen_items(self) -> list[QListWidgetItem]:
        return [
            self.list.item(row)
            for row in range(self.list.count())
            if self.list.item(row).isSelected() and not self.list.item(row).isHidden()
        ]

    def selected_categories(self) -> list[CategoryInfo]:
        """The categories chosen in the list, in list order."""
        return [item.data(INFO_ROLE) for item in self._chosen_items()]

    def on_selection_changed(self) -> None:
        """Select is possible only with a chosen category."""
        count = len(self._chosen_items())
        self.select_button.setEnabled(count > 0)
        self.select_button.setText(_("Select ({count})").format(count=count) if count > 1 else _("Select"))

    def choose_item(self, item: QListWidgetItem) -> None:
        """A double-click adds just that category."""
        if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        self.list.clearSelection()
        item.setSelected(True)
        self.accept()

    def new_category(self) -> None:
        """Open the category editor; a saved new category is offered selected in the list."""
        from salon_desk.ui.categories.category_editor import CategoryEditorDialog

        editor = CategoryEditorDialog(self.services, self.bus, None, self)
        editor.accepted.connect(self.on_category_created)
        self.editor = editor
        editor.open()

    def on_category_created(self) -> None:
        """Reload and select the category just saved in the editor."""
        saved: CategoryInfo | None = getattr(self.editor, "saved_category", None)
        if saved is None:
            return
        needle = fold(self.filter_edit.text().strip())
        if needle and needle not in fold(saved.name) and needle not in fold(saved.description):
            self.filter_edit.clear()
        self.reload(saved.id)
        item = self.list.currentItem()
        if item is not None:
            self.list.scrollToItem(item)
            self.list.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Arrow down in the filter field moves into the list."""
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down:
                self._focus_first_visible()
                return True
        return super().eventFilter(watched, event)

    def _focus_first_visible(self) -> None:
        self.list.setFocus()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if not item.isHidden() and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentItem(item)
                return


def _picker_detail(info: CategoryInfo) -> str:
    """Description and discount of a category, as far as it has them."""
    parts = [info.description] if info.description else []
    if info.is_default:
        parts.append(_("default for new clients"))
    if info.discount_percent is not None:
        parts.append(discount_text(info))
    return " · ".join(parts)
