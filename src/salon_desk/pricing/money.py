"""Decimal money arithmetic and input checks for the discount engine.

Every amount is a ``Decimal`` in whole cents; every percentage has at most two
decimals (the database stores hundredths). Rounding is half-up to the cent and
happens exactly once per figure.
"""

from __future__ import annotations

from decimal import (
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MIN_CATEGORY_PERCENT = Decimal("0.01")
_NO_PERCENT = Decimal(0)

# Products and shares of cent amounts and hundredth percentages are finite
# decimals; with this much precision they are exact, and the Inexact trap makes
# sure a silent rounding step can never slip in before the single final one.
_EXACT = Context(
    prec=100,
    rounding=ROUND_HALF_UP,
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact],
)

# VAT shares (gross * rate / (100 + rate)) are usually non-terminating. Truncating
# them at 60 digits and then rounding half-up once equals rounding the exact value:
# every half-cent boundary is representable at this precision, so truncation can
# never carry a value across one.
_TRUNCATING = Context(prec=60, rounding=ROUND_DOWN, traps=[InvalidOperation, Overflow])


def round_cents(value: Decimal) -> Decimal:
    """Round ``value`` half-up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def less_percent(amount: Decimal, percent: Decimal) -> Decimal:
    """``amount`` less ``percent`` %, computed exactly and rounded half-up once."""
    with localcontext(_EXACT):
        exact = amount * (HUNDRED - percent) / HUNDRED
    return round_cents(exact)


def line_total(unit_price: Decimal, quantity: int, percent: Decimal) -> Decimal:
    """Unit price × quantity × (1 − percent / 100), rounded half-up to the cent."""
    with localcontext(_EXACT):
        amount = unit_price * quantity
    return less_percent(amount, percent)


def vat_from_gross(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT contained in a gross amount: gross × rate / (100 + rate), half-up."""
    with localcontext(_TRUNCATING):
        share = gross * rate / (HUNDRED + rate)
    return round_cents(share)


def _require_decimal(value: object, field: str) -> Decimal:
    """Return ``value`` if it is a finite Decimal, else raise."""
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise TypeError(f"{field} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{field} must be a finite number, got {value}")
    return value


def _has_places(value: Decimal, places: int) -> bool:
    """True when ``value`` has at most ``places`` decimal places."""
    scaled = value.scaleb(places)
    return scaled == scaled.to_integral_value()


def require_money(value: object, field: str) -> None:
    """Raise unless ``value`` is a non-negative Decimal amount in whole cents."""
    amount = _require_decimal(value, field)
    if amount < 0:
        raise ValueError(f"{field} must not be negative, got {amount}")
    if not _has_places(amount, 2):
        raise ValueError(f"{field} must be in whole cents, got {amount}")


def require_percent(value: object, field: str, minimum: Decimal = _NO_PERCENT) -> None:
    """Raise unless ``value`` is a percentage from ``minimum`` to 100, two decimals."""
    percent = _require_decimal(value, field)
    if not minimum <= percent <= HUNDRED:
        raise ValueError(f"{field} must be between {minimum} and 100, got {percent}")
    if not _has_places(percent, 2):
        raise ValueError(f"{field} must have at most two decimals, got {percent}")


def require_quantity(value: object, field: str = "quantity") -> None:
    """Raise unless ``value`` is a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{field} must be at least 1, got {value}")
