"""The discount engine: pure functions over plain data; no database, no Qt.

``price_sale`` turns sale lines, the client's discounted category memberships and
an optional sale-wide manual discount into a ``SaleQuote``.
"""

from salon_desk.pricing.engine import (
    base_price,
    best_category,
    best_offer,
    ineligibility,
    manual_outcome,
    offer_price,
    ordered_memberships,
    price_line,
    price_sale,
    vat_breakdown,
    vat_line,
)
from salon_desk.pricing.inputs import (
    CategoryMembershipInfo,
    LineInput,
    ManualDiscount,
    SpecialOffer,
)
from salon_desk.pricing.money import (
    CENT,
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

__all__ = [
    "CENT",
    "ZERO",
    "AppliedOffer",
    "CategoryConsideration",
    "CategoryMembershipInfo",
    "CategoryReason",
    "CategoryRef",
    "DiscountSource",
    "LineInput",
    "ManualDiscount",
    "ManualOutcome",
    "PriceSource",
    "PricedLine",
    "SaleQuote",
    "SpecialOffer",
    "VatLine",
    "base_price",
    "best_category",
    "best_offer",
    "ineligibility",
    "less_percent",
    "line_total",
    "manual_outcome",
    "offer_price",
    "ordered_memberships",
    "price_line",
    "price_sale",
    "round_cents",
    "vat_breakdown",
    "vat_from_gross",
    "vat_line",
]
