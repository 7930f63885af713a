"""The report of clients without a visit for N years, to erase in bulk (GDPR storage limitation)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_date, ngettext
from salon_desk.services import Services
from salon_desk.services.data.privacy import DEFAULT_YEARS, InactiveClient
from salon_desk.services.permissions import Permission
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.data.privacy_actions import erase_clients, privacy
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.role_gate import gate
from salon_desk.ui.common.page_parts import hint_label, push_button, record_table, selected_records
from salon_desk.ui.common.row_table_model import Column, RowTableModel


class InactivePanel(QGroupBox):
    """Clients whose last visit is N years ago or more; select and erase them after a confirmation."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(_("Clients without a visit"), parent)
        self.setObjectName("inactivePanel")
        self.services = services
        self.bus = bus
        self.years_spin = QSpinBox()
        self.years_spin.setObjectName("inactiveYearsSpin")
        self.years_spin.setRange(1, 50)
        self.years_spin.setValue(DEFAULT_YEARS)
        self.years_spin.setSuffix(_(" years"))
        self.model = RowTableModel([
            Column(_("No."), lambda c: str(c.id), lambda c: c.id),
            Column(_("Name"), lambda c: c.name),
            Column(_("Last visit"), lambda c: format_date(c.last_visit) or _("never"), lambda c: c.last_visit or c.created),
            Column(_("Client since"), lambda c: format_date(c.created), lambda c: c.created),
        ], lambda c: c.id, parent=self)  # fmt: skip
        self.table = record_table("inactiveClientsTable", self.model, stretch_column=1, multi=True)
        self.count_label = QLabel()
        self.count_label.setObjectName("inactiveCountLabel")
        self.erase_button = push_button(_("Erase selected…"), "eraseInactiveButton", self.erase_selected)
        gate(self.erase_button, Permission.ERASE_CLIENTS, services, bus)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("No visit for at least")))
        row.addWidget(self.years_spin)
        row.addWidget(push_button(_("Find"), "findInactiveButton", self.find))
        row.addWidget(self.count_label, 1)
        row.addWidget(push_button(_("Select all"), "selectAllInactiveButton", self.table.selectAll))
        row.addWidget(self.erase_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(_("Personal data may be kept only as long as it is needed. Clients who have "
                                      "not come for years can be erased here; their sales stay.")))  # fmt: skip
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def find(self) -> list[InactiveClient]:
        """List the clients without a visit for the chosen number of years."""
        try:
            found = privacy(self.services).inactive(self.years_spin.value())
        except SalonError as exc:
            show_error(self, exc.message)
            return []
        self.model.set_rows(found)
        self.count_label.setText(ngettext("{count} client", "{count} clients", len(found)).format(count=len(found)))
        return found

    def erase_selected(self) -> int:
        """Erase the selected clients after the confirmation naming what stays."""
        ids = [c.id for c in selected_records(self.table) if isinstance(c, InactiveClient)]
        if not ids:
            show_error(self, _("Select the clients to erase first."))
            return 0
        count = erase_clients(self, self.services, self.bus, ids, self.count_label.setText)
        if count:
            self.find()
            self.count_label.setText(ngettext("{count} client erased.", "{count} clients erased.", count).format(
                count=count))  # fmt: skip
        return count
