"""The "Your data" page: backups and restore, client import, clients to erase."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.data.backups_panel import BackupsPanel
from salon_desk.ui.data.inactive_panel import InactivePanel
from salon_desk.ui.common.page_parts import header_row, push_button
from salon_desk.ui.common.role_gate import gate
from salon_desk.services.permissions import Permission


class DataPage(QWidget):
    """Data safety and privacy in one place."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPage")
        self.services = services
        self.bus = bus
        self.import_button = push_button(_("Import clients…"), "importClientsButton", self.open_import)
        gate(self.import_button, Permission.EDIT_CLIENTS, services, bus)
        self.backups = BackupsPanel(services, bus, self)
        self.inactive = InactivePanel(services, bus, self)
        # One above the other: side by side they asked for 1,220 pixels, wider than a 1240-pixel window allows.
        panels = QSplitter(Qt.Orientation.Vertical)
        panels.setObjectName("dataSplitter")
        panels.setChildrenCollapsible(False)
        panels.addWidget(self.backups)
        panels.addWidget(self.inactive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(header_row(_("Your data"), self.import_button))
        layout.addWidget(panels, 1)

    def open_import(self) -> None:
        """The import dialog."""
        from salon_desk.ui.data.import_clients_dialog import ImportClientsDialog

        ImportClientsDialog(self.services, self.bus, self).exec()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # Copies written meanwhile (automatic, or from the File menu) are listed on each visit.
        if self.backups.backups.supported:
            self.backups.reload()
        super().showEvent(event)
