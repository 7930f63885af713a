"""Checkout timings: pricing a 50-line sale and committing sales, beside a raw-database baseline.

    python -m benchmarks.bench_checkout [--sales 200] [--database sqlite:///...] [--pg-url postgresql+psycopg://...]

On SQLite (a fresh file unless ``--database`` names one) and on PostgreSQL
(``--pg-url``, else a throwaway server from ``tests/pg_server.py``; ``--no-pg``
skips it) it measures, per operation, the median and 95th percentile of:

- ``engine``: ``price_sale`` on 50 lines, no database;
- ``quote``: ``CheckoutService.quote`` on 50 lines (loads prices, offers, memberships, then prices);
- ``complete``: ``CheckoutService.complete`` of a 3-line and of a 50-line sale (one transaction each);
- ``raw``: the same rows written with plain DBAPI statements (counter UPDATE ... RETURNING,
  sale, lines with executemany, VAT, last visit, COMMIT), without pricing or ORM: the floor;
- on PostgreSQL also two workstations completing sales at once, checking the numbers stay gapless.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.models import PaymentMethod, Sale
from salon_desk.pricing import CategoryMembershipInfo, LineInput, price_sale
from salon_desk.services import Services, open_services
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.groups.groups import GroupData

ITEMS = 60
LINES = 50
SMALL = 3
CARD = Payment(PaymentMethod.CARD)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The checkout benchmark's own options."""
    group = parser.add_argument_group("bench_checkout")
    group.add_argument("--sales", type=int, default=200, help="sales committed per measurement (default 200)")
    group.add_argument("--pg-url", default=None, help="PostgreSQL URL (default: a throwaway server)")
    group.add_argument("--no-pg", action="store_true", help="measure SQLite only")


# -- data ---------------------------------------------------------------------------------


def _setup(services: Services) -> tuple[int, list[int]]:
    """A catalogue of 60 items (group prices, offers), three discounted categories, one client in the group."""
    today = date.today()
    ids = []
    for index in range(ITEMS):
        kind = ItemKind.SERVICE if index % 2 else ItemKind.PRODUCT
        vat = ("19", "7", "0")[index % 3]
        data = ItemData(
            name=f"Item {index:02d}", kind=kind, price=Decimal(10 + index) + Decimal("0.90"), vat_rate=Decimal(vat)
        )
        ids.append(services.catalog.create_item(data)[0].id)
    run = f"{time.time_ns() % 10**9:09d}"  # names are unique, so a database can be measured more than once
    group = services.groups.create(GroupData(name=f"Bench club {run}"))[0].id
    for item_id in ids[::4]:
        services.groups.set_price(group, item_id, Decimal("9.90"))
    offer = OfferData(
        "Bench week", frozenset(ids[::5]), today - timedelta(days=1), today + timedelta(days=1), percent_off=Decimal(20)
    )
    services.catalog.create_offer(offer)
    categories = [
        services.categories.create(
            CategoryData(
                name=f"Bench {p} {run}", discount_percent=Decimal(p), discount_scope=scope, applies_to_offers=offers
            )
        )[0].id
        for p, scope, offers in (
            (10, DiscountScope.BOTH, False),
            (15, DiscountScope.SERVICES, True),
            (5, DiscountScope.PRODUCTS, True),
        )
    ]
    client = services.clients.create(
        ClientData(first_name="Bea", last_name="Benchmark", group_id=group),
        CategoryChanges(tuple(MembershipData(c) for c in categories)),
    )[0].id
    return client, ids


def _engine_lines() -> tuple[list[LineInput], list[CategoryMembershipInfo]]:
    lines = [
        LineInput(
            item_id=i,
            name=f"Item {i}",
            kind=ItemKind.SERVICE if i % 2 else ItemKind.PRODUCT,
            quantity=1 + i % 3,
            list_price=Decimal(10 + i) + Decimal("0.90"),
            vat_rate=Decimal(("19", "7", "0")[i % 3]),
            group_price=Decimal("9.90") if i % 4 == 0 else None,
        )
        for i in range(LINES)
    ]
    memberships = [
        CategoryMembershipInfo(1, "A", Decimal(10), DiscountScope.BOTH, False),
        CategoryMembershipInfo(2, "B", Decimal(15), DiscountScope.SERVICES, True),
        CategoryMembershipInfo(3, "C", Decimal(5), DiscountScope.PRODUCTS, True, date(2000, 1, 1)),
    ]
    return lines, memberships


