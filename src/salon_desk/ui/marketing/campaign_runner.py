"""Sends campaigns in worker processes (``services/marketing/send_worker.py``) and reports their progress.

Why a process and not a thread: see ``send_worker``. The runner owns the processes and
turns their output lines into Qt signals, so the page, the client list's bulk menu and
the editor all see the same runs. The worker also queues the outbox (one INSERT … SELECT
over the audience), so nothing of it runs in the UI thread; a refusal (no mail server,
an SMS campaign) comes back as the run's outcome.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime

from PySide6.QtCore import QObject, QProcess, Signal

from salon_desk import i18n
from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.models.campaign import RecipientState
from salon_desk.services.marketing.sender import RowOutcome, SendProgress, SendResult

log = logging.getLogger(__name__)
WORKER = "salon_desk.services.marketing.send_worker"


class CampaignRunner(QObject):
    """At most one run per campaign; each in its own process."""

    sig_progress = Signal(int, object)
    """A run moved on.

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
        self.processes: dict[int, QProcess] = {}
        self.outcomes: dict[int, SendResult | str] = {}

    def is_running(self, campaign_id: int) -> bool:
        """True while a run of the campaign is under way here."""
        return campaign_id in self.processes

    def start(self, campaign_id: int) -> bool:
        """Start sending the campaign's queued rows; False when it is already being sent here."""
        if self.is_running(campaign_id):
            return False
        actor = self.services.workstation.actor
        url = self.services.db.url.render_as_string(hide_password=False)
        arguments = ["-m", WORKER, url, str(campaign_id), "--language", i18n.language(),
                     "--staff-name", actor.name, "--role", actor.role.value if actor.role else ""]
        if actor.staff_id is not None:
            arguments += ["--staff-id", str(actor.staff_id)]
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.readyReadStandardOutput.connect(lambda: self._read(campaign_id, process))
        process.finished.connect(lambda *_args: self._finished(campaign_id, process))
        self.processes[campaign_id] = process
        self.outcomes.pop(campaign_id, None)
        process.start(sys.executable, arguments)
        return True

    def cancel(self, campaign_id: int) -> None:
        """Stop after the message being sent now (the rest stays queued)."""
        process = self.processes.get(campaign_id)
        if process is not None:
            process.write(b"stop\n")

    def wait(self, timeout_ms: int = 30_000) -> None:
        """Wait for every run to end (closing the window, tests)."""
        for process in list(self.processes.values()):
            process.waitForFinished(timeout_ms)

    def _read(self, campaign_id: int, process: QProcess) -> None:
        while process.canReadLine():
            line = bytes(process.readLine().data()).decode("utf-8", "replace").strip()
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if "error" in data:
                self.outcomes[campaign_id] = str(data["error"])
            elif "finished" in data:
                progress = SendProgress(dict(data["counts"]), "")
                self.outcomes[campaign_id] = SendResult(progress, bool(data["finished"]), str(data["problem"]))
            else:
                rows = tuple(_outcome(row) for row in data.get("rows", ()))
                self.sig_progress.emit(campaign_id, SendProgress(dict(data["counts"]), str(data.get("last", "")), rows))

    def _finished(self, campaign_id: int, process: QProcess) -> None:
        self._read(campaign_id, process)
        self.processes.pop(campaign_id, None)
        outcome = self.outcomes.pop(campaign_id, None)
        if outcome is None:
            errors = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            log.error("campaign %s: the sending process ended without a result: %s", campaign_id, errors[-2000:])
            outcome = _("Sending stopped unexpectedly; Resume sends the rest.")
        process.deleteLater()
        self.sig_finished.emit(campaign_id, outcome)


def _outcome(row: list[object]) -> RowOutcome:
    """One settled row of a progress line: ``[id, state, reason, sent_at]``."""
    row_id, state, reason, sent_at = row
    return RowOutcome(int(row_id), RecipientState(state), str(reason),  # type: ignore[call-overload]
                      datetime.fromisoformat(sent_at) if isinstance(sent_at, str) else None)


_RUNNERS: dict[int, CampaignRunner] = {}


def runner_for(services: Services) -> CampaignRunner:
    """The one runner of this open database."""
    key = id(services.db)
    if key not in _RUNNERS:
        _RUNNERS[key] = CampaignRunner(services)
    return _RUNNERS[key]
