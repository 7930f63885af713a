"""The outbox of one campaign as a table (``campaignRecipientsTable``): pages fetched by row id as the view scrolls."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from salon_desk.i18n import _, format_date
from salon_desk.models.campaign import RecipientState
from salon_desk.services.marketing.audience import skip_label
from salon_desk.services.marketing.campaigns import CampaignService, RecipientRow, state_label
from salon_desk.services.marketing.sender import RowOutcome

PAGE = 100  # a few screens; read in the UI thread, so small (the view fetches more as it scrolls)
COLORS = {RecipientState.FAILED: QColor("#C62828"), RecipientState.SKIPPED: QColor("#8A8A8A"),
          RecipientState.SENT: QColor("#2E7D32")}
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class RecipientsModel(QAbstractTableModel):
    """Client, address, state, and the time sent or the reason (server's reply or skip reason)."""

    def __init__(self, campaigns: CampaignService, parent: Any = None) -> None:
        super().__init__(parent)
        self.campaigns = campaigns
        self.campaign_id: int | None = None
        self.rows: list[RecipientRow] = []
        self.more = False
        self.titles = [_("Client"), _("Address"), _("State"), _("Sent / reason")]

    def show_campaign(self, campaign_id: int | None) -> None:
        """Show another campaign's outbox (None: nothing)."""
        self.campaign_id = campaign_id
        self.refresh(keep=PAGE)

    def refresh(self, keep: int | None = None) -> None:
        """Read the rows shown so far again (their states change while sending)."""
        wanted = max(keep or len(self.rows), PAGE)
        self.beginResetModel()
        self.rows = []
        if self.campaign_id is not None:
            self.rows = self.campaigns.recipients(self.campaign_id, 0, wanted)
        self.more = len(self.rows) == wanted
        self.endResetModel()

    def apply_outcomes(self, campaign_id: int, outcomes: tuple[RowOutcome, ...]) -> None:
        """Put the rows the sending process settled in place (no database read); rows not loaded yet are read
        fresh when the view scrolls to them."""
        if campaign_id != self.campaign_id or not outcomes or not self.rows:
            return
        changed = []
        for outcome in outcomes:
            n = bisect_left(self.rows, outcome.id, key=lambda row: row.id)  # the rows are in id order
            if n < len(self.rows) and self.rows[n].id == outcome.id:
                self.rows[n] = replace(self.rows[n], state=outcome.state, reason=outcome.reason,
                                       sent_at=outcome.sent_at)
                changed.append(n)
        if changed:
            self.dataChanged.emit(self.index(min(changed), 2), self.index(max(changed), len(self.titles) - 1))

    def canFetchMore(self, parent: Index = ROOT) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self.more

    def fetchMore(self, parent: Index = ROOT) -> None:  # noqa: N802 - Qt override
        if self.campaign_id is None or not self.rows:
            return
        page = self.campaigns.recipients(self.campaign_id, self.rows[-1].id, PAGE)
        self.more = len(page) == PAGE
        if page:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self.titles[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            row = self.rows[index.row()]
            column = index.column()
            if column == 0:
                return row.name
            if column == 1:
                return row.address
            if column == 2:
                return state_label(row.state)
            return self._detail(row)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2:
            color = COLORS.get(self.rows[index.row()].state)
            return QBrush(color) if color is not None else None
        return None

    @staticmethod
    def _detail(row: RecipientRow) -> str:
        if row.state == RecipientState.SENT and row.sent_at is not None:
            moment = row.sent_at.astimezone()
            return f"{format_date(moment.date())} {moment.strftime('%H:%M:%S')}"
        if row.state == RecipientState.SKIPPED:
            return skip_label(row.reason)
        return row.reason
