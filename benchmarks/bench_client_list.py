"""The client list on a big generated database: search as you type, jumps, sorting, the card, memory.

    python -m benchmarks.bench_client_list --clients 1000000 --database sqlite:////tmp/bench-1m.sqlite3

Runs the real ClientListPage with a real QTableView (offscreen unless QT_QPA_PLATFORM
says otherwise). Beside each figure, the very SQL the application sent (recorded at
the cursor, parameters included) is replayed with the plain ``sqlite3`` module on the
same file: the ratio is the price of SQLAlchemy, Python objects and Qt on top of the
database's own work. An existing database file is reused; otherwise ``generate``
(benchmarks/generate.py) fills it first, in a separate process so that its memory does
not count in the list's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from benchmarks import add_common_arguments, database_size, sqlite_file

DEFAULT_CLIENTS = 1_000_000
PREFIXES = (
    "mül", "sch", "ann", "+49 17", "mei", "wag", "bec", "hof", "kla", "web",
    "fis", "lea", "jür", "wei", "0151", "gmail", "t-on", "pet", "sab", "zim",
    "hartm", "krü", "bra", "sö", "lu", "ma", "s", "schmidt an", "0171 5", "köh",
)  # fmt: skip
JUMPS = 12
MIDDLE_JUMPS = 20
CARDS = 10
REPEATS = 5
FIRST_ROWS = 50
READS = ("SELECT", "WITH")

Statement = tuple[str, Any]


@dataclass
class Figure:
    """One measured operation: application times and the replayed raw SQL times, in seconds."""

    name: str
    app: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    note: str = ""


class Recorder:
    """Records every statement the engine sends to its cursor from the main thread while ``recording`` is on.

    The exact count of a search with many hits runs in a thread beside the list, which
    shows its first rows meanwhile; it is not part of the time measured, so its SQL is
    not replayed either.
    """

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.statements: list[Statement] = []
        self.recording = False
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if self.recording and threading.current_thread() is threading.main_thread():
            self.statements.append((statement, parameters))

    @contextmanager
    def capture(self) -> Iterator[list[Statement]]:
        """Collect the statements sent inside the block."""
        self.statements, self.recording = [], True
        try:
            yield self.statements
        finally:
            self.recording = False


def replay(raw: Any, statements: list[Statement]) -> float | None:
    """Seconds the plain driver (``sqlite3``, or ``psycopg`` on PostgreSQL) takes for the same queries and parameters.

    Only reads are replayed: transaction control belongs to the application's
    connection, and a write must not happen twice.
    """
    reads = [(sql, parameters) for sql, parameters in statements if sql.lstrip().upper().startswith(READS)]
    if raw is None or not reads:
        return None
    started = time.perf_counter()
    for sql, parameters in reads:
        (raw.execute(sql, parameters) if parameters else raw.execute(sql)).fetchall()
    return time.perf_counter() - started


def raw_connection(url: str) -> Any:
    """A plain driver connection to the same database: ``sqlite3`` on the file, ``psycopg`` on a server."""
    path = sqlite_file(url)
    if path is not None:
        return sqlite3.connect(path)
    if url.startswith("postgresql"):
        import psycopg
        from sqlalchemy.engine import make_url

        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(plain, autocommit=True)
    return None


def drop_from_os_cache(url: str) -> bool:
    """Drop the SQLite file (and its WAL) from the operating system's cache; False where that cannot be done."""
    path = sqlite_file(url)
    if path is None or not hasattr(os, "posix_fadvise"):
        return False
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            with open(name, "rb") as file:
                os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    return True


def measure(figure: Figure, recorder: Recorder, raw: Any, action: Callable[[], Any]) -> Any:
    """Time ``action`` in the application, then its SQL replayed raw."""
    with recorder.capture() as statements:
        started = time.perf_counter()
        result = action()
        figure.app.append(time.perf_counter() - started)
    replayed = replay(raw, statements)
    if replayed is not None:
        figure.raw.append(replayed)
    return result


# -- the database ---------------------------------------------------------------------


def ensure_database(url: str, clients: int, seed: int) -> None:
    """Generate ``clients`` clients into ``url`` unless it already holds clients."""
    from sqlalchemy import create_engine, text

    path = sqlite_file(url)
    if path is None or path.exists():
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                found = connection.execute(text("SELECT count(*) FROM clients")).scalar() or 0
        except Exception:  # noqa: BLE001 - an empty or foreign database: fill it
            found = 0
        finally:
            engine.dispose()
        if found:
            print(f"reusing {url} with {found:,} clients")
            return
    print(f"generating {clients:,} clients into {url} (this takes a while)…", flush=True)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        seconds = pool.submit(_generate, url, clients, seed).result()
    print(f"generated in {seconds:,.0f} s")


def _generate(url: str, clients: int, seed: int) -> float:
    from benchmarks.generate import generate

    return generate(url, clients, seed)


# -- the measurements -------------------------------------------------------------------------


