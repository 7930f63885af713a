"""Queue and send one campaign in a process of its own: ``python -m salon_desk.services.marketing.send_worker``.

The campaigns page starts it (``ui/marketing/campaign_runner.py``). A process, not a
thread, because building messages and writing the outbox is Python work: in a thread it
holds the interpreter lock the UI thread needs, and on a busy computer the window froze
for up to a second at a time; in a process of its own it never waits for the sender.

Arguments: the database URL, the campaign id, the language, and who sends (staff id,
name, role; the sender checks the role). Output, one JSON object per line on stdout:
``{"counts": {...}, "last": "...", "rows": [[id, state, reason, sent_at], ...]}`` while sending (at most
every ``PROGRESS_S``; ``rows``: the rows settled since the line before), then
``{"finished": bool, "problem": "...", "counts": {...}}`` or ``{"error": "..."}``.
A line "stop" on stdin (or stdin closing) cancels after the message on its way.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from typing import Any

PROGRESS_S = 0.1
NICENESS = 5
"""The sender yields the processor to the window on a busy computer (it waits for the server most of the time)."""
BELOW_NORMAL_PRIORITY_CLASS = 0x4000
"""The same on Windows: the priority class ``SetPriorityClass`` gives the sending process."""


def _emit(data: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def _listen(stop: threading.Event) -> None:
    """Cancel when "stop" arrives or the parent goes away (stdin closes)."""
    for line in sys.stdin:
        if line.strip() == "stop":
            break
    stop.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="send_worker")
    parser.add_argument("url")
    parser.add_argument("campaign_id", type=int)
    parser.add_argument("--language", default="")
    parser.add_argument("--staff-id", type=int, default=None)
    parser.add_argument("--staff-name", default="Salon Desk")
    parser.add_argument("--role", default="")
    args = parser.parse_args(argv)

    from salon_desk import i18n
    from salon_desk.db import Database
    from salon_desk.errors import SalonError
    from salon_desk.models.staff import Role
    from salon_desk.services.common import Actor, Workstation
    from salon_desk.services.marketing.campaigns import CampaignService
    from salon_desk.services.marketing.sender import CampaignSender, SendProgress

    if args.language:
        i18n.set_language(args.language)
    actor = Actor(args.staff_id, args.staff_name, Role(args.role) if args.role else None)
    stop = threading.Event()
    threading.Thread(target=_listen, args=(stop,), daemon=True).start()
    last_sent = [0.0]
    settled: list[list[object]] = []

    def progress(step: SendProgress) -> None:
        settled.extend([r.id, r.state.value, r.reason, r.sent_at.isoformat() if r.sent_at else None] for r in step.rows)
        now = time.monotonic()
        if now - last_sent[0] >= PROGRESS_S:
            last_sent[0] = now
            _emit({"counts": step.counts, "last": step.last, "rows": settled})
            settled.clear()

    db = Database(args.url)
    workstation = Workstation(actor)
    try:
        # new audience members join the outbox (one INSERT … SELECT), then the queued rows are sent
        CampaignService(db, workstation).queue(args.campaign_id)
        result = CampaignSender(db, workstation).send_pending(args.campaign_id, stop.is_set, progress)
    except SalonError as error:
        _emit({"error": error.message})
        return 1
    finally:
        db.dispose()
    _emit({"finished": result.finished, "problem": result.problem, "counts": result.progress.counts})
    return 0


def lower_priority(platform: str = sys.platform, kernel32: Any = None) -> None:
    """Yield the processor to the window: nice 5 on POSIX, "below normal" priority on Windows.

    Without it, the window's event loop waited up to 144 ms while sending started.
    """
    if platform == "win32":
        if kernel32 is None:
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)
    elif hasattr(os, "nice"):
        os.nice(NICENESS)


if __name__ == "__main__":
    lower_priority()
    sys.exit(main())
