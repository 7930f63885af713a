"""SIGKILL the sending process in the middle of a 500-recipient campaign, resume: every consenting client has
exactly one message, and no other client any (the issue's acceptance run, against a real SMTP server)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import smtp_server
from campaign_world import add_clients, campaign_to, consenting, recipient_list, smtp_to
from salon_desk.models.campaign import RecipientState

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

SEND = """
import sys
from salon_desk.db import Database
from salon_desk.services.marketing.sender import CampaignSender
db = Database(sys.argv[1])
result = CampaignSender(db, retry_delays=(0.05,)).send_pending(int(sys.argv[2]))
print("finished" if result.finished else "stopped: " + result.problem)
"""


def start_sender(url: str, campaign_id: int) -> subprocess.Popen[bytes]:
    src = Path(__file__).parents[3] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.Popen([sys.executable, "-c", SEND, url, str(campaign_id)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(condition, timeout: float = 40.0) -> None:  # noqa: ANN001
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.002)


def test_sigkill_halfway_and_resume_sends_each_consenting_client_exactly_one_message(app_services) -> None:
    services = app_services
    rng = random.Random()
    yes = add_clients(services, consenting(500))
    no = add_clients(services, [{"email": f"nein{i}@kunden.example", "email_consent": False} for i in range(40)])
    url = services.db.url.render_as_string(hide_password=False)
    with smtp_server.running() as server:
        smtp_to(services, server.port)
        campaign_id = campaign_to(services, recipient_list(services, yes + no))
        services.campaigns.queue(campaign_id)
        # kill at random moments: around 120, 250 and 380 messages delivered, plus a random few milliseconds
        for target in (120, 250, 380):
            process = start_sender(url, campaign_id)
            wait_for(lambda t=target, p=process: len(server.handler.delivered) >= t or p.poll() is not None)
            time.sleep(rng.uniform(0, 0.02))
            process.send_signal(signal.SIGKILL)
            process.wait()
            assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]
        process = start_sender(url, campaign_id)
        out, err = process.communicate(timeout=60)
        assert out.decode().strip() == "finished", err.decode()[-2000:]
        counts = server.handler.count_by_address()
    assert {a: n for a, n in counts.items() if n != 1} == {}, "a client got more than one message"
    assert set(counts) == {f"k{i}@kunden.example" for i in range(500)}
    info = services.campaigns.get(campaign_id)
    assert info.count(RecipientState.SENT) + info.count(RecipientState.UNCERTAIN) == 500
    assert info.count(RecipientState.SKIPPED) == 40 and info.count(RecipientState.QUEUED) == 0
    assert info.status == "done"


def test_the_sending_process_runs_below_the_windows_priority() -> None:
    """On POSIX the process is niced; on Windows it asks for the "below normal" priority class."""
    from salon_desk.services.marketing import send_worker

    script = "import os; from salon_desk.services.marketing.send_worker import lower_priority; lower_priority(); " \
             "print(os.getpriority(os.PRIO_PROCESS, 0))"  # fmt: skip
    before = os.getpriority(os.PRIO_PROCESS, 0)
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert int(shown) == min(before + send_worker.NICENESS, 19)

    class Kernel32:
        def __init__(self) -> None:
            self.calls: list[tuple[int, int]] = []

        def GetCurrentProcess(self) -> int:  # noqa: N802 - the Windows API's name
            return -1

        def SetPriorityClass(self, handle: int, priority: int) -> bool:  # noqa: N802
            self.calls.append((handle, priority))
            return True

    kernel32 = Kernel32()
    send_worker.lower_priority("win32", kernel32)
    assert kernel32.calls == [(-1, 0x4000)]  # BELOW_NORMAL_PRIORITY_CLASS of the Windows API
    assert os.getpriority(os.PRIO_PROCESS, 0) == before  # this process was not niced instead
