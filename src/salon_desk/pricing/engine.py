"""The discount engine: pure functions from sale lines to a priced sale.

Per line, in this order: base price (group price, else list price), special
offer, category discount (the highest eligible one, never stacked), manual
discount (only where higher), then the line total rounded half-up to the cent.
VAT is taken per rate from the gross totals of that rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from salon_desk.pricing.inputs import (
    CategoryMembershipInfo,
    LineInput,
    ManualDiscount,
    SpecialOffer,
)
from salon_desk.pricing.money import (
    ZERO,
    less_percent,
    line_total,
    round_cents,
    vat_from_gross,
)
from salon_desk.pricing.results import (
    AppliedOffer,
    CategoryConsideration,
    CategoryReason,
    CategoryRef,
    DiscountSource,
    ManualOutcome,
    PricedLine,
    PriceSource,
    SaleQuote,
    VatLine,
)


@dataclass(frozen=True, slots=True)
class _Discount:
    """The discount decision for one line."""

    percent: Decimal
    source: DiscountSource
    category: CategoryRef | None
    manual: ManualDiscount | None
    manual_outcome: ManualOutcome | None
    considered: tuple[CategoryConsideration, ...]


def price_sale(
    lines: Sequence[LineInput],
    memberships: Sequence[CategoryMembershipInfo],
    sale_date: date,
    sale_manual: ManualDiscount | None = None,
) -> SaleQuote:
    """Price every line of a sale and total it per VAT rate."""
    ordered = ordered_memberships(memberships)
    priced = tuple(price_line(line, ordered, sale_date, sale_manual) for line in lines)
    vat_lines = vat_breakdown(priced)
    gross = _sum(line.line_total for line in priced)
    vat = _sum(vat_line.vat for vat_line in vat_lines)
    return SaleQuote(
        sale_date=sale_date,
        lines=priced,
        vat_lines=vat_lines,
        gross=gross,
        vat=vat,
        net=gross - vat,
        total_discount=_sum(line.discount_amount for line in priced),
        total_offer_saving=_sum(line.offer_saving for line in priced),
        expired_categories=tuple(
            CategoryRef(m.category_id, m.name)
            for m in ordered
            if m.is_expired(sale_date)
        ),
    )


def price_line(
    line: LineInput,
    memberships: Sequence[CategoryMembershipInfo],
    sale_date: date,
    sale_manual: ManualDiscount | None = None,
) -> PricedLine:
    """Price one sale line; a manual discount on the line beats the sale's."""
    base, source = base_price(line)
    offer = best_offer(line, base, sale_date)
    unit = base if offer is None else offer.price
    manual = line.manual if line.manual is not None else sale_manual
    discount = _decide_discount(
        line, ordered_memberships(memberships), sale_date, offer is not None, manual
    )
    total = line_total(unit, line.quantity, discount.percent)
    return PricedLine(
        item_id=line.item_id,
        item_name=line.name,
        kind=line.kind,
        quantity=line.quantity,
        no_discounts=line.no_discounts,
        list_price=round_cents(line.list_price),
        base_price=base,
        price_source=source,
        offer=offer,
        unit_price=unit,
        discount_percent=discount.percent,
        discount_source=discount.source,
        discount_category=discount.category,
        manual=discount.manual,
        manual_outcome=discount.manual_outcome,
        categories=discount.considered,
        line_total=total,
        discount_amount=unit * line.quantity - total,
        offer_saving=(base - unit) * line.quantity,
        vat_rate=line.vat_rate,
    )


def ordered_memberships(
    memberships: Iterable[CategoryMembershipInfo],
) -> tuple[CategoryMembershipInfo, ...]:
    """The memberships sorted by category id; a category listed twice is refused."""
    ordered = tuple(sorted(memberships, key=lambda m: m.category_id))
    for previous, current in pairwise(ordered):
        if previous.category_id == current.category_id:
            raise ValueError(f"category {current.category_id} is listed twice")
    return ordered


def base_price(line: LineInput) -> tuple[Decimal, PriceSource]:
    """The client's group price for the item if there is one, else the list price."""
    if line.group_price is not None:
        return round_cents(line.group_price), PriceSource.GROUP
    return round_cents(line.list_price), PriceSource.LIST


def offer_price(offer: SpecialOffer, list_price: Decimal) -> Decimal:
    """The unit price an offer asks: its fixed price, or its percentage off the list."""
    if offer.percent_off is not None:
        return less_percent(list_price, offer.percent_off)
    if offer.price is None:  # SpecialOffer refuses this on construction
        raise ValueError(
            f"special offer {offer.name!r} has neither price nor percentage"
        )
    return round_cents(offer.price)