# -- timing -------------------------------------------------------------------------------


def _measure(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    """Median and 95th percentile of ``action`` in milliseconds."""
    action()  # warm-up: caches, prepared statements, connection
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def _report(database: str, what: str, figures: tuple[float, float]) -> None:
    print(f"{database:<11} {what:<34} median {figures[0]:8.3f} ms   p95 {figures[1]:8.3f} ms", flush=True)


# -- the raw baseline ---------------------------------------------------------------------

_SALE_COLUMNS = (
    "number, client_id, client_name, group_name, staff_id, staff_name, started_at, completed_at, payment_method, "
    "given, change, total_gross, total_net, total_vat, total_discount, reverses_sale_id, cancel_reason, tse_status, "
    "tse_serial, tse_transaction, tse_signature_counter, tse_signature, tse_start, tse_finish"
)
_LINE_COLUMNS = (
    "sale_id, position, item_id, item_name, item_kind, quantity, list_price, base_price, price_source, offer_name, "
    "unit_price, discount_percent, discount_source, discount_label, category_id, category_name, manual_by, "
    "manual_reason, discount_amount, line_total, vat_rate, why"
)


def _raw_sale(services: Services, client: int, item_ids: list[int], lines: int) -> Callable[[], None]:
    """A function writing one sale's rows with plain DBAPI calls, values computed beforehand."""
    sqlite = services.db.is_sqlite
    mark = "?" if sqlite else "%s"

    def marks(columns: str) -> str:
        return ", ".join([mark] * len(columns.split(",")))

    why = json.dumps({"v": 1, "price_source": "list", "categories": [{"id": 1, "reason": "applied"}]})
    line_rows = [
        (
            i + 1,
            item_ids[i],
            f"Item {i:02d}",
            "service",
            1,
            1090,
            1090,
            "list",
            "",
            1090,
            1000,
            "category",
            "−10% A",
            1,
            "A",
            "",
            "",
            109,
            981,
            1900,
            why,
        )
        for i in range(lines)
    ]

    def write() -> None:
        now = datetime.now(UTC)
        stamp: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
        connection = services.db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            if sqlite:  # pysqlite would otherwise commit each statement on its own
                cursor.execute("BEGIN")
            cursor.execute(
                f"UPDATE receipt_counter SET last_number = last_number + 1 WHERE id = {mark} RETURNING last_number",
                (1,),
            )
            number = cursor.fetchone()[0]
            sale = (
                number,
                client,
                "Bea Benchmark",
                "Bench club",
                None,
                "Salon Desk",
                stamp,
                stamp,
                "card",
                None,
                None,
                981 * lines,
                824 * lines,
                157 * lines,
                109 * lines,
                None,
                "",
                "no TSE connected",
                "",
                "",
                "",
                "",
                "",
                "",
            )
            cursor.execute(f"INSERT INTO sales ({_SALE_COLUMNS}) VALUES ({marks(_SALE_COLUMNS)}) RETURNING id", sale)
            sale_id = cursor.fetchone()[0]
            cursor.executemany(
                f"INSERT INTO sale_lines ({_LINE_COLUMNS}) VALUES ({marks(_LINE_COLUMNS)})",
                [(sale_id, *row) for row in line_rows],
            )
            cursor.execute(
                f"INSERT INTO sale_vat (sale_id, rate, gross, vat, net) VALUES ({marks('a, b, c, d, e')})",
                (sale_id, 1900, 981 * lines, 157 * lines, 824 * lines),
            )
            cursor.execute(
                f"UPDATE clients SET last_visit = {mark} WHERE id = {mark}",
                (date.today().isoformat() if sqlite else date.today(), client),
            )
            connection.commit()
        finally:
            connection.close()

    return write


# -- one database -------------------------------------------------------------------------


def bench_database(label: str, url: str, sales: int) -> None:
    """Every measurement on one database."""
    services = open_services(url)
    try:
        client, item_ids = _setup(services)
        cart_50 = Cart(tuple(CartLine(i, 1 + n % 3) for n, i in enumerate(item_ids[:LINES])))
        cart_3 = Cart(tuple(CartLine(i) for i in item_ids[:SMALL]))
        _report(label, f"quote, {LINES} lines", _measure(sales, lambda: services.checkout.quote(client, cart_50.lines)))
        _report(
            label, f"complete, {SMALL} lines", _measure(sales, lambda: services.checkout.complete(client, cart_3, CARD))
        )
        _report(label, f"raw baseline, {SMALL} lines", _measure(sales, _raw_sale(services, client, item_ids, SMALL)))
        repeat = max(20, sales // 4)
        _report(
            label,
            f"complete, {LINES} lines",
            _measure(repeat, lambda: services.checkout.complete(client, cart_50, CARD)),
        )
        _report(label, f"raw baseline, {LINES} lines", _measure(repeat, _raw_sale(services, client, item_ids, LINES)))
        if not services.db.is_sqlite:
            _two_workstations(label, url, client, cart_3, sales)
    finally:
        services.db.dispose()


def _two_workstations(label: str, url: str, client: int, cart: Cart, sales: int) -> None:
    """Two desks complete ``sales`` sales each at the same time; the numbers must stay gapless."""
    desks = [open_services(url) for _ in range(2)]
    with desks[0].db.read() as session:
        before = session.scalar(select(func.max(Sale.number))) or 0
    barrier = threading.Barrier(2)

    def sell(desk: Services) -> None:
        barrier.wait()
        for _ in range(sales):
            desk.checkout.complete(client, cart, CARD)

    threads = [threading.Thread(target=sell, args=(desk,)) for desk in desks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with desks[0].db.read() as session:
        numbers = list(session.scalars(select(Sale.number).where(Sale.number > before).order_by(Sale.number)))
    for desk in desks:
        desk.db.dispose()
    gapless = numbers == list(range(before + 1, before + 1 + 2 * sales))
    print(
        f"{label:<11} two workstations, {2 * sales} sales     {2 * sales / elapsed:8.1f} sales/s   "
        f"numbers {'gapless' if gapless else 'WITH GAPS'}",
        flush=True,
    )
    if not gapless:
        raise SystemExit("receipt numbers have gaps")


def _engine_only(repeat: int) -> None:
    lines, memberships = _engine_lines()
    today = date.today()
    _report("engine", f"price_sale, {LINES} lines", _measure(repeat * 5, lambda: price_sale(lines, memberships, today)))


def _pg_url(args: argparse.Namespace) -> tuple[str | None, Callable[[], None]]:
    if getattr(args, "no_pg", False):
        return None, lambda: None
    if getattr(args, "pg_url", None):
        return args.pg_url, lambda: None
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import pg_server

    server = pg_server.start()
    return server.url, server.stop


def run(args: argparse.Namespace) -> None:
    """Measure on SQLite and PostgreSQL and print the figures."""
    sales = getattr(args, "sales", 200)
    _engine_only(sales)
    database = getattr(args, "database", None)
    with tempfile.TemporaryDirectory(prefix="salon-bench-checkout-") as folder:
        sqlite_url = database if database and database.startswith("sqlite") else f"sqlite:///{folder}/checkout.sqlite3"
        bench_database("sqlite", sqlite_url, sales)
    url, stop = _pg_url(args)
    if url is not None:
        try:
            bench_database("postgresql", url, sales)
        finally:
            stop()


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.bench_checkout``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_checkout", description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=None, help="SQLite URL to use instead of a temporary file")
    add_arguments(parser)
    run(parser.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
