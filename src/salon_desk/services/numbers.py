"""One check of every amount and percentage a user or an import hands to a service.

A typed "1E+30", "NaN", "Infinity", a float or a third decimal place gets a message
naming the field, never ``InvalidOperation`` from the decimal module or a database
error: the bounds are checked before any rounding, which is where such values raise.
"""

from __future__ import annotations

from decimal import Decimal

from salon_desk.errors import ValidationError
from salon_desk.i18n import _

MAX_AMOUNT = Decimal("1000000")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def _finite_decimal(value: object, field: str, message: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(message, field)
    return value


def check_amount(value: object, field: str = "price", maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """A money amount from 0 to ``maximum`` in whole cents."""
    amount = _finite_decimal(value, field, _("A price must be a number of at least 0,00 €."))
    if amount < 0:
        raise ValidationError(_("A price must be a number of at least 0,00 €."), field)
    if amount > maximum:
        raise ValidationError(_("That price is too high."), field)
    if amount != amount.quantize(CENT):
        raise ValidationError(_("A price may have at most two decimal places (cents)."), field)
    return amount


def check_percent(value: object, field: str, message: str, minimum: Decimal = CENT, maximum: Decimal = HUNDRED) -> Decimal:
    """A percentage from ``minimum`` to ``maximum`` with at most two decimals; ``message`` names the range."""
    percent = _finite_decimal(value, field, message)
    if not minimum <= percent <= maximum:
        raise ValidationError(message, field)
    if percent != percent.quantize(CENT):
        raise ValidationError(_("A percentage may have at most two decimal places."), field)
    return percent
