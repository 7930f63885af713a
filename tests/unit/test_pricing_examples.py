"""Worked examples for the discount engine, figures checked by hand in comments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.pricing import (
    AppliedOffer,
    CategoryConsideration,
    CategoryMembershipInfo,
    CategoryReason,
    CategoryRef,
    DiscountSource,
    LineInput,
    ManualDiscount,
    ManualOutcome,
    PriceSource,
    SpecialOffer,
    VatLine,
    price_line,
    price_sale,
)

SALE_DAY = date(2025, 3, 14)
D = Decimal


def line_of(
    kind: ItemKind,
    name: str,
    price: str,
    item_id: int,
    quantity: int,
    rate: str,
    extra: dict[str, Any],
) -> LineInput:
    """A sale line built from test shorthand."""
    return LineInput(
        item_id=item_id,
        name=name,
        kind=kind,
        quantity=quantity,
        list_price=D(price),
        vat_rate=D(rate),
        **extra,
    )


def service(
    name: str, price: str, *, item_id: int = 1, quantity: int = 1, **extra: Any
) -> LineInput:
    """A 19 % service line."""
    return line_of(ItemKind.SERVICE, name, price, item_id, quantity, "19", extra)


def product(
    name: str,
    price: str,
    *,
    item_id: int = 2,
    quantity: int = 1,
    rate: str = "19",
    **extra: Any,
) -> LineInput:
    """A product line, 19 % unless told otherwise."""
    return line_of(ItemKind.PRODUCT, name, price, item_id, quantity, rate, extra)


def category(
    category_id: int,
    name: str,
    percent: str,
    scope: DiscountScope = DiscountScope.BOTH,
    offers: bool = False,
    valid_until: date | None = None,
) -> CategoryMembershipInfo:
    """A discounted category membership."""
    return CategoryMembershipInfo(
        category_id=category_id,
        name=name,
        percent=D(percent),
        scope=scope,
        applies_to_offers=offers,
        valid_until=valid_until,
    )


def reasons(considered: Iterable[CategoryConsideration]) -> dict[int, CategoryReason]:
    """Category id → reason code of a priced line's considered categories."""
    return {c.category_id: c.reason for c in considered}


def test_german_receipt_mixing_19_and_7_percent() -> None:
    stammkunde = category(3, "Stammkunde", "10", scope=DiscountScope.SERVICES)
    lines = [
        service("Damenhaarschnitt", "45.00", item_id=10),
        service("Föhnen", "18.50", item_id=11),
        product("Shampoo", "12.90", item_id=20, quantity=2),
        product("Pflegeratgeber (Buch)", "14.95", item_id=21, rate="7"),
        product("Gutschein", "50.00", item_id=22, rate="0", no_discounts=True),
    ]
    quote = price_sale(lines, [stammkunde], SALE_DAY)
    totals = [line.line_total for line in quote.lines]
    # Services −10 %: 45.00 → 40.50, 18.50 → 16.65; products keep their price.
    assert totals == [D("40.50"), D("16.65"), D("25.80"), D("14.95"), D("50.00")]
    assert reasons(quote.lines[2].categories) == {3: CategoryReason.SCOPE_MISMATCH}
    assert reasons(quote.lines[4].categories) == {3: CategoryReason.ITEM_NO_DISCOUNTS}
    # 19 %: gross 40.50 + 16.65 + 25.80 = 82.95; VAT 82.95 × 19 / 119 = 13.2441… → 13.24
    # 7 %: gross 14.95; VAT 14.95 × 7 / 107 = 0.97803… → 0.98
    # 0 %: gross 50.00; VAT 0.00
    assert quote.vat_lines == (
        VatLine(D("19"), D("82.95"), D("13.24"), D("69.71")),
        VatLine(D("7"), D("14.95"), D("0.98"), D("13.97")),
        VatLine(D("0"), D("50.00"), D("0.00"), D("50.00")),
    )
    # 82.95 + 14.95 + 50.00 = 147.90; VAT 13.24 + 0.98 = 14.22; net 133.68
    assert (quote.gross, quote.vat, quote.net) == (D("147.90"), D("14.22"), D("133.68"))
    # Saved: 4.50 + 1.85
    assert quote.total_discount == D("6.35")


