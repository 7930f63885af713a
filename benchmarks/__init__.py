"""Reproducible performance runs on generated data: ``python -m benchmarks`` (see ``__main__``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

DEFAULT_CLIENTS = 100_000
DEFAULT_SEED = 1


def add_common_arguments(parser: argparse.ArgumentParser, default_clients: int = DEFAULT_CLIENTS) -> None:
    """The options every benchmark shares: how many clients, which database, which seed."""
    parser.add_argument("--clients", type=int, default=default_clients, help="number of clients to generate")
    parser.add_argument(
        "--database",
        default=None,
        help="SQLAlchemy URL, e.g. sqlite:////tmp/bench.sqlite3 or postgresql+psycopg://user@host/db "
        "(default: a SQLite file in a temporary folder)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed; the same seed gives the same data")


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def database_size(url: str) -> str:
    """The size of a SQLite database file (with its WAL) in MB, or '' when it is not a file."""
    path = sqlite_file(url)
    if path is None or not path.exists():
        return ""
    wal = path.with_name(path.name + "-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return f"{size / 1_000_000:,.1f} MB"
