"""Command line entry point: ``salon-desk [--demo] [--database URL] [--language de|en]``."""

from __future__ import annotations

import argparse
import logging
import sys

from salon_desk import i18n
from salon_desk.settings import Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(prog="salon-desk", description="Salon Desk")
    parser.add_argument("--demo", action="store_true", help="fill an empty database with demo data")
    parser.add_argument("--database", metavar="URL", help="database URL (default: SQLite in the data folder)")
    parser.add_argument("--language", choices=sorted(i18n.LANGUAGES), help="UI language")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Start Salon Desk."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    i18n.set_language(args.language or Settings.load().language or i18n.detect_language())
    from salon_desk.ui.application import run

    return run(args.database, args.demo)


if __name__ == "__main__":
    sys.exit(main())
