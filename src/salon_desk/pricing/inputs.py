"""What the discount engine is given: sale lines, offers, memberships, manual discounts.

All inputs are frozen dataclasses that check themselves on construction, so a
malformed value is refused with a ``ValueError`` (or ``TypeError`` for a wrong
type, such as a float amount) before any price is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.pricing.money import (
    MIN_CATEGORY_PERCENT,
    require_money,
    require_percent,
    require_quantity,
)


@dataclass(frozen=True, slots=True)
class ManualDiscount:
    """A discount a clerk set on one line or on the whole sale."""

    percent: Decimal
    staff_name: str
    reason: str

    def __post_init__(self) -> None:
        """Check the percentage."""
        require_percent(self.percent, "manual discount percent")


@dataclass(frozen=True, slots=True)
class CategoryMembershipInfo:
    """One of the client's category memberships that carries a discount."""

    category_id: int
    name: str
    percent: Decimal
    scope: DiscountScope
    applies_to_offers: bool
    valid_until: date | None = None

    def __post_init__(self) -> None:
        """Check the percentage and the scope."""
        label = f"discount percent of category {self.name!r}"
        require_percent(self.percent, label, minimum=MIN_CATEGORY_PERCENT)
        if not isinstance(self.scope, DiscountScope):
            raise TypeError(f"scope of category {self.name!r} must be a DiscountScope")

    def is_expired(self, sale_date: date) -> bool:
        """True when the membership ended before ``sale_date`` (the end day counts)."""
        return self.valid_until is not None and self.valid_until < sale_date


@dataclass(frozen=True, slots=True)
class SpecialOffer:
    """A special offer for one item: a fixed price or a percentage off list price."""

    offer_id: int
    name: str
    item_id: int
    starts_on: date
    ends_on: date
    price: Decimal | None = None
    percent_off: Decimal | None = None

    def __post_init__(self) -> None:
        """Check that exactly one of price and percentage is set, and the dates."""
        label = f"special offer {self.name!r}"
        if (self.price is None) == (self.percent_off is None):
            raise ValueError(
                f"{label} needs either a price or a percentage off, not both"
            )
        if self.price is not None:
            require_money(self.price, f"price of {label}")
        if self.percent_off is not None:
            require_percent(self.percent_off, f"percentage off of {label}")
        if self.ends_on < self.starts_on:
            raise ValueError(
                f"{label} ends on {self.ends_on} before it starts on {self.starts_on}"
            )

    def is_active(self, sale_date: date) -> bool:
        """True when ``sale_date`` is within the offer's dates, both ends included."""
        return self.starts_on <= sale_date <= self.ends_on


@dataclass(frozen=True, slots=True)
class LineInput:
    """One line of a sale as the checkout hands it to the engine."""

    item_id: int
    name: str
    kind: ItemKind
    quantity: int
    list_price: Decimal
    vat_rate: Decimal
    no_discounts: bool = False
    group_price: Decimal | None = None
    offers: tuple[SpecialOffer, ...] = field(default=())
    manual: ManualDiscount | None = None

    def __post_init__(self) -> None:
        """Check quantity, prices and VAT rate; keep the offers as a tuple."""
        label = f"line {self.name!r}"
        if not isinstance(self.kind, ItemKind):
            raise TypeError(f"kind of {label} must be an ItemKind")
        require_quantity(self.quantity, f"quantity of {label}")
        require_money(self.list_price, f"list price of {label}")
        if self.group_price is not None:
            require_money(self.group_price, f"group price of {label}")
        require_percent(self.vat_rate, f"VAT rate of {label}")
        object.__setattr__(self, "offers", tuple(self.offers))
