"""The managers' audit log page: who did what when, filtered by person, record kind and dates; CSV export."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, language, ngettext
from salon_desk.services import Changes, Services
from salon_desk.services.staff.audit import (
    ENTITY_LABELS,
    PAGE,
    WHO_SYSTEM,
    AuditFilter,
    AuditRow,
)
from salon_desk.ui.staff.audit_table_model import AuditTableModel
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import ERROR_STYLE
from salon_desk.ui.common.page_parts import ReloadWhenShown, page_title

ROW_HEIGHT = 26
DEFAULT_DAYS = 30
OK_STYLE = "color: #2E7D32;"


class AuditPage(ReloadWhenShown):
    """The log, newest first; loads when shown and again when something is saved."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.services = services
        self.bus = bus
        self.model = AuditTableModel(self)
        self._stale = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_filters())
        self.message_label = QLabel()
        self.message_label.setObjectName("auditMessageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        layout.addWidget(self._build_table(), 1)
        self.bus.sig_data_changed.connect(self.on_data_changed)

    def _build_header(self) -> QHBoxLayout:
        title = page_title(_("Audit log"))
        self.export_button = QPushButton(_("E&xport CSV…"))
        self.export_button.setObjectName("auditExportButton")
        self.export_button.clicked.connect(self.export_csv)
        row = QHBoxLayout()
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.export_button)
        return row

    def _build_filters(self) -> QHBoxLayout:
        self.who_combo = QComboBox()
        self.who_combo.setObjectName("auditWhoCombo")
        self.who_combo.setMinimumContentsLength(16)
        self.what_combo = QComboBox()
        self.what_combo.setObjectName("auditWhatCombo")
        self.what_combo.addItem(_("Everything"), None)
        for entity, label in sorted(ENTITY_LABELS.items(), key=lambda pair: _(pair[1]).casefold()):
            self.what_combo.addItem(_(label), entity.value)
        today = date.today()
        self.from_edit = _date_edit("auditFromEdit", today - timedelta(days=DEFAULT_DAYS))
        self.to_edit = _date_edit("auditToEdit", today)
        row = QHBoxLayout()
        for text, widget in ((_("&Who:"), self.who_combo), (_("W&hat:"), self.what_combo),
                             (_("&From:"), self.from_edit), (_("&To:"), self.to_edit)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            row.addSpacing(8)
        row.addStretch(1)
        self.who_combo.currentIndexChanged.connect(self.reload)
        self.what_combo.currentIndexChanged.connect(self.reload)
        self.from_edit.dateChanged.connect(self.reload)
        self.to_edit.dateChanged.connect(self.reload)
        return row

    def _build_table(self) -> QTableView:
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 100, 130, 170, 36, 190, 260, 160)):
            header.resizeSection(column, width)
        return self.table

    # -- data -------------------------------------------------------------------------

    def filters(self) -> AuditFilter:
        """The filters as chosen."""
        return AuditFilter(
            staff_id=self.who_combo.currentData(),
            entity=self.what_combo.currentData(),
            date_from=self.from_edit.date().toPython(),  # type: ignore[arg-type]
            date_to=self.to_edit.date().toPython(),  # type: ignore[arg-type]
        )

    def reload(self) -> None:
        """Load the first page for the chosen filters (managers only: anyone else sees why not)."""
        self._stale = False
        try:
            self._load_people()
        except SalonError as exc:
            self.model.reset(lambda _cursor: [])
            self.show_message(exc.message, ERROR_STYLE)
            return
        self.message_label.hide()
        self.model.reset(self._page)

    def _page(self, cursor: tuple[datetime, int] | None) -> list[AuditRow]:
        try:
            return self.services.audit.list(self.filters(), PAGE, cursor)
        except SalonError as exc:
            self.show_message(exc.message, ERROR_STYLE)
            return []

    def _load_people(self) -> None:
        """Everyone, Salon Desk itself and each person who appears in the log; the choice is kept."""
        people = self.services.audit.who()
        chosen = self.who_combo.currentData()
        self.who_combo.blockSignals(True)
        self.who_combo.clear()
        self.who_combo.addItem(_("Everyone"), None)
        self.who_combo.addItem(_("Salon Desk (automatic)"), WHO_SYSTEM)
        for staff_id, name in people:
            self.who_combo.addItem(name, staff_id)
        index = self.who_combo.findData(chosen)
        self.who_combo.setCurrentIndex(max(index, 0))
        self.who_combo.blockSignals(False)

    def on_data_changed(self, changes: Changes) -> None:
        """Every saved action may have written to the log: reload now if shown, else when shown."""
        self.reload_now_or_when_shown()

    def show_message(self, text: str, style: str) -> None:
        """A line above the table: an export result or why the log cannot be shown."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet(style)
        self.message_label.show()

    # -- export -----------------------------------------------------------------------

    def export_csv(self) -> None:
        """Write what the filters select to a CSV file chosen by the user."""
        suggestion = str(Path.home() / _("audit-log-{date}.csv").format(date=date.today().isoformat()))
        path, _filter = QFileDialog.getSaveFileName(self, _("Export audit log"), suggestion, _("CSV files (*.csv)"))
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        try:
            count = self.services.audit.export_csv(path, self.filters())
        except SalonError as exc:
            self.show_message(exc.message, ERROR_STYLE)
            return
        text = ngettext("{count} entry exported to {path}.", "{count} entries exported to {path}.", count)
        self.show_message(text.format(count=count, path=path), OK_STYLE)


def _date_edit(name: str, day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy" if language() == "de" else "d MMM yyyy")
    return edit
