"""Take the till ("Kasse") in German at 1240 × 760 and 1400 × 900, with a group-price and a manual-discount line,
and the main window as a cashier sees it.

xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_till.py docs/screenshots
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from screenshots import demo_salon, item_ids, save  # beside this script; sets SALON_DESK_HOME first

from salon_desk.models import Role  # noqa: E402
from salon_desk.pricing import ManualDiscount  # noqa: E402
from salon_desk.services.staff.staff import StaffData  # noqa: E402
from salon_desk.services.clients.client_list import ClientListQuery  # noqa: E402
from salon_desk.ui.checkout.checkout_cart_model import CartRow  # noqa: E402
from salon_desk.ui.main_window import MainWindow  # noqa: E402

SIZES = ((1240, 760), (1400, 900))
ITEMS = ("Damenhaarschnitt", "Färben (komplett)", "Haarkur Repair 200 ml", "Kinderhaarschnitt (bis 12 Jahre)")


def club_client(window: MainWindow) -> int:
    """A demo client of the regulars' club, whose group prices the till applies."""
    group = next(g for g in window.services.groups.list() if g.name == "Stammkundenclub")
    return window.services.client_list.page(ClientListQuery(group_id=group.id), None, 1)[0].id


def fill_cart(window: MainWindow) -> None:
    """Group-price lines, one of them with a manual discount, and a product bought twice."""
    page = window.show_page("checkout")
    page.set_client(club_client(window))
    for item_id in item_ids(window, ITEMS):
        page.add_item(item_id)
    colour, care = page.rows[1], page.rows[2]
    page.rows[1] = CartRow(colour.item, 1, ManualDiscount(Decimal("15"), "Anna Berger", "Reklamation"))
    page.rows[2] = CartRow(care.item, 2)
    page.requote(select=1)
    page.payment.given_edit.setText("200")
    page.payment.update_change()


def main(target: Path) -> None:
    """The main window on the till, at both sizes."""
    target.mkdir(parents=True, exist_ok=True)
    app, _services = demo_salon()
    window = MainWindow(_services)
    window.show()
    fill_cart(window)
    for width, height in SIZES:
        window.resize(width, height)
        save(app, window, target / f"checkout-{width}x{height}.png")
    shoot_cashier(app, window, target)


def shoot_cashier(app: object, window: MainWindow, target: Path) -> None:
    """A cashier signed in: only the pages the role may use, the sale still on the till."""
    services = window.services
    clara, _changes = services.staff.create(StaffData(name="Clara Sommer", role=Role.CASHIER), "1357")
    services.workstation.actor = services.staff.sign_in(clara.id, "1357")
    window.staff_controls.apply_actor()
    window.show_page("checkout")
    window.resize(1240, 760)
    save(app, window, target / "main-window-cashier-1240x760.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
