"""The managers' groups page: customer groups with members and password state, and their prices."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QSplitter, QTableView, QVBoxLayout, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _, ngettext
from salon_desk.services import Changes, Services
from salon_desk.services.groups.groups import GroupInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.choice_dialog import ChoiceDialog
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.groups.group_editor_dialog import GroupEditorDialog
from salon_desk.ui.groups.group_prices_page import GroupPricesPanel
from salon_desk.ui.common.page_parts import confirm, header_row, push_button, record_table, select_record, selected_records
from salon_desk.ui.common.row_table_model import CENTER, CHECK, NONE, RIGHT, Column, RowTableModel

NAME, DESCRIPTION, SELF_ASSIGN, PASSWORD, MEMBERS = range(5)
NO_GROUP = -1


def group_columns() -> list[Column]:
    """The columns of the groups table."""
    return [
        Column(_("Name"), lambda g: g.name),
        Column(_("Description"), lambda g: " ".join(g.description.split())),
        Column(_("Self-assignment"), lambda g: CHECK if g.self_assignable else "", lambda g: g.self_assignable, CENTER),
        Column(_("Password"), _password_text, lambda g: (g.self_assignable, g.has_password), CENTER),
        Column(_("Members"), lambda g: str(g.member_count), lambda g: g.member_count, RIGHT),
    ]


def _password_text(group: GroupInfo) -> str:
    if not group.has_password:
        return NONE
    return _("set") if group.self_assignable else _("set (unused)")


def assign_group(parent: QWidget, services: Services, bus: DataBus, client_ids: list[int]) -> bool:
    """Ask for a customer group (or none) and put the clients into it in one step; True when done."""
    count = len(client_ids)
    entries = [(_("— no group —"), NO_GROUP)] + [(g.name, g.id) for g in services.groups.list(counts=False)]
    text = ngettext(
        "Put the selected client into which customer group?",
        "Put the {count} selected clients into which customer group?",
        count,
    ).format(count=count)
    dialog = ChoiceDialog(_("Assign group"), text, entries, parent, "assignGroupDialog")
    dialog.choose(1 if len(entries) > 1 else 0)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    choice = dialog.choice()
    try:
        changes = services.clients.set_group(client_ids, None if choice == NO_GROUP else choice)
    except SalonError as exc:
        show_error(parent, exc.message)
        return False
    bus.publish(changes)
    return True


class GroupsPage(QWidget):
    """Groups on top (New, Edit, Delete), the price grid underneath."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupsPage")
        self.services = services
        self.bus = bus
        self.editor: GroupEditorDialog | None = None
        self.model = RowTableModel(group_columns(), lambda g: g.id, parent=self)
        self.new_button = push_button(_("&New group…"), "newGroupButton", self.new_group)
        self.edit_button = push_button(_("&Edit…"), "editGroupButton", self.edit_selected)
        self.delete_button = push_button(_("&Delete…"), "deleteGroupButton", self.delete_selected)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(header_row(_("Customer groups"), self.new_button, self.edit_button, self.delete_button))
        column.addWidget(self._build_table(), 1)
        self.prices = GroupPricesPanel(services, bus, self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("groupsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(self.prices)
        splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(splitter)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.reload()

    def _build_table(self) -> QTableView:
        self.table = record_table("groupsTable", self.model, stretch_column=DESCRIPTION)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.table.installEventFilter(self)
        return self.table

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the groups again, keeping the selected one selected."""
        selected = self.selected_group()
        self.model.set_rows(self.services.groups.list())
        if selected is not None:
            select_record(self.table, selected.id)
        self.update_buttons()

    def on_data_changed(self, changes: Changes) -> None:
        """Reload when groups or clients (the member counts) may have changed."""
        if changes.groups or changes.touches_clients():
            self.reload()

    def selected_group(self) -> GroupInfo | None:
        """The group of the selected row, if any."""
        records = selected_records(self.table)
        return records[0] if records else None  # type: ignore[return-value]

    def update_buttons(self) -> None:
        """Edit and Delete need a selected group."""
        selected = self.selected_group() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # -- actions ----------------------------------------------------------------------

    def new_group(self) -> None:
        """Open an empty group editor."""
        self._open_editor(None)

    def edit_selected(self) -> None:
        """Open the editor on the selected group (button, double-click, Enter)."""
        group = self.selected_group()
        if group is not None:
            self._open_editor(group)

    def _open_editor(self, group: GroupInfo | None) -> None:
        if self.editor is not None:
            self.editor.deleteLater()
        self.editor = GroupEditorDialog(self.services, self.bus, group, self)
        self.editor.accepted.connect(self.select_saved)
        self.editor.open()

    def select_saved(self) -> None:
        """Select the group the editor just saved."""
        if self.editor is not None and self.editor.saved_group is not None:
            select_record(self.table, self.editor.saved_group.id)
            self.table.setFocus()

    def delete_selected(self) -> None:
        """Delete the selected group after a confirmation naming what happens to its members."""
        group = self.selected_group()
        if group is None or not confirm(self, _("Delete group"), self.delete_question(group)):
            return
        try:
            changes = self.services.groups.delete(group.id)
        except SalonError as exc:
            show_error(self, exc.message)
            self.reload()
            return
        self.bus.publish(changes)

    def delete_question(self, group: GroupInfo) -> str:
        """The confirmation text: name, members affected, prices removed."""
        lines = [_("Delete the group “{name}”?").format(name=group.name)]
        if group.member_count:
            lines.append(
                ngettext(
                    "Its {count} member keeps the client card and pays list prices again.",
                    "Its {count} members keep their client cards and pay list prices again.",
                    group.member_count,
                ).format(count=group.member_count)
            )
        else:
            lines.append(_("The group has no members."))
        lines.append(_("Its group prices are removed. Past sales keep the prices they were sold with."))
        only_this = [i.name for i in self.services.catalog.list_items() if i.restricted_to == {group.id}]
        if only_this:
            lines.append(
                ngettext(
                    "“{names}” is sold only to this group; afterwards everyone can buy it.",
                    "{count} items are sold only to this group ({names}); afterwards everyone can buy them.",
                    len(only_this),
                ).format(count=len(only_this), names=", ".join(only_this))
            )
        return "\n\n".join(lines)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter edits and Delete deletes the selected group."""
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_group() is not None:
                self.edit_selected()
                return True
            if event.key() == Qt.Key.Key_Delete and self.selected_group() is not None:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)
