"""The till's legal day: a closing over many sales, a year's DSFinV-K export, the time a TSE adds to a sale.

    python -m benchmarks.bench_fiscal [--closing-sales 2000] [--days 365] [--per-day 150] [--tse-sales 50]

On a fresh SQLite file (``--database`` names another), it writes sales straight into
the tables (two lines each, at 19 % and 7 %, every tenth paid by card, every
fiftieth cancelled), then times:

- ``closing``: ``ClosingService.close`` over ``--closing-sales`` sales (one transaction);
- ``export``: the DSFinV-K export of ``--days`` closings of ``--per-day`` sales each;
- ``tse``: ``CheckoutService.complete`` of a 3-line sale without a TSE and with the
  fiskaly adapter against the local fake server of the tests (median and p95).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from salon_desk.kinds import ItemKind
from salon_desk.models import PaymentMethod, ReceiptCounter, Sale, SaleLine, SaleVat, utcnow
from salon_desk.services import Services, open_services
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.fiscal.closing import ClosingService
from salon_desk.services.fiscal.counting import DrawerCount
from salon_desk.services.fiscal.dsfinvk_export import DsfinvkExportService
from salon_desk.services.fiscal.fiskaly import FiskalyConfig, FiskalyTse

CUT, BOOK = Decimal("49.00"), Decimal("20.00")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The fiscal benchmark's own options."""
    group = parser.add_argument_group("bench_fiscal")
    group.add_argument("--closing-sales", type=int, default=2000, help="sales in the timed closing (default 2000)")
    group.add_argument("--days", type=int, default=365, help="closings in the timed export (default 365)")
    group.add_argument("--per-day", type=int, default=150, help="sales per closing in the export (default 150)")
    group.add_argument("--tse-sales", type=int, default=50, help="sales timed with and without the TSE (default 50)")


def _vat(gross: Decimal, rate: Decimal) -> Decimal:
    return (gross * rate / (100 + rate)).quantize(Decimal("0.01"))


def write_sales(services: Services, first: int, count: int) -> int:
    """Sales ``first``..``first + count - 1`` written as rows (ids equal their numbers); returns the last number."""
    now = utcnow()
    sales: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    vat: list[dict[str, Any]] = []
    for number in range(first, first + count):
        sign = -1 if number % 50 == 0 else 1
        gross = (CUT + BOOK) * sign
        v19, v7 = _vat(CUT, Decimal(19)) * sign, _vat(BOOK, Decimal(7)) * sign
        sales.append({
            "id": number, "number": number, "client_name": "", "staff_name": "Bench", "started_at": now - timedelta(minutes=3),
            "completed_at": now, "payment_method": PaymentMethod.CARD if number % 10 == 0 else PaymentMethod.CASH,
            "total_gross": gross, "total_net": gross - v19 - v7, "total_vat": v19 + v7, "total_discount": Decimal(0),
            "reverses_sale_id": number - 1 if sign < 0 else None, "tse_status": "no TSE connected",
        })  # fmt: skip
        for position, (name, price, rate, tax) in enumerate((("Haircut", CUT, 19, v19), ("Book", BOOK, 7, v7)), start=1):
            lines.append({
                "sale_id": number, "position": position, "item_name": name, "item_kind": ItemKind.SERVICE,
                "quantity": sign, "list_price": price, "base_price": price, "price_source": "list", "unit_price": price,
                "discount_percent": Decimal(0), "discount_source": "none", "discount_amount": Decimal(0),
                "line_total": price * sign, "vat_rate": Decimal(rate),
            })  # fmt: skip
            vat.append({"sale_id": number, "rate": Decimal(rate), "gross": price * sign, "vat": tax, "net": price * sign - tax})
    with services.db.transaction() as session:
        session.execute(insert(Sale), sales)
        session.execute(insert(SaleLine), lines)
        session.execute(insert(SaleVat), vat)
        last = first + count - 1
        if session.get(ReceiptCounter, 1) is None:
            session.add(ReceiptCounter(id=1, last_number=last))
        else:
            session.execute(update(ReceiptCounter).values(last_number=last))
    return first + count - 1


