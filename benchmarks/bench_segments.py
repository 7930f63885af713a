"""Segments on a big generated database: counts, the list inside a segment, a bulk assign, a call list PDF.

    python -m benchmarks.bench_segments --clients 1000000 --database sqlite:////tmp/bench-1m.sqlite3

Clients come from ``benchmarks.generate``; this benchmark adds a sales history (about
two sales per client over two years, set-based) when the database has none. Beside
each application figure, the SQL the application sent is replayed with the plain
``sqlite3`` module on the same file in the same run ("raw"). "cold" figures come
right after the database file was dropped from the operating system's cache
(``posix_fadvise(POSIX_FADV_DONTNEED)``) and the connections were closed, the way a
salon PC opens the app in the morning.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from benchmarks import add_common_arguments, sqlite_file
from benchmarks.bench_client_list import Recorder, ensure_database, replay

REPEATS = 7
BULK_TARGET = 100_000
CALL_LIST_SIZE = 1000
SALES_PER_CLIENT = 2
TARGETS = {"count": 0.200, "page": 0.050, "bulk": 5.0, "call list": 3.0}


@dataclass
class Figure:
    """One measured operation in seconds: the application, the raw SQL, and cold runs."""

    name: str
    app: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    note: str = ""


def p95(values: list[float]) -> float:
    """The 95th percentile (the highest value for fewer than 20)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    if not values:
        return ""
    return f"{statistics.median(values) * 1000:,.1f} / {p95(values) * 1000:,.1f}"


# -- the data --------------------------------------------------------------------------


SQLITE_SALES = """
INSERT INTO sales (id, number, client_id, client_name, group_name, staff_name, started_at, completed_at,
    payment_method, total_gross, total_net, total_vat, total_discount, cancel_reason, tse_status, tse_serial,
    tse_transaction, tse_signature_counter, tse_signature, tse_start, tse_finish)
SELECT n, n, client_id, '', '', '', at, at, 'cash', gross, gross * 100 / 119, gross - gross * 100 / 119, 0,
    '', '', '', '', '', '', '', ''
FROM (SELECT (c.id - 1) * :per + k.k AS n, c.id AS client_id,
             datetime('now', printf('-%d minutes', abs(random()) % 1051200)) || '.000000' AS at,
             500 + abs(random()) % 15000 AS gross
      FROM clients AS c, (SELECT value AS k FROM generate_series(1, :per)) AS k
      WHERE abs(random()) % 10 < 8)
"""


def ensure_sales(url: str) -> None:
    """Give the clients a sales history, unless they have one (SQLite)."""
    path = sqlite_file(url)
    if path is None:
        raise SystemExit("bench_segments generates its sales history on SQLite only")
    connection = sqlite3.connect(path)
    try:
        found = connection.execute("SELECT count(*) FROM sales").fetchone()[0]
        if found:
            print(f"reusing {found:,} sales")
            return
        started = time.perf_counter()
        try:
            connection.execute(SQLITE_SALES, {"per": SALES_PER_CLIENT})
        except sqlite3.OperationalError:  # no generate_series in this SQLite: a two-row table instead
            connection.execute(SQLITE_SALES.replace("SELECT value AS k FROM generate_series(1, :per)",
                                                    "SELECT 1 AS k UNION ALL SELECT 2"), {"per": SALES_PER_CLIENT})  # fmt: skip
        connection.execute("UPDATE clients SET last_visit = (SELECT date(max(completed_at)) FROM sales "
                           "WHERE sales.client_id = clients.id) WHERE id IN (SELECT client_id FROM sales)")  # fmt: skip
        connection.commit()
        connection.execute("ANALYZE sales")
        count = connection.execute("SELECT count(*) FROM sales").fetchone()[0]
        print(f"sales history: {count:,} sales in {time.perf_counter() - started:,.1f} s")
    finally:
        connection.close()


# -- the segments ------------------------------------------------------------------------


