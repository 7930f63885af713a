"""Statistics per category and group (DESIGN §7): hand-computed figures on the small shop, ranges, snapshots."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from checkout_shop import Shop, sign_in_cashier
from sqlalchemy import select
from statistics_shop import make_statistics_shop

from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.models import SaleCategory, SaleSnapshot
from salon_desk.services import Services
from salon_desk.services.clients.clients import CategoryChanges, ClientData
from salon_desk.services.statistics import Comparison, Figures, Report
from salon_desk.services.statistics.ranges import DateRange

D = Decimal


@pytest.fixture
def shop(services: Services) -> Shop:
    return make_statistics_shop(services)


def today() -> date:
    return date.today()


def row(report: Report, name: str) -> Figures:
    return next(r.current for r in report.rows if r.name == name)


def test_hand_computed_figures_for_everyone_each_category_and_the_group(services: Services, shop: Shop) -> None:
    report = services.statistics.report(today(), today())
    everyone = row(report, "All clients")
    assert (everyone.members, everyone.new_clients, everyone.clients_with_sale, everyone.sales) == (4, 4, 3, 4)
    assert (everyone.gross, everyone.net) == (D("152.07"), D("135.78"))
    assert (everyone.discount, everyone.category_discount) == (D("12.63"), D("12.63"))
    assert (everyone.average_ticket, everyone.visits_per_client) == (D("38.02"), D("1.33"))

    student = row(report, "Student/in")  # Anna and Dora; Ben's sale was cancelled
    assert (student.members, student.clients_with_sale, student.sales) == (3, 2, 2)
    assert (student.gross, student.net, student.discount) == (D("89.17"), D("74.94"), D("12.63"))
    assert student.category_discount == D("5.28")  # 3,99 for Anna + 1,29 for Dora
    vip = row(report, "VIP-Club")  # Dora counts in both categories
    assert (vip.members, vip.clients_with_sale, vip.sales, vip.gross) == (2, 1, 1, D("53.26"))
    assert (vip.discount, vip.category_discount) == (D("8.64"), D("7.35"))
    club = row(report, "Club")
    assert (club.members, club.sales, club.gross, club.discount, club.average_ticket) == (
        1, 1, D("35.91"), D("3.99"), D("35.91")
    )
    assert report.rows[0].name == "All clients" and report.backfill is None


def test_the_comparison_period_and_calendar_ranges_agree(services: Services, shop: Shop) -> None:
    month = DateRange(today().replace(day=1), (today().replace(day=28) + timedelta(days=4)).replace(day=1))
    month = DateRange(month.start, month.end - timedelta(days=1))
    year = DateRange(date(today().year, 1, 1), date(today().year, 12, 31))
    for span in (month, year, DateRange(today() - timedelta(days=3), today() + timedelta(days=40))):
        report = services.statistics.report(span.start, span.end, Comparison.PREVIOUS_YEAR)
        assert (row(report, "Student/in").clients_with_sale, row(report, "VIP-Club").clients_with_sale) == (2, 1)
        assert row(report, "All clients").clients_with_sale == 3
        assert report.rows[0].previous == Figures()
    last_year = services.statistics.report(date(today().year + 1, 1, 1), date(today().year + 1, 12, 31))
    assert last_year.compared == year
    assert last_year.rows[0].previous is not None and last_year.rows[0].previous.gross == D("152.07")
    assert last_year.rows[0].current.members == 4 and last_year.rows[0].current.new_clients == 0


def test_a_sale_keeps_the_categories_of_its_day(services: Services, shop: Shop) -> None:
    """Removing Dora's categories later does not move her sale; the cancellation counted against Ben's."""
    services.clients.save(shop.dora, None, ClientData(first_name="Dora", last_name="Kaiser"), CategoryChanges(()))  # type: ignore[attr-defined]
    vip = row(services.statistics.report(today(), today()), "VIP-Club")
    assert (vip.sales, vip.gross, vip.members) == (1, D("53.26"), 1)
    with services.db.read() as session:
        signs = session.execute(select(SaleSnapshot.sign, SaleSnapshot.client_id)).all()
        names = session.scalars(select(SaleCategory.name).where(SaleCategory.discount < 0)).all()
    assert sorted(s for s, c in signs if c == shop.ben) == [-1, 1]
    assert names == ["Student/in"]  # the cancellation takes back Student/in's 2,00 €


def test_totals_rebuilt_from_the_sales_are_the_same(services: Services, shop: Shop) -> None:
    before = services.statistics.report(today(), today())
    services.statistics.rebuild()
    assert services.statistics.report(today(), today()) == before


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 3, 1), date(2026, 2, 28), "date_to"),
        (date(2010, 1, 1), date(2020, 1, 1), "date_to"),
        (None, date(2026, 2, 28), "date_from"),
        (date(2026, 3, 1), None, "date_to"),
    ],
)
def test_wrong_ranges_are_refused_naming_the_field(services: Services, start, end, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.statistics.report(start, end)
    assert error.value.field == field and error.value.message


def test_ten_years_are_allowed(services: Services) -> None:
    report = services.statistics.report(date(2010, 1, 1), date(2019, 12, 31), Comparison.NONE)
    assert report.compared is None and report.rows[0].previous is None


def test_only_managers_read_statistics(services: Services, shop: Shop) -> None:
    sign_in_cashier(services, shop)
    with pytest.raises(PermissionDeniedError):
        services.statistics.report(today(), today())


def test_monthly_revenue_for_the_chart(services: Services, shop: Shop) -> None:
    report = services.statistics.report(date(today().year, 1, 1), date(today().year, 12, 31))
    keys = [r.key for r in report.rows if r.name in ("All clients", "VIP-Club")]
    months = services.statistics.monthly(report.span, keys)
    assert [dict(m) for m in months.values()] == [{today().replace(day=1): D("152.07")}, {today().replace(day=1): D("53.26")}]


def test_the_change_of_every_figure_against_the_comparison() -> None:
    from salon_desk.services.statistics.export import MEASURES, change
    from salon_desk.services.statistics.figures import Figures
    from salon_desk.services.statistics.report import StatRow

    before = Figures(members=40, new_clients=4, clients_with_sale=20, sales=25, gross=Decimal("1000.00"),
                     net=Decimal("840.34"), discount=Decimal("80.00"), category_discount=Decimal("0.00"))  # fmt: skip
    now = Figures(members=50, new_clients=2, clients_with_sale=20, sales=30, gross=Decimal("1230.00"),
                  net=Decimal("1033.61"), discount=Decimal("60.00"), category_discount=Decimal("12.00"))  # fmt: skip
    row = StatRow("c", 1, "Student/in", now, before)
    changes = {m.attribute: change(row, m) for m in MEASURES}
    assert changes == {
        "members": Decimal("25.0"), "new_clients": Decimal("-50.0"), "clients_with_sale": Decimal("0.0"),
        "sales": Decimal("20.0"), "gross": Decimal("23.0"), "net": Decimal("23.0"), "discount": Decimal("-25.0"),
        "category_discount": None,  # nothing given before: no base
        "average_ticket": Decimal("2.5"),  # 41.00 against 40.00
        "visits_per_client": Decimal("20.0"),  # 1.50 against 1.25
    }  # fmt: skip
    assert change(StatRow("c", 1, "Student/in", now, None), MEASURES[0]) is None
