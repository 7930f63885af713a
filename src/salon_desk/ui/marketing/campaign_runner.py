"""Sends campaigns in a worker thread and reports progress to the UI thread through Qt signals.

The service does the work (``CampaignSender.send_pending``, Qt-free); this object only owns
the threads, the Cancel flags and the signals, so the page, the client list's bulk menu
and the editor all see the same runs.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.marketing.sender import CampaignSender, SendProgress, SendResult

log = logging.getLogger(__name__)


class CampaignRunner(QObject):
    """At most one run per campaign; each in its own thread."""

    sig_progress = Signal(int, object)
    """A run moved on (emitted from the worker thread, delivered in the UI thread).

    Args:
        campaign_id (int): the campaign.
        progress (SendProgress): the outbox's counts and the newest outcome.
    """

    sig_finished = Signal(int, object)
    """A run ended.

    Args:
        campaign_id (int): the campaign.
        result (SendResult | str): how it ended, or the message of the error that stopped it.
    """

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.stops: dict[int, threading.Event] = {}
        self.threads: dict[int, threading.Thread] = {}

    def is_running(self, campaign_id: int) -> bool:
        """True while a run of the campaign is under way here."""
        return campaign_id in self.threads

    def start(self, campaign_id: int) -> bool:
        """Queue the campaign (new audience members join) and send it, both in the worker thread (queuing
        10,000 clients is one INSERT … SELECT, still too long for the UI thread); False when it runs already."""
        if self.is_running(campaign_id):
            return False
        stop = threading.Event()
        self.stops[campaign_id] = stop
        thread = threading.Thread(target=self._work, args=(campaign_id, stop), name=f"campaign-{campaign_id}", daemon=True)
        self.threads[campaign_id] = thread
        thread.start()
        return True

    def cancel(self, campaign_id: int) -> None:
        """Stop after the message being sent now (the rest stays queued)."""
        if campaign_id in self.stops:
            self.stops[campaign_id].set()

    def wait(self, timeout: float = 10.0) -> None:
        """Wait for every run to end (closing the window, tests)."""
        for thread in list(self.threads.values()):
            thread.join(timeout)

    def _work(self, campaign_id: int, stop: threading.Event) -> None:
        sender = CampaignSender(self.services.db, self.services.workstation)
        outcome: SendResult | str
        try:
            self.services.campaigns.queue(campaign_id)
            outcome = sender.send_pending(campaign_id, stop.is_set, lambda p: self._progress(campaign_id, p))
        except SalonError as error:
            outcome = error.message
        except Exception as error:  # noqa: BLE001 - a worker must never die silently
            log.exception("campaign %s stopped", campaign_id)
            outcome = _("Sending stopped: {error}").format(error=error.__class__.__name__)
        self.threads.pop(campaign_id, None)
        self.stops.pop(campaign_id, None)
        self.sig_finished.emit(campaign_id, outcome)

    def _progress(self, campaign_id: int, progress: SendProgress) -> None:
        self.sig_progress.emit(campaign_id, progress)


_RUNNERS: dict[int, CampaignRunner] = {}


def runner_for(services: Services) -> CampaignRunner:
    """The one runner of this open database."""
    key = id(services.db)
    if key not in _RUNNERS:
        _RUNNERS[key] = CampaignRunner(services)
    return _RUNNERS[key]
