"""Take the README screenshots of the rule editor and the automations page from the real app on demo data.

xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_automations.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SALON_DESK_HOME", tempfile.mkdtemp(prefix="salon-desk-shots-"))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from salon_desk.models import PaymentMethod  # noqa: E402
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment  # noqa: E402
from salon_desk.services.clients.clients import ClientData  # noqa: E402
from salon_desk.ui.automations.rule_editor import RuleEditorDialog  # noqa: E402
from salon_desk.ui.main_window import MainWindow  # noqa: E402
from screenshots import demo_salon  # noqa: E402  (beside this script)


def save(widget: QWidget, path: Path, wait: int = 400) -> None:
    """Grab one window as it is on screen."""
    QTest.qWait(wait)
    widget.grab().save(str(path))
    print("wrote", path)


def main(target: Path) -> None:
    """The first-sale template in the editor, then switched on, a sale, and the page with its run log."""
    target.mkdir(parents=True, exist_ok=True)
    app, services = demo_salon()
    window = MainWindow(services)
    window.resize(1366, 800)
    window.show()
    first_sale = next(row.rule for row in services.automations.list() if row.rule.template == "first_sale")
    editor = RuleEditorDialog(services, window.bus, services.automations.get(first_sale.id), window)
    editor.active_check.setChecked(True)
    editor.resize(720, editor.sizeHint().height())
    editor.show()
    save(editor, target / "rule-editor.png")
    editor.save_and_accept()
    newbie = services.clients.create(ClientData(first_name="Nina", last_name="Neumann"))[0].id
    item = services.checkout.sellable_items(newbie)[0].id
    services.checkout.complete(newbie, Cart((CartLine(item),)), Payment(PaymentMethod.CARD))
    window.show_page("automations")
    save(window, target / "automations-page.png", 800)
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
