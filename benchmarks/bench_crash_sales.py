"""The long crash run: a till killed (SIGKILL) at random moments over about 1,000 sales.

``python -m benchmarks.bench_crash_sales [--crash-sales 1000] [--crash-kills 40]`` sells
in a child process, kills it at random moments, starts it again and then checks the
books (integrity, gapless numbers, lines and totals). The suite runs the same check
over about 200 sales (tests/services/checkout/test_checkout_crash.py).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "services" / "checkout"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_checkout_crash import crash_run  # noqa: E402  (the suite's own crash loop)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This benchmark's options."""
    parser.add_argument("--crash-sales", type=int, default=1000, help="sales over the whole crash run")
    parser.add_argument("--crash-kills", type=int, default=40, help="how often the till is killed")


def run(args: argparse.Namespace) -> None:
    """Kill a selling till again and again on a SQLite file of its own, then check the books."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "crash.sqlite3"
        per_run = max(2, 2 * args.crash_sales // args.crash_kills)
        started = time.perf_counter()
        stored = crash_run(f"sqlite:///{db}", Path(folder), args.crash_kills, per_run, seed=2026)
        with sqlite3.connect(db) as connection:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        seconds = time.perf_counter() - started
        print(f"crash run: {args.crash_kills} kills, {stored:,} sales stored, integrity {integrity}, "
              f"numbers gapless, every sale with its lines and totals ({seconds:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    run(parser.parse_args())
