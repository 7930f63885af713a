"""The running totals equal a recount from the sales after any sales and cancellations; the migration's backfill."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from checkout_shop import MANAGER_PIN, Shop, add_staff, make_shop
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from salon_desk.models import AppMeta, PaymentMethod, StatDay, StatPeriod, StatVisitor
from salon_desk.services.staff.approval import Approval, ApprovalPurpose
from salon_desk.services import Services
from salon_desk.services.checkout import checkout as checkout_module
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.clients.clients import CategoryChanges, MembershipData

CARD = Payment(PaymentMethod.CARD)
START = datetime(2024, 12, 30, 10, tzinfo=UTC)


def tables(services: Services) -> tuple[set[tuple[object, ...]], ...]:
    with services.db.read() as session:
        return tuple(
            {tuple(row) for row in session.execute(select(*model.__table__.columns)).all()}
            for model in (StatDay, StatVisitor, StatPeriod)
        )


@pytest.fixture
def shop(services: Services) -> Shop:
    shop = make_shop(services)
    add_staff(services, shop)
    return shop


# One step: sell to a client (or nobody) some items on a day some days after START, cancel an earlier
# sale, or change the client's categories (later sales must count for the new ones, earlier ones not).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("sell"), st.integers(0, 3), st.lists(st.integers(0, 4), min_size=1, max_size=3),
                  st.integers(0, 420)),
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("categories"), st.integers(0, 2), st.sets(st.integers(0, 1))),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_totals_equal_a_recount_after_random_sales_and_cancellations(
    services: Services, shop: Shop, monkeypatch: pytest.MonkeyPatch, steps: list[tuple[object, ...]]
) -> None:
    clients = [shop.anna, shop.ben, shop.carla, None]
    items = [shop.cut, shop.shampoo, shop.book, shop.voucher, shop.colour]
    categories = [shop.student, shop.vip]
    sold: list[int] = []
    def approval(sale_id: int) -> Approval:
        return services.staff.approve(
            shop.manager_id, MANAGER_PIN, "Test", purpose=ApprovalPurpose.CANCEL_SALE, subject=sale_id
        )

    for step in steps:
        if step[0] == "sell":
            _, who, lines, days = step
            moment = START + timedelta(days=days, hours=days % 13)
            monkeypatch.setattr(checkout_module, "utcnow", lambda moment=moment: moment)
            cart = Cart(tuple(CartLine(items[i]) for i in lines))  # type: ignore[union-attr]
            sold.append(services.checkout.complete(clients[who], cart, CARD).id)  # type: ignore[index]
        elif step[0] == "cancel" and sold:
            target = sold.pop(step[1] % len(sold))  # type: ignore[operator]
            services.checkout.cancel(target, approval(target))
        elif step[0] == "categories":
            client = clients[step[1]]  # type: ignore[index]
            wanted = tuple(MembershipData(categories[i]) for i in sorted(step[2]))  # type: ignore[union-attr]
            data = services.clients.get(client).data  # type: ignore[arg-type]
            services.clients.save(client, None, data, CategoryChanges(wanted))  # type: ignore[arg-type]
    kept = tables(services)
    services.statistics.rebuild()
    assert tables(services) == kept


def test_older_sales_are_backfilled_from_current_memberships(services: Services, shop: Shop) -> None:
    """Going back to before the statistics and up again: old sales take the categories the clients have now."""
    sale = services.checkout.complete(shop.carla, Cart((CartLine(shop.shampoo),)), CARD)
    cancelled = services.checkout.complete(shop.anna, Cart((CartLine(shop.cut),)), CARD).id
    services.checkout.cancel(
        cancelled,
        services.staff.approve(
            shop.manager_id, MANAGER_PIN, "Test", purpose=ApprovalPurpose.CANCEL_SALE, subject=cancelled
        ),
    )
    config = services.db._alembic_config()
    command.downgrade(config, "0008")  # the revision before the statistics (0009)
    try:
        # Plain SQL: the models describe the newest schema, not revision 0008's.
        with services.db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO client_categories (client_id, category_id, assigned_at, proof_note)"
                    " VALUES (:client, :category, CURRENT_TIMESTAMP, '')"
                ),
                {"client": shop.carla, "category": shop.vip},
            )
    finally:
        command.upgrade(config, "head")  # the PostgreSQL database is shared by the tests after this one
    day = sale.completed_at.astimezone().date()
    report = services.statistics.report(day, day)
    vip = next(r.current for r in report.rows if r.name == "VIP-Club")
    everyone = report.rows[0].current
    assert (vip.sales, vip.gross, vip.clients_with_sale) == (1, sale.total_gross, 1)
    assert (everyone.sales, everyone.gross, everyone.clients_with_sale) == (1, sale.total_gross, 1)
    assert report.backfill is not None and report.backfill.sales == 2
    assert report.backfill.at.date() >= date.today() - timedelta(days=1)
    with services.db.read() as session:
        assert session.get(AppMeta, "statistics_backfilled_sales") is not None
    kept = tables(services)
    services.statistics.rebuild()
    assert tables(services) == kept


def test_the_rebuild_command_restores_lost_totals(app_services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    from salon_desk.services.statistics.__main__ import main

    shop = make_shop(app_services)
    add_staff(app_services, shop)
    app_services.checkout.complete(shop.anna, Cart((CartLine(shop.cut),)), CARD)
    kept = tables(app_services)
    with app_services.db.transaction() as session:
        session.execute(StatDay.__table__.delete())
    assert tables(app_services)[0] == set()
    assert main(["rebuild", "--database", f"sqlite:///{app_services.db.file}"]) == 0
    assert tables(app_services) == kept and "rebuilt" in capsys.readouterr().out
