"""Recipient groups (lists of clients for messages only): create, rename, delete, members."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, ngettext
from salon_desk.services import Changes, Services
from salon_desk.services.groups.recipients import RecipientGroupInfo
from salon_desk.services.permissions import Permission
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.choice_dialog import ChoiceDialog
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import confirm, hint_label, page_title, push_button, record_table, selected_records
from salon_desk.ui.common.role_gate import gate
from salon_desk.ui.common.row_table_model import Column, RowTableModel

NEW_LIST = -1


def ask_name(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """A name typed into a small input dialog; None when cancelled."""
    name, accepted = QInputDialog.getText(parent, title, label, text=text)
    return name if accepted else None


def name_until_saved(parent: QWidget, title: str, text: str, save: Callable[[str], object]) -> object | None:
    """Ask for a name until ``save`` accepts it (a refused name is shown and offered again); None when cancelled."""
    while True:
        name = ask_name(parent, title, _("Name of the recipient group:"), text)
        if name is None:
            return None
        try:
            return save(name)
        except SalonError as exc:
            show_error(parent, exc.message)
            text = name


def add_to_recipient_group(parent: QWidget, services: Services, bus: DataBus, client_ids: list[int]) -> int | None:
    """Ask for a recipient group (or a new one) and put the clients on it; returns its id."""
    groups = services.recipients.list()
    entries = [(_("New recipient group…"), NEW_LIST)] + [(f"{g.name} ({g.member_count})", g.id) for g in groups]
    count = len(client_ids)
    text = ngettext(
        "Add the selected client to which recipient group?",
        "Add the {count} selected clients to which recipient group?",
        count,
    ).format(count=count)
    dialog = ChoiceDialog(_("Add to recipient group"), text, entries, parent, "addToRecipientsDialog")
    dialog.choose(1 if groups else 0)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    group_id = dialog.choice()
    if group_id == NEW_LIST:
        created = name_until_saved(parent, _("New recipient group"), "", services.recipients.create)
        if created is None:
            return None
        info, _changes = created  # type: ignore[misc]
        group_id = info.id
    added = services.recipients.add_members(group_id, client_ids)
    bus.publish(Changes(recipients=frozenset({group_id})))
    _status(
        parent,
        ngettext("{count} client added to the list.", "{count} clients added to the list.", added).format(count=added),
    )
    return int(group_id)


def _status(parent: QWidget, message: str) -> None:
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, 5000)


class RecipientsPage(QWidget):
    """The recipient groups on the left, the members of the chosen one on the right."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recipientsPage")
        self.services = services
        self.bus = bus
        self.members_model = RowTableModel(
            [
                Column(_("Name"), lambda m: m.name, lambda m: (m.sort_name, m.id)),
                Column(_("Phone"), lambda m: m.phone),
                Column(_("Email"), lambda m: m.email),
            ],
            lambda m: m.id,
            parent=self,
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_lists())
        splitter.addWidget(self._build_members())
        splitter.setSizes([300, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(splitter)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _build_lists(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 8, 0)
        column.addWidget(page_title(_("Recipient groups")))
        column.addWidget(hint_label(_("Lists of clients for messages only: no prices, no discounts.")))
        self.group_list = QListWidget()
        self.group_list.setObjectName("recipientGroupList")
        self.group_list.currentRowChanged.connect(self.show_members)
        column.addWidget(self.group_list, 1)
        self.new_button = push_button(_("&New…"), "newRecipientGroupButton", self.new_group)
        self.rename_button = push_button(_("&Rename…"), "renameRecipientGroupButton", self.rename_current)
        self.delete_button = push_button(_("&Delete…"), "deleteRecipientGroupButton", self.delete_current)
        row = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.delete_button):
            row.addWidget(button)
            gate(button, Permission.EDIT_GROUPS, self.services, self.bus, hide=True)
        column.addLayout(row)
        return box

    def _build_members(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(8, 0, 0, 0)
        self.members_title = page_title("")
        self.members_title.setObjectName("recipientMembersTitle")
        column.addWidget(self.members_title)
        column.addWidget(
            hint_label(
                _("To add clients, select them in the client list, right-click and choose “Add to recipient group…”.")
            )
        )
        self.members_table = record_table("recipientMembersTable", self.members_model, multi=True)
        self.members_table.selectionModel().selectionChanged.connect(self.update_buttons)
        column.addWidget(self.members_table, 1)
        self.remove_button = push_button(_("Re&move from list"), "removeMembersButton", self.remove_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        column.addLayout(row)
        return box

    # -- data -------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Load the recipient groups again, keeping (or moving to) the chosen one."""
        current = select_id if select_id is not None else self.current_group_id()
        self.group_list.blockSignals(True)
        self.group_list.clear()
        for group in self.services.recipients.list():
            entry = QListWidgetItem(f"{group.name} ({group.member_count})")
            entry.setData(Qt.ItemDataRole.UserRole, group)
            self.group_list.addItem(entry)
        rows = [self.group_list.item(n).data(Qt.ItemDataRole.UserRole).id for n in range(self.group_list.count())]
        self.group_list.setCurrentRow(rows.index(current) if current in rows else (0 if rows else -1))
        self.group_list.blockSignals(False)
        self.show_members()

    def on_data_changed(self, changes: Changes) -> None:
        """Reload when recipient groups or clients changed."""
        if changes.recipients or changes.touches_clients():
            self.reload()

    def current_group(self) -> RecipientGroupInfo | None:
        """The recipient group chosen on the left."""
        entry = self.group_list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None

    def current_group_id(self) -> int | None:
        """The id of the chosen recipient group."""
        group = self.current_group()
        return group.id if group is not None else None

    def show_members(self) -> None:
        """Show the members of the chosen recipient group."""
        group = self.current_group()
        if group is None:
            self.members_title.setText(_("No recipient group yet"))
            self.members_model.set_rows([])
        else:
            self.members_title.setText(_("Members of “{name}”").format(name=group.name))
            self.members_model.set_rows(self.services.recipients.member_rows(group.id))
        self.update_buttons()

    def update_buttons(self) -> None:
        """Rename and Delete need a chosen group; Remove needs selected members."""
        chosen = self.current_group() is not None
        self.rename_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.remove_button.setEnabled(bool(self.members_table.selectionModel().selectedRows()))

    # -- actions ----------------------------------------------------------------------

    def new_group(self) -> None:
        """Ask for a name and create an empty recipient group."""
        created = name_until_saved(self, _("New recipient group"), "", self.services.recipients.create)
        if created is not None:
            info, changes = created  # type: ignore[misc]
            self.bus.publish(changes)
            self.reload(info.id)

    def rename_current(self) -> None:
        """Give the chosen recipient group a new name."""
        group = self.current_group()
        if group is None:
            return
        changes = name_until_saved(
            self, _("Rename recipient group"), group.name, lambda name: self.services.recipients.rename(group.id, name)
        )
        if isinstance(changes, Changes):
            self.bus.publish(changes)

    def delete_current(self) -> None:
        """Delete the chosen recipient group after a confirmation (the clients stay)."""
        group = self.current_group()
        if group is None:
            return
        question = "\n\n".join(
            [
                _("Delete the recipient group “{name}”?").format(name=group.name),
                ngettext(
                    "Its {count} member stays a client; only the list is deleted.",
                    "Its {count} members stay clients; only the list is deleted.",
                    group.member_count,
                ).format(count=group.member_count),
            ]
        )
        if not confirm(self, _("Delete recipient group"), question):
            return
        self._publish(lambda: self.services.recipients.delete(group.id))

    def remove_selected(self) -> None:
        """Take the selected members off the list."""
        group = self.current_group()
        members = selected_records(self.members_table)
        if group is None or not members:
            return
        self._publish(lambda: self.services.recipients.remove_members(group.id, [m.id for m in members]))  # type: ignore[attr-defined]

    def _publish(self, action: Callable[[], Changes]) -> None:
        try:
            changes = action()
        except SalonError as exc:
            show_error(self, exc.message)
            self.reload()
            return
        self.bus.publish(changes)
