"""The checkout benchmark runs end to end (tiny sizes, SQLite only) and prints every figure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bench_checkout  # noqa: E402


def test_bench_checkout_prints_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(database=f"sqlite:///{tmp_path / 'bench.sqlite3'}", sales=3, pg_url=None, no_pg=True)
    bench_checkout.run(args)
    out = capsys.readouterr().out
    for label in (
        "price_sale, 50 lines",
        "quote, 50 lines",
        "complete, 3 lines",
        "raw baseline, 3 lines",
        "complete, 50 lines",
        "raw baseline, 50 lines",
    ):
        assert label in out, label
    assert "postgresql" not in out
