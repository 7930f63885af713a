"""The campaigns page (``campaignsPage``, managers): the campaigns with their counts, and the chosen one's outbox.

Sending runs in a process of its own (``CampaignRunner``); the page shows its progress
(``campaignProgressBar``) and rows (``campaignRecipientsTable``) and offers Cancel, while
the rest of Salon Desk stays usable. While a run lasts, the page reads nothing from the
database: the run's progress lines carry the counts and the rows it settled, and the page
puts them in place (a read, even in a worker thread, holds the interpreter lock the UI
thread needs, and the window stalled for a tenth of a second at a time).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QProgressBar, QSplitter, QTableView, QVBoxLayout, QWidget
from PySide6.QtCore import Qt

from salon_desk.errors import SalonError
from salon_desk.i18n import N_, _
from salon_desk.models.campaign import AudienceKind, CampaignStatus, RecipientState
from salon_desk.services import Services
from salon_desk.services.marketing.campaigns import CampaignInfo
from salon_desk.services.marketing.sender import SendProgress, SendResult
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.page_parts import (
    confirm,
    header_row,
    hint_label,
    push_button,
    record_table,
    select_record,
    selected_records,
)
from salon_desk.ui.common.row_table_model import RIGHT, Column, RowTableModel
from salon_desk.ui.marketing.campaign_editor_dialog import CampaignEditorDialog
from salon_desk.ui.marketing.campaign_recipients_model import RecipientsModel
from salon_desk.ui.marketing.campaign_runner import runner_for

REFRESH_MS = 1000
STATUS_LABELS = {CampaignStatus.DRAFT: N_("draft"), CampaignStatus.SENDING: N_("not finished"),
                 CampaignStatus.DONE: N_("sent")}
AUDIENCE_LABELS = {AudienceKind.SEGMENT: N_("segment"), AudienceKind.GROUP: N_("customer group"),
                   AudienceKind.RECIPIENTS: N_("recipient group"), AudienceKind.SELECTION: N_("selection")}


class CampaignTableModel(RowTableModel):
    """Name, status, audience and the outbox's counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        def number(title: str, state: RecipientState) -> Column:
            return Column(title, lambda c: str(c.count(state)), sort_key=lambda c: c.count(state), align=RIGHT)

        columns = [
            Column(_("Name"), lambda c: c.data.name),
            Column(_("Status"), lambda c: _(STATUS_LABELS[c.status])),
            Column(_("Audience"), lambda c: _(AUDIENCE_LABELS[c.data.audience_kind])),
            number(_("Sent"), RecipientState.SENT),
            number(_("Failed"), RecipientState.FAILED),
            number(_("Skipped"), RecipientState.SKIPPED),
            number(_("Queued"), RecipientState.QUEUED),
        ]
        super().__init__(columns, id_of=lambda c: c.id, parent=parent)

    def show_counts(self, campaign_id: int, counts: dict[str, int]) -> None:
        """A campaign being sent: its new counts in its row, in place (the order and the selection stay)."""
        row = self.row_of(campaign_id)
        if row < 0:
            return
        self._rows[row] = replace(self._rows[row], counts=dict(counts), status=CampaignStatus.SENDING)
        self.dataChanged.emit(self.index(row, 1), self.index(row, self.columnCount() - 1))


