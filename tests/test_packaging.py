"""The wheel carries the resources, translations and migrations, and installs both entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_resources_translations_and_migrations(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("salon_desk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "salon_desk/resources/icons/star.svg" in names
    assert "salon_desk/translations/de/LC_MESSAGES/salon_desk.mo" in names
    assert "salon_desk/migrations/env.py" in names
    assert any(n.startswith("salon_desk/migrations/versions/0001") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[gui_scripts]\nsalon-desk = salon_desk.app:main" in text


def test_python_dash_m_starts_and_parses_options():
    result = subprocess.run(
        [sys.executable, "-m", "salon_desk", "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "--demo" in result.stdout and "--database" in result.stdout
