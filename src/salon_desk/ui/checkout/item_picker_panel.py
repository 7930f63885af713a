"""The checkout's item picker: search the catalogue as you type, or press a quick button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _, format_money
from salon_desk.kinds import ItemKind
from salon_desk.services.checkout.checkout import SellableItem
from salon_desk.textindex import fold

ID_ROLE = Qt.ItemDataRole.UserRole
QUICK_COLUMNS = 2
MUTED = QColor("#8A8A8A")
QUICK_LINE = 18
"""Characters per line of a quick button's name: long names take two lines, so the buttons stay narrow."""


def wrapped_name(name: str, width: int = QUICK_LINE) -> str:
    """``name`` broken at spaces into at most two lines of about ``width`` characters (the rest elided)."""
    if len(name) <= width:
        return name
    words, first = name.split(" "), ""
    while words and (not first or len(first) + 1 + len(words[0]) <= width):
        first = f"{first} {words.pop(0)}".strip()
    rest = " ".join(words)
    if not rest:
        return first
    return f"{first}\n{rest if len(rest) <= width + 4 else rest[: width + 3].rstrip() + '…'}"


def item_text(item: SellableItem) -> str:
    """ "Haircut · €49.00 · service"."""
    kind = _("service") if item.kind is ItemKind.SERVICE else _("product")
    return f"{item.name}  ·  {format_money(item.price)}  ·  {kind}"


class ItemPickerPanel(QGroupBox):
    """Find items by name, or take one of the most sold with a quick button."""

    sig_item_chosen = Signal(int)
    """Emitted when the clerk picks an item to add.

    Args:
        item_id (int): the catalogue item.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Services and products"), parent)
        self.setObjectName("itemPickerPanel")
        self.items: list[SellableItem] = []
        self.quick_buttons: list[QPushButton] = []
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("itemSearchEdit")
        self.search_edit.setPlaceholderText(_("Find a service or product"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.results = QListWidget()
        self.results.setObjectName("itemResultList")
        # Long entries end in "…" (their tooltip holds all) rather than widening the column.
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.quick_grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results, 1)
        layout.addLayout(self.quick_grid)
        self.search_edit.textChanged.connect(self.apply_filter)
        self.search_edit.returnPressed.connect(self.choose_current)
        self.results.itemActivated.connect(self.choose_item)
        self.results.itemDoubleClicked.connect(self.choose_item)

    def load(self, items: list[SellableItem], quick_ids: list[int]) -> None:
        """Show ``items`` (restricted ones greyed) and quick buttons for ``quick_ids``."""
        self.items = items
        self.apply_filter()
        for button in self.quick_buttons:
            self.quick_grid.removeWidget(button)
            button.setParent(None)  # gone at once, not only after the event loop deletes it
            button.deleteLater()
        by_id = {item.id: item for item in items}
        quick = [by_id[i] for i in quick_ids if i in by_id]
        self.quick_buttons = [self._quick_button(index, item) for index, item in enumerate(quick, start=1)]

    def _quick_button(self, index: int, item: SellableItem) -> QPushButton:
        # "&" in an item name would become a keyboard mnemonic on a button: double it.
        name = wrapped_name(item.name).replace("&", "&&")
        button = QPushButton(f"{name}\n{format_money(item.price)}")
        button.setObjectName(f"quickItemButton{index}")
        button.setToolTip(_("Add “{name}”").format(name=item.name))
        if item.restricted:
            button.setToolTip(_("Restricted to certain customer groups"))
            button.setStyleSheet("color: #8A8A8A;")
        button.setMinimumHeight(44 if "\n" not in name else 60)
        button.clicked.connect(lambda: self.sig_item_chosen.emit(item.id))
        self.quick_grid.addWidget(button, (index - 1) // QUICK_COLUMNS, (index - 1) % QUICK_COLUMNS)
        return button

    def apply_filter(self) -> None:
        """List the items whose name contains every typed word (accents and case ignored)."""
        words = fold(self.search_edit.text()).split()
        self.results.clear()
        for item in self.items:
            if all(word in fold(item.name) for word in words):
                entry = QListWidgetItem(item_text(item))
                entry.setData(ID_ROLE, item.id)
                entry.setToolTip(item_text(item))
                if item.restricted:
                    entry.setForeground(QBrush(MUTED))
                    entry.setToolTip(_("Restricted to certain customer groups"))
                self.results.addItem(entry)
        if self.results.count():
            self.results.setCurrentRow(0)

    def choose_current(self) -> None:
        """Enter in the search field adds the highlighted item."""
        item = self.results.currentItem()
        if item is not None:
            self.choose_item(item)

    def choose_item(self, entry: QListWidgetItem) -> None:
        """Add the item of ``entry`` and get ready for the next search."""
        self.sig_item_chosen.emit(int(entry.data(ID_ROLE)))
        self.search_edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Up and Down in the search field move through the items found."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step and self.results.count():
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)
