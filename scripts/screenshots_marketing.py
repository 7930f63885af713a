"""Take the README screenshots of segments and tasks from the real app on demo data.

xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_marketing.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("SALON_DESK_HOME", tempfile.mkdtemp(prefix="salon-desk-shots-"))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from salon_desk.services.clients.client_list import ClientListQuery  # noqa: E402
from salon_desk.services.marketing.bulk import Target  # noqa: E402
from salon_desk.services.clients.segment_rules import CategoryMode, SegmentRules, VisitMode  # noqa: E402
from salon_desk.ui.main_window import MainWindow  # noqa: E402
from screenshots import demo_salon  # noqa: E402  (beside this script)
from salon_desk.ui.marketing.segment_editor_dialog import SegmentEditorDialog  # noqa: E402

PIN = "2580"


def save(widget: QWidget, path: Path, wait: int = 400) -> None:
    """Grab one window as it is on screen."""
    QTest.qWait(wait)
    widget.grab().save(str(path))
    print("wrote", path)


def main(target: Path) -> None:
    """The segment editor with its count, the list inside the segment, and the tasks page."""
    target.mkdir(parents=True, exist_ok=True)
    app, services = demo_salon()
    student = next(c.id for c in services.categories.list() if c.name == "Student/in")
    rules = SegmentRules(category_mode=CategoryMode.ANY, category_ids=(student,), visit_mode=VisitMode.NOT_WITHIN,
                         visit_days=60, has_email=True)  # fmt: skip
    window = MainWindow(services)
    window.resize(1366, 800)
    window.show()
    editor = SegmentEditorDialog(services, window.bus, rules=rules, parent=window)
    editor.name_edit.setText("Reaktivierung Studierende")
    editor.resize(820, 640)
    editor.show()
    save(editor, target / "segment-editor.png")
    editor.save_and_accept()
    page = window.show_page("clients")
    page.segment_bar.reload(editor.result_segment_id)
    page.segment_bar.sig_segment_changed.emit()
    save(window, target / "client-list-segment.png", 800)
    target_list = Target.whole_list(ClientListQuery(segment=rules))
    services.tasks.create_call_list(target_list, "Reaktivierung anrufen", date.today() - timedelta(days=2), advertising=False)
    everyone = services.bulk.count(Target.whole_list(ClientListQuery()))
    services.tasks.create_call_list(Target.selection(list(range(1, min(everyone, 6)))), "Termin bestätigen", date.today(),
                                    advertising=False)  # fmt: skip
    services.tasks.create_call_list(Target.selection(list(range(10, 14))), "Angebot Balayage", date.today() + timedelta(days=3))
    tasks = window.show_page("tasks")
    tasks.scope_combo.setCurrentIndex(1)
    tasks.reload()
    window.task_badge.refresh()
    tasks.table.selectRow(3)
    save(window, target / "tasks-page.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
