"""A local SMTP server for the campaign benchmark, in a process of its own: counts what it receives.

    python -m benchmarks.smtp_sink PORT

Prints "ready" once listening; on SIGTERM prints "received N distinct D" and ends.
"""

from __future__ import annotations

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    """Counts every delivery and every distinct address."""

    def __init__(self) -> None:
        self.count = 0
        self.addresses: set[str] = set()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.count += len(envelope.rcpt_tos)
        self.addresses.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def main() -> None:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    print(f"received {sink.count} distinct {len(sink.addresses)}", flush=True)


if __name__ == "__main__":
    main()