def test_group_price_then_category_discount() -> None:
    line = service("Balayage", "60.00", group_price=D("52.00"))
    priced = price_line(line, [category(4, "Student/in", "15")], SALE_DAY)
    assert (priced.base_price, priced.price_source) == (D("52.00"), PriceSource.GROUP)
    # 52.00 × 0.85 = 44.20, saving 7.80 against the group price
    assert priced.line_total == D("44.20")
    assert priced.discount_amount == D("7.80")
    assert priced.discount_source is DiscountSource.CATEGORY
    assert priced.discount_category == CategoryRef(4, "Student/in")


def test_list_price_is_the_base_without_a_group_price() -> None:
    priced = price_line(service("Bart", "12.00"), [], SALE_DAY)
    assert (priced.base_price, priced.price_source) == (D("12.00"), PriceSource.LIST)
    assert priced.discount_source is DiscountSource.NONE
    assert priced.discount_percent == 0
    assert priced.line_total == D("12.00")


def summer_offer(**overrides: Any) -> SpecialOffer:
    """20 % off the list price of item 1 during March 2025."""
    fields: dict[str, Any] = {
        "offer_id": 7,
        "name": "Frühlings-Special",
        "item_id": 1,
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2025, 3, 31),
        "percent_off": D("20"),
    }
    fields.update(overrides)
    return SpecialOffer(**fields)


def test_special_offer_excludes_category_without_offers_flag() -> None:
    line = service("Strähnen", "40.00", offers=(summer_offer(),))
    priced = price_line(line, [category(5, "VIP", "10", offers=False)], SALE_DAY)
    # 40.00 − 20 % = 32.00; VIP does not reach offer lines
    assert priced.offer == AppliedOffer(7, "Frühlings-Special", D("32.00"))
    assert priced.is_special_offer
    assert priced.line_total == D("32.00")
    assert priced.offer_saving == D("8.00")
    assert priced.discount_source is DiscountSource.NONE
    assert reasons(priced.categories) == {5: CategoryReason.OFFER_EXCLUDED}


def test_special_offer_with_category_that_applies_to_offers() -> None:
    line = service("Strähnen", "40.00", offers=(summer_offer(),))
    priced = price_line(line, [category(5, "VIP", "10", offers=True)], SALE_DAY)
    # 32.00 × 0.90 = 28.80
    assert priced.unit_price == D("32.00")
    assert priced.line_total == D("28.80")
    assert priced.discount_amount == D("3.20")
    assert reasons(priced.categories) == {5: CategoryReason.APPLIED}


def test_offer_percent_is_taken_from_list_price_not_group_price() -> None:
    # 10 % off list 50.00 = 45.00, not below the group price 40.00: ignored
    offer = summer_offer(percent_off=D("10"))
    line = service("Dauerwelle", "50.00", group_price=D("40.00"), offers=(offer,))
    priced = price_line(line, [], SALE_DAY)
    assert priced.offer is None
    assert priced.unit_price == D("40.00")
    assert priced.price_source is PriceSource.GROUP


def test_cheapest_offer_wins_and_ties_go_to_lower_offer_id() -> None:
    offers = (
        summer_offer(offer_id=9, percent_off=None, price=D("30.00")),
        summer_offer(offer_id=8, percent_off=None, price=D("30.00")),
        summer_offer(offer_id=3, percent_off=D("5")),  # 38.00
    )
    priced = price_line(service("Strähnen", "40.00", offers=offers), [], SALE_DAY)
    assert priced.offer is not None
    assert (priced.offer.offer_id, priced.offer.price) == (8, D("30.00"))


