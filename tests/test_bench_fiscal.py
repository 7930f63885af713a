"""The fiscal benchmark runs end to end (tiny sizes, SQLite only) and prints every figure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bench_fiscal  # noqa: E402


def test_bench_fiscal_prints_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(
        database=f"sqlite:///{tmp_path / 'bench.sqlite3'}", closing_sales=20, days=3, per_day=5, tse_sales=3
    )
    bench_fiscal.run(args)
    out = capsys.readouterr().out
    for label in (
        "closing over 20 sales",
        "DSFinV-K export, 3 closings, 15 sales",
        "sale, 3 lines, without TSE",
        "sale, 3 lines, with fiskaly (local server)",
        "time the TSE adds to a sale",
    ):
        assert label in out, label