class CampaignsPage(QWidget):
    """New, Edit, Send (or resume), Cancel, Delete; the chosen campaign's outbox below."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignsPage")
        self.services, self.bus = services, bus
        self.runner = runner_for(services)
        self.latest: dict[int, dict[str, int]] = {}
        self._reloading = False
        self.model = CampaignTableModel(self)
        self.table = record_table("campaignsTable", self.model)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.new_button = push_button(_("&New campaign…"), "newCampaignButton", self.new_campaign)
        self.edit_button = push_button(_("&Edit…"), "editCampaignButton", self.edit_campaign)
        self.send_button = push_button(_("&Send"), "startCampaignButton", self.send_chosen)
        self.cancel_button = push_button(_("&Cancel sending"), "cancelCampaignSendingButton", self.cancel_sending)
        self.delete_button = push_button(_("&Delete"), "deleteCampaignButton", self.delete_campaign)
        self.progress = QProgressBar(objectName="campaignProgressBar")
        self.status_label = QLabel(objectName="campaignStatusLabel")
        self.status_label.setWordWrap(True)
        self.recipients = RecipientsModel(services.campaigns, self)
        self.recipients_table = self._recipients_table()
        self.refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self.refresh_timer.timeout.connect(self.show_latest_counts)
        self._layout()
        self.table.selectionModel().selectionChanged.connect(self.on_chosen)
        self.table.doubleClicked.connect(lambda _index: self.edit_campaign())
        self.runner.sig_progress.connect(self.on_progress)
        self.runner.sig_finished.connect(self.on_finished)
        self.reload()

    def _recipients_table(self) -> QTableView:
        table = QTableView(objectName="campaignRecipientsTable")
        table.setModel(self.recipients)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        for column, width in enumerate((220, 260, 150)):
            table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        return table

    def _layout(self) -> None:
        top = QWidget()
        upper = QVBoxLayout(top)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.addLayout(header_row(_("Campaigns"), self.new_button, self.edit_button, self.send_button,
                                   self.cancel_button, self.delete_button))
        upper.addWidget(hint_label(_("Only clients who agreed to receive messages get one; the others are listed "
                                     "as skipped with the reason.")))
        upper.addWidget(self.table, 1)
        bottom = QWidget()
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.progress)
        lower.addWidget(self.status_label)
        lower.addWidget(self.recipients_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # -- the list -------------------------------------------------------------------------

    def reload(self, choose: int | None = None) -> None:
        """Read the campaigns again, keeping (or making) ``choose`` the chosen one."""
        chosen = choose if choose is not None else (self.chosen().id if self.chosen() else None)
        self._reloading = True  # the selection changes on the way; the outbox is read once, below
        try:
            self.model.set_rows(self.services.campaigns.list())
            if chosen is not None:
                select_record(self.table, chosen)
            elif self.model.rowCount():
                self.table.selectRow(0)
        finally:
            self._reloading = False
        self.on_chosen()

    def chosen(self) -> CampaignInfo | None:
        """The chosen campaign."""
        records = selected_records(self.table)
        return records[0] if records else None  # type: ignore[return-value]

    def on_chosen(self) -> None:
        """Show the chosen campaign's outbox and the buttons that fit it."""
        if self._reloading:
            return
        campaign = self.chosen()
        self.recipients.show_campaign(campaign.id if campaign else None)
        self._show_counts(campaign.counts if campaign else {}, "")
        self._enable()

    def _enable(self) -> None:
        campaign = self.chosen()
        running = campaign is not None and self.runner.is_running(campaign.id)
        self.edit_button.setEnabled(campaign is not None and not running)
        self.delete_button.setEnabled(campaign is not None and not running)
        self.send_button.setEnabled(campaign is not None and not running and campaign.status != CampaignStatus.DONE)
        self.send_button.setText(_("&Resume") if campaign and campaign.status == CampaignStatus.SENDING else _("&Send"))
        self.cancel_button.setEnabled(running)

    # -- actions ----------------------------------------------------------------------------

    def new_campaign(self, selection: tuple[int, ...] = ()) -> None:
        """Write a new campaign (to the given selection of clients, from the client list)."""
        self._edit(CampaignEditorDialog(self.services, self.bus, None, selection, self))

    def edit_campaign(self) -> None:
        """Change the chosen campaign."""
        campaign = self.chosen()
        if campaign is not None and not self.runner.is_running(campaign.id):
            self._edit(CampaignEditorDialog(self.services, self.bus, self.services.campaigns.get(campaign.id), (), self))

    def _edit(self, dialog: CampaignEditorDialog) -> None:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        saved = dialog.result_campaign
        self.reload(saved.id if saved else None)
        if accepted and saved is not None and dialog.result_send:
            self.start(saved.id)

    def send_chosen(self) -> None:
        """Send the chosen campaign (or resume it), after showing who receives it."""
        campaign = self.chosen()
        if campaign is None:
            return
        if campaign.status == CampaignStatus.DRAFT:
            from salon_desk.ui.marketing.campaign_audience import forecast_text

            try:
                text = forecast_text(self.services.campaigns.forecast(campaign.data))
            except SalonError as error:
                show_error(self, error.message)
                return
            if not confirm(self, _("Send campaign"), _("Send “{name}” now?").format(name=campaign.data.name)
                           + "\n\n" + text):
                return
        self.start(campaign.id)

    def start(self, campaign_id: int) -> None:
        """Queue the campaign (new audience members join) and send it, in the background."""
        self.runner.start(campaign_id)
        self.reload(campaign_id)
        self.status_label.setText(_("Sending…"))

    def cancel_sending(self) -> None:
        """Stop after the message on its way; the rest stays queued for Resume."""
        campaign = self.chosen()
        if campaign is not None:
            self.runner.cancel(campaign.id)
            self.status_label.setText(_("Stopping after the message on its way…"))

    def delete_campaign(self) -> None:
        """Delete the chosen campaign and its outbox after asking."""
        campaign = self.chosen()
        if campaign is None or not confirm(self, _("Delete campaign"), _("Delete the campaign “{name}” and its list "
                                                                         "of recipients?").format(name=campaign.data.name)):
            return
        try:
            self.services.campaigns.delete(campaign.id)
        except SalonError as error:
            show_error(self, error.message)
        self.reload()

    # -- progress ---------------------------------------------------------------------------

    def on_progress(self, campaign_id: int, progress: SendProgress) -> None:
        """A run moved on: the bar, the counts and the settled rows at once; the campaigns table once a second."""
        self.latest[campaign_id] = progress.counts
        if not self.refresh_timer.isActive():
            self.refresh_timer.start()
        campaign = self.chosen()
        if campaign is None or campaign.id != campaign_id:
            return
        self._show_counts(progress.counts, progress.last)
        if not self.recipients.rows and progress.total:
            self.recipients.refresh()  # the outbox was only just filled: its first page, once
        else:
            self.recipients.apply_outcomes(campaign_id, progress.rows)

    def on_finished(self, campaign_id: int, outcome: SendResult | str) -> None:
        """A run ended: say how, and read everything again."""
        self.reload()
        campaign = self.chosen()
        if campaign is None or campaign.id != campaign_id:
            return
        if isinstance(outcome, str):
            self.status_label.setText(outcome)
            show_error(self, outcome)
        elif outcome.finished:
            self.status_label.setText(_("Done: {sent} sent, {failed} failed, {skipped} skipped.").format(
                sent=outcome.progress.count(RecipientState.SENT), failed=outcome.progress.count(RecipientState.FAILED),
                skipped=outcome.progress.count(RecipientState.SKIPPED)))
        else:
            self.status_label.setText(outcome.problem or _("Stopped; Resume sends the rest."))

    def show_latest_counts(self) -> None:
        """The newest counts of the runs under way, in the campaigns table."""
        for campaign_id, counts in self.latest.items():
            self.model.show_counts(campaign_id, counts)
        self.latest.clear()
        self._enable()

    def _show_counts(self, counts: dict[str, int], last: str) -> None:
        progress = SendProgress(counts, last)
        self.progress.setMaximum(max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.progress.setFormat(_("{done} of {total}").format(done=progress.done, total=progress.total))
        if last:
            self.status_label.setText(last)