def test_offer_dates_are_inclusive_and_other_items_are_ignored() -> None:
    first_day = summer_offer(starts_on=SALE_DAY, ends_on=SALE_DAY + timedelta(days=3))
    last_day = summer_offer(starts_on=SALE_DAY - timedelta(days=3), ends_on=SALE_DAY)
    tomorrow = summer_offer(starts_on=SALE_DAY + timedelta(days=1))
    yesterday = summer_offer(ends_on=SALE_DAY - timedelta(days=1))
    elsewhere = summer_offer(item_id=99)

    def offered(offer: SpecialOffer) -> bool:
        line = service("Strähnen", "40.00", offers=(offer,))
        return price_line(line, [], SALE_DAY).is_special_offer

    assert offered(first_day) and offered(last_day)
    assert not offered(tomorrow)
    assert not offered(yesterday)
    assert not offered(elsewhere)


def test_no_discounts_item_ignores_categories_and_manual() -> None:
    voucher = product("Gutschein", "25.00", rate="0", no_discounts=True)
    manual = ManualDiscount(D("50"), "Anna", "Kulanz")
    priced = price_line(voucher, [category(1, "VIP", "20")], SALE_DAY, manual)
    assert priced.line_total == D("25.00")
    assert priced.discount_source is DiscountSource.NONE
    assert priced.manual_outcome is ManualOutcome.ITEM_NO_DISCOUNTS
    assert priced.applied_manual_percent is None
    assert reasons(priced.categories) == {1: CategoryReason.ITEM_NO_DISCOUNTS}


def test_expired_membership_gives_no_discount_but_last_day_still_counts() -> None:
    expired = category(2, "Student/in", "20", valid_until=SALE_DAY - timedelta(days=1))
    last_day = category(6, "Rentner/in", "10", valid_until=SALE_DAY)
    quote = price_sale([service("Schnitt", "30.00")], [expired, last_day], SALE_DAY)
    line = quote.lines[0]
    assert reasons(line.categories) == {
        2: CategoryReason.EXPIRED,
        6: CategoryReason.APPLIED,
    }
    assert line.line_total == D("27.00")  # 30.00 − 10 %
    assert quote.expired_categories == (CategoryRef(2, "Student/in"),)


def test_services_only_category_does_not_reach_a_product() -> None:
    services_only = category(1, "Mitarbeiter/in", "30", scope=DiscountScope.SERVICES)
    products_only = category(2, "Produktclub", "5", scope=DiscountScope.PRODUCTS)
    priced = price_line(
        product("Haarspray", "9.90"), [services_only, products_only], SALE_DAY
    )
    assert reasons(priced.categories) == {
        1: CategoryReason.SCOPE_MISMATCH,
        2: CategoryReason.APPLIED,
    }
    assert priced.line_total == D("9.41")  # 9.90 × 0.95 = 9.405 → half-up 9.41


def test_manual_discount_higher_than_category_replaces_it() -> None:
    manual = ManualDiscount(D("15"), "Anna", "Reklamation")
    line = service("Schnitt", "30.00", manual=manual)
    priced = price_line(line, [category(1, "Stammkunde", "10")], SALE_DAY)
    assert priced.discount_source is DiscountSource.MANUAL
    assert priced.manual == manual
    assert priced.manual_outcome is ManualOutcome.APPLIED
    assert priced.applied_manual_percent == D("15")
    assert priced.discount_category is None
    assert reasons(priced.categories) == {1: CategoryReason.REPLACED_BY_MANUAL}
    assert priced.line_total == D("25.50")  # 30.00 × 0.85


@pytest.mark.parametrize("manual_percent", ["10", "5", "0"])
def test_manual_discount_equal_or_lower_leaves_category(manual_percent: str) -> None:
    manual = ManualDiscount(D(manual_percent), "Anna", "Stammkundin")
    line = service("Schnitt", "30.00", manual=manual)
    priced = price_line(line, [category(1, "Stammkunde", "10")], SALE_DAY)
    assert priced.discount_source is DiscountSource.CATEGORY
    assert priced.manual_outcome is ManualOutcome.NOT_HIGHER
    assert priced.applied_manual_percent is None
    assert reasons(priced.categories) == {1: CategoryReason.APPLIED}
    assert priced.line_total == D("27.00")