def representative_segments(services: Any) -> list[tuple[str, Any]]:
    """Ten segments as salons build them, over the generated categories, groups and sales."""
    from salon_desk.services.clients.segment_rules import CategoryMode, GroupMode, SegmentRules, VisitMode
    from salon_desk.services.clients.segment_sql import year_ago

    categories = {c.name: c.id for c in services.categories.list()}

    def category(*names: str) -> int:
        return next(categories[n] for n in names if n in categories)

    student, vip = category("Student/in", "Student"), category("VIP")
    regular, new = category("Stammkunde", "Regular client"), category("Neukunde", "New client")
    groups = [g.id for g in services.groups.list()]
    today = date.today()
    year = (year_ago(today), today)  # the editor's default period
    return [
        ("Student/in, no visit in 60 days, has email", SegmentRules(category_mode=CategoryMode.ANY, category_ids=(student,),
            visit_mode=VisitMode.NOT_WITHIN, visit_days=60, has_email=True)),
        ("VIP, birthday in the next 7 days", SegmentRules(category_mode=CategoryMode.ANY, category_ids=(vip,), birthday_days=7)),
        ("Stammkunde or VIP, including expired", SegmentRules(category_mode=CategoryMode.ANY, category_ids=(regular, vip),
            include_expired=True)),
        ("Stammkunde and Student/in", SegmentRules(category_mode=CategoryMode.ALL, category_ids=(regular, student))),
        ("not Neukunde, no group", SegmentRules(category_mode=CategoryMode.NONE, category_ids=(new,), group_mode=GroupMode.NONE)),
        ("in a group, email consent", SegmentRules(group_mode=GroupMode.ONE_OF, group_ids=tuple(groups[:1]) or (0,),
            email_consent=True, has_email=True)),
        ("3+ visits in the last year", SegmentRules(sales_from=year[0], sales_to=year[1], visits_min=3)),
        ("revenue under 50 € in the last year", SegmentRules(sales_from=year[0], sales_to=year[1], revenue_max=Decimal(50))),
        ("clients since last year, postal code 1…", SegmentRules(created_from=year[0], created_to=year[1], postal_prefix="1")),
        ("birthday in March, has phone, SMS consent", SegmentRules(birthday_month=3, has_phone=True, sms_consent=True)),
    ]  # fmt: skip


def other_period() -> list[tuple[str, Any]]:
    """A period other than the last year: its visits are grouped from the sales themselves."""
    from salon_desk.services.clients.segment_rules import SegmentRules

    last = date.today().year - 1
    return [(f"3+ visits in {last}", SegmentRules(sales_from=date(last, 1, 1), sales_to=date(last, 12, 31), visits_min=3))]


# -- the measurements ----------------------------------------------------------------------


