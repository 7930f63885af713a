"""Properties of the discount engine over generated sales (Hypothesis)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.pricing import (
    CategoryMembershipInfo,
    CategoryReason,
    DiscountSource,
    LineInput,
    ManualDiscount,
    ManualOutcome,
    PricedLine,
    SaleQuote,
    SpecialOffer,
    price_sale,
    vat_from_gross,
)

SALE_DAY = date(2025, 6, 15)
RATES = [Decimal("19"), Decimal("7"), Decimal("0"), Decimal("20"), Decimal("5.5")]

# Per-test settings, so this module leaves the global Hypothesis profile alone.
pricing_settings = settings(deadline=None, max_examples=100)


def hundredths(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Decimals with two places from low/100 to high/100."""
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


money = hundredths(0, 2_000_000)
percents = st.one_of(
    st.sampled_from([Decimal("0"), Decimal("10"), Decimal("15"), Decimal("100")]),
    hundredths(0, 10_000),
)
category_percents = st.one_of(
    st.sampled_from([Decimal("5"), Decimal("10"), Decimal("100")]),
    hundredths(1, 10_000),
)
days = st.integers(-20, 20).map(lambda n: SALE_DAY + timedelta(days=n))


@st.composite
def offers(draw: st.DrawFn, item_id: int) -> SpecialOffer:
    """An offer, usually for ``item_id`` and sometimes for another item."""
    start = draw(days)
    use_percent = draw(st.booleans())
    return SpecialOffer(
        offer_id=draw(st.integers(1, 6)),
        name="Aktion",
        item_id=draw(st.sampled_from([item_id, item_id, item_id + 1000])),
        starts_on=start,
        ends_on=start + timedelta(days=draw(st.integers(0, 30))),
        price=None if use_percent else draw(money),
        percent_off=draw(percents) if use_percent else None,
    )


manuals = st.builds(ManualDiscount, percents, st.just("Anna"), st.just("Kulanz"))


@st.composite
def lines(draw: st.DrawFn, with_manual: bool = True) -> LineInput:
    """A sale line with optional group price, offers and manual discount."""
    item_id = draw(st.integers(1, 50))
    return LineInput(
        item_id=item_id,
        name=f"Artikel {item_id}",
        kind=draw(st.sampled_from(ItemKind)),
        quantity=draw(st.integers(1, 12)),
        list_price=draw(money),
        vat_rate=draw(st.sampled_from(RATES)),
        no_discounts=draw(st.booleans()),
        group_price=draw(st.none() | money),
        offers=tuple(draw(st.lists(offers(item_id), max_size=3))),
        manual=draw(st.none() | manuals) if with_manual else None,
    )


memberships = st.lists(
    st.builds(
        CategoryMembershipInfo,
        category_id=st.integers(1, 9),
        name=st.just("Kategorie"),
        percent=category_percents,
        scope=st.sampled_from(DiscountScope),
        applies_to_offers=st.booleans(),
        valid_until=st.none() | days,
    ),
    unique_by=lambda m: m.category_id,
    max_size=5,
)


def half_up_cents(value: Fraction) -> Decimal:
    """Round a non-negative exact value half-up to the cent, without Decimal."""
    assert value >= 0
    cents = math.floor(value * 100 + Fraction(1, 2))
    return Decimal(cents).scaleb(-2)


def eligible(
    line: LineInput, priced: PricedLine, candidates: list[CategoryMembershipInfo]
) -> list[CategoryMembershipInfo]:
    """The memberships that may discount a line, worked out independently."""
    if line.no_discounts:
        return []
    return [
        m
        for m in candidates
        if (m.valid_until is None or m.valid_until >= SALE_DAY)
        and m.scope in (DiscountScope.BOTH, scope_of(line.kind))
        and (priced.offer is None or m.applies_to_offers)
    ]


def scope_of(kind: ItemKind) -> DiscountScope:
    """The one-kind scope matching an item kind."""
    return (
        DiscountScope.SERVICES if kind is ItemKind.SERVICE else DiscountScope.PRODUCTS
    )


sales = st.lists(lines(), max_size=8)


@pricing_settings
@given(sales, memberships, st.none() | manuals)
def test_a_discount_never_raises_a_price(
    sale: list[LineInput],
    members: list[CategoryMembershipInfo],
    sale_manual: ManualDiscount | None,
) -> None:
    quote = price_sale(sale, members, SALE_DAY, sale_manual)
    for priced in quote.lines:
        assert priced.unit_price <= priced.base_price
        assert 0 <= priced.line_total <= priced.unit_price * priced.quantity
        assert priced.discount_amount >= 0 and priced.offer_saving >= 0
        assert priced.line_total + priced.discount_amount + priced.offer_saving == (
            priced.base_price * priced.quantity
        )


