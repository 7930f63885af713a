"""Statistics timings on generated clients and sales, beside raw SQL, and the cost per sale of keeping them.

    python -m benchmarks.generate --clients 1000000 --database sqlite:////tmp/b.sqlite3
    python -m benchmarks.generate_sales --generated-sales 5000000 --database sqlite:////tmp/b.sqlite3
    python -m benchmarks.bench_statistics --database sqlite:////tmp/b.sqlite3

Measures, median and slowest of ``--repeat`` runs:

- ``report``: ``StatisticsService.report`` for last year, every category and group and all
  clients, with the year before as comparison (what the page loads for "Last year");
- ``raw``: the same SQL statements the report sent, replayed with plain ``sqlite3`` or
  psycopg on the same database in the same run;
- ``from the sales``: revenue per category for the same year summed from the sales and
  their snapshots, without the totals (what the totals save);
- the extra time per completed sale of keeping the statistics: ``CheckoutService.complete``
  with and without the statistics hook, alternating, for clients with categories, and the
  time of the hook itself inside the sale's transaction (the difference of two commits
  with ``synchronous=FULL`` is noisy on a busy disk; the hook's own time is not).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select

from benchmarks import add_common_arguments, sqlite_file
from salon_desk.kinds import ItemKind
from salon_desk.models import ClientCategory, PaymentMethod
from salon_desk.services import Services, open_services
from salon_desk.services.checkout import checkout as checkout_module
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.statistics import Comparison, Preset, preset_range

CARD = Payment(PaymentMethod.CARD)
FROM_SALES = """SELECT c.category_id, SUM(s.total_gross), COUNT(*)
    FROM sale_categories c JOIN sale_snapshots n ON n.sale_id = c.sale_id JOIN sales s ON s.id = c.sale_id
    WHERE n.sold_on BETWEEN {start} AND {end} GROUP BY c.category_id"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The statistics benchmark's own options."""
    group = parser.add_argument_group("bench_statistics")
    group.add_argument("--repeat", type=int, default=7, help="reports timed (default 7)")
    group.add_argument("--checkout-sales", type=int, default=200, help="sales completed per variant (default 200)")


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:8.1f} / {max(times) * 1000:8.1f} ms"


def _timed(repeat: int, action: Callable[[], Any]) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def _captured(services: Services, action: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The SQL statements ``action`` sends, with their parameters."""
    sent: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(services.db.engine, "before_cursor_execute", listen)
    try:
        action()
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listen)
    return [(s, p) for s, p in sent if s.lstrip().upper().startswith("SELECT")]


def _raw_connection(url: str) -> Any:
    path = sqlite_file(url)
    if path is not None:
        return sqlite3.connect(str(path))
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql")
    return psycopg.connect(parsed.render_as_string(hide_password=False))


def _replay(connection: Any, statements: list[tuple[str, Any]]) -> None:
    cursor = connection.cursor()
    for statement, parameters in statements:
        cursor.execute(statement, parameters)
        cursor.fetchall()
    connection.rollback()


def _reports(services: Services, url: str, repeat: int) -> None:
    span = preset_range(Preset.LAST_YEAR, date.today())

    def report() -> Any:
        return services.statistics.report(span.start, span.end, Comparison.PREVIOUS_YEAR)

    rows = report()
    everyone = rows.rows[0]
    print(f"last year {span.start} – {span.end}: {len(rows.rows)} rows; all clients: {everyone.current.sales:,} "
          f"sales, {everyone.current.gross:,} gross; the year before: {everyone.previous.sales:,} sales"  # type: ignore[union-attr]
          )  # fmt: skip
    statements = _captured(services, report)
    print(f"report, last year beside the year before   {_ms(_timed(repeat, report))}  (median / slowest)")
    raw = _raw_connection(url)
    try:
        print(f"raw, the same {len(statements)} statements           {_ms(_timed(repeat, lambda: _replay(raw, statements)))}")
        literal = "'{}'" if sqlite_file(url) is not None else "DATE '{}'"
        query = FROM_SALES.format(start=literal.format(span.start), end=literal.format(span.end))
        print(f"from the sales, revenue per category, 1 yr  {_ms(_timed(min(repeat, 3), lambda: _replay(raw, [(query, ())])))}")
    finally:
        raw.close()


def _sale_cost(services: Services, count: int, seed: int) -> None:
    item = services.catalog.create_item(
        ItemData(name=f"Bench cut {time.time_ns() % 10**9}", kind=ItemKind.SERVICE, price=Decimal("49.00"))
    )[0].id
    with services.db.read() as session:
        clients = list(session.scalars(select(ClientCategory.client_id).distinct().limit(5000)))
    pick = random.Random(seed)
    hooked = checkout_module.record_sale
    inside: list[float] = []

    def timed_hook(*args: Any) -> None:
        started = time.perf_counter()
        hooked(*args)
        inside.append(time.perf_counter() - started)

    timings: dict[bool, list[float]] = {True: [], False: []}
    for block in range(0, count, 10):
        for keep in (True, False):
            checkout_module.record_sale = timed_hook if keep else (lambda *_args, **_kwargs: None)  # type: ignore[assignment]
            try:
                for _ in range(min(10, count - block)):
                    client = pick.choice(clients)
                    started = time.perf_counter()
                    services.checkout.complete(client, Cart((CartLine(item), CartLine(item))), CARD)
                    timings[keep].append(time.perf_counter() - started)
            finally:
                checkout_module.record_sale = hooked
    with_stats, without = statistics.mean(timings[True]), statistics.mean(timings[False])
    print(f"complete with statistics                    {_ms(timings[True])}")
    print(f"complete without statistics                 {_ms(timings[False])}")
    print(f"extra per completed sale (difference of means) {(with_stats - without) * 1000:5.2f} ms")
    print(f"statistics writes inside the sale           {_ms(inside)}  (mean {statistics.mean(inside) * 1000:.2f} ms)")


def run(args: argparse.Namespace) -> None:
    """Time the report and the cost per sale on ``args.database`` and print the figures."""
    url = args.database
    services = open_services(url)
    try:
        _reports(services, url, getattr(args, "repeat", 7))
        _sale_cost(services, getattr(args, "checkout_sales", 200), args.seed)
    finally:
        services.db.dispose()


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.bench_statistics``: the statistics figures for the README."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_statistics", description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.database is None:
        parser.error("--database is required: generate clients and sales first")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
