"""The campaign benchmark runs end to end (a few recipients) and prints every figure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bench_campaigns  # noqa: E402


def test_bench_campaigns_prints_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp) -> None:
    bench_campaigns.run(argparse.Namespace(database=f"sqlite:///{tmp_path / 'bench.sqlite3'}", campaign_recipients=20))
    out = capsys.readouterr().out
    assert "sent / skipped / failed:          20 / 2 / 0   server: received 20 distinct 20" in out
    for label in ("messages per second", "peak Python memory", "sending process: max resident size",
                  "longest event-loop block"):
        assert label in out, label