class Bench:
    """The services on the open database, and the figures measured on it."""

    def __init__(self, url: str) -> None:
        from PySide6.QtGui import QGuiApplication

        from salon_desk.services import open_services

        self.app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
        self.url = url
        self.services = open_services(url)
        self.recorder = Recorder(self.services.db.engine)
        self.path = sqlite_file(url)
        self.raw = sqlite3.connect(self.path) if self.path is not None else None
        self.figures: list[Figure] = []
        self.repeats = REPEATS

    def figure(self, name: str, note: str = "") -> Figure:
        if self.figures:
            self.print_row(self.figures[-1])  # the one before is complete: shown at once, for long runs
        found = Figure(name, note=note)
        self.figures.append(found)
        return found

    def print_row(self, f: Figure) -> None:
        cold = ms(f.cold).split(" / ")[0] if len(f.cold) == 1 else ms(f.cold)
        print(f"{f.name:<52} {ms(f.app):>20} {ms(f.raw):>20} {cold:>14}  {f.note}", flush=True)

    def timed(self, figure: Figure, action: Callable[[], Any], replay_sql: bool = True) -> Any:
        with self.recorder.capture() as statements:
            started = time.perf_counter()
            result = action()
            figure.app.append(time.perf_counter() - started)
        if replay_sql:
            replayed = replay(self.raw, statements)
            if replayed is not None:
                figure.raw.append(replayed)
        return result

    def drop_cache(self) -> None:
        """Close every connection and drop the database file from the OS cache: the next read is cold."""
        self.services.db.engine.dispose()
        if self.raw is not None:
            self.raw.close()
        assert self.path is not None
        for name in (self.path, self.path.with_name(self.path.name + "-wal")):
            if name.exists():
                with open(name, "rb") as file:
                    os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        self.raw = sqlite3.connect(self.path)

    def counts(self, segments: list[tuple[str, Any]], overall_name: str) -> None:
        """Each segment's count, warm (``repeats`` times) and once cold."""
        overall = Figure(overall_name)
        for name, rules in segments:
            figure = self.figure(f"count: {name}")
            self.drop_cache()
            started = time.perf_counter()
            count = self.services.segments.count(rules)
            figure.cold.append(time.perf_counter() - started)
            for _ in range(self.repeats):
                self.timed(figure, lambda r=rules: self.services.segments.count(r))
            figure.note = f"{count:,} clients"
            overall.app += figure.app
            overall.raw += figure.raw
            overall.cold += figure.cold
        self.figures.append(overall)

    def sales_year(self) -> None:
        """Count the last year's visits and revenue per client, as a desk does once a day (forced here)."""
        from sqlalchemy import update

        from salon_desk.models import SalesYearWindow

        with self.services.db.engine.begin() as connection:
            connection.execute(update(SalesYearWindow).values(day=None))
        figure = self.figure("count the last year per client (once a day, in a thread)")
        self.timed(figure, self.services.segments.refresh_sales_year, replay_sql=False)

    def pages(self, segments: list[tuple[str, Any]], name: str) -> None:
        """The first page of the list inside each segment (by name, as many rows as the list asks), warm and cold.

        The list counts a segment before it asks for the first page (its count label), and
        chooses how to read the page by that count; that count is timed as a figure of its own,
        which follows the pages' one (it reads a sparse segment's members, unlike the editor's).
        """
        from salon_desk.services.clients.client_list import ClientListQuery
        from salon_desk.ui.clients.client_list_model import PAGE_ROWS

        page = f"{PAGE_ROWS} rows by name"
        counted = Figure("… the list’s count before each page", note="a sparse segment’s members read with it")
        figure = self.figure(name, f"{page}, {len(segments)} segments, each right after its count")
        for _name, rules in segments:
            query = ClientListQuery(segment=rules)
            self.drop_cache()
            self.services.client_list.count(query)
            self.drop_cache()
            started = time.perf_counter()
            self.services.client_list.page(query, limit=PAGE_ROWS)
            figure.cold.append(time.perf_counter() - started)
            self.services.client_list.count(query)  # warm again, as the editor's first count leaves it
            for _ in range(self.repeats):
                self.timed(counted, lambda q=query: self.services.client_list.count(q))
                self.timed(figure, lambda q=query: self.services.client_list.page(q, limit=PAGE_ROWS))
        self.print_row(figure)
        self.figures.append(counted)

    def bulk_assign(self) -> None:
        """Assign a new category to the members of the category closest to 100,000 clients; take it away again."""
        from salon_desk.services.categories.categories import CategoryData
        from salon_desk.services.clients.client_list import ClientListQuery
        from salon_desk.services.marketing.bulk import Target
        from salon_desk.services.clients.segment_rules import CategoryMode, SegmentRules

        chosen = min(self.services.categories.list(), key=lambda c: abs(c.client_count - BULK_TARGET))
        existing = {c.name: c.id for c in self.services.categories.list()}
        category = existing.get("Reaktivierung") or self.services.categories.create(CategoryData(name="Reaktivierung"))[0].id
        target = Target.whole_list(ClientListQuery(segment=SegmentRules(category_mode=CategoryMode.ANY, category_ids=(chosen.id,))))
        assign = self.figure("bulk-assign a category", f"the {chosen.client_count:,} members of “{chosen.name}”")
        with self.recorder.capture() as statements:
            started = time.perf_counter()
            result = self.services.bulk.assign_category(target, category)
            assign.app.append(time.perf_counter() - started)
        assign.note += f", {result.count:,} assigned"
        remove = self.figure("bulk-remove it again")
        self.timed(remove, lambda: self.services.bulk.remove_category(target, category), replay_sql=False)
        assign.raw.append(self._replay_writes(statements))

    def _replay_writes(self, statements: list[tuple[str, Any]]) -> float:
        """The recorded statements of a write, replayed raw inside a transaction that is rolled back."""
        assert self.raw is not None
        work = [(s, p) for s, p in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))]
        self.raw.execute("BEGIN IMMEDIATE")
        started = time.perf_counter()
        for sql, parameters in work:
            self.raw.execute(sql, parameters or ()).fetchall()
        seconds = time.perf_counter() - started
        self.raw.rollback()
        return seconds

    def call_list(self) -> None:
        """A call list of 1,000 clients: the tasks and the PDF."""
        from sqlalchemy import select

        from salon_desk.models import Client
        from salon_desk.services.marketing.bulk import Target
        from salon_desk.ui.marketing.call_list_printer import write_call_list_pdf

        with self.services.db.read() as session:
            ids = list(session.scalars(select(Client.id).where(Client.phone != "").limit(CALL_LIST_SIZE)))
        tasks, pdf = self.figure("call list of 1,000 clients: tasks"), self.figure("… and its PDF")
        made = self.timed(tasks, lambda: self.services.tasks.create_call_list(
            Target.selection(ids), "Anrufen", date.today(), advertising=False))  # fmt: skip
        started = time.perf_counter()
        path = write_call_list_pdf(made)
        pdf.app.append(time.perf_counter() - started)
        pdf.note = f"{len(made.rows):,} rows, {path.stat().st_size / 1000:,.0f} kB"

    def report(self) -> None:
        print("== all figures", flush=True)
        print(f"{'operation':<52} {'app p50 / p95 ms':>20} {'raw p50 / p95 ms':>20} {'cold ms':>14}  note")
        for f in self.figures:
            self.print_row(f)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """How often each warm figure is measured."""
    parser.add_argument("--repeats", type=int, default=REPEATS, help="warm runs of each count and page")