def best_offer(line: LineInput, base: Decimal, sale_date: date) -> AppliedOffer | None:
    """The cheapest active offer for the line's item below the base price, if any."""
    below = [
        (price, offer)
        for offer in line.offers
        if offer.item_id == line.item_id and offer.is_active(sale_date)
        if (price := offer_price(offer, line.list_price)) < base
    ]
    if not below:
        return None
    price, offer = min(below, key=lambda pair: (pair[0], pair[1].offer_id))
    return AppliedOffer(offer_id=offer.offer_id, name=offer.name, price=price)


def ineligibility(
    line: LineInput,
    membership: CategoryMembershipInfo,
    sale_date: date,
    on_offer: bool,
) -> CategoryReason | None:
    """Why a membership cannot discount the line, or None when it is eligible."""
    if line.no_discounts:
        return CategoryReason.ITEM_NO_DISCOUNTS
    if membership.is_expired(sale_date):
        return CategoryReason.EXPIRED
    if not membership.scope.covers(line.kind):
        return CategoryReason.SCOPE_MISMATCH
    if on_offer and not membership.applies_to_offers:
        return CategoryReason.OFFER_EXCLUDED
    return None


def best_category(
    eligible: Iterable[CategoryMembershipInfo],
) -> CategoryMembershipInfo | None:
    """The highest percentage among eligible memberships; ties go to the lower id."""
    return min(eligible, key=lambda m: (-m.percent, m.category_id), default=None)


def manual_outcome(
    line: LineInput,
    manual: ManualDiscount | None,
    best: CategoryMembershipInfo | None,
) -> ManualOutcome | None:
    """Whether a manual discount applies: only where higher than the category's."""
    if manual is None:
        return None
    if line.no_discounts:
        return ManualOutcome.ITEM_NO_DISCOUNTS
    category_percent = ZERO if best is None else best.percent
    if manual.percent > category_percent:
        return ManualOutcome.APPLIED
    return ManualOutcome.NOT_HIGHER


def _decide_discount(
    line: LineInput,
    memberships: Sequence[CategoryMembershipInfo],
    sale_date: date,
    on_offer: bool,
    manual: ManualDiscount | None,
) -> _Discount:
    """Choose the line's discount and give every membership its reason."""
    blocked = {
        m.category_id: ineligibility(line, m, sale_date, on_offer) for m in memberships
    }
    best = best_category(m for m in memberships if blocked[m.category_id] is None)
    outcome = manual_outcome(line, manual, best)
    replaced = outcome is ManualOutcome.APPLIED
    considered = tuple(
        CategoryConsideration(
            m.category_id,
            m.name,
            m.percent,
            _verdict(m, blocked[m.category_id], best, replaced),
        )
        for m in memberships
    )
    if replaced and manual is not None:
        return _Discount(
            manual.percent, DiscountSource.MANUAL, None, manual, outcome, considered
        )
    if best is not None:
        ref = CategoryRef(best.category_id, best.name)
        return _Discount(
            best.percent, DiscountSource.CATEGORY, ref, manual, outcome, considered
        )
    return _Discount(ZERO, DiscountSource.NONE, None, manual, outcome, considered)


def _verdict(
    membership: CategoryMembershipInfo,
    blocked: CategoryReason | None,
    best: CategoryMembershipInfo | None,
    replaced: bool,
) -> CategoryReason:
    """A membership's reason: why it is blocked, or how it fares against the best."""
    if blocked is not None:
        return blocked
    if best is None or membership.category_id == best.category_id:
        return CategoryReason.REPLACED_BY_MANUAL if replaced else CategoryReason.APPLIED
    if membership.percent < best.percent:
        return CategoryReason.LOWER_THAN_APPLIED
    return CategoryReason.TIE_LOST_TO_LOWER_ID


def vat_breakdown(lines: Iterable[PricedLine]) -> tuple[VatLine, ...]:
    """Gross, VAT and net per VAT rate, highest rate first."""
    gross_by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        gross_by_rate[line.vat_rate] = (
            gross_by_rate.get(line.vat_rate, ZERO) + line.line_total
        )
    return tuple(
        vat_line(rate, gross)
        for rate, gross in sorted(
            gross_by_rate.items(), key=lambda item: item[0], reverse=True
        )
    )


def vat_line(rate: Decimal, gross: Decimal) -> VatLine:
    """Split a gross amount at one rate into VAT (half-up to the cent) and net."""
    vat = vat_from_gross(gross, rate)
    return VatLine(rate=rate, gross=gross, vat=vat, net=gross - vat)


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of money amounts, 0.00 when there are none."""
    return sum(amounts, ZERO)
