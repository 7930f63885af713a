"""Runs the daily automation events at start-up and then every few minutes, so the first desk to see a day runs it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from salon_desk.errors import SalonError
from salon_desk.services import Changes, Services
from salon_desk.ui.common.bus import DataBus

log = logging.getLogger(__name__)

FIRST_RUN_MS = 5_000
INTERVAL_MS = 10 * 60 * 1000
"""A desk left open over midnight runs the new day within ten minutes (the service runs a day once)."""


class DailyRunner(QObject):
    """Asks the automations service to run today's daily events; the database decides which desk runs them."""

    def __init__(self, services: Services, bus: DataBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.bus = services, bus
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.run)
        self.timer.start()
        QTimer.singleShot(FIRST_RUN_MS, self.run)

    def run(self) -> None:
        """Run today's events unless a desk did already; tell the views when clients were changed."""
        try:
            result = self.services.automations.run_daily()
        except SalonError as error:  # a locked or unreachable database: the next tick tries again
            log.warning("daily automations did not run: %s", error.message)
            return
        if result is not None and result.clients:
            self.bus.publish(Changes(all_clients=True, tasks=True, automations=True))
