"""Take the README screenshots from the real app on demo data (run under Xvfb or on a desktop).

xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SALON_DESK_HOME", tempfile.mkdtemp(prefix="salon-desk-shots-"))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from salon_desk import i18n  # noqa: E402
from salon_desk.services import Services, open_services  # noqa: E402
from salon_desk.services.demo import fill_demo_data  # noqa: E402
from salon_desk.ui.application import install_qt_translations  # noqa: E402
from salon_desk.ui.main_window import MainWindow  # noqa: E402

PIN = "2580"


def settle(app: QApplication, milliseconds: int = 200) -> None:
    """Let Qt lay out, run its timers (search debounce) and paint."""
    QTest.qWait(milliseconds)


def save(app: QApplication, widget: QWidget, path: Path) -> None:
    """Grab one window as it is on screen."""
    settle(app)
    widget.grab().save(str(path))
    print("wrote", path)


def demo_salon() -> tuple[QApplication, Services]:
    """The German demo salon, its manager signed in (the other screenshot scripts start here too)."""
    i18n.set_language("de")
    app = QApplication(sys.argv)
    install_qt_translations(app)
    services = open_services()
    fill_demo_data(services)
    services.workstation.actor = services.staff.create_first_manager("Anna Berger", PIN)
    return app, services


def main(target: Path) -> None:
    """Sign in the demo salon's manager and photograph the main screens."""
    target.mkdir(parents=True, exist_ok=True)
    app, services = demo_salon()
    window = MainWindow(services)
    window.resize(1366, 800)
    window.show()
    shoot_clients(app, window, target)
    shoot_categories(app, window, target)
    shoot_checkout(app, window, target)
    shoot_groups(app, window, target)


def shoot_clients(app: QApplication, window: MainWindow, target: Path) -> None:
    page = window.show_page("clients")
    save(app, window, target / "client-list.png")
    page.search_edit.setText("mül")
    settle(app, 800)
    save(app, window, target / "client-search.png")
    page.search_edit.clear()
    card = page.open_client(services_client(window, "VIP"))
    card.resize(1060, 660)
    save(app, card, target / "client-card.png")
    card.close()


def shoot_categories(app: QApplication, window: MainWindow, target: Path) -> None:
    page = window.show_page("categories")
    save(app, window, target / "categories-page.png")
    page.new_category()
    editor = page.editor
    editor.name_edit.setText("Student/in Plus")
    editor.discount_check.setChecked(True)
    editor.open_calculator()
    calculator = editor.calculator
    calculator.price_edit.setText("50,00")
    calculator.target_edit.setText("45,00")
    settle(app)
    editor.move(20, 20)
    calculator.move(editor.x() + editor.width() + 20, 120)
    save(app, editor, target / "category-editor.png")
    save(app, calculator, target / "discount-calculator.png")
    calculator.reject()
    editor.reject()


def shoot_checkout(app: QApplication, window: MainWindow, target: Path) -> None:
    page = window.show_page("checkout")
    page.set_client(services_client(window, "VIP"))
    for item_id in item_ids(window, ("Damenhaarschnitt", "Färben (komplett)", "Shampoo Feuchtigkeit 250 ml")):
        page.add_item(item_id)
    save(app, window, target / "checkout.png")


def shoot_groups(app: QApplication, window: MainWindow, target: Path) -> None:
    window.show_page("groups")
    save(app, window, target / "groups-page.png")
    check_in = window.open_check_in()
    check_in.showNormal()
    check_in.resize(1024, 700)
    save(app, check_in, target / "check-in.png")
    check_in.close()


def services_client(window: MainWindow, category_name: str) -> int:
    """A demo client with a category of that (English template) name, by its translated name."""
    from salon_desk.services.clients.client_list import ClientListQuery

    wanted = i18n._(category_name)
    category = next(c for c in window.services.categories.list() if c.name == wanted)
    rows = window.services.client_list.page(ClientListQuery(category_id=category.id), None, 1)
    return rows[0].id


def item_ids(window: MainWindow, names: tuple[str, ...]) -> list[int]:
    """Catalogue items by name; names the demo catalogue lacks are skipped."""
    items = {item.name: item.id for item in window.services.catalog.list_items(include_inactive=False)}
    return [items[name] for name in names if name in items]


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
