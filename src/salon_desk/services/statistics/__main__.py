"""``python -m salon_desk.services.statistics rebuild [--database URL]``: recompute the statistics' totals.

For a database restored from an older copy, or whenever the totals are in doubt: the
day totals and the clients-with-a-sale counts are recomputed from the sales' snapshots
in one transaction (nothing else changes).
"""

from __future__ import annotations

import argparse
import sys
import time

from salon_desk.db import Database
from salon_desk.services.statistics.totals import rebuild


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m salon_desk.services.statistics", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["rebuild"], help="what to do")
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: as the app chooses it)")
    args = parser.parse_args(argv)
    db = Database(args.database)
    try:
        db.upgrade()
        started = time.perf_counter()
        with db.engine.begin() as connection:
            rebuild(connection)
        print(f"statistics rebuilt in {time.perf_counter() - started:,.1f} s")
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
