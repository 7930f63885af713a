"""Runs the daily automation events at start-up and then every few minutes, so the first desk to see a day runs it.

The same ticks have the last year's visits and revenue per client counted for the new day
(``services/clients/sales_year.py``), in a thread: a second or two on a big database.

It also sends the emails the rules queued (``services/automations/email_worker.py``, in a
process of its own): after each daily run and whenever the minute's check finds some waiting.
"""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtCore import QObject, QProcess, QTimer

from salon_desk import i18n
from salon_desk.errors import SalonError
from salon_desk.services import Changes, Services
from salon_desk.ui.common.bus import DataBus

log = logging.getLogger(__name__)

FIRST_RUN_MS = 5_000
INTERVAL_MS = 10 * 60 * 1000
"""A desk left open over midnight runs the new day within ten minutes (the service runs a day once)."""
EMAIL_CHECK_MS = 60 * 1000
"""How often the desk looks for queued automation emails (one small query)."""
EMAIL_WORKER = "salon_desk.services.automations.email_worker"


class DailyRunner(QObject):
    """Asks the automations service to run today's daily events; the database decides which desk runs them."""

    def __init__(self, services: Services, bus: DataBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.bus = services, bus
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.run)
        self.timer.start()
        self.email_timer = QTimer(self)
        self.email_timer.setInterval(EMAIL_CHECK_MS)
        self.email_timer.timeout.connect(self.send_emails)
        self.email_timer.start()
        self.sender: QProcess | None = None
        self.counting: threading.Thread | None = None
        # A child timer, not QTimer.singleShot(ms, callable): it dies with the runner, so a window
        # closed within the first seconds never has a run called on its deleted objects.
        self.first_run = QTimer(self)
        self.first_run.setSingleShot(True)
        self.first_run.timeout.connect(self.run)
        self.first_run.start(FIRST_RUN_MS)

    def run(self) -> None:
        """Run today's events unless a desk did already; tell the views when clients were changed."""
        self.refresh_sales_year()
        try:
            result = self.services.automations.run_daily()
        except SalonError as error:  # a locked or unreachable database: the next tick tries again
            log.warning("daily automations did not run: %s", error.message)
            return
        if result is not None and result.clients:
            self.bus.publish(Changes(all_clients=True, tasks=True, automations=True))
        self.send_emails()

    def refresh_sales_year(self) -> threading.Thread | None:
        """Count the last year's sales per client for today in a thread, unless one is still counting."""
        if self.counting is not None and self.counting.is_alive():
            return None

        def count() -> None:
            try:
                self.services.segments.refresh_sales_year()
            except Exception:  # noqa: BLE001 - segments read the sales themselves meanwhile; the next tick tries again
                log.exception("the last year's sales were not counted")

        self.counting = threading.Thread(target=count, name="sales-year", daemon=True)
        self.counting.start()
        return self.counting

    def send_emails(self) -> bool:
        """Start the sender when automation emails wait and none runs here; True if started."""
        if self.sender is not None:
            return False
        try:
            if not self.services.automations.emails_waiting():
                return False
        except SalonError as error:
            log.warning("automation emails not checked: %s", error.message)
            return False
        url = self.services.db.url.render_as_string(hide_password=False)
        process = QProcess(self)
        process.finished.connect(self._on_finished)  # a bound slot: no closure keeping the runner alive
        self.sender = process
        process.start(sys.executable, ["-m", EMAIL_WORKER, url, "--language", i18n.language()])
        return True

    def wait(self, timeout_ms: int = 30_000) -> None:
        """Wait for the sender to end (closing the window, tests)."""
        if self.sender is not None:
            self.sender.waitForFinished(timeout_ms)

    def stop(self) -> None:
        """Stop the timers and wait for a running sender (the window closes)."""
        for timer in (self.first_run, self.timer, self.email_timer):
            timer.stop()
        self.wait()

    def _on_finished(self, *_args: object) -> None:
        if self.sender is not None:
            self._sent(self.sender)

    def _sent(self, process: QProcess) -> None:
        output = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace").strip()
        if '"error"' in output or process.exitCode() != 0:
            errors = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            log.warning("automation emails: %s %s", output, errors[-2000:])
        self.sender = None
        process.deleteLater()
        self.bus.publish(Changes(automations=True))
