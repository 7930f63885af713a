"""The navigation entry of the tasks page with the number of open tasks due today or earlier."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QListWidgetItem

from salon_desk.i18n import _, ngettext
from salon_desk.services import Changes, Services
from salon_desk.ui.common.bus import DataBus

REFRESH_MS = 5 * 60 * 1000
"""Also counted every five minutes: tasks fall due at midnight and come from other desks."""


class TaskBadge(QObject):
    """Keeps "Tasks (3)" in the navigation up to date."""

    def __init__(self, item: QListWidgetItem, services: Services, bus: DataBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.item, self.services = item, services
        self.count = 0
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        bus.sig_data_changed.connect(self.on_data_changed)
        self.refresh()

    def refresh(self) -> None:
        """Count the open tasks due today or earlier and show the number beside the title."""
        self.count = self.services.tasks.open_due_count()
        title = _("Tasks")
        self.item.setText(f"{title} ({self.count})" if self.count else title)
        self.item.setToolTip(
            ngettext("{n} open task due today or earlier", "{n} open tasks due today or earlier", self.count).format(n=self.count)
        )

    def on_data_changed(self, changes: Changes) -> None:
        """Tasks changed, or the person signed in (their tasks differ)."""
        if changes.tasks or changes.staff or changes.touches_clients():
            self.refresh()
