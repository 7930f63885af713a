"""Checkout (DESIGN §6): quotes, immutable gapless sales, snapshots, cancellation, approvals, the TSE calls."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from checkout_shop import MANAGER_PIN, Shop, add_staff, make_shop, sign_in_cashier
from sqlalchemy import func, select

from salon_desk.errors import ConflictError, NotFoundError, PermissionDeniedError, SalonError, ValidationError
from salon_desk.models import AuditEntry, Client, PaymentMethod, ReceiptCounter, Sale, SaleLine, SaleVat
from salon_desk.pricing import DiscountSource, ManualDiscount, PriceSource
from salon_desk.services import Services, open_services
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.checkout.checkout import (
    ApprovalRequiredError,
    BusinessInfo,
    Cart,
    CartLine,
    Payment,
    RestrictedItemError,
    SaleFilter,
)
from salon_desk.services.staff.approval import Approval, ApprovalPurpose
from salon_desk.services.checkout.tse import NO_TSE_STATUS, FakeTse

CASH = Payment(PaymentMethod.CASH)
CARD = Payment(PaymentMethod.CARD)


@pytest.fixture
def shop(services: Services) -> Shop:
    return make_shop(services)


def cart(*lines: CartLine, manual: ManualDiscount | None = None) -> Cart:
    return Cart(tuple(lines), manual)


def counts(services: Services) -> tuple[int, int, int, int | None]:
    """Sales, lines, VAT rows and the counter's last number."""
    with services.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Sale)),
            session.scalar(select(func.count()).select_from(SaleLine)),
            session.scalar(select(func.count()).select_from(SaleVat)),
            session.scalar(select(ReceiptCounter.last_number)),
        )


# -- pricing ------------------------------------------------------------------------------


def test_quote_applies_group_price_offer_and_category_discount(services: Services, shop: Shop) -> None:
    quote = services.checkout.quote(
        shop.anna, [CartLine(shop.cut), CartLine(shop.shampoo, 2), CartLine(shop.colour), CartLine(shop.voucher)]
    )
    cut, shampoo, colour, voucher = quote.lines
    assert (cut.base_price, cut.price_source, cut.line_total) == (Decimal("39.90"), PriceSource.GROUP, Decimal("35.91"))
    assert cut.discount_category is not None and cut.discount_category.name == "Student/in"
    assert shampoo.line_total == Decimal("23.22")  # 2 × 12,90 − 10 %
    assert colour.offer is not None and colour.unit_price == Decimal("60.00")
    assert colour.discount_source is DiscountSource.NONE  # Student/in does not apply to offers
    assert voucher.line_total == Decimal("50.00")
    assert quote.gross == Decimal("169.13")
    assert sum(v.gross for v in quote.vat_lines) == quote.gross


def test_expired_membership_gives_no_discount_and_is_reported(services: Services, shop: Shop) -> None:
    quote = services.checkout.quote(shop.ben, [CartLine(shop.cut)])
    assert quote.lines[0].discount_percent == Decimal("10.00")  # Student/in; VIP-Club expired yesterday
    assert [c.name for c in quote.expired_categories] == ["VIP-Club"]
    client = services.checkout.client(shop.ben)
    assert [(m.name, m.expired) for m in client.memberships] == [("VIP-Club", True), ("Student/in", False)]


def test_restricted_item_is_refused_outside_its_groups(services: Services, shop: Shop) -> None:
    for client, hint in ((shop.carla, "this client is not a member"), (None, "Choose the client first")):
        with pytest.raises(RestrictedItemError) as error:
            services.checkout.quote(client, [CartLine(shop.cut), CartLine(shop.club_treatment)])
        assert error.value.message.startswith("“Club treatment” is sold only to members of “Club”")
        assert hint in error.value.message
        assert error.value.field == "lines[2]"
    assert services.checkout.refusal(shop.carla, shop.club_treatment).startswith("“Club treatment”")
    assert services.checkout.refusal(shop.anna, shop.club_treatment) == ""
    with pytest.raises(RestrictedItemError):
        services.checkout.complete(shop.carla, cart(CartLine(shop.club_treatment)), CASH)
    assert counts(services)[0] == 0
    assert services.checkout.complete(shop.anna, cart(CartLine(shop.club_treatment)), CASH).total_gross == Decimal(
        "27.00"
    )
    flags = {i.id: i.restricted for i in services.checkout.sellable_items(shop.carla)}
    assert flags[shop.club_treatment] and not flags[shop.cut]


