"""The client list's segment filter (``segmentCombo``), the segment editor button and the bulk actions menu."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMenu, QPushButton, QWidget

from salon_desk.i18n import _
from salon_desk.services import Changes, Services
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.clients.segment_rules import SegmentRules
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.marketing.bulk_action_dialog import TITLES, BulkKind, ListState, run_bulk_action
from salon_desk.ui.marketing.call_list_dialog import CallListDialog
from salon_desk.ui.marketing.segment_editor_dialog import SegmentEditorDialog

UNSAVED = -1
"""``segmentCombo`` data of the unsaved segment built in the editor."""
NEEDS = {BulkKind.SET_GROUP: Permission.BULK_CHANGE_GROUPS, BulkKind.EXPORT_CSV: Permission.EXPORT_CLIENTS}


class SegmentBar(QWidget):
    """Choose a saved segment (or build one) to filter the list; run bulk actions on the selection or the list.

    ``selection`` and ``query`` are asked when an action starts: the client list's
    selected client ids and the query it shows.
    """

    sig_segment_changed = Signal()
    """Emitted when another segment (or none) is chosen. No arguments."""

    def __init__(self, services: Services, bus: DataBus, selection: object, query: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.bus = services, bus
        self._selection, self._query = selection, query
        self.unsaved: SegmentRules | None = None
        self.rules_by_id: dict[int, SegmentRules] = {}
        self.combo = QComboBox()
        self.combo.setObjectName("segmentCombo")
        self.combo.setToolTip(_("Show only the clients of a segment"))
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(14)
        self.edit_button = QPushButton(_("Se&gment…"))
        self.edit_button.setObjectName("editSegmentButton")
        self.edit_button.setToolTip(_("Build a segment, or change the chosen one"))
        self.bulk_button = QPushButton(_("&Bulk actions"))
        self.bulk_button.setObjectName("bulkActionsButton")
        self.bulk_button.setMenu(self.bulk_menu())
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.combo, 1)
        line.addWidget(self.edit_button)
        line.addWidget(self.bulk_button)
        self.reload()
        self.combo.currentIndexChanged.connect(self.sig_segment_changed)
        self.edit_button.clicked.connect(self.edit_segment)
        bus.sig_data_changed.connect(self.on_data_changed)

    # -- the segment filter --------------------------------------------------------------

    def rules(self) -> SegmentRules | None:
        """The conditions the list is filtered by, or None for all clients."""
        chosen = self.combo.currentData()
        if chosen == UNSAVED:
            return self.unsaved
        return self.rules_by_id.get(chosen) if chosen is not None else None

    def reload(self, choose: int | None = None) -> None:
        """Fill the combo anew, keeping (or making) ``choose`` the chosen entry."""
        chosen = self.combo.currentData() if choose is None else choose
        segments = self.services.segments.list()
        self.rules_by_id = {s.id: s.rules for s in segments}
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_("All clients"), None)
        for segment in segments:
            self.combo.addItem(segment.name, segment.id)
        if self.unsaved is not None:
            self.combo.addItem(_("Unsaved segment"), UNSAVED)
        index = self.combo.findData(chosen) if chosen is not None else 0
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)

    def edit_segment(self) -> None:
        """The segment editor for the chosen segment (or a new one); the list then shows what it says."""
        chosen = self.combo.currentData()
        saved = self.services.segments.get(chosen) if chosen not in (None, UNSAVED) else None
        dialog = SegmentEditorDialog(self.services, self.bus, saved, self.unsaved if chosen == UNSAVED else None, self)
        if dialog.exec() != SegmentEditorDialog.DialogCode.Accepted:
            return
        if dialog.result_segment_id is not None:
            self.reload(dialog.result_segment_id)
        elif dialog.result_rules is not None:
            self.unsaved = dialog.result_rules
            self.reload(UNSAVED)
        else:  # deleted
            self.reload(None)
        self.sig_segment_changed.emit()

    def on_data_changed(self, changes: Changes) -> None:
        """Saved segments changed (here or at another desk): refill the combo."""
        if changes.segments:
            previous = self.rules()
            self.reload()
            if self.rules() != previous:
                self.sig_segment_changed.emit()

    # -- bulk actions ----------------------------------------------------------------------

    def bulk_menu(self, parent: QWidget | None = None) -> QMenu:
        """The bulk actions, each on the selection or on the whole list; those the role may not take are greyed."""
        menu = QMenu(parent or self)
        menu.setObjectName("bulkActionsMenu")
        menu.aboutToShow.connect(lambda: self._enable(menu))
        for kind in BulkKind:
            action = menu.addAction(_(TITLES[kind]) + "…")
            action.setObjectName(f"bulk_{kind.value}Action")
            action.setData(kind.value)
            action.triggered.connect(lambda _checked=False, k=kind: self.run(k))
        menu.addSeparator()
        call = menu.addAction(_("Call list…"))
        call.setObjectName("bulk_call_listAction")
        call.triggered.connect(self.call_list)
        campaign = menu.addAction(_("Campaign…"))
        campaign.setObjectName("bulk_campaignAction")
        campaign.setEnabled(allows(self.services.workstation.actor.role, Permission.RUN_CAMPAIGNS))
        campaign.triggered.connect(self.campaign)
        self._enable(menu)
        return menu

    def _enable(self, menu: QMenu) -> None:
        role = self.services.workstation.actor.role
        for action in menu.actions():
            kind = action.data()
            if kind:
                action.setEnabled(allows(role, NEEDS.get(BulkKind(kind), Permission.EDIT_CLIENTS)))

    def state(self) -> ListState:
        """The list's selection and query now."""
        selected = self._selection()  # type: ignore[operator]
        query = self._query()  # type: ignore[operator]
        assert isinstance(query, ClientListQuery)
        return ListState(tuple(selected), query)

    def run(self, kind: BulkKind) -> None:
        """One bulk action through its dialog."""
        run_bulk_action(self.services, self.bus, kind, self.state(), self.window())

    def campaign(self) -> None:
        """Write a campaign to the selected clients (on the campaigns page when there is a main window)."""
        from salon_desk.ui.marketing.campaign_editor_dialog import CampaignEditorDialog
        from salon_desk.ui.marketing.campaign_runner import runner_for

        selected = self.state().selected
        if not selected:
            show_error(self.window(), _("Select the clients the campaign is for first."))
            return
        window = self.window()
        if hasattr(window, "open_campaign_for"):
            window.open_campaign_for(list(selected))
            return
        dialog = CampaignEditorDialog(self.services, self.bus, None, tuple(selected), window)
        if dialog.exec() == CampaignEditorDialog.DialogCode.Accepted and dialog.result_send and dialog.result_campaign:
            runner_for(self.services).start(dialog.result_campaign.id)

    def call_list(self) -> None:
        """Make a call list of the selection or the list."""
        CallListDialog(self.services, self.bus, self.state(), self.window()).exec()
