"""Generate a large client database with set-based inserts, the starting point of the other benchmarks.

    python -m benchmarks.generate --clients 1000000 --database sqlite:////tmp/bench.sqlite3

Clients and their category memberships go in through SQLAlchemy Core ``executemany``
in batches (memberships on PostgreSQL as one INSERT from arrays per batch), a few
transactions in all; the derived columns the ORM would fill (``search_text``,
``sort_name``) and the ``category_label`` the services keep are computed here. Works on
SQLite and PostgreSQL URLs; each run adds clients after the highest existing id.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select, text, update

from benchmarks import add_common_arguments, database_size
from salon_desk.db import Database
from salon_desk.models import Category, Client, ClientCategory, ClientFacts, ClientMerge, ClientTotal, utcnow
from salon_desk.services import Services, open_services
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.segment_sql import card_facts
from salon_desk.services.common import name_key
from salon_desk.services.demo import ascii_slug, falling_weights, load_demo_json
from salon_desk.services.groups.groups import GroupData
from salon_desk.services.categories.labels import SEPARATOR
from salon_desk.textindex import client_search_text, sort_name, sqlite_search_columns

BATCH_SIZE = 20_000
COMMIT_EVERY = 200_000
SQLITE_CACHE_KIB = 256 * 1024  # a bigger page cache for the bulk load only; the file is unchanged by it
FTS_INSERT_TRIGGER = "clients_search_ai"  # keeps SQLite's client_search index in step with new clients
# Membership columns and their PostgreSQL array types, for MEMBERS_FROM_ARRAYS.
MEMBER_ARRAYS = {
    "client_id": "integer[]", "category_id": "integer[]", "assigned_at": "timestamptz[]",
    "assigned_by": "varchar[]", "valid_until": "date[]", "proof_note": "varchar[]",
}  # fmt: skip
MEMBERS_FROM_ARRAYS = text(
    f"INSERT INTO client_categories ({', '.join(MEMBER_ARRAYS)}) SELECT * FROM unnest("
    + ", ".join(f"CAST(:{name} AS {kind})" for name, kind in MEMBER_ARRAYS.items())
    + ")"
)
GROUP_SHARE = 0.2
GROUP_NAMES = ("Stammkundenclub", "Firmenkunden", "Familie & Freunde")
# (name, colour, icon): own categories beside the templates.
EXTRA_CATEGORIES = (
    ("Hochzeit", "#AD1457", "diamond"),
    ("Kinder", "#F9A825", "baby"),
    ("Barber", "#37474F", "briefcase"),
    ("Allergie", "#C62828", "leaf"),
)
CATEGORIES_PER_CLIENT = (0, 1, 2, 3)
CATEGORY_COUNT_WEIGHTS = tuple(accumulate((15, 45, 30, 10)))
SIX_YEARS_S = 6 * 365 * 86_400

Report = Callable[[str], None]


@dataclass(frozen=True)
class GenerateStats:
    """What one generation produced and how long it took."""

    seconds: float
    clients: int
    memberships: int
    per_category: dict[int, int]
    first_id: int


def generate(url: str, n: int, seed: int = 1) -> float:
    """Create (or migrate) the database at ``url`` and add ``n`` generated clients; returns the seconds taken."""
    return generate_stats(url, n, seed).seconds


def generate_stats(
    url: str, n: int, seed: int = 1, *, batch_size: int = BATCH_SIZE, report: Report | None = None
) -> GenerateStats:
    """Like ``generate``, with the counts per category and progress lines through ``report``."""
    say = report or (lambda _line: None)
    started = time.perf_counter()
    services = open_services(url)
    try:
        maker = _RowMaker(seed, _ordered_categories(services), _group_ids(services))
        first_id = _next_client_id(services.db)
        memberships = _insert_clients(services.db, maker, first_id, n, batch_size, say)
        say("analysing tables…")
        _finish(services.db)
    finally:
        services.db.dispose()
    seconds = time.perf_counter() - started
    return GenerateStats(seconds, n, memberships, dict(maker.per_category), first_id)


# -- set-up through the services -----------------------------------------------------


def _ordered_categories(services: Services) -> list[tuple[int, str]]:
    """The extra categories created if missing; then every category as (id, name) in label order.

    The order comes from the database's own ``ORDER BY name_key``, the one
    ``refresh_labels`` uses, so the labels agree under any collation.
    """
    existing = {name_key(c.name) for c in services.categories.list()}
    for name, color, icon in EXTRA_CATEGORIES:
        if name_key(name) not in existing:
            services.categories.create(CategoryData(name=name, color=color, icon=icon))
    with services.db.read() as session:
        rows = session.execute(select(Category.id, Category.name).order_by(Category.name_key))
        return [(category_id, name) for category_id, name in rows]


def _group_ids(services: Services) -> list[int]:
    """The benchmark's customer groups, created if missing."""
    groups = {name_key(g.name): g.id for g in services.groups.list()}
    for name in GROUP_NAMES:
        if name_key(name) not in groups:
            info, _changes = services.groups.create(GroupData(name=name))
            groups[name_key(name)] = info.id
    return [groups[name_key(name)] for name in GROUP_NAMES]