def test_wrong_quantities_and_unknown_items_name_the_line(services: Services, shop: Shop) -> None:
    for line in (CartLine(shop.cut, 0), CartLine(shop.cut, 1000), CartLine(999_999)):
        with pytest.raises(ValidationError) as error:
            services.checkout.quote(None, [CartLine(shop.shampoo), line])
        assert error.value.field == "lines[2]"
    with pytest.raises(ValidationError) as error:
        services.checkout.complete(None, cart(), CASH)
    assert error.value.field == "lines"


# -- completing ---------------------------------------------------------------------------


def test_completed_sale_keeps_its_snapshot_when_rules_change(services: Services, shop: Shop) -> None:
    sale = services.checkout.complete(shop.anna, cart(CartLine(shop.cut), CartLine(shop.book, 3)), CASH)
    student = services.categories.get(shop.student)
    services.categories.update(student.id, student.version, CategoryData(name="Azubi", discount_percent=Decimal("50")))
    services.groups.set_price(shop.club, shop.cut, Decimal("10"))

    stored = services.checkout.get_sale(sale.id)
    assert stored == sale
    cut, book = stored.lines
    assert (cut.item_name, cut.unit_price, cut.category_name, cut.discount_percent) == (
        "Haircut",
        Decimal("39.90"),
        "Student/in",
        Decimal("10.00"),
    )
    assert cut.price_source == "group" and cut.discount_label == "−10% Student/in"
    assert cut.why["group"] == "Club" and cut.why["categories"][0]["reason"] == "applied"
    assert book.quantity == 3 and book.line_total == Decimal("54.00") and book.vat_rate == Decimal("7.00")
    assert stored.client_name == "Anna Müller" and stored.group_name == "Club"
    assert [(v.rate, v.gross, v.vat, v.net) for v in stored.vat] == [
        (Decimal("19.00"), Decimal("35.91"), Decimal("5.73"), Decimal("30.18")),
        (Decimal("7.00"), Decimal("54.00"), Decimal("3.53"), Decimal("50.47")),
    ]
    assert stored.total_gross == Decimal("89.91") == stored.total_net + stored.total_vat


def test_receipt_numbers_are_consecutive_and_the_visit_is_recorded(services: Services, shop: Shop) -> None:
    numbers = [services.checkout.complete(shop.carla, cart(CartLine(shop.shampoo)), CARD).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert services.clients.get(shop.carla).last_visit is not None
    assert services.clients.get(shop.ben).last_visit is None


def test_cash_change_is_computed_and_too_little_cash_is_refused(services: Services, shop: Shop) -> None:
    paid = services.checkout.complete(None, cart(CartLine(shop.shampoo)), Payment(PaymentMethod.CASH, Decimal("20")))
    assert (paid.given, paid.change) == (Decimal("20.00"), Decimal("7.10"))
    card = services.checkout.complete(None, cart(CartLine(shop.shampoo)), CARD)
    assert (card.payment_method, card.given, card.change) == (PaymentMethod.CARD, None, None)
    before = counts(services)
    for given in (Decimal("12.89"), Decimal("12.999")):
        with pytest.raises(ValidationError) as error:
            services.checkout.complete(None, cart(CartLine(shop.shampoo)), Payment(PaymentMethod.CASH, given))
        assert error.value.field == "given"
    assert counts(services) == before


def test_cashier_needs_an_approval_above_the_manual_limit(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    sign_in_cashier(services, shop)
    small = ManualDiscount(Decimal("10"), "Cem Cashier", "regular")
    sale = services.checkout.complete(shop.carla, cart(CartLine(shop.cut, manual=small)), CASH)
    assert sale.lines[0].discount_source == "manual" and sale.lines[0].manual_by == "Cem Cashier"

    big = ManualDiscount(Decimal("25"), "Cem Cashier", "complaint")
    with pytest.raises(ApprovalRequiredError) as error:
        services.checkout.complete(shop.carla, cart(CartLine(shop.cut), manual=big), CASH)
    assert error.value.percent == Decimal("25.00") and error.value.limit == Decimal("10.00")
    assert counts(services)[0] == 1

    approval = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Complaint about colour", purpose=ApprovalPurpose.MANUAL_DISCOUNT, subject="25"
    )
    sale = services.checkout.complete(shop.carla, cart(CartLine(shop.cut), manual=big), CASH, approval)
    assert sale.total_gross == Decimal("36.75")
    assert sale.lines[0].why["manual"]["approved_by"] == "Maria Manager"
    with services.db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "manual_discount")).one()
    assert (entry.entity, entry.entity_id, entry.staff_name) == ("sale", sale.id, "Cem Cashier")
    assert (entry.approved_by_name, entry.reason) == ("Maria Manager", "Complaint about colour")


