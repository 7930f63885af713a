"""A till killed (SIGKILL) at random moments while selling loses nothing and leaves no gap.

A child process sells in a loop; the test kills it at random moments, starts it again,
and finally checks the database: intact, receipt numbers without gaps, every sale with
its lines and totals equal to them. About 200 sales in CI; the longer run is
``benchmarks/bench_crash_sales.py``.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from salon_desk.models import Sale, SaleLine
from salon_desk.services import open_services

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

ROOT = Path(__file__).resolve().parents[3]

SELLING_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from checkout_shop import make_shop
from salon_desk.models import PaymentMethod
from salon_desk.services import open_services
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
services = open_services({url!r})
if not services.catalog.list_items():
    make_shop(services)
items = [i.id for i in services.catalog.list_items() if i.active and not i.restricted_to][:4]
print("selling", flush=True)
n = 0
while True:
    lines = tuple(CartLine(items[(n + k) % len(items)], 1 + k) for k in range(1 + n % 3))
    services.checkout.complete(None, Cart(lines), Payment(PaymentMethod.CARD))
    n += 1
    print(n, flush=True)
"""


def sell_until_killed(url: str, home: Path, sales: int, rng: random.Random) -> int:
    """Run the selling child until it has sold about ``sales`` and kill it at a random moment; sales seen."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SALON_DESK_HOME=str(home))
    script = SELLING_CHILD.format(tests=str(ROOT / "tests"), url=url)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "selling"
    seen = 0
    deadline = time.monotonic() + 120
    while seen < sales and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        seen = int(line)
    time.sleep(rng.uniform(0, 0.02))  # somewhere inside the next sale
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return seen


def check_books(url: str) -> int:
    """Gapless numbers, lines under every sale, totals equal to their lines; the number of sales."""
    services = open_services(url)
    with services.db.read() as session:
        numbers = list(session.scalars(select(Sale.number).order_by(Sale.number)))
        assert numbers == list(range(1, len(numbers) + 1))
        line_sums = dict(session.execute(select(SaleLine.sale_id, func.sum(SaleLine.line_total)).group_by(SaleLine.sale_id)).all())
        for sale_id, total in session.execute(select(Sale.id, Sale.total_gross)):
            assert sale_id in line_sums, f"sale {sale_id} has no lines"
            assert Decimal(line_sums[sale_id]) == total
    services.db.dispose()
    return len(numbers)


def crash_run(url: str, home: Path, kills: int, per_run: int, seed: int) -> int:
    rng = random.Random(seed)
    seen = 0
    for _ in range(kills):
        seen += sell_until_killed(url, home, rng.randint(per_run // 2, per_run), rng)
    stored = check_books(url)
    assert stored >= seen  # every sale the till reported as done is in the books
    return stored


def test_a_till_killed_while_selling_on_sqlite_loses_nothing(tmp_path):
    db = tmp_path / "salon.sqlite3"
    stored = crash_run(f"sqlite:///{db}", tmp_path, kills=8, per_run=50, seed=11)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stored >= 100


@pytest.mark.postgresql
def test_a_till_killed_while_selling_on_postgresql_loses_nothing(pg_url, tmp_path):
    from conftest import _truncate_all  # a clean shared database for the child

    from salon_desk.db import Database

    _truncate_all(Database(pg_url))
    assert crash_run(pg_url, tmp_path, kills=4, per_run=40, seed=12) >= 40