def run(args: argparse.Namespace) -> None:
    """Generate if needed, add sales, measure and print the table."""
    ensure_database(args.database, args.clients, args.seed)
    ensure_sales(args.database)
    bench = Bench(args.database)
    bench.repeats = getattr(args, "repeats", REPEATS)
    segments = representative_segments(bench.services)
    plain = [s for s in segments if not s[1].uses_sales()]
    sales = [s for s in segments if s[1].uses_sales()]
    print(f"{'operation':<52} {'app p50 / p95 ms':>20} {'raw p50 / p95 ms':>20} {'cold ms':>14}  note", flush=True)
    bench.bulk_assign()
    bench.call_list()
    bench.counts(plain, f"segment count, the {len(plain)} segments without sales")
    bench.pages(plain, "first page of the list inside a segment")
    bench.sales_year()
    bench.counts(sales, f"segment count, the {len(sales)} segments on sales in the last year")
    bench.pages(sales, "first page inside a segment on sales")
    bench.counts(other_period(), "segment count on sales in another period (from the sales)")
    bench.figure("end")
    bench.figures.pop()
    bench.report()
    bench.services.db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_segments", description=__doc__.splitlines()[0])
    add_common_arguments(parser, default_clients=1_000_000)
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.database is None:
        parser.error("give --database (a SQLite URL); generating 1,000,000 clients takes minutes")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
