"""Take the README screenshot of the statistics page: the demo salon with three years of generated sales.

xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/statistics_screenshot.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SALON_DESK_HOME", tempfile.mkdtemp(prefix="salon-desk-shots-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package beside src/

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox, QTableView  # noqa: E402

from benchmarks.generate_sales import generate_sales  # noqa: E402
from salon_desk import i18n  # noqa: E402
from salon_desk.services import open_services  # noqa: E402
from salon_desk.services.demo import fill_demo_data  # noqa: E402
from salon_desk.services.statistics import Preset  # noqa: E402
from salon_desk.ui.application import install_qt_translations  # noqa: E402
from salon_desk.ui.main_window import MainWindow  # noqa: E402

PIN = "2580"
SALES = 4_000


def main(target: Path) -> None:
    """The statistics page for this year beside the last, its chart showing revenue per category."""
    target.mkdir(parents=True, exist_ok=True)
    i18n.set_language("de")
    app = QApplication(sys.argv)
    install_qt_translations(app)
    services = open_services()
    fill_demo_data(services)
    generate_sales(services.db.url.render_as_string(hide_password=False), SALES, seed=3)
    services.workstation.actor = services.staff.create_first_manager("Anna Berger", PIN)
    window = MainWindow(services)
    window.resize(1400, 900)
    window.show()
    page = window.show_page("statistics")
    presets = page.findChild(QComboBox, "statisticsPresetCombo")
    presets.setCurrentIndex(presets.findData(Preset.THIS_YEAR))
    table = page.findChild(QTableView, "statisticsTable")
    gross = next(c for c in range(table.model().columnCount())
                 if table.model().headerData(c, Qt.Orientation.Horizontal) == i18n._("Revenue (gross)"))  # fmt: skip
    table.sortByColumn(gross, Qt.SortOrder.DescendingOrder)
    QTest.qWait(300)
    for name, size in (("statistics.png", (1400, 900)), ("statistics-1240x760.png", (1240, 760))):
        window.resize(*size)
        QTest.qWait(300)
        path = target / name
        window.grab().save(str(path))
        print("wrote", path, window.width(), "x", window.height())


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
