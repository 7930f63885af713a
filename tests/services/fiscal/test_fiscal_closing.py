"""The cash drawer and the daily closing (DESIGN §10): numbered, counted, summed, and never changed again."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from checkout_shop import Shop, make_shop
from fiscal_helpers import CARD, CASH, SlowTse, cancel, fiscal, sell
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from salon_desk.errors import ConflictError, ValidationError
from salon_desk.models import AuditEntry, CashMovementKind
from salon_desk.services import Services, open_services
from salon_desk.services.checkout.checkout import Cart, CartLine
from salon_desk.services.fiscal.counting import DrawerCount


@pytest.fixture
def shop(services: Services) -> Shop:
    return make_shop(services)


def test_drawer_movements_are_numbered_and_audited(services: Services) -> None:
    drawer = fiscal(services).drawer
    first = drawer.record(CashMovementKind.FLOAT, "150.00", "")
    drawer.record(CashMovementKind.CASH_IN, Decimal("20.00"), "  Change from the bank ")
    drawer.record(CashMovementKind.CASH_OUT, "30.50", "Flowers")
    listed = drawer.open_movements()
    assert [(m.number, m.kind, m.amount, m.reason) for m in listed] == [
        (1, CashMovementKind.FLOAT, Decimal("150.00"), ""),
        (2, CashMovementKind.CASH_IN, Decimal("20.00"), "Change from the bank"),
        (3, CashMovementKind.CASH_OUT, Decimal("30.50"), "Flowers"),
    ]
    assert first.staff_name == "Salon Desk" and not first.closed
    with services.db.read() as session:
        logged = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "cash_drawer")).all()
    assert logged == ["float", "cash_in", "cash_out"]


@pytest.mark.parametrize(
    ("amount", "reason", "field", "message"),
    [
        ("-5", "Tip", "amount", "The amount cannot be negative."),
        ("zehn", "Tip", "amount", "Please enter an amount in euros and cents"),
        ("0", "Tip", "amount", "more than zero"),
        ("1.234", "Tip", "amount", "two decimal places"),
        ("10", "   ", "reason", "Please say why"),
    ],
)
def test_wrong_movements_are_refused_naming_the_field(
    services: Services, amount: str, reason: str, field: str, message: str
) -> None:
    drawer = fiscal(services).drawer
    drawer.record(CashMovementKind.FLOAT, "100", "")
    with pytest.raises(ValidationError) as error:
        drawer.record(CashMovementKind.CASH_OUT, amount, reason)
    assert error.value.field == field and message in error.value.message
    assert [m.number for m in drawer.open_movements()] == [1]


def test_a_closing_compares_counted_with_expected_cash_and_sums_per_rate_and_method(
    services: Services, shop: Shop
) -> None:
    till = fiscal(services)
    till.drawer.record(CashMovementKind.FLOAT, "100.00", "")
    till.drawer.record(CashMovementKind.CASH_OUT, "10.00", "Milk")
    sell(services, shop.cut)  # 49.00 cash, 19 %
    sell(services, shop.book, payment=CARD)  # 20.00 card, 7 %
    wrong = sell(services, shop.shampoo)  # 12.90 cash, then cancelled
    cancel(services, shop, wrong.id)
    preview = till.closing.preview()
    assert preview.number == 1 and preview.totals.expected_cash == Decimal("139.00")

    pieces = {Decimal("100"): "1", Decimal("20"): "1", Decimal("10"): 1, Decimal("5"): "1", Decimal("2"): "2"}
    closing = till.closing.close(DrawerCount(pieces=pieces))
    totals = closing.totals
    assert (closing.number, closing.cash_expected, closing.cash_counted) == (1, Decimal("139.00"), Decimal("139.00"))
    assert closing.cash_difference == Decimal("0.00") and closing.pieces == {"100": 1, "20": 1, "10": 1, "5": 1, "2": 2}
    assert (totals.first_receipt, totals.last_receipt, totals.sales, totals.cancellations) == (1, 4, 3, 1)
    assert totals.gross == Decimal("69.00") and totals.cancelled_gross == Decimal("-12.90")
    assert dict(totals.per_payment) == {"cash": Decimal("49.00"), "card": Decimal("20.00")}
    assert [(v.rate, v.gross) for v in totals.per_vat] == [
        (Decimal("19.00"), Decimal("49.00")),
        (Decimal("7.00"), Decimal("20.00")),
    ]
    assert sum(v.net + v.vat for v in totals.per_vat) == totals.gross
    assert (totals.opening_float, totals.cash_out) == (Decimal("100.00"), Decimal("10.00"))
    assert till.drawer.open_movements() == []


def test_a_short_drawer_shows_the_difference_and_discounts_are_summed(services: Services, shop: Shop) -> None:
    till = fiscal(services)
    sale = services.checkout.complete(shop.anna, Cart((CartLine(shop.book),)), CASH)
    assert sale.total_discount == Decimal("2.00")  # Student 10 %
    closing = till.closing.close(DrawerCount(total="17.50"))
    assert closing.cash_expected == Decimal("18.00") and closing.cash_difference == Decimal("-0.50")
    assert closing.totals.discounts == Decimal("2.00")


@pytest.mark.parametrize(
    ("count", "field", "message"),
    [
        (DrawerCount(total="-20"), "counted_total", "cannot be negative"),
        (DrawerCount(total="abc"), "counted_total", "Please enter an amount"),
        (DrawerCount(total=""), "counted_total", "Please enter the counted cash"),
        (DrawerCount(pieces={Decimal("50"): "-1"}), "count_50", "A count cannot be negative."),
        (DrawerCount(pieces={Decimal("0.20"): "zwei"}), "count_0.20", "whole number"),
    ],
)
def test_wrong_counts_are_refused_naming_the_field(
    services: Services, shop: Shop, count: DrawerCount, field: str, message: str
) -> None:
    till = fiscal(services)
    sell(services, shop.cut)
    with pytest.raises(ValidationError) as error:
        till.closing.close(count)
    assert error.value.field == field and message in error.value.message
    assert till.closing.closings() == [] and till.closing.preview().totals.sales == 1


def test_a_sale_after_a_closing_belongs_to_the_next_one(services: Services, shop: Shop) -> None:
    till = fiscal(services)
    sell(services, shop.cut)
    first = till.closing.close(DrawerCount(total="49.00"))
    sell(services, shop.shampoo)
    second = till.closing.close(DrawerCount(total="12.90"))
    empty = till.closing.close(DrawerCount(total="0"))
    assert [(c.number, c.totals.first_receipt, c.totals.last_receipt) for c in (first, second, empty)] == [
        (1, 1, 1),
        (2, 2, 2),
        (3, 3, 2),
    ]
    assert second.totals.gross == Decimal("12.90") and empty.totals.sales == 0
    assert [c.number for c in till.closing.closings()] == [3, 2, 1]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE sales SET total_gross = 1 WHERE number = 1",
        "DELETE FROM sale_vat WHERE sale_id = (SELECT id FROM sales WHERE number = 1)",
        "UPDATE sale_lines SET line_total = 0 WHERE sale_id = (SELECT id FROM sales WHERE number = 1)",
        "UPDATE closings SET cash_counted = 0",
        "DELETE FROM closings",
        "UPDATE cash_movements SET amount = 1",
        "DELETE FROM cash_movements",
    ],
)
def test_the_database_refuses_to_change_a_closed_day(services: Services, shop: Shop, statement: str) -> None:
    till = fiscal(services)
    till.drawer.record(CashMovementKind.FLOAT, "50", "")
    sell(services, shop.cut)
    till.closing.close(DrawerCount(total="99.00"))
    open_sale = sell(services, shop.shampoo)
    with pytest.raises(DBAPIError) as error:
        with services.db.transaction() as session:
            session.execute(text(statement))
    assert "a closed day cannot change" in str(error.value)
    with services.db.transaction() as session:  # the open day is still the till's to write
        session.execute(text("UPDATE sales SET cancel_reason = 'x' WHERE number = 2"))
    assert services.checkout.get_sale(open_sale.id).cancel_reason == "x"


def test_closing_numbers_stay_gapless_with_two_desks(services: Services, shop: Shop) -> None:
    url = services.db.url.render_as_string(hide_password=False)
    desks = [open_services(url) for _ in range(2)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(desk: Services) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                sell(desk, shop.cut)
                fiscal(desk).closing.close(DrawerCount(total="0"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d,)) for d in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for desk in desks:
        desk.db.dispose()
    assert errors == []
    closings = sorted(fiscal(services).closing.closings(), key=lambda c: c.number)
    assert [c.number for c in closings] == list(range(1, 11))
    covered = [n for c in closings for n in range(c.totals.first_receipt, c.totals.last_receipt + 1)]
    assert covered == list(range(1, 11))
    assert sum(c.totals.sales for c in closings) == 10


def test_a_closing_is_refused_while_a_sale_waits_for_the_tse(services: Services, shop: Shop) -> None:
    till = fiscal(services)
    slow = SlowTse()
    done: list[object] = []
    seller = threading.Thread(target=lambda: done.append(sell(services, shop.cut, tse=slow)))
    seller.start()
    assert slow.waiting.wait(10)
    with pytest.raises(ConflictError) as error:
        till.closing.close(DrawerCount(total="49.00"))
    assert "Receipt no. 1 is still being written" in error.value.message
    slow.release.set()
    seller.join()
    closing = till.closing.close(DrawerCount(total="49.00"))
    assert closing.totals.sales == 1 and closing.totals.unsigned_sales == 0


def test_a_sale_left_waiting_by_a_crashed_desk_is_closed_as_sold_through_an_outage(
    services: Services, shop: Shop
) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from salon_desk.models import Sale, utcnow

    sale = sell(services, shop.cut)
    with services.db.transaction() as session:  # the desk crashed between writing the sale and signing it
        stale = utcnow() - timedelta(minutes=5)
        session.execute(update(Sale).where(Sale.id == sale.id).values(tse_status="pending", completed_at=stale))
    assert services.checkout.get_sale(sale.id).tse.failed and not services.checkout.get_sale(sale.id).tse.connected
    closing = fiscal(services).closing.close(DrawerCount(total="49"))
    assert closing.totals.unsigned_sales == 1 and closing.totals.outages[0].first_receipt == 1
    assert services.checkout.get_sale(sale.id).tse.status == "failed"