def test_line_manual_takes_precedence_over_sale_manual() -> None:
    own = ManualDiscount(D("5"), "Ben", "Einzelposten")
    sale_wide = ManualDiscount(D("20"), "Anna", "Geburtstag")
    lines = [service("Schnitt", "30.00", manual=own), product("Kamm", "4.00")]
    quote = price_sale(lines, [], SALE_DAY, sale_wide)
    assert quote.lines[0].manual == own
    assert quote.lines[0].line_total == D("28.50")  # 30.00 × 0.95
    assert quote.lines[1].manual == sale_wide
    assert quote.lines[1].line_total == D("3.20")  # 4.00 × 0.80
    assert quote.max_manual_percent == D("20")


def test_manual_on_offer_line_applies_where_higher() -> None:
    manual = ManualDiscount(D("25"), "Anna", "Fehler beim Termin")
    line = service("Strähnen", "40.00", offers=(summer_offer(),), manual=manual)
    priced = price_line(line, [category(5, "VIP", "10", offers=False)], SALE_DAY)
    assert priced.line_total == D("24.00")  # 32.00 × 0.75
    assert reasons(priced.categories) == {5: CategoryReason.OFFER_EXCLUDED}


@pytest.mark.parametrize("source", ["manual", "category"])
def test_hundred_percent_discount_makes_the_line_free(source: str) -> None:
    manual = ManualDiscount(D("100"), "Chef", "Modell") if source == "manual" else None
    memberships = [] if manual else [category(1, "Mitarbeiter/in", "100")]
    line = service("Färben", "79.90", quantity=2, manual=manual)
    quote = price_sale([line], memberships, SALE_DAY)
    assert quote.lines[0].line_total == D("0.00")
    assert quote.lines[0].discount_amount == D("159.80")
    assert (quote.gross, quote.vat, quote.net) == (D("0.00"), D("0.00"), D("0.00"))


def test_tie_between_categories_goes_to_lower_id() -> None:
    memberships = [
        category(12, "Empfehlung", "10"),
        category(4, "Neukunde", "10"),
        category(2, "Flyer-Kampagne", "5"),
    ]
    priced = price_line(service("Schnitt", "30.00"), memberships, SALE_DAY)
    assert priced.discount_category == CategoryRef(4, "Neukunde")
    assert reasons(priced.categories) == {
        2: CategoryReason.LOWER_THAN_APPLIED,
        4: CategoryReason.APPLIED,
        12: CategoryReason.TIE_LOST_TO_LOWER_ID,
    }
    assert [c.category_id for c in priced.categories] == [2, 4, 12]


def test_highest_category_wins_and_discounts_never_stack() -> None:
    memberships = [category(1, "Stammkunde", "10"), category(2, "VIP", "15")]
    priced = price_line(service("Schnitt", "40.00"), memberships, SALE_DAY)
    assert priced.discount_percent == D("15")
    assert priced.line_total == D("34.00")  # 15 %, not 10 % + 15 %


def test_line_total_is_rounded_half_up_once() -> None:
    # 3 × 0.15 × 0.90 = 0.405 → 0.41; rounding each unit first would give 3 × 0.14
    priced = price_line(
        service("Probe", "0.15", quantity=3), [category(1, "A", "10")], SALE_DAY
    )
    assert priced.line_total == D("0.41")
    # 0.25 × 0.50 = 0.125 → 0.13 (banker's rounding would give 0.12)
    half = price_line(service("Probe", "0.25"), [category(1, "A", "50")], SALE_DAY)
    assert half.line_total == D("0.13")


def test_vat_half_cent_rounds_up() -> None:
    # Austrian 20 %: 0.03 × 20 / 120 = 0.005 exactly → 0.01
    line = product("Haargummi", "0.03", rate="20")
    quote = price_sale([line], [], SALE_DAY)
    assert quote.vat_lines == (VatLine(D("20"), D("0.03"), D("0.01"), D("0.02")),)


def test_empty_sale_totals_zero() -> None:
    quote = price_sale([], [category(1, "A", "10")], SALE_DAY)
    assert quote.lines == () and quote.vat_lines == ()
    assert (quote.gross, quote.vat, quote.net, quote.total_discount) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )
    assert quote.max_manual_percent is None
