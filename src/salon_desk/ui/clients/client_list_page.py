"""The client list page: search as you type, category and group filters, the table of clients."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_decimal, ngettext
from salon_desk.services import Changes, Services
from salon_desk.services.clients.client_list import NO_CATEGORY, NO_GROUP, ClientListQuery
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.role_gate import gate
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.clients.client_list_model import COLUMNS, NAME, ClientListModel
from salon_desk.ui.common.forms import settings, show_error
from salon_desk.ui.common.icons import color_swatch
from salon_desk.ui.marketing.segment_bar import SegmentBar

SEARCH_DELAY_MS = 150
HIDDEN_COLUMNS_KEY = "clientList/hiddenColumns"
COLUMN_WIDTHS = (230, 250, 150, 150, 240, 110)
MAX_KEPT_SELECTION = 10
EMPTY_STYLE = "color: palette(placeholder-text); font-size: 11pt;"


@dataclass(frozen=True)
class _Selection:
    """What was selected before a reload, by client id."""

    current: int | None
    others: tuple[int, ...]
    top_row: int


class ClientListPage(QWidget):
    """Find a client fast and open the card; sorts and filters in SQL, for any number of clients."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientsPage")
        self.services = services
        self.bus = bus
        service = services.client_list
        self.model = ClientListModel(service, self)
        self.cards: list[tuple[int | None, QWidget]] = []
        """The open client cards with their client ids, kept referenced while they are open."""
        self.columns_menu: QMenu | None = None
        self.merge_dialog: QWidget | None = None
        self._kept: _Selection | None = None
        self._keep_scroll = False
        self._build()
        self._connect()
        self.reload_filters()
        self._restore_hidden_columns()
        self.model.set_query(self._query_from_fields())

    # -- building ------------------------------------------------------------------

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("clientSearchEdit")
        self.search_edit.setPlaceholderText(_("Search by name, phone or email…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(280)
        self.category_combo = self._combo("categoryFilterCombo", _("Filter by category"))
        self.group_combo = self._combo("groupFilterCombo", _("Filter by customer group"))
        self.segment_bar = SegmentBar(self.services, self.bus, self.selected_client_ids, self.model.query, self)
        self.count_label = QLabel()
        self.count_label.setObjectName("clientCountLabel")
        self.new_button = QPushButton(_("&New client…"))
        self.new_button.setObjectName("newClientButton")
        bar = QHBoxLayout()  # search, count, New client…
        bar.addWidget(self.search_edit, 3)
        bar.addSpacing(12)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        filters = QHBoxLayout()  # a row of its own: the filters and the segment fit a 1240-pixel window
        filters.addWidget(self.category_combo, 1)
        filters.addWidget(self.group_combo, 1)
        filters.addWidget(self.segment_bar, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self._build_view(), 1)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.reload_timer = QTimer(self)
        self.reload_timer.setSingleShot(True)
        self.reload_timer.setInterval(0)
        self.setTabOrder(self.search_edit, self.category_combo)
        self.setTabOrder(self.category_combo, self.group_combo)
        self.setTabOrder(self.group_combo, self.view)
        self.setTabOrder(self.view, self.new_button)

    def _combo(self, name: str, tooltip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setToolTip(tooltip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(14)
        return combo

    def _build_view(self) -> QTableView:
        view = self.view = QTableView()
        view.setObjectName("clientListView")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        # The indicator first: enabling sorting sorts by it at once (by name, as the model already is).
        view.horizontalHeader().setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 12)
        rows.hide()
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.installEventFilter(self)
        self.empty_label = QLabel(view.viewport())
        self.empty_label.setObjectName("clientEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(EMPTY_STYLE)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_label.hide()
        view.viewport().installEventFilter(self)
        return view

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(self.search_timer.start)
        self.search_edit.returnPressed.connect(self.go_to_list)
        self.search_timer.timeout.connect(self.apply_filters)
        self.category_combo.currentIndexChanged.connect(self.apply_filters)
        self.group_combo.currentIndexChanged.connect(self.apply_filters)
        self.segment_bar.sig_segment_changed.connect(self.apply_filters)
        self.model.sig_count_changed.connect(self.show_count)
        self.model.modelAboutToBeReset.connect(self.remember_selection)
        self.model.modelReset.connect(self.restore_selection)
        self.view.doubleClicked.connect(lambda index: self.open_client(self.model.client_id(index.row())))
        self.view.horizontalHeader().customContextMenuRequested.connect(self.show_column_menu)
        self.view.customContextMenuRequested.connect(self.show_selection_menu)
        self.new_button.clicked.connect(self.new_client)
        gate(self.new_button, Permission.EDIT_CLIENTS, self.services, self.bus)
        self.reload_timer.timeout.connect(self.reload)
        self.bus.sig_data_changed.connect(self.on_data_changed)

    # -- filters and search ------------------------------------------------------------

    def _query_from_fields(self) -> ClientListQuery:
        return replace(
            self.model.query(),
            text=self.search_edit.text(),
            category_id=self.category_combo.currentData(),
            group_id=self.group_combo.currentData(),
            segment=self.segment_bar.rules(),
        )

    def apply_filters(self) -> None:
        """Show the clients matching the search text and the filters (each keystroke, after a pause)."""
        self.search_timer.stop()
        query = self._query_from_fields()
        if query != self.model.query():
            self.model.set_query(query)

    def reload_filters(self) -> None:
        """Fill the category and group filters anew, keeping what was chosen if it still exists."""
        categories = self.services.categories.list()
        self._refill(
            self.category_combo,
            [(_("All categories"), None, None), (_("No category"), NO_CATEGORY, None)]
            + [(c.name, c.id, c.color) for c in categories],
        )
        groups = self.services.groups.list(counts=False)
        self._refill(
            self.group_combo,
            [(_("All groups"), None, None), (_("No group"), NO_GROUP, None)] + [(g.name, g.id, None) for g in groups],
        )

    def _refill(self, combo: QComboBox, entries: list[tuple[str, int | None, str | None]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data, color in entries:
            if color is None:
                combo.addItem(text, data)
            else:
                combo.addItem(color_swatch(color), text, data)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)

    def show_count(self, count: int) -> None:
        """The number of clients ("1 client", "12,345 clients") by the filters; a hint in an empty list."""
        if self.model.count_is_exact():
            number = format_decimal(Decimal(count), 0)
            self.count_label.setText(ngettext("{n} client", "{n} clients", count).format(n=number))
        else:  # counted exactly in the background; shown when done
            cap = self.model.count_cap
            number = format_decimal(Decimal(cap), 0)
            self.count_label.setText(ngettext("more than {n} client", "more than {n} clients", cap).format(n=number))
        query = self.model.query()
        if count:
            self.empty_label.hide()
            return
        if query.category_id is not None or query.group_id is not None or query.segment is not None:
            hint = _("No client matches the search and the filters. Try “All categories” and “All groups”.")
        elif query.text.strip():
            hint = _("No client found for “{text}”. Check the spelling, or search by phone or email.").format(
                text=query.text.strip()
            )
        else:
            hint = _("No clients yet. Click “New client…” to register the first one.")
        self.empty_label.setText(hint)
        self.empty_label.setGeometry(self.view.viewport().rect().adjusted(24, 0, -24, 0))
        self.empty_label.show()

    def focus_search(self) -> None:
        """Put the cursor into the search field with its text selected (Ctrl+F)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def go_to_list(self) -> None:
        """Enter in the search field: the first hit selected, the keyboard in the list."""
        self.apply_filters()
        if self.model.count():
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.model.index(0, NAME))
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- keeping the selection over reloads -------------------------------------------------

    def remember_selection(self) -> None:
        """Note the selected clients before the model forgets its rows."""
        current = self.view.currentIndex()
        rows: list[int] = []
        for selected in self.view.selectionModel().selection():
            rows += range(selected.top(), min(selected.bottom() + 1, selected.top() + MAX_KEPT_SELECTION))
            if len(rows) >= MAX_KEPT_SELECTION:
                break
        others = (self.model.cached_client_id(r) for r in rows[:MAX_KEPT_SELECTION])
        current_id = self.model.cached_client_id(current.row()) if current.isValid() else None
        top = self.view.rowAt(0)
        self._kept = _Selection(current_id, tuple(i for i in others if i is not None and i != current_id), top)

    def restore_selection(self) -> None:
        """Select the same clients again where they are now (after a sort, a filter or a data change)."""
        kept, self._kept = self._kept, None
        if kept is None:
            return
        selection = self.view.selectionModel()
        for client_id in kept.others:
            row = self.model.row_of(client_id)
            if row is not None:
                selection.select(
                    self.model.index(row, NAME), selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                )
        row = self.model.row_of(kept.current) if kept.current is not None else None
        if row is not None:
            flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
            selection.setCurrentIndex(self.model.index(row, NAME), flags)
            self.view.scrollTo(self.model.index(row, NAME), QAbstractItemView.ScrollHint.EnsureVisible)
        elif self._keep_scroll and kept.top_row > 0:
            self.view.scrollTo(self.model.index(kept.top_row, NAME), QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            # a new order or other clients: from the top, not the same row number of another list
            # (which, on a cold start, also read the new order's index far down before showing anything)
            self.view.scrollToTop()

    # -- data changed elsewhere ------------------------------------------------------------

    def on_data_changed(self, changes: Changes) -> None:
        """Reload what the change touched: the filters for categories and groups, the list for clients."""
        if changes.categories or changes.groups:
            self.reload_filters()
            self.apply_filters()
        if changes.touches_clients() or changes.categories or changes.groups:
            self.reload_timer.start()

    def reload(self) -> None:
        """Count and show the clients again, keeping search, sort, filters, selection and scroll position."""
        self._keep_scroll = True
        try:
            self.model.reload()
        finally:
            self._keep_scroll = False

    # -- columns -------------------------------------------------------------------------

    def column_menu(self) -> QMenu:
        """The header's menu: a checkable entry per column (the name always stays)."""
        menu = QMenu(self)
        menu.setObjectName("clientColumnMenu")
        for column, (key, title) in enumerate(COLUMNS):
            if column == NAME:
                continue
            action = menu.addAction(_(title))
            action.setObjectName(f"showColumn_{key}")
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(column))
            action.toggled.connect(lambda visible, c=column: self.set_column_visible(c, visible))
        self.columns_menu = menu
        return menu

    def show_column_menu(self, position: QPoint) -> None:
        """Right click on the header."""
        self.column_menu().popup(self.view.horizontalHeader().mapToGlobal(position))

    def set_column_visible(self, column: int, visible: bool) -> None:
        """Show or hide a column and remember the choice for next time."""
        self.view.setColumnHidden(column, not visible)
        if visible and self.view.columnWidth(column) == 0:
            self.view.setColumnWidth(column, COLUMN_WIDTHS[column])
        hidden = [key for c, (key, _title) in enumerate(COLUMNS) if self.view.isColumnHidden(c)]
        settings().setValue(HIDDEN_COLUMNS_KEY, ",".join(hidden))

    def _restore_hidden_columns(self) -> None:
        hidden = str(settings().value(HIDDEN_COLUMNS_KEY, "") or "").split(",")
        for column, (key, _title) in enumerate(COLUMNS):
            self.view.setColumnHidden(column, column != NAME and key in hidden)

    # -- acting on the selected clients ---------------------------------------------------------

    def selected_client_ids(self) -> list[int]:
        """The ids of the selected clients, in list order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [i for i in (self.model.client_id(row) for row in rows) if i is not None]

    def selection_menu(self) -> QMenu:
        """The list's context menu: one-step actions on the selected clients."""
        menu = QMenu(self)
        menu.setObjectName("clientSelectionMenu")
        selected = self.view.selectionModel().hasSelection()
        for text, name, slot in (
            (_("Assign &group…"), "assignGroupAction", self.assign_group_to_selection),
            (_("Add to &recipient group…"), "addToRecipientsAction", self.add_selection_to_recipients),
        ):
            action = menu.addAction(text)
            action.setObjectName(name)
            action.setEnabled(selected)
            action.triggered.connect(slot)
        if allows(self.services.workstation.actor.role, Permission.MERGE_CLIENTS):
            merge = menu.addAction(_("&Merge with another card…"))
            merge.setObjectName("mergeClientsAction")
            merge.setEnabled(len(self.view.selectionModel().selectedRows()) == 1)
            merge.triggered.connect(self.merge_selected)
        bulk = menu.addMenu(self.segment_bar.bulk_menu(menu))
        bulk.setText(_("&Bulk actions"))
        return menu

    def show_selection_menu(self, position: QPoint) -> None:
        """Right click in the list (the click has already selected the row under the mouse)."""
        menu = self.selection_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def assign_group_to_selection(self) -> None:
        """Put the selected clients into one customer group (or none) in one step."""
        from salon_desk.ui.groups.groups_page import assign_group

        ids = self.selected_client_ids()
        if ids:
            assign_group(self, self.services, self.bus, ids)

    def add_selection_to_recipients(self) -> None:
        """Put the selected clients on a recipient group (an existing or a new one)."""
        from salon_desk.ui.groups.recipients_page import add_to_recipient_group

        ids = self.selected_client_ids()
        if ids:
            add_to_recipient_group(self, self.services, self.bus, ids)

    def merge_selected(self) -> None:
        """Managers: merge another card into the selected client's card (the dialog lists its duplicates)."""
        from salon_desk.ui.clients.merge_dialog import MergeClientsDialog

        ids = self.selected_client_ids()
        if len(ids) != 1:
            return
        try:
            card = self.services.clients.get(ids[0])
        except SalonError as error:
            show_error(self, error.message)
            return
        self.merge_dialog = MergeClientsDialog(self.services, self.bus, card, self)
        self.merge_dialog.open()

    # -- client cards --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter or Return in the list opens the current client's card; the empty-list hint follows the size."""
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(self.view.viewport().rect().adjusted(24, 0, -24, 0))
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def open_current(self) -> None:
        """Open the card of the client under the cursor of the list."""
        current = self.view.currentIndex()
        if current.isValid():
            self.open_client(self.model.client_id(current.row()))

    def new_client(self) -> None:
        """Open an empty client card."""
        self.open_client(None)

    def open_client(self, client_id: int | None) -> QWidget | None:
        """Show the client's card (raising it when already open); None opens a new client's card."""
        from salon_desk.ui.clients.client_card import ClientCardWindow

        self.cards = [(i, card) for i, card in self.cards if shiboken6.isValid(card) and card.isVisible()]
        for open_id, card in self.cards:
            if client_id is not None and open_id == client_id:
                card.raise_()
                card.activateWindow()
                return card
        try:
            card = ClientCardWindow(self.services, self.bus, client_id, self)
        except SalonError as error:  # deleted at another desk since the list was loaded
            show_error(self, error.message)
            self.reload()
            return None
        self.cards.append((client_id, card))
        card.show()
        return card