@pricing_settings
@given(st.lists(lines(with_manual=False), min_size=1, max_size=6), memberships)
def test_highest_eligible_category_wins_ties_to_lower_id(
    sale: list[LineInput], members: list[CategoryMembershipInfo]
) -> None:
    quote = price_sale(sale, members, SALE_DAY)
    for line, priced in zip(sale, quote.lines, strict=True):
        candidates = eligible(line, priced, members)
        applied = [c for c in priced.categories if c.reason is CategoryReason.APPLIED]
        if not candidates:
            assert priced.discount_source is DiscountSource.NONE and not applied
            continue
        top = max(m.percent for m in candidates)
        winner = min(m.category_id for m in candidates if m.percent == top)
        assert priced.discount_percent == top
        assert priced.discount_category is not None
        assert priced.discount_category.category_id == winner
        assert [c.category_id for c in applied] == [winner]


@pricing_settings
@given(st.lists(lines(), min_size=1, max_size=6), memberships, st.none() | manuals)
def test_offer_lines_never_get_a_category_that_excludes_offers(
    sale: list[LineInput],
    members: list[CategoryMembershipInfo],
    sale_manual: ManualDiscount | None,
) -> None:
    quote = price_sale(sale, members, SALE_DAY, sale_manual)
    excluding = {m.category_id for m in members if not m.applies_to_offers}
    for priced in quote.lines:
        if priced.offer is None:
            continue
        for considered in priced.categories:
            if considered.category_id in excluding:
                assert considered.reason not in (
                    CategoryReason.APPLIED,
                    CategoryReason.REPLACED_BY_MANUAL,
                    CategoryReason.LOWER_THAN_APPLIED,
                    CategoryReason.TIE_LOST_TO_LOWER_ID,
                )
        category = priced.discount_category
        assert category is None or category.category_id not in excluding


@pricing_settings
@given(sales, memberships, st.none() | manuals)
def test_line_totals_sum_to_the_gross_and_vat_parts_to_the_whole(
    sale: list[LineInput],
    members: list[CategoryMembershipInfo],
    sale_manual: ManualDiscount | None,
) -> None:
    quote = price_sale(sale, members, SALE_DAY, sale_manual)
    assert sum(line.line_total for line in quote.lines) == quote.gross
    assert sum(v.gross for v in quote.vat_lines) == quote.gross
    assert sum(v.vat for v in quote.vat_lines) == quote.vat
    assert quote.vat + quote.net == quote.gross
    assert quote.total_discount == sum(line.discount_amount for line in quote.lines)
    for vat_line in quote.vat_lines:
        assert vat_line.vat + vat_line.net == vat_line.gross
        for amount in (vat_line.gross, vat_line.vat, vat_line.net):
            assert amount.as_tuple().exponent == -2
    assert len({v.rate for v in quote.vat_lines}) == len(quote.vat_lines)


@pricing_settings
@given(sales, memberships, st.none() | manuals)
def test_rounding_matches_an_independent_half_up_computation(
    sale: list[LineInput],
    members: list[CategoryMembershipInfo],
    sale_manual: ManualDiscount | None,
) -> None:
    quote = price_sale(sale, members, SALE_DAY, sale_manual)
    for priced in quote.lines:
        exact = (
            Fraction(priced.unit_price)
            * priced.quantity
            * (100 - Fraction(priced.discount_percent))
            / 100
        )
        assert priced.line_total == half_up_cents(exact)
    assert_vat_matches(quote)


def assert_vat_matches(quote: SaleQuote) -> None:
    """Check every VAT line against the exact fraction, rounded half-up."""
    for vat_line in quote.vat_lines:
        rate = Fraction(vat_line.rate)
        exact = Fraction(vat_line.gross) * rate / (100 + rate)
        assert vat_line.vat == half_up_cents(exact)


@pricing_settings
@given(hundredths(0, 10**9), st.sampled_from([*RATES, Decimal("10"), Decimal("13")]))
def test_vat_share_is_rounded_half_up(gross: Decimal, rate: Decimal) -> None:
    exact = Fraction(gross) * Fraction(rate) / (100 + Fraction(rate))
    assert vat_from_gross(gross, rate) == half_up_cents(exact)


