"""What the discount engine returns: priced lines, VAT per rate and sale totals.

A result records why each price is what it is (price source, offer, the discount
and every category considered), so a closed sale can keep it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from salon_desk.kinds import ItemKind
from salon_desk.pricing.inputs import ManualDiscount


class PriceSource(StrEnum):
    """Where a line's base unit price came from."""

    LIST = "list"
    GROUP = "group"


class DiscountSource(StrEnum):
    """Where a line's discount percentage came from."""

    NONE = "none"
    CATEGORY = "category"
    MANUAL = "manual"


class CategoryReason(StrEnum):
    """Why a category membership did or did not give a line its discount."""

    APPLIED = "applied"
    REPLACED_BY_MANUAL = "replaced_by_manual"
    LOWER_THAN_APPLIED = "lower_than_applied"
    TIE_LOST_TO_LOWER_ID = "tie_lost_to_lower_id"
    EXPIRED = "expired"
    SCOPE_MISMATCH = "scope_mismatch"
    OFFER_EXCLUDED = "offer_excluded"
    ITEM_NO_DISCOUNTS = "item_no_discounts"


class ManualOutcome(StrEnum):
    """What became of the manual discount in effect for a line."""

    APPLIED = "applied"
    NOT_HIGHER = "not_higher"
    ITEM_NO_DISCOUNTS = "item_no_discounts"


@dataclass(frozen=True, slots=True)
class AppliedOffer:
    """The special offer that set a line's unit price."""

    offer_id: int
    name: str
    price: Decimal


@dataclass(frozen=True, slots=True)
class CategoryRef:
    """A category named by id and by the name it had when the sale was priced."""

    category_id: int
    name: str


@dataclass(frozen=True, slots=True)
class CategoryConsideration:
    """One category membership looked at for a line, and the verdict."""

    category_id: int
    name: str
    percent: Decimal
    reason: CategoryReason


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A sale line with its price, its discount and the reasons for both."""

    item_id: int
    item_name: str
    kind: ItemKind
    quantity: int
    no_discounts: bool
    list_price: Decimal
    base_price: Decimal
    price_source: PriceSource
    offer: AppliedOffer | None
    unit_price: Decimal
    discount_percent: Decimal
    discount_source: DiscountSource
    discount_category: CategoryRef | None
    manual: ManualDiscount | None
    manual_outcome: ManualOutcome | None
    categories: tuple[CategoryConsideration, ...]
    line_total: Decimal
    discount_amount: Decimal
    offer_saving: Decimal
    vat_rate: Decimal

    @property
    def is_special_offer(self) -> bool:
        """True when a special offer set the unit price."""
        return self.offer is not None

    @property
    def applied_manual_percent(self) -> Decimal | None:
        """The manual percentage actually granted on this line, for limit checks."""
        if self.discount_source is DiscountSource.MANUAL:
            return self.discount_percent
        return None


@dataclass(frozen=True, slots=True)
class VatLine:
    """Gross, VAT and net of all lines sharing one VAT rate."""

    rate: Decimal
    gross: Decimal
    vat: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True)
class SaleQuote:
    """A fully priced sale: its lines, VAT per rate and totals."""

    sale_date: date
    lines: tuple[PricedLine, ...]
    vat_lines: tuple[VatLine, ...]
    gross: Decimal
    vat: Decimal
    net: Decimal
    total_discount: Decimal
    total_offer_saving: Decimal
    expired_categories: tuple[CategoryRef, ...]

    @property
    def max_manual_percent(self) -> Decimal | None:
        """The highest manual percentage granted on any line, or None."""
        granted = [
            percent
            for line in self.lines
            if (percent := line.applied_manual_percent) is not None
        ]
        return max(granted, default=None)