def _next_client_id(db: Database) -> int:
    """The first free client id: ids are given here so memberships need no round trip."""
    with db.read() as session:
        return (session.scalar(select(func.max(Client.id))) or 0) + 1


# -- rows -----------------------------------------------------------------------------


class _RowMaker:
    """Client rows and their memberships from the demo names, the same for the same seed."""

    def __init__(self, seed: int, categories: list[tuple[int, str]], group_ids: list[int]) -> None:
        names, places = load_demo_json("names.json"), load_demo_json("places.json")
        self.rng = random.Random(seed)
        self.first_names = [(n, ascii_slug(n)) for n in names["female"] + names["male"]]
        self.last_names = [(n, ascii_slug(n)) for n in names["last"]]
        self.last_weights = falling_weights(len(self.last_names))
        self.cities = places["cities"]
        self.city_weights = list(accumulate(c["weight"] for c in self.cities))
        self.streets, self.domains = places["streets"], places["email_domains"]
        self.prefixes = [p[1:] for p in places["mobile_prefixes"]]
        self.categories, self.group_ids = categories, group_ids
        self.per_category: Counter[int] = Counter()
        self.now = utcnow()
        self.today = self.now.date().toordinal()

    def batch(self, first_id: int, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``count`` client rows from id ``first_id`` on, and their membership rows."""
        clients: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        for client_id in range(first_id, first_id + count):
            row, category_ids = self.client(client_id)
            clients.append(row)
            members += [self._membership(client_id, cid, row["created_at"]) for cid in category_ids]
        return clients, members

    def client(self, client_id: int) -> tuple[dict[str, Any], list[int]]:
        """One client row (every column, as executemany needs) and its category ids."""
        rng = self.rng
        (first, first_slug), (last, last_slug) = self._name()
        phone = f"0{rng.choice(self.prefixes)} {rng.randrange(1_000_000, 100_000_000)}" if rng.random() < 0.9 else ""
        email = f"{first_slug}.{last_slug}{client_id}@{rng.choice(self.domains)}" if rng.random() < 0.75 else ""
        created = self.now - timedelta(seconds=rng.randrange(SIX_YEARS_S))
        consent = bool(email) and rng.random() < 0.4
        category_ids, label = self._categories()
        row = {
            "id": client_id, "first_name": first, "last_name": last, "phone": phone, "email": email,
            "birthday": self._day_back(16 * 365, 88 * 365) if rng.random() < 0.5 else None,
            **self._address(), "notes": "",
            "email_consent": consent, "email_consent_at": created if consent else None,
            "sms_consent": False, "sms_consent_at": None,
            "group_id": rng.choice(self.group_ids) if rng.random() < GROUP_SHARE else None,
            "last_visit": self._day_back(1, 730) if rng.random() < 0.8 else None,
            "search_text": client_search_text(first, last, phone, email), "sort_name": sort_name(first, last),
            "category_label": label, "created_at": created, "updated_at": created, "version": 1,
        }  # fmt: skip
        return row, category_ids

    def _name(self) -> tuple[tuple[str, str], tuple[str, str]]:
        first = self.first_names[int(self.rng.random() * len(self.first_names))]
        return first, self.rng.choices(self.last_names, cum_weights=self.last_weights)[0]

    def _address(self) -> dict[str, str]:
        rng = self.rng
        if rng.random() >= 0.6:
            return {"street": "", "postal_code": "", "city": ""}
        city = rng.choices(self.cities, cum_weights=self.city_weights)[0]
        low, high = (int(code) for code in city["postal"])
        street = f"{rng.choice(self.streets)} {rng.randint(1, 180)}"
        return {"street": street, "postal_code": f"{rng.randint(low, high):05d}", "city": city["city"]}

    def _categories(self) -> tuple[list[int], str]:
        """0–3 distinct categories and the label ``refresh_labels`` would compute for them."""
        count = self.rng.choices(CATEGORIES_PER_CLIENT, cum_weights=CATEGORY_COUNT_WEIGHTS)[0]
        chosen = sorted(self.rng.sample(range(len(self.categories)), count))
        ids = [self.categories[i][0] for i in chosen]
        self.per_category.update(ids)
        return ids, SEPARATOR.join(self.categories[i][1] for i in chosen)

    def _day_back(self, least: int, most: int) -> date:
        return date.fromordinal(self.today - self.rng.randrange(least, most))

    @staticmethod
    def _membership(client_id: int, category_id: int, assigned_at: datetime) -> dict[str, Any]:
        return {
            "client_id": client_id, "category_id": category_id, "assigned_at": assigned_at,
            "assigned_by": None, "valid_until": None, "proof_note": "",
        }  # fmt: skip


# -- writing ----------------------------------------------------------------------------


def _insert_clients(db: Database, maker: _RowMaker, first_id: int, n: int, batch_size: int, say: Report) -> int:
    """Insert ``n`` clients in executemany batches and return the number of memberships.

    PostgreSQL commits every COMMIT_EVERY clients. SQLite loads in one transaction,
    because it defers its text index to one statement (see ``_sqlite_search_index``) and
    that must not be left half done.
    """
    memberships, since_commit, started = 0, 0, time.perf_counter()
    with db.engine.connect() as connection:
        if db.is_sqlite:
            deferred = _sqlite_search_index(connection, first_id, say)
        else:
            deferred = _postgres_load(connection, say)
        with deferred:
            for done in range(0, n, batch_size):
                count = min(batch_size, n - done)
                memberships += _insert_batch(connection, *maker.batch(first_id + done, count))
                since_commit += count
                if since_commit >= COMMIT_EVERY and not db.is_sqlite:
                    connection.commit()
                    since_commit = 0
                rate = (done + count) / (time.perf_counter() - started)
                say(f"{done + count:>11,} / {n:,} clients, {memberships:,} memberships, {rate:,.0f} clients/s")
        connection.commit()
    return memberships


def _insert_batch(connection: Connection, clients: list[dict[str, Any]], members: list[dict[str, Any]]) -> int:
    """One executemany for the clients, one statement for their memberships; returns the memberships.

    On PostgreSQL the memberships go in as one INSERT … SELECT FROM unnest(arrays): psycopg's
    executemany sends a statement per row, and each fires the trigger that keeps the
    category counts (migration 0004), which made the load ten times slower; a multi-row
    VALUES takes SQLAlchemy over a second to compile per 10,000 rows.
    """
    connection.execute(insert(Client), clients)
    if members and connection.dialect.name == "sqlite":
        connection.execute(insert(ClientCategory), members)
    elif members:
        columns = {name: [row[name] for row in members] for name in MEMBER_ARRAYS}
        connection.execute(MEMBERS_FROM_ARRAYS, columns)
    return len(members)


@contextmanager
def _sqlite_search_index(connection: Connection, first_id: int, say: Report) -> Iterator[None]:
    """Fill SQLite's FTS5 client index in one statement after the load instead of by trigger row by row.

    Row by row, FTS5 spends about four fifths of the insert time merging its segments
    (measured at a million clients); one INSERT … SELECT is about ten times faster. The insert
    trigger is dropped and re-created from its own stored SQL inside the load's
    transaction, so a failed load rolls back to the untouched schema.
    """
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    # The load's transaction was begun by Salon Desk's engine (an explicit BEGIN on SQLite),
    # so the DROP TRIGGER below is part of it and rolls back with it.
    trigger_sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (FTS_INSERT_TRIGGER,)
    ).scalar()
    if trigger_sql is None:
        yield  # a schema without the trigger: nothing to defer
        return
    connection.exec_driver_sql(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
    yield
    connection.exec_driver_sql(trigger_sql)
    say("indexing search text…")
    lead, others = sqlite_search_columns("clients")
    connection.exec_driver_sql(
        f"INSERT INTO client_search(rowid, lead_words, other_words) SELECT id, {lead}, {others} FROM clients "
        f"WHERE id >= {int(first_id)}"
    )


@contextmanager
def _postgres_load(connection: Connection, say: Report) -> Iterator[None]:
    """Load the clients into PostgreSQL without their triggers and secondary indexes; build and count after.

    psycopg sends an ``executemany`` as one ``INSERT`` per row, and each fired the statement
    trigger that keeps ``client_totals`` (migration 0018): 200,000 updates of one row in a
    transaction, each longer than the one before. With the indexes in place too, the load
    had slowed to 550 clients a second at 100,000 clients; 1,000,000 would have taken over
    40 minutes. As ``pg_restore`` does, the indexes are built once afterwards (the unique
    ones stay: they check the rows), and the total is counted once. Index definitions are
    read back from ``pg_indexes``. All of it is put back after a failed load too (its open
    batch rolled back first).
    """
    found = connection.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'clients'"
            " AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%' ORDER BY indexname"
        )
    ).all()
    for name, _definition in found:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    connection.exec_driver_sql("ALTER TABLE clients DISABLE TRIGGER USER")
    connection.commit()
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    finally:
        say(f"building {len(found)} indexes, counting the clients…")
        for _name, definition in found:
            connection.exec_driver_sql(definition)
        connection.exec_driver_sql("ALTER TABLE clients ENABLE TRIGGER USER")
        connection.execute(update(ClientTotal).values(clients=select(func.count()).select_from(Client).scalar_subquery()))
        _fill_facts(connection)
        _fill_search_words(connection)
        connection.commit()


def _fill_facts(connection: Connection) -> None:
    """The segment facts (migration 0021) of the clients loaded while the triggers that keep them were off."""
    missing = ~select(ClientFacts.client_id).where(ClientFacts.client_id == Client.id).exists()
    open_card = Client.id.not_in(select(ClientMerge.client_id))  # a merged card has no facts
    names = [c.name for c in ClientFacts.__table__.columns]
    connection.execute(insert(ClientFacts).from_select(names, card_facts().where(missing, open_card)))


def _fill_search_words(connection: Connection) -> None:
    """PostgreSQL's search words (migration 0023) of every client, written anew: their triggers were off."""
    connection.exec_driver_sql("TRUNCATE client_search_words")
    connection.exec_driver_sql(
        "INSERT INTO client_search_words (other, word, client_id, sort_name)"
        " SELECT w.other, w.word, c.id, c.sort_name FROM clients AS c, client_search_words_of(c.search_text) AS w"
    )


def _finish(db: Database) -> None:
    """Move PostgreSQL's id sequence past the given ids, refresh planner statistics, fold SQLite's WAL.

    PostgreSQL's tables are vacuumed too, as autovacuum would do a while later: reads
    that need only an index (the search words, the name index) then skip the table.
    """
    with db.engine.begin() as connection:
        if not db.is_sqlite:
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('clients', 'id'), (SELECT max(id) FROM clients))")
            )
        connection.exec_driver_sql("ANALYZE")
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    if db.is_sqlite:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


# -- command line -------------------------------------------------------------------------


def _print_now(line: str) -> None:
    print(line, flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of this benchmark beyond the common ones."""
    parser.add_argument("--batch", type=int, default=BATCH_SIZE, help="rows per executemany batch")


def run(args: argparse.Namespace) -> None:
    """Generate ``args.clients`` clients into ``args.database`` and print the time and rate."""
    say = _print_now
    say(f"generating {args.clients:,} clients into {args.database}")
    batch_size = getattr(args, "batch", BATCH_SIZE)
    stats = generate_stats(args.database, args.clients, args.seed, batch_size=batch_size, report=say)
    rows = stats.clients + stats.memberships
    say(
        f"generate: {stats.clients:,} clients and {stats.memberships:,} memberships in {stats.seconds:,.1f} s "
        f"({stats.clients / stats.seconds:,.0f} clients/s, {rows / stats.seconds:,.0f} rows/s)"
    )
    size = database_size(args.database)
    if size:
        say(f"database file: {size}")


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.generate``: a database of generated clients."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.database is None:
        folder = Path(tempfile.mkdtemp(prefix="salon-bench-"))
        args.database = f"sqlite:///{folder / 'bench.sqlite3'}"
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