class Bench:
    """The client list page on the open database, and the figures measured on it."""

    def __init__(self, url: str) -> None:
        from PySide6.QtWidgets import QApplication

        from salon_desk.services import open_services

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.services = open_services(url)
        self.recorder = Recorder(self.services.db.engine)
        self.url = url
        self.raw = raw_connection(url)
        self.figures: list[Figure] = []
        self.page: Any = None
        self.cold = False

    def morning(self) -> None:
        """With ``cold``: every connection closed and the file dropped from the OS cache, as when a PC starts."""
        if not self.cold:
            return
        self.services.db.engine.dispose()
        if self.raw is not None:
            self.raw.close()
        drop_from_os_cache(self.url)
        self.raw = raw_connection(self.url)

    def figure(self, name: str, note: str = "") -> Figure:
        """A new row of the results table."""
        found = Figure(name, note=note)
        self.figures.append(found)
        return found

    def paint(self) -> None:
        """What the user sees: the events the action left handled, as the event loop would.

        That lays out the page and paints what changed, the list among it, which loads
        the rows it shows (the search measurement checks that the first 50 are loaded).
        A ``repaint()`` of the list before it would paint the list a second time.
        """
        self.app.processEvents()

    def open_list(self) -> None:
        """Build the page with its table, as the main window does, and paint it."""
        from salon_desk.ui.application import keep_the_start_out_of_collections
        from salon_desk.ui.common.bus import DataBus
        from salon_desk.ui.clients.client_list_page import ClientListPage

        self.morning()

        def build() -> None:
            self.page = ClientListPage(self.services, DataBus())
            self.page.resize(1280, 800)
            self.page.show()
            self.paint()

        measure(self.figure("open the client list (count + first page)"), self.recorder, self.raw, build)
        keep_the_start_out_of_collections()  # as the application does once its window is up

    def search(self) -> None:
        """Keystroke to the first 50 hits in the list, over many prefixes."""
        figure = self.figure(f"search: keystroke → first {FIRST_ROWS} hits", f"{len(PREFIXES)} prefixes")
        model, edit = self.page.model, self.page.search_edit

        def search_for(prefix: str) -> None:
            edit.setText(prefix)
            self.page.apply_filters()  # what the 150 ms pause in typing triggers
            self.paint()
            last = min(FIRST_ROWS, model.count()) - 1
            assert last < 0 or model.cached_client_id(last) is not None, "first rows not loaded"

        hits = []
        self.morning()  # cold: the typing starts on an empty cache
        for prefix in PREFIXES:
            measure(figure, self.recorder, self.raw, lambda p=prefix: search_for(p))
            hits.append(model.service.count(model.query()))  # exact, not yet known to the list for a broad search
        figure.note += f", {min(hits):,}–{max(hits):,} hits"
        edit.setText("")
        self.page.apply_filters()
        self.paint()

    def wait_for(self, condition: Callable[[], bool], seconds: float = 30.0) -> None:
        """Run the event loop until ``condition`` holds, as the idle application would."""
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the list did not get there in time")
            self.app.processEvents()
            time.sleep(0.001)

    def jumps(self) -> None:
        """Scroll bar dragged far away: the page there found by position, then painted.

        The list finds its anchors (a sort key every few thousand rows) in a thread
        after each load, long before a hand reaches the scroll bar; the jumps wait for
        them. How long they take, and a jump straight after a load without them, are
        figures of their own.
        """
        from PySide6.QtWidgets import QAbstractItemView

        model, view = self.page.model, self.page.view
        count = model.count()

        def jump() -> None:
            view.scrollTo(model.index(count // 2, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
            self.paint()

        figure = self.figure("jump-scroll to the middle", f"row {count // 2:,}")
        anchored = model.gets_anchors()
        note = f"a key every {model.anchor_every:,} rows; thread" if anchored else "none: a short list"
        anchoring = self.figure("anchors found beside the list", note)
        for _ in range(MIDDLE_JUMPS):
            model.reload()
            view.scrollToTop()
            self.paint()
            started = time.perf_counter()
            if anchored:
                self.wait_for(model.has_anchors)
                anchoring.app.append(time.perf_counter() - started)
            measure(figure, self.recorder, self.raw, jump)
        figure.note += f", the first {figure.app[0] * 1000:.1f} ms"
        unanchored = self.figure("jump-scroll to the middle without anchors", "straight after a load")
        every, model.anchor_every = model.anchor_every, count  # no anchors: OFFSET from the top or the end
        for _ in range(REPEATS):
            model.reload()
            view.scrollToTop()
            self.paint()
            measure(unanchored, self.recorder, self.raw, jump)
        model.anchor_every = every
        model.reload()
        if anchored:
            self.wait_for(model.has_anchors)
        figure = self.figure("jump-scroll to random rows", f"{JUMPS} jumps")
        rng = random.Random(5)
        for _ in range(JUMPS):
            row = rng.randrange(count)
            measure(
                figure,
                self.recorder,
                self.raw,
                lambda r=row: (
                    view.scrollTo(model.index(r, 0), QAbstractItemView.ScrollHint.PositionAtTop),
                    self.paint(),
                ),
            )
        figure = self.figure("scroll on by one screen (keyset)", "20 screens")
        bar = view.verticalScrollBar()
        for _ in range(20):
            measure(figure, self.recorder, self.raw, lambda: (bar.setValue(bar.value() + bar.pageStep()), self.paint()))

    def sorts(self) -> None:
        """A header click: sort in SQL, first screen painted."""
        from PySide6.QtCore import Qt

        from salon_desk.ui.clients.client_list_model import COLUMNS

        view = self.page.view
        for column, (key, _title) in enumerate(COLUMNS):
            figure = self.figure(f"sort by {key.replace('_', ' ')} (desc + asc)")
            for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
                self.morning()  # cold: each click on an empty cache
                measure(
                    figure, self.recorder, self.raw, lambda c=column, o=order: (view.sortByColumn(c, o), self.paint())
                )
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.paint()

    def cards(self) -> None:
        """Open a client card: construction and show, as a double click does."""
        try:
            from salon_desk.ui.clients.client_card import ClientCardWindow
        except ImportError:
            self.figure("open a client card", "ClientCardWindow not available")
            return
        from salon_desk.ui.common.bus import DataBus

        figure = self.figure("open a client card", f"{CARDS} clients")
        model, bus = self.page.model, DataBus()
        rng = random.Random(9)
        for _ in range(CARDS):
            client_id = model.client_id(rng.randrange(model.count()))

            def open_card(i: int | None = client_id) -> Any:
                card = ClientCardWindow(self.services, bus, i)
                card.show()
                self.app.processEvents()
                return card

            card = measure(figure, self.recorder, self.raw, open_card)
            card.close()
            self.app.processEvents()

    def category_counts(self) -> None:
        """``services.categories.list()``: every category with its number of clients."""
        figure = self.figure("category counts (categories.list)")
        for _ in range(REPEATS):
            measure(figure, self.recorder, self.raw, self.services.categories.list)


# -- the report ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.1f}"


def table(figures: list[Figure]) -> str:
    """The results as a fixed-width text table (milliseconds)."""
    head = f"{'operation':<44} {'app p50':>9} {'app p95':>9} {'raw p50':>9} {'raw p95':>9} {'ratio':>6}  note"
    lines = [head, "-" * len(head)]
    for f in figures:
        if not f.app:
            lines.append(f"{f.name:<44} {'—':>9} {'—':>9} {'—':>9} {'—':>9} {'—':>6}  {f.note}")
            continue
        app50, app95 = percentile(f.app, 0.5), percentile(f.app, 0.95)
        raw50 = percentile(f.raw, 0.5) if f.raw else None
        raw95 = percentile(f.raw, 0.95) if f.raw else None
        ratio = f"{app50 / raw50:,.1f}" if raw50 else "—"
        lines.append(
            f"{f.name:<44} {_ms(app50):>9} {_ms(app95):>9} {_ms(raw50):>9} {_ms(raw95):>9} {ratio:>6}  {f.note}"
        )
    return "\n".join(lines)


def peak_rss_mb() -> float:
    """The process's peak resident memory in MB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1_000_000 if sys.platform == "darwin" else peak / 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This benchmark's options: the common ones, with a million clients by default."""
    add_common_arguments(parser, default_clients=DEFAULT_CLIENTS)
    parser.add_argument(
        "--cold", action="store_true",
        help="SQLite: drop the file from the OS cache and close the connections before opening the list, "
        "before the typing and before each sort (the morning start of a salon PC)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> None:
    """Measure the client list on ``args.database`` (generated first when empty) and print a table."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = None
    if "SALON_DESK_HOME" not in os.environ:  # settings and the pre-upgrade backup stay out of the user's folder
        home = tempfile.TemporaryDirectory(prefix="salon-bench-home-")
        os.environ["SALON_DESK_HOME"] = home.name
    if args.database is None:
        args.database = f"sqlite:///{Path(tempfile.gettempdir()) / f'salon-bench-{args.clients}.sqlite3'}"
    ensure_database(args.database, args.clients, args.seed)
    rss_before = peak_rss_mb()
    bench = Bench(args.database)
    bench.cold = args.cold and drop_from_os_cache(args.database)
    count = _count(bench)
    print(f"database: {args.database} ({database_size(args.database) or 'server'}), {count:,} clients"
          + (", cold: opening, typing and each sort start on an empty cache" if bench.cold else ""))  # fmt: skip
    bench.open_list()
    rss_open = peak_rss_mb()
    bench.search()
    bench.jumps()
    bench.sorts()
    bench.cards()
    bench.category_counts()
    print()
    print(table(bench.figures))
    print()
    print(f"peak RSS: {rss_before:,.0f} MB before opening the database, {rss_open:,.0f} MB with the list open, "
          f"{peak_rss_mb():,.0f} MB after all of the above (model cache: at most "
          f"{bench.page.model.max_pages} pages of {bench.page.model.page_size} rows)")  # fmt: skip
    bench.services.db.dispose()
    if home is not None:
        home.cleanup()


def _count(bench: Bench) -> int:
    from salon_desk.services.clients.client_list import ClientListQuery, ClientListService

    return ClientListService(bench.services.db).count(ClientListQuery())


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.bench_client_list``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_client_list", description=__doc__.splitlines()[0])
    add_arguments(parser)
    run(parser.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
