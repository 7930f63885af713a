"""Every consent record of one client, newest first: when, channel, granted or withdrawn, kind, source, text, who."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem
from PySide6.QtWidgets import QVBoxLayout, QWidget

from salon_desk.i18n import N_, _, format_date
from salon_desk.services import Services
from salon_desk.services.clients.consent_log import channel_label, kind_label, source_label
from salon_desk.services.marketing.consent import ConsentEntry
from salon_desk.ui.common.forms import RememberedDialog

COLUMNS = (
    N_("When"), N_("Channel"), N_("Grant or withdrawal"), N_("Kind"), N_("Source"), N_("Text shown"), N_("Recorded by"),
)  # fmt: skip


def format_moment(moment: datetime) -> str:
    """A stored UTC time as the local date and time of day."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return f"{format_date(local.date())} {local:%H:%M}"


def entry_cells(entry: ConsentEntry) -> list[str]:
    """The table row of one record."""
    return [
        format_moment(entry.recorded_at),
        channel_label(entry.channel),
        _("granted") if entry.granted else _("withdrawn"),
        kind_label(entry.kind),
        source_label(entry.source),
        entry.wording,
        entry.recorded_by,
    ]


class ConsentHistoryDialog(RememberedDialog):
    """The full consent history of a client (read only: records are never edited)."""

    def __init__(self, services: Services, client_id: int, client_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentHistoryDialog")
        self.setWindowTitle(_("Consent history — {name}").format(name=client_name))
        entries = services.consent.history(client_id)
        self.table = QTableWidget(len(entries), len(COLUMNS))
        self.table.setObjectName("consentHistoryTable")
        self.table.setHorizontalHeaderLabels([_(title) for title in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        for row, entry in enumerate(entries):
            for column, text in enumerate(entry_cells(entry)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        empty = QLabel(_("No consent has been recorded for this client yet."))
        empty.setObjectName("consentHistoryEmptyLabel")
        empty.setVisible(not entries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(960, 480)
        self.restore()

    def rows(self) -> list[list[str]]:
        """The table's text, row by row (what the user reads)."""
        return [
            [self.table.item(row, column).text() for column in range(self.table.columnCount())]
            for row in range(self.table.rowCount())
        ]
