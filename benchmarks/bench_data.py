"""Data safety timings: backing up and verifying the database, restoring it, importing a client file.

    python -m benchmarks.bench_data --database sqlite:////tmp/bench.sqlite3 [--import-rows 100000]

- ``backup``: ``BackupService.back_up`` on the given database (online backup API, integrity
  check, rename, rotation), its size; skipped without ``--database`` or on PostgreSQL;
- ``restore``: putting that copy in place of a database file and migrating it;
- ``import``: a generated CSV of ``--import-rows`` clients (semicolons, German headers,
  a category and a dated consent on some rows): reading it, the dry run, and the import
  in one transaction into a fresh SQLite database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import add_common_arguments, sqlite_file
from salon_desk.db import Database
from salon_desk.services import open_services
from salon_desk.services.data.backups import BackupService
from salon_desk.services.data.client_import import ImportService
from salon_desk.services.data.import_files import read_table
from salon_desk.services.data.import_rows import ImportOptions, guess_mapping
from salon_desk.services.demo import load_demo_json

HEADER = "Vorname;Nachname;Telefon;E-Mail;Geburtstag;PLZ;Ort;Kategorie;Newsletter;Newsletter Datum"
CATEGORIES = ("", "", "VIP", "Stammkunde", "Student/in", "Balayage")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This benchmark's own options."""
    group = parser.add_argument_group("bench_data")
    group.add_argument("--import-rows", type=int, default=100_000, help="rows in the imported CSV (default 100,000)")


def write_client_csv(path: Path, n: int, seed: int = 1) -> Path:
    """A German-style client CSV with ``n`` rows of distinct clients."""
    names, places = load_demo_json("names.json"), load_demo_json("places.json")
    rng = random.Random(seed)
    firsts, lasts, cities = names["female"] + names["male"], names["last"], places["cities"]
    lines = [HEADER]
    for i in range(n):
        city = rng.choice(cities)
        consent = rng.random() < 0.3
        lines.append(";".join((
            rng.choice(firsts), rng.choice(lasts), f"0171 {1_000_000 + i}", f"kunde{i}@example.de",
            f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1940, 2005)}",
            city["postal"][0], city["city"], rng.choice(CATEGORIES),
            "ja" if consent else "", "15.04.2023" if consent else "",
        )))  # fmt: skip
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _timed(label: str, action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    print(f"{label:<44} {time.perf_counter() - started:8.2f} s", flush=True)
    return result


def bench_backup(url: str, folder: Path) -> None:
    """Back up and verify the database at ``url``, then restore the copy into a scratch file."""
    db = Database(url)
    result = _timed("backup + integrity check", lambda: BackupService(db).back_up("manual"))
    print(f"{'  copy size':<44} {result.backup.size / 1_000_000:8.1f} MB")
    db.dispose()
    scratch = Database(f"sqlite:///{folder / 'restored.sqlite3'}")
    _timed("restore (verify, set aside, replace, migrate)", lambda: BackupService(scratch).restore(result.backup.path))
    scratch.dispose()


def bench_import(rows: int, folder: Path, seed: int) -> None:
    """Import a generated CSV of ``rows`` clients into a fresh database."""
    path = _timed(f"write a CSV of {rows:,} clients", lambda: write_client_csv(folder / "kunden.csv", rows, seed))
    services = open_services(f"sqlite:///{folder / 'import.sqlite3'}")
    importer = ImportService(services.db)
    started = time.perf_counter()
    table = _timed("read the file", lambda: read_table(path))
    options = ImportOptions(guess_mapping(table.headers), create_categories=True, file_name=path.name)
    plan = _timed("dry run", lambda: importer.dry_run(table, options))
    result = _timed("import (one transaction)", lambda: importer.run(table, options))
    total = time.perf_counter() - started
    print(f"{'read + dry run + import':<44} {total:8.2f} s  ({rows / total:,.0f} rows/s)")
    print(f"  {result.created:,} created, {len(plan.errors)} errors, new categories {result.new_categories}")
    services.db.dispose()


def run(args: argparse.Namespace) -> None:
    """Run the data benchmarks."""
    with tempfile.TemporaryDirectory(prefix="salon-bench-data-") as scratch:
        folder = Path(scratch)
        os.environ["SALON_DESK_HOME"] = str(folder / "home")
        if args.database and sqlite_file(args.database) is not None:
            bench_backup(args.database, folder)
        bench_import(args.import_rows, folder, args.seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_data", description=__doc__)
    add_common_arguments(parser)
    add_arguments(parser)
    run(parser.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
