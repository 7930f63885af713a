"""Generate sales over the last three years for the generated clients, with their statistics.

    python -m benchmarks.generate_sales --generated-sales 5000000 --database sqlite:////tmp/bench.sqlite3

Sales (one line and one VAT row each), 1 % of them cancelled by a reversing sale,
go in with Core ``executemany`` in batches; 15 % are sold to nobody. A client with a
discounted category gets 10 % off from the lowest of those categories on a third of
their sales. The snapshots (the client's current group and categories, as the
migration fills them in for older sales) and the totals are then built with
set-based statements, ``rebuild`` for the totals, so the database looks as if every
sale had gone through the checkout.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from benchmarks import add_common_arguments, database_size
from salon_desk.db import Database
from salon_desk.models import Category, Client, ClientCategory, Sale, SaleLine, SaleVat
from salon_desk.services.statistics.totals import rebuild

BATCH_SIZE = 20_000
DEFAULT_SALES = 500_000
THREE_YEARS_S = 3 * 365 * 86_400
ANONYMOUS_SHARE = 0.15
CANCELLED_SHARE = 0.01
DISCOUNTED_SHARE = 1 / 3
PRICES = tuple(Decimal(p) for p in ("19.90", "29.00", "35.50", "49.00", "64.90", "89.00", "120.00"))
CENT = Decimal("0.01")

Report = Callable[[str], None]

SNAPSHOTS = {
    "sqlite": "date(s.completed_at, 'localtime')",
    "postgresql": "CAST(s.completed_at AS DATE)",
}
SNAPSHOT_SQL = """INSERT INTO sale_snapshots (sale_id, sold_on, sign, client_id, group_id, group_name, backfilled)
    SELECT r.id, {sold_on}, CASE WHEN r.reverses_sale_id IS NULL THEN 1 ELSE -1 END,
           s.client_id, c.group_id, COALESCE(g.name, ''), :no
    FROM sales r
    JOIN sales s ON s.id = COALESCE(r.reverses_sale_id, r.id)
    LEFT JOIN clients c ON c.id = s.client_id
    LEFT JOIN customer_groups g ON g.id = c.group_id
    WHERE r.id >= :first"""
# The discount of a sale went to the client's lowest discounted category (see _Maker.sale).
CATEGORIES_SQL = """INSERT INTO sale_categories (sale_id, category_id, name, discount, sold_on, client_id, sign)
    SELECT n.sale_id, k.id, k.name,
           CASE WHEN k.id = (SELECT MIN(m2.category_id) FROM client_categories m2
                             JOIN categories k2 ON k2.id = m2.category_id
                             WHERE m2.client_id = n.client_id AND k2.discount_percent IS NOT NULL)
                THEN s.total_discount ELSE 0 END,
           n.sold_on, n.client_id, n.sign
    FROM sale_snapshots n
    JOIN sales s ON s.id = n.sale_id
    JOIN client_categories m ON m.client_id = n.client_id
    JOIN categories k ON k.id = m.category_id
    WHERE n.sale_id >= :first"""


class _Maker:
    """Rows of one batch of sales: the sale, its line and its VAT row."""

    def __init__(self, seed: int, client_ids: list[int], discounted: set[int], until: datetime) -> None:
        self.random = random.Random(seed)
        self.client_ids = client_ids
        self.discounted = discounted
        self.until = until

    def sale(self, sale_id: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        client = None if self.random.random() < ANONYMOUS_SHARE else self.random.choice(self.client_ids)
        price = self.random.choice(PRICES)
        discount = Decimal(0)
        if client in self.discounted and self.random.random() < DISCOUNTED_SHARE:
            discount = (price / 10).quantize(CENT)
        gross = price - discount
        vat = (gross * 19 / 119).quantize(CENT)
        when = self.until - timedelta(seconds=self.random.randrange(THREE_YEARS_S))
        sale = {
            "id": sale_id, "number": sale_id, "client_id": client, "client_name": "", "group_name": "",
            "staff_id": None, "staff_name": "Bench", "started_at": when, "completed_at": when,
            "payment_method": "card", "given": None, "change": None, "total_gross": gross,
            "total_net": gross - vat, "total_vat": vat, "total_discount": discount, "reverses_sale_id": None,
            "cancel_reason": "", "tse_status": "", "tse_serial": "", "tse_transaction": "",
            "tse_signature_counter": "", "tse_signature": "", "tse_start": "", "tse_finish": "",
        }  # fmt: skip
        line = {
            "sale_id": sale_id, "position": 1, "item_id": None, "item_name": "Haarschnitt", "item_kind": "service",
            "quantity": 1, "list_price": price, "base_price": price, "price_source": "list", "offer_name": "",
            "unit_price": price, "discount_percent": Decimal(10) if discount else Decimal(0),
            "discount_source": "category" if discount else "none", "discount_label": "", "category_id": None,
            "category_name": "", "manual_by": "", "manual_reason": "", "discount_amount": discount,
            "line_total": gross, "vat_rate": Decimal(19), "why": "",
        }  # fmt: skip
        vat_row = {"sale_id": sale_id, "rate": Decimal(19), "gross": gross, "vat": vat, "net": gross - vat}
        return sale, line, vat_row

    @staticmethod
    def reversal(sale: dict[str, Any], line: dict[str, Any], vat: dict[str, Any], new_id: int) -> tuple[dict, ...]:
        negated = ("total_gross", "total_net", "total_vat", "total_discount")
        reversal = {**sale, "id": new_id, "number": new_id, "reverses_sale_id": sale["id"],
                    **{k: -sale[k] for k in negated}}  # fmt: skip
        reversal_line = {**line, "sale_id": new_id, "quantity": -1, "discount_amount": -line["discount_amount"],
                         "line_total": -line["line_total"]}  # fmt: skip
        reversal_vat = {**vat, "sale_id": new_id, "gross": -vat["gross"], "vat": -vat["vat"], "net": -vat["net"]}
        return reversal, reversal_line, reversal_vat


def generate_sales(url: str, n: int, seed: int = 1, batch_size: int = BATCH_SIZE, report: Report | None = None) -> float:
    """Add ``n`` sales (and their cancellations) to the generated clients at ``url``; the seconds taken."""
    say = report or (lambda _line: None)
    started = time.perf_counter()
    db = Database(url)
    db.upgrade()
    try:
        with db.engine.connect() as connection:
            first = (connection.scalar(select(func.max(Sale.id))) or 0) + 1
            maker = _Maker(seed, *_clients(connection), datetime.now(UTC))
            written = _insert_sales(connection, maker, first, n, batch_size, say)
            say("snapshots and totals…")
            _statistics(connection, first)
            connection.commit()
        _finish(db, first + written)
    finally:
        db.dispose()
    return time.perf_counter() - started


def _clients(connection: Connection) -> tuple[list[int], set[int]]:
    ids = list(connection.scalars(select(Client.id)))
    if not ids:
        raise SystemExit("no clients: run `python -m benchmarks.generate` first")
    discounted = set(
        connection.scalars(
            select(ClientCategory.client_id)
            .join(Category, Category.id == ClientCategory.category_id)
            .where(Category.discount_percent.is_not(None))
            .distinct()
        )
    )
    return ids, discounted


def _insert_sales(connection: Connection, maker: _Maker, first: int, n: int, batch_size: int, say: Report) -> int:
    """Insert the sales in batches, each followed by reversals of 1 % of it; the number of rows written."""
    next_id, started = first, time.perf_counter()
    for done in range(0, n, batch_size):
        sales, lines, vats = [], [], []
        for _ in range(min(batch_size, n - done)):
            rows = maker.sale(next_id)
            next_id += 1
            for target, row in zip((sales, lines, vats), rows, strict=True):
                target.append(row)
        for index in range(0, len(sales), int(1 / CANCELLED_SHARE)):
            rows = maker.reversal(sales[index], lines[index], vats[index], next_id)
            next_id += 1
            for target, row in zip((sales, lines, vats), rows, strict=True):
                target.append(row)
        connection.execute(insert(Sale), sales)
        connection.execute(insert(SaleLine), lines)
        connection.execute(insert(SaleVat), vats)
        rate = (done + len(sales)) / (time.perf_counter() - started)
        say(f"{min(done + batch_size, n):>11,} / {n:,} sales ({next_id - first:,} rows with cancellations), "
            f"{rate:,.0f} sales/s")  # fmt: skip
    return next_id - first


def _statistics(connection: Connection, first: int) -> None:
    connection.execute(text(SNAPSHOT_SQL.format(sold_on=SNAPSHOTS[connection.dialect.name])), {"no": False, "first": first})
    connection.execute(text(CATEGORIES_SQL), {"first": first})
    rebuild(connection)


def _finish(db: Database, last_id: int) -> None:
    with db.engine.begin() as connection:
        if not db.is_sqlite:
            connection.execute(text("SELECT setval(pg_get_serial_sequence('sales', 'id'), :last)"), {"last": last_id})
        connection.execute(text("INSERT INTO receipt_counter (id, last_number) VALUES (1, :n) "
                                "ON CONFLICT (id) DO UPDATE SET last_number = :n"), {"n": last_id})  # fmt: skip
        connection.exec_driver_sql("ANALYZE")
    if db.is_sqlite:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the sales generator."""
    parser.add_argument("--generated-sales", type=int, default=DEFAULT_SALES, help="sales to generate over three years")


def run(args: argparse.Namespace) -> None:
    """Generate ``args.sales`` sales into ``args.database`` and print the time and rate."""
    n = getattr(args, "generated_sales", DEFAULT_SALES)
    print(f"generating {n:,} sales into {args.database}", flush=True)
    seconds = generate_sales(args.database, n, args.seed, report=lambda line: print(line, flush=True))
    print(f"generate_sales: {n:,} sales in {seconds:,.1f} s ({n / seconds:,.0f} sales/s)", flush=True)
    size = database_size(args.database)
    if size:
        print(f"database file: {size}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.generate_sales``: sales for an existing generated database."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate_sales", description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.database is None:
        parser.error("--database is required: the clients come from `python -m benchmarks.generate`")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
