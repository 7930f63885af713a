"""A small dialog that asks for one entry of a list (a customer group, a recipient group)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget


class ChoiceDialog(QDialog):
    """Pick one entry (double-click or OK); ``choice()`` gives its data afterwards."""

    def __init__(
        self,
        title: str,
        text: str,
        entries: list[tuple[str, Any]],
        parent: QWidget | None = None,
        name: str = "choiceDialog",
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        label = QLabel(text)
        label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("choiceList")
        for entry_text, data in entries:
            entry = QListWidgetItem(entry_text)
            entry.setData(Qt.ItemDataRole.UserRole, data)
            self.list.addItem(entry)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("chooseButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _entry: self.accept())
        self.list.currentRowChanged.connect(lambda row: self.ok_button.setEnabled(row >= 0))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.list.setCurrentRow(0 if entries else -1)
        self.ok_button.setEnabled(bool(entries))
        self.setMinimumWidth(360)

    def choose(self, row: int) -> None:
        """Make ``row`` the current entry."""
        self.list.setCurrentRow(row)

    def choice(self) -> Any:
        """The data of the chosen entry (None when nothing is chosen)."""
        entry = self.list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None