def test_a_manual_discount_that_is_not_higher_needs_no_approval(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    sign_in_cashier(services, shop)
    # Ben's Student/in gives 10 %; a manual 10 % does not replace it, so no approval is needed.
    sale = services.checkout.complete(
        shop.ben, cart(CartLine(shop.shampoo, manual=ManualDiscount(Decimal("10"), "Cem", "x"))), CARD
    )
    assert sale.lines[0].discount_source == "category"


def test_only_a_manager_sets_the_business_details(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    sign_in_cashier(services, shop)
    with pytest.raises(PermissionDeniedError):
        services.checkout.set_business(BusinessInfo("X", "Y", "Z"))


# -- the TSE and crashes ------------------------------------------------------------------


def test_the_tse_signs_each_sale_and_its_fields_are_kept(services: Services, shop: Shop) -> None:
    tse = FakeTse(serial="TSE-42")
    sale = services.checkout.complete(None, cart(CartLine(shop.shampoo)), CARD, tse=tse)
    assert (sale.tse.status, sale.tse.serial, sale.tse.signature_counter) == ("signed", "TSE-42", "1")
    assert sale.tse.signature == "SIG-1-12.90-card"
    assert len(tse.started) == 1 and tse.finished[0].receipt_number == 1
    unsigned = services.checkout.complete(None, cart(CartLine(shop.shampoo)), CARD)
    assert unsigned.tse.status == NO_TSE_STATUS and not unsigned.tse.connected


def test_a_tse_failure_does_not_stop_the_sale(services: Services, shop: Shop) -> None:
    """KassenSichV: the sale is completed through the outage, and never shown as signed."""
    services.checkout.complete(shop.anna, cart(CartLine(shop.cut)), CASH)
    sale = services.checkout.complete(
        shop.carla, cart(CartLine(shop.cut), CartLine(shop.book)), CASH, tse=FakeTse(fail_on_finish=True)
    )
    assert sale.number == 2 and sale.tse.status == "failed" and not sale.tse.connected
    assert sale.tse.signature == "" and sale.tse.serial == ""
    assert services.checkout.get_sale(sale.id).tse.status == "failed"
    assert services.clients.get(shop.carla).last_visit is not None


def test_a_crash_while_writing_lines_leaves_no_trace(
    services: Services, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salon_desk.services.checkout import checkout
    real = checkout.write_lines

    def write_then_crash(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("power cut")

    monkeypatch.setattr(checkout, "write_lines", write_then_crash)
    with pytest.raises(RuntimeError):
        services.checkout.complete(shop.anna, cart(CartLine(shop.cut), CartLine(shop.shampoo)), CASH)
    assert counts(services) == (0, 0, 0, None)
    monkeypatch.setattr(checkout, "write_lines", real)
    assert services.checkout.complete(shop.anna, cart(CartLine(shop.cut)), CASH).number == 1


def test_sales_are_never_deleted(services: Services, shop: Shop) -> None:
    sale = services.checkout.complete(None, cart(CartLine(shop.shampoo)), CARD)
    with pytest.raises(SalonError), services.db.transaction() as session:
        session.delete(session.get(Sale, sale.id))
    assert services.checkout.get_sale(sale.id) == sale


# -- cancelling ---------------------------------------------------------------------------


def test_cancelling_writes_a_reversing_sale_with_an_approval(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    sale = services.checkout.complete(shop.anna, cart(CartLine(shop.cut), CartLine(shop.book, 2)), CASH)
    sign_in_cashier(services, shop)
    with pytest.raises(ApprovalRequiredError):
        services.checkout.cancel(sale.id, None)
    approval = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Wrong client", purpose=ApprovalPurpose.CANCEL_SALE, subject=sale.id
    )
    reversal = services.checkout.cancel(sale.id, approval)

    assert (reversal.number, reversal.reverses_sale_id, reversal.reverses_number) == (2, sale.id, sale.number)
    assert reversal.total_gross == -sale.total_gross and reversal.total_vat == -sale.total_vat
    assert [(line.item_name, line.quantity, line.line_total) for line in reversal.lines] == [
        (line.item_name, -line.quantity, -line.line_total) for line in sale.lines
    ]
    assert [v.gross for v in reversal.vat] == [-v.gross for v in sale.vat]
    assert reversal.cancel_reason == "Wrong client" and reversal.staff_name == "Cem Cashier"
    original = services.checkout.get_sale(sale.id)
    assert (original.reversed_by_number, original.total_gross) == (2, sale.total_gross)
    with services.db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "cancel")).one()
    assert (entry.entity_id, entry.approved_by_name, entry.reason) == (sale.id, "Maria Manager", "Wrong client")


def test_a_sale_is_cancelled_at_most_once(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    sale = services.checkout.complete(None, cart(CartLine(shop.shampoo)), CARD)
    approval = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Mistake", purpose=ApprovalPurpose.CANCEL_SALE, subject=sale.id
    )
    reversal = services.checkout.cancel(sale.id, approval)
    with pytest.raises(ConflictError) as error:
        services.checkout.cancel(sale.id, approval)
    assert error.value.message == "Receipt no. 1 was already cancelled by receipt no. 2."
    for_reversal, for_unknown = (
        services.staff.approve(shop.manager_id, MANAGER_PIN, "Mistake", purpose=ApprovalPurpose.CANCEL_SALE, subject=s)
        for s in (reversal.id, 12345)
    )
    with pytest.raises(ValidationError):
        services.checkout.cancel(reversal.id, for_reversal)
    with pytest.raises(NotFoundError):
        services.checkout.cancel(12345, for_unknown)
    with pytest.raises(PermissionDeniedError):  # an approval must come from an active manager
        services.checkout.cancel(sale.id, Approval(shop.cashier_id, "Cem Cashier", "forged"))
    assert counts(services)[0] == 2 and counts(services)[3] == 2


def test_listing_filters_by_client_and_number(services: Services, shop: Shop) -> None:
    first = services.checkout.complete(shop.anna, cart(CartLine(shop.cut)), CASH)
    services.checkout.complete(shop.carla, cart(CartLine(shop.shampoo)), CARD)
    services.checkout.cancel(first.id, services_approval(services, shop, first.id))
    rows = services.checkout.list_sales()
    assert [(r.number, r.reverses_number, r.reversed_by_number) for r in rows] == [
        (3, 1, None),
        (2, None, None),
        (1, None, 3),
    ]
    assert [r.number for r in services.checkout.list_sales(SaleFilter(client_id=shop.carla))] == [2]
    assert [r.number for r in services.checkout.list_sales(SaleFilter(number=1))] == [1]
    today = services.checkout.list_sales(SaleFilter(date_from=first.completed_at.astimezone().date()))
    assert len(today) == 3
    assert services.checkout.quick_items(2)[0] in (shop.cut, shop.shampoo)


def services_approval(services: Services, shop: Shop, sale_id: int):  # type: ignore[no-untyped-def]
    add_staff(services, shop)
    return services.staff.approve(shop.manager_id, MANAGER_PIN, "Test", purpose=ApprovalPurpose.CANCEL_SALE, subject=sale_id)


def test_business_details_have_placeholders_until_set(services: Services) -> None:
    assert services.checkout.business().name.startswith("Your salon")
    services.checkout.set_business(BusinessInfo(" Salon Schön ", "Hauptstr. 1, 80331 München", "143/123/45678"))
    assert services.checkout.business() == BusinessInfo("Salon Schön", "Hauptstr. 1, 80331 München", "143/123/45678")


# -- two workstations ---------------------------------------------------------------------


def test_receipt_numbers_stay_gapless_with_two_workstations(services: Services) -> None:
    """Two desks (own engines and connections) sell at the same time; each has one failed sale."""
    shop = make_shop(services)
    url = services.db.url.render_as_string(hide_password=False)
    desks = [open_services(url) for _ in range(2)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def sell(desk: Services, client: int) -> None:
        try:
            barrier.wait()
            for index in range(10):
                tse = FakeTse(fail_on_finish=index == 4)  # one failed sale per desk must not leave a gap
                try:
                    desk.checkout.complete(client, cart(CartLine(shop.cut), CartLine(shop.shampoo)), CARD, tse=tse)
                except SalonError:
                    desk.checkout.complete(client, cart(CartLine(shop.cut)), CARD)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sell, args=(d, c)) for d, c in zip(desks, (shop.anna, shop.carla), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for desk in desks:
        desk.db.dispose()
    assert errors == []
    with services.db.read() as session:
        numbers = sorted(session.scalars(select(Sale.number)))
        visits = session.scalar(select(func.count()).select_from(Client).where(Client.last_visit.is_not(None)))
    assert numbers == list(range(1, 21))
    assert counts(services)[3] == 20 and visits == 2


def test_clients_are_found_by_name_ignoring_accents(services: Services, shop: Shop) -> None:
    hits = services.checkout.find_clients("mul")
    assert [(h.id, h.name) for h in hits] == [(shop.anna, "Anna Müller")]
    assert services.checkout.find_clients("  ") == []


# -- approvals carry proof ------------------------------------------------------------------


def test_a_hand_built_approval_grants_nothing(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    sale = services.checkout.complete(shop.anna, cart(CartLine(shop.cut)), CASH)
    sign_in_cashier(services, shop)
    forged = Approval(shop.manager_id, "Maria Manager", "forged", ApprovalPurpose.CANCEL_SALE, str(sale.id), "x", "y")
    with pytest.raises(PermissionDeniedError):
        services.checkout.cancel(sale.id, forged)
    everything = ManualDiscount(Decimal("100"), "Cem Cashier", "friend")
    bare = Approval(shop.manager_id, "Maria Manager", "forged")
    with pytest.raises(PermissionDeniedError):
        services.checkout.complete(shop.anna, cart(CartLine(shop.cut), manual=everything), CASH, bare)
    assert counts(services)[0] == 1  # nothing was sold or cancelled


def test_an_approval_is_bound_to_its_action_and_used_once(services: Services, shop: Shop) -> None:
    add_staff(services, shop)
    first = services.checkout.complete(shop.anna, cart(CartLine(shop.cut)), CASH)
    second = services.checkout.complete(shop.anna, cart(CartLine(shop.shampoo)), CASH)
    sign_in_cashier(services, shop)
    for_first = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Wrong client", purpose=ApprovalPurpose.CANCEL_SALE, subject=first.id
    )
    with pytest.raises(PermissionDeniedError):  # another sale
        services.checkout.cancel(second.id, for_first)
    with pytest.raises(PermissionDeniedError):  # another manager's name on it
        services.checkout.cancel(first.id, replace(for_first, manager_name="Someone Else"))
    services.checkout.cancel(first.id, for_first)

    ten = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Complaint", purpose=ApprovalPurpose.MANUAL_DISCOUNT, subject=Decimal("20")
    )
    more = ManualDiscount(Decimal("30"), "Cem Cashier", "complaint")
    with pytest.raises(PermissionDeniedError):  # 30 % is more than was approved
        services.checkout.complete(shop.carla, cart(CartLine(shop.cut), manual=more), CASH, ten)
    less = ManualDiscount(Decimal("20"), "Cem Cashier", "complaint")
    services.checkout.complete(shop.carla, cart(CartLine(shop.cut), manual=less), CASH, ten)
    with pytest.raises(PermissionDeniedError) as used:  # once only
        services.checkout.complete(shop.carla, cart(CartLine(shop.cut), manual=less), CASH, ten)
    assert "used already" in used.value.message