def _seconds(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _cpu_seconds(action: Any) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds of ``action`` (the CPU time says less about other load on the machine)."""
    cpu = time.process_time()
    seconds, result = _seconds(action)
    return seconds, time.process_time() - cpu, result


def bench_closing(services: Services, sales: int) -> None:
    """One closing over ``sales`` sales."""
    write_sales(services, 1, sales)
    seconds, cpu, closing = _cpu_seconds(lambda: ClosingService(services.db).close(DrawerCount(total="0")))
    print(f"closing over {sales} sales: {seconds:.3f} s, CPU {cpu:.3f} s (gross {closing.totals.gross})", flush=True)


def bench_export(services: Services, days: int, per_day: int, folder: Path) -> None:
    """``days`` closings of ``per_day`` sales, then their DSFinV-K export."""
    closings = ClosingService(services.db)
    first_closing = len(closings.closings()) + 1
    number = (closings.preview().totals.last_receipt or 0) + 1
    for _day in range(days):
        number = write_sales(services, number, per_day) + 1
        closings.close(DrawerCount(total="0"))
    target = folder / "dsfinvk.zip"
    export = DsfinvkExportService(services.db)
    seconds, cpu, result = _cpu_seconds(lambda: export.export(first_closing, first_closing + days - 1, target))
    size = target.stat().st_size / 1e6
    print(
        f"DSFinV-K export, {days} closings, {result.sales} sales: {seconds:.2f} s, CPU {cpu:.2f} s ({size:.1f} MB)",
        flush=True,
    )


def _fake_server() -> Any:
    """The fake fiskaly server of the tests, on a local port."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import fiskaly_server
    from pytest_httpserver import HTTPServer

    server = HTTPServer()
    server.start()
    return fiskaly_server.start(server)


def bench_tse(services: Services, sales: int) -> None:
    """The time of a 3-line sale without a TSE and with fiskaly against the local server."""
    items = [services.catalog.create_item(ItemData(name=f"TSE bench {i} {time.time_ns()}", kind=ItemKind.SERVICE, price=Decimal("10.00"), vat_rate=Decimal(19)))[0].id for i in range(3)]  # fmt: skip
    cart = Cart(tuple(CartLine(i) for i in items))
    fake = _fake_server()
    import fiskaly_server

    device = FiskalyTse(FiskalyConfig(fiskaly_server.API_KEY, fiskaly_server.API_SECRET, fiskaly_server.TSS_ID, fiskaly_server.CLIENT_ID, base_url=fake.base_url))  # fmt: skip
    try:
        device.set_up()
        figures = {}
        for label, tse in (("without TSE", None), ("with fiskaly (local server)", device)):
            times = [_seconds(lambda t=tse: services.checkout.complete(None, cart, Payment(PaymentMethod.CASH), tse=t))[0] * 1000 for _ in range(sales)]  # fmt: skip
            figures[label] = (statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1])
            print(
                f"sale, 3 lines, {label}: median {figures[label][0]:.1f} ms, p95 {figures[label][1]:.1f} ms",
                flush=True,
            )
        added = figures["with fiskaly (local server)"][0] - figures["without TSE"][0]
        print(f"time the TSE adds to a sale: {added:.1f} ms (median)", flush=True)
    finally:
        device.close()
        fake.server.stop()


def run(args: argparse.Namespace) -> None:
    """All three measurements on a database of their own.

    Its sales are written with numbers from 1 and closed day by day, so it never shares
    the database the other benchmarks fill (they sell too).
    """
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'fiscal.sqlite3'}"
        services = open_services(url)
        try:
            bench_closing(services, args.closing_sales)
            bench_export(services, args.days, args.per_day, Path(folder))
            bench_tse(services, args.tse_sales)
        finally:
            services.db.dispose()


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: a fresh SQLite file)")
    add_arguments(parser)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
