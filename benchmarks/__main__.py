"""Run the benchmarks: ``python -m benchmarks [name ...] [--clients N] [--database URL] [--seed S]``.

Each benchmark is a module of this package with ``run(args)`` and, optionally,
``add_arguments(parser)`` for its own options; register it in BENCHMARKS. They run
in the listed order on one database, so ``generate`` comes first and fills it.
Without ``--database`` they share a SQLite file in a temporary folder, removed
afterwards unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from benchmarks import add_common_arguments

BENCHMARKS: tuple[str, ...] = (
    "generate", "bench_client_list", "bench_checkout", "bench_fiscal", "generate_sales", "bench_statistics",
    "bench_campaigns",
)


def _modules(names: list[str]) -> list[ModuleType]:
    return [importlib.import_module(f"benchmarks.{name}") for name in names]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Salon Desk benchmarks", conflict_handler="resolve"
    )
    parser.add_argument(
        "names", nargs="*", metavar="name", help="benchmarks to run (default: all): " + ", ".join(BENCHMARKS)
    )
    add_common_arguments(parser)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    for module in _modules(list(BENCHMARKS)):
        if hasattr(module, "add_arguments"):
            module.add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the chosen (default: all) benchmarks in order and print each one's time."""
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    names = args.names or list(BENCHMARKS)
    folder = None
    if args.database is None:
        folder = Path(tempfile.mkdtemp(prefix="salon-bench-"))
        args.database = f"sqlite:///{folder / 'bench.sqlite3'}"
    try:
        for name, module in zip(names, _modules(names), strict=True):
            started = time.perf_counter()
            module.run(args)
            print(f"== {name}: {time.perf_counter() - started:,.1f} s", flush=True)
    finally:
        if folder is not None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        elif folder is not None:
            print(f"database kept: {args.database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
