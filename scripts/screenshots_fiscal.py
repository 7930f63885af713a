"""Take the README screenshots of the till's legal day: the daily closing dialog and a Z-report page.

xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_fiscal.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SALON_DESK_HOME", tempfile.mkdtemp(prefix="salon-desk-shots-"))

from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextDocument  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from salon_desk.models import CashMovementKind, PaymentMethod  # noqa: E402
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment  # noqa: E402
from salon_desk.services.fiscal.zreport import zreport_html  # noqa: E402
from salon_desk.services.fiscal.fiskaly import FiskalyConfig, FiskalyTse  # noqa: E402
from salon_desk.services.checkout.tse import FakeTse  # noqa: E402
from salon_desk.ui.common.bus import DataBus  # noqa: E402
from salon_desk.ui.fiscal.till_page import TillPage  # noqa: E402
from screenshots import demo_salon  # noqa: E402  (beside this script)

PIN = "2580"
STOPPED = FiskalyConfig("key", "secret", "tss", "client", base_url="http://127.0.0.1:9/api/v2", timeout=1)
"""A TSE whose server is not running: the two sales sold through the outage."""
COUNT = {"200": "2", "50": "4", "20": "2", "10": "1", "2": "1", "1": "1", "0.50": "1"}


def sell_a_day(services: object) -> None:
    """A morning with a float, sales by cash and card, an outage of the TSE and a cash out."""
    checkout = services.checkout  # type: ignore[attr-defined]
    items = [i.id for i in checkout.sellable_items()][:6]
    from salon_desk.services.fiscal.drawer import CashDrawerService

    drawer = CashDrawerService(services.db, services.workstation)  # type: ignore[attr-defined]
    drawer.record(CashMovementKind.FLOAT, "150,00", "")
    for index, item in enumerate(items * 2):
        payment = Payment(PaymentMethod.CARD if index % 3 == 0 else PaymentMethod.CASH)
        tse = FiskalyTse(STOPPED) if index in (4, 5) else FakeTse(serial="SERIAL-0001")
        checkout.complete(None, Cart((CartLine(item),)), payment, tse=tse)
    drawer.record(CashMovementKind.CASH_OUT, "20,00", "Blumen für den Empfang")


def zreport_image(html: str, path: Path) -> None:
    """One A4 page of the Z-report, as the PDF lays it out."""
    width, height = 1240, 1754  # A4 at 150 dpi
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    document = QTextDocument()
    font = QFont()
    font.setPointSize(10)
    document.setDefaultFont(font)
    document.setHtml(html)
    document.setTextWidth(width - 180)
    painter = QPainter(image)
    painter.translate(90, 90)

    document.drawContents(painter, QRectF(0, 0, width - 180, height - 180))
    painter.end()
    image.save(str(path))
    print("wrote", path)


def main(target: Path) -> None:
    """The closing dialog with a counted drawer, then the Z-report of the closing."""
    target.mkdir(parents=True, exist_ok=True)
    app, services = demo_salon()
    sell_a_day(services)
    page = TillPage(services, DataBus())
    dialog = page.open_daily_closing()
    dialog.by_denomination.setChecked(True)
    for denomination, edit in dialog.pieces.items():
        edit.setText(COUNT.get(str(denomination), ""))
    dialog.resize(640, 820)
    QTest.qWait(300)
    dialog.grab().save(str(target / "daily-closing.png"))
    print("wrote", target / "daily-closing.png")
    closing = page.closings.close(dialog.count())
    dialog.reject()
    zreport_image(zreport_html(closing, page.business()), target / "z-report.png")
    app.processEvents()



if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
