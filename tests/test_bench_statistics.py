"""The sales generator and the statistics benchmark run end to end on a tiny database (SQLite)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package beside src/

from benchmarks import bench_statistics  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.generate_sales import generate_sales  # noqa: E402
from salon_desk.models import Sale, SaleSnapshot, StatDay  # noqa: E402
from salon_desk.services import open_services  # noqa: E402


def test_generated_sales_have_snapshots_and_totals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    generate(url, 300)
    generate_sales(url, 2_000, seed=5, batch_size=700)
    services = open_services(url)
    try:
        with services.db.read() as session:
            sales = session.scalar(select(func.count()).select_from(Sale))
            snapshots = session.scalar(select(func.count()).select_from(SaleSnapshot))
            counted = session.scalar(select(func.sum(StatDay.sales)).where(StatDay.dim_kind == "a"))
            cancelled = session.scalar(select(func.count()).where(Sale.reverses_sale_id.is_not(None)))
        assert sales == snapshots == 2_000 + cancelled and cancelled >= 20
        assert counted == 2_000 - cancelled  # each cancellation takes its sale out again
    finally:
        services.db.dispose()
    bench_statistics.run(argparse.Namespace(database=url, repeat=1, checkout_sales=4, seed=1))
    out = capsys.readouterr().out
    for label in ("report, last year", "raw, the same", "from the sales", "extra per completed sale", "inside the sale"):
        assert label in out, label
