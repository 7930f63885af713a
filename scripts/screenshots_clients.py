"""Screenshots of the client card and the audit log at 1240×760 (duplicates, merging, readable audit entries).

xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_clients.py docs/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from PySide6.QtWidgets import QMessageBox  # noqa: E402
from screenshots import demo_salon, save, settle  # noqa: E402

from salon_desk.services.clients.client_list import ClientListQuery  # noqa: E402
from salon_desk.services.clients.clients import ClientData  # noqa: E402
from salon_desk.ui.main_window import MainWindow  # noqa: E402

SIZE = (1240, 760)


def main(target: Path) -> None:
    """A duplicate warning on a new card, a merged card, and the audit log with client entries."""
    target.mkdir(parents=True, exist_ok=True)
    app, services = demo_salon()
    window = MainWindow(services)
    window.resize(*SIZE)
    window.show()
    first = services.client_list.page(ClientListQuery(), limit=1)[0]
    kept = services.clients.get(first.id)
    changed = ClientData(**{**kept.data.__dict__, "phone": kept.data.phone or "0171 2345678", "city": "Köln"})
    kept, _changes = services.clients.save(kept.id, kept.version, changed)
    card = window.open_client(None)
    card.resize(*SIZE)
    card.first_name_edit.setText(kept.data.first_name)
    card.last_name_edit.setText(kept.data.last_name)
    card.phone_edit.setText("+49 " + kept.data.phone.lstrip("0"))
    card.save_button.click()
    settle(app, 300)
    box = card.findChild(QMessageBox, "duplicateMessageBox")
    save(app, card, target / "client-card-duplicate.png")
    if box is not None:
        save(app, box, target / "client-card-duplicate-box.png")
        box.findChild(object, "saveAnywayButton").click()
    settle(app, 300)
    twin = max(row.id for row in services.client_list.page(ClientListQuery(text=kept.data.last_name)))
    services.clients.merge(kept.id, twin)
    closed = window.open_client(twin)
    closed.resize(*SIZE)
    save(app, closed, target / "client-card-merged.png")
    closed.close()
    merged = window.open_client(kept.id)
    merged.resize(*SIZE)
    save(app, merged, target / "client-card-kept.png")
    merged.close()
    window.show_page("audit")
    save(app, window, target / "audit-log.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
