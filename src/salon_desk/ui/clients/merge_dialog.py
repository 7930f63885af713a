"""Merge another card into this one (managers): pick the other card, confirm, and everything moves here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.clients.clients import ClientCard
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import ERROR_STYLE

SHOWN = 30


class MergeClientsDialog(QDialog):
    """Choose the card to merge into ``card``: its duplicates first, or any card found by the search."""

    def __init__(self, services: Services, bus: DataBus, card: ClientCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeClientsDialog")
        self.setWindowTitle(_("Merge client cards"))
        self.services, self.bus, self.card = services, bus, card
        self.merged: ClientCard | None = None
        name = " ".join(p for p in (card.data.first_name, card.data.last_name) if p)
        intro = QLabel(_(
            "Choose the other card of {name}. Its categories, customer group, consent history, recipient lists, "
            "tasks and notes move to this card (no. {id}); its sales stay as they were sold and appear in this "
            "card's visits. The other card is then closed."
        ).format(name=name, id=card.id))  # fmt: skip
        intro.setWordWrap(True)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("mergeSearchEdit")
        self.search_edit.setPlaceholderText(_("Search by name, phone or email"))
        self.search_edit.textChanged.connect(self.fill)
        self.list = QListWidget()
        self.list.setObjectName("mergeCandidateList")
        self.list.itemDoubleClicked.connect(lambda _item: self.merge())
        self.list.currentItemChanged.connect(lambda *_args: self._update_button())
        self.message = QLabel()
        self.message.setObjectName("mergeMessageLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton(_("&Merge into this card…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("mergeButton")
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.search_edit, self.list, self.message, buttons):
            layout.addWidget(widget)
        self.resize(560, 440)
        self.fill()

    def fill(self) -> None:
        """The card's duplicates while nothing is typed, else the cards the search finds (never this one)."""
        self.list.clear()
        text = self.search_edit.text().strip()
        if text:
            rows = self.services.client_list.page(ClientListQuery(text=text), limit=SHOWN)
            found = [(row.id, row.name, row.phone, row.email) for row in rows]
        else:
            data = self.card.data
            found = [(d.id, d.name, d.phone, d.email)
                     for d in self.services.clients.duplicates(data.phone, data.email, self.card.id)]  # fmt: skip
        for client_id, name, phone, email in found:
            if client_id == self.card.id:
                continue
            details = " · ".join(part for part in (phone, email) if part)
            text_line = _("{name} (no. {id})").format(name=name, id=client_id)
            item = QListWidgetItem(f"{text_line} — {details}" if details else text_line)
            item.setData(Qt.ItemDataRole.UserRole, client_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_button()

    def _update_button(self) -> None:
        self.merge_button.setEnabled(self.list.currentItem() is not None)

    def merge(self) -> None:
        """Ask once more, then merge the chosen card into this one in one step."""
        item = self.list.currentItem()
        if item is None:
            return
        other_id = int(item.data(Qt.ItemDataRole.UserRole))
        question = _("Merge {other} into this card? The other card is closed; this cannot be undone.").format(
            other=item.text().split(" — ")[0])  # fmt: skip
        answer = QMessageBox.question(self, _("Merge client cards"), question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.merged, changes = self.services.clients.merge(self.card.id, other_id)
        except SalonError as exc:
            self.message.setText(exc.message)
            self.message.show()
            return
        self.bus.publish(changes)
        self.accept()


class MergeButton(QPushButton):
    """"Merge with…" on the card: shown to managers on a saved, open card; the card decides when it opens."""

    sig_merged = Signal(object)
    """Emitted after a merge.

    Args:
        card (ClientCard): the card kept, with everything merged into it.
    """

    def __init__(self, services: Services, bus: DataBus) -> None:
        super().__init__(_("Merge &with…"))
        self.setObjectName("mergeClientButton")
        self.setToolTip(_("Move another card of this client into this one (managers)"))
        self.services, self.bus = services, bus
        self.dialog: MergeClientsDialog | None = None

    def show_for(self, card: ClientCard | None) -> None:
        """Shown for a stored open card when the signed-in person may merge."""
        role = self.services.workstation.actor.role
        self.setVisible(card is not None and card.merged_into is None and allows(role, Permission.MERGE_CLIENTS))

    def open_dialog(self, card: ClientCard | None) -> None:
        """Pick the other card to merge into ``card``."""
        if card is None:
            return
        self.dialog = MergeClientsDialog(self.services, self.bus, card, self.window())
        self.dialog.accepted.connect(self.on_accepted)
        self.dialog.open()

    def on_accepted(self) -> None:
        """Hand the merged card on."""
        if self.dialog is not None and self.dialog.merged is not None:
            self.sig_merged.emit(self.dialog.merged)