@pricing_settings
@given(st.integers(0, 10**7))
def test_vat_exact_half_cents_round_up_at_20_percent(k: int) -> None:
    # At 20 % the VAT is gross / 6; a gross of 3k cents holds k / 2 cents of VAT,
    # exactly half a cent when k is odd, which must round up.
    gross = Decimal(3 * k).scaleb(-2)
    expected = Decimal((k + 1) // 2).scaleb(-2)
    assert vat_from_gross(gross, Decimal("20")) == expected


@pricing_settings
@given(st.lists(lines(with_manual=False), min_size=1, max_size=6), memberships)
def test_zero_percent_manual_changes_nothing(
    sale: list[LineInput], members: list[CategoryMembershipInfo]
) -> None:
    plain = price_sale(sale, members, SALE_DAY)
    zero = price_sale(sale, members, SALE_DAY, ManualDiscount(Decimal(0), "A", "-"))
    assert [p.line_total for p in zero.lines] == [p.line_total for p in plain.lines]
    for priced in zero.lines:
        assert priced.discount_source is not DiscountSource.MANUAL
        assert priced.manual_outcome in (
            ManualOutcome.NOT_HIGHER,
            ManualOutcome.ITEM_NO_DISCOUNTS,
        )


@pricing_settings
@given(st.lists(lines(with_manual=False), min_size=1, max_size=6), memberships)
def test_hundred_percent_manual_frees_every_discountable_line(
    sale: list[LineInput], members: list[CategoryMembershipInfo]
) -> None:
    full = ManualDiscount(Decimal(100), "Chef", "Modell")
    quote = price_sale(sale, members, SALE_DAY, full)
    for line, priced in zip(sale, quote.lines, strict=True):
        if line.no_discounts:
            assert priced.line_total == priced.unit_price * line.quantity
        else:
            assert priced.line_total == 0
            assert priced.discount_percent == 100


@pricing_settings
@given(lines(), memberships)
def test_discounts_never_stack_and_manual_applies_only_where_higher(
    line: LineInput, members: list[CategoryMembershipInfo]
) -> None:
    priced = price_sale([line], members, SALE_DAY).lines[0]
    granted = {m.percent for m in members} | {Decimal(0)}
    if line.manual is not None:
        granted.add(line.manual.percent)
    assert priced.discount_percent in granted
    best = max((m.percent for m in eligible(line, priced, members)), default=Decimal(0))
    if line.manual is None or line.no_discounts or line.manual.percent <= best:
        assert priced.discount_source is not DiscountSource.MANUAL
        assert priced.discount_percent == (0 if line.no_discounts else best)
    else:
        assert priced.discount_source is DiscountSource.MANUAL
        assert priced.discount_percent == line.manual.percent
        assert priced.applied_manual_percent == line.manual.percent


@pricing_settings
@given(lines(with_manual=False))
def test_unit_price_is_the_cheapest_of_base_and_active_offers(line: LineInput) -> None:
    priced = price_sale([line], [], SALE_DAY).lines[0]
    base = line.group_price if line.group_price is not None else line.list_price
    prices = [base]
    for offer in line.offers:
        if (
            offer.item_id == line.item_id
            and offer.starts_on <= SALE_DAY <= offer.ends_on
        ):
            if offer.price is not None:
                prices.append(offer.price)
            else:
                assert offer.percent_off is not None
                off = (
                    Fraction(line.list_price)
                    * (100 - Fraction(offer.percent_off))
                    / 100
                )
                prices.append(half_up_cents(off))
    assert priced.unit_price == min(prices)
    assert priced.is_special_offer == (priced.unit_price < base)


@pricing_settings
@given(money, st.none() | money, percents, st.sampled_from(ItemKind))
def test_percent_offer_is_taken_from_the_list_price(
    list_price: Decimal, group_price: Decimal | None, percent: Decimal, kind: ItemKind
) -> None:
    offer = SpecialOffer(
        offer_id=1,
        name="Aktion",
        item_id=5,
        starts_on=SALE_DAY,
        ends_on=SALE_DAY,
        percent_off=percent,
    )
    line = LineInput(
        item_id=5,
        name="Artikel",
        kind=kind,
        quantity=1,
        list_price=list_price,
        vat_rate=Decimal("19"),
        group_price=group_price,
        offers=(offer,),
    )
    priced = price_sale([line], [], SALE_DAY).lines[0]
    offered = half_up_cents(Fraction(list_price) * (100 - Fraction(percent)) / 100)
    base = list_price if group_price is None else group_price
    assert priced.unit_price == min(base, offered)
    assert priced.is_special_offer == (offered < base)
