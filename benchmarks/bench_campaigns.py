"""A campaign to 10,000 recipients through a local SMTP server, sent from the campaigns page as a manager would.

    python -m benchmarks bench_campaigns --campaign-recipients 10000

Prints messages per second, memory (the UI process: Python's peak by tracemalloc and
the maximum resident size; the sending process: its maximum resident size), and the
longest time the UI thread's event loop was blocked: a QTimer ticks every 10 ms in the
UI thread while the sending process (``send_worker``) sends, and the
largest gap between ticks is reported (target: under 100 ms). Pressing Send (the page
starts the sending process, which queues the outbox with one INSERT … SELECT and sends)
is measured on its own. The SMTP server runs in a process of its own (``benchmarks.smtp_sink``).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import insert, select

TICK_MS = 10
TARGET_BLOCK_MS = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--campaign-recipients", type=int, default=10_000, help="recipients of the campaign benchmark")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _audience(services, count: int) -> int:  # type: ignore[no-untyped-def]
    """``count`` consenting clients (and a tenth as many without consent) on a recipient list; its id."""
    from salon_desk.models import Client, RecipientGroup, RecipientGroupMember
    from salon_desk.models.base import utcnow
    from salon_desk.textindex import client_search_text, sort_name

    with services.db.transaction() as session:
        first = (session.scalar(select(Client.id).order_by(Client.id.desc()).limit(1)) or 0) + 1
        group = RecipientGroup(name=f"Benchmark {first}", name_key=f"benchmark {first}")
        session.add(group)
        session.flush()
        rows = []
        for n in range(count + count // 10):
            name, consent = f"Kundin{first + n}", n < count
            email = f"k{first + n}@bench.example"
            rows.append({"id": first + n, "first_name": name, "last_name": "Müller", "email": email,
                         "email_consent": consent, "sort_name": sort_name(name, "Müller"),
                         "search_text": client_search_text(name, "Müller", "", email)})
        session.execute(insert(Client), rows)
        session.execute(insert(RecipientGroupMember), [
            {"recipient_group_id": group.id, "client_id": r["id"], "added_at": utcnow()} for r in rows])
        return group.id


def run(args: argparse.Namespace) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from salon_desk.models.campaign import AudienceKind
    from salon_desk.services import open_services
    from salon_desk.services.marketing.campaigns import CampaignData
    from salon_desk.services.marketing.smtp_link import Security
    from salon_desk.services.marketing.smtp_settings import SmtpSettings
    from salon_desk.ui.common.bus import DataBus
    from salon_desk.ui.marketing.campaign_runner import runner_for
    from salon_desk.ui.marketing.campaigns_page import CampaignsPage

    app = QApplication.instance() or QApplication([])
    services = open_services(args.database)
    count = args.campaign_recipients
    group = _audience(services, count)
    port = _free_port()
    root = str(Path(__file__).resolve().parents[1])
    sink = subprocess.Popen([sys.executable, "-m", "benchmarks.smtp_sink", str(port)], stdout=subprocess.PIPE, text=True,
                            cwd=root)
    assert sink.stdout is not None and sink.stdout.readline().strip() == "ready"
    services.smtp.save(SmtpSettings("127.0.0.1", port, Security.NONE, sender_name="Salon Sonne",
                                    sender_address="salon@sonne.example", rate_per_minute=0))
    info, _changes = services.campaigns.create(CampaignData(
        "Benchmark", "Hallo {first_name} – 10 % für Sie", "Hallo {first_name}, 10 % für {client_category}…",
        audience_kind=AudienceKind.RECIPIENTS, audience_id=group))
    from datetime import date

    from salon_desk.i18n import format_date

    format_date(date.today())  # the locale data loads once per app; not part of sending
    page = CampaignsPage(services, DataBus())
    page.resize(1200, 800)
    page.show()
    app.processEvents()
    gaps: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer(interval=TICK_MS)

    def tick() -> None:
        gaps.append(clock.restart())

    timer.timeout.connect(tick)
    runner = runner_for(services)
    tracemalloc.start()
    started = time.perf_counter()
    page.start(info.id)  # the worker queues the outbox, then sends
    queued = time.perf_counter() - started
    clock.start()
    timer.start()
    while runner.is_running(info.id):
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    elapsed = time.perf_counter() - started
    timer.stop()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sink.terminate()
    received = sink.communicate(timeout=30)[0].strip()
    final = services.campaigns.get(info.id)
    longest = max(gaps) if gaps else 0.0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child: sender or sink
    print(f"campaign to {count:,} consenting + {count // 10:,} skipped clients, SQLite file, local SMTP server")
    print(f"  Send pressed (UI thread):         {queued * 1000:,.0f} ms")
    print(f"  sent / skipped / failed:          {final.counts.get('sent', 0):,} / {final.counts.get('skipped', 0):,} / "
          f"{final.counts.get('failed', 0):,}   server: {received}")
    print(f"  time, messages per second:        {elapsed:,.1f} s, {count / elapsed:,.1f} msg/s")
    print(f"  UI process: peak Python memory (tracemalloc) {peak / 1024 / 1024:,.1f} MB, max resident size {rss:,.0f} MB")
    print(f"  sending process: max resident size {worker_rss:,.0f} MB")
    over = sum(1 for gap in gaps if gap > TARGET_BLOCK_MS)
    p99 = sorted(gaps)[int(0.99 * (len(gaps) - 1))] if gaps else 0.0
    print(f"  longest event-loop block:         {longest:,.0f} ms (ticks every {TICK_MS} ms; target < "
          f"{TARGET_BLOCK_MS} ms) over {len(gaps):,} ticks; p99 gap {p99:,.0f} ms, {over:,} gaps over {TARGET_BLOCK_MS} ms")
    worst = sorted(range(len(gaps)), key=lambda i: -gaps[i])[:5]
    print("  worst gaps (ms at tick):          " + ", ".join(f"{gaps[i]:,.0f} at {i:,}" for i in sorted(worst)))
    print(f"  load average during the run:      {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    page.close()
    services.db.dispose()
