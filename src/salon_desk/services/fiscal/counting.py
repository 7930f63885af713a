"""Reading amounts and counts typed by a clerk: the field is named when one is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from salon_desk.errors import ValidationError
from salon_desk.i18n import _, format_money, parse_decimal

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999.99")
MAX_PIECES = 100_000
DENOMINATIONS: tuple[Decimal, ...] = tuple(
    Decimal(d)
    for d in ("500", "200", "100", "50", "20", "10", "5", "2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01")
)
"""The euro notes and coins a drawer is counted in, largest first."""


@dataclass(frozen=True)
class DrawerCount:
    """The counted drawer: a sum, or pieces per denomination (text as typed, or numbers)."""

    total: str | Decimal | None = None
    pieces: dict[Decimal, str | int] = field(default_factory=dict)


def denomination_field(denomination: Decimal) -> str:
    """The field name of one denomination in a count, e.g. ``count_0.50``."""
    return f"count_{denomination}"


def parse_amount(value: str | Decimal, field_name: str, allow_zero: bool = True) -> Decimal:
    """An amount in euros and cents, not negative; a ValidationError naming ``field_name`` otherwise."""
    if isinstance(value, Decimal):
        amount = value
    else:
        try:
            amount = parse_decimal(value)
        except ValueError:
            raise ValidationError(
                _("Please enter an amount in euros and cents, e.g. {example}.").format(
                    example=format_money(Decimal("150.00"))
                ),
                field_name,
            ) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError(_("An amount has at most two decimal places (cents)."), field_name)
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), field_name)
    if amount == 0 and not allow_zero:
        raise ValidationError(_("The amount must be more than zero."), field_name)
    if amount > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large; please check it."), field_name)
    return amount.quantize(CENT)


def parse_pieces(value: str | int, field_name: str) -> int:
    """A count of notes or coins: a whole number from 0; '' counts as none."""
    if isinstance(value, bool):
        raise ValidationError(_("Please enter how many notes or coins, as a whole number."), field_name)
    if isinstance(value, int):
        pieces = value
    elif not value.strip():
        return 0
    elif value.strip().lstrip("-").isdigit():
        pieces = int(value.strip())
    else:
        raise ValidationError(_("Please enter how many notes or coins, as a whole number."), field_name)
    if pieces < 0:
        raise ValidationError(_("A count cannot be negative."), field_name)
    if pieces > MAX_PIECES:
        raise ValidationError(_("That many notes or coins cannot be right; please count again."), field_name)
    return pieces


def counted_cash(count: DrawerCount) -> tuple[Decimal, dict[str, int]]:
    """The counted sum, and the pieces per denomination ({} when counted as a sum)."""
    if count.pieces:
        pieces = {}
        for denomination, value in count.pieces.items():
            if denomination not in DENOMINATIONS:
                raise ValidationError(_("Unknown denomination."), denomination_field(denomination))
            pieces[str(denomination)] = parse_pieces(value, denomination_field(denomination))
        total = sum((Decimal(d) * n for d, n in pieces.items()), Decimal("0.00"))
        return total.quantize(CENT), {d: n for d, n in pieces.items() if n}
    if count.total is None or (isinstance(count.total, str) and not count.total.strip()):
        raise ValidationError(_("Please enter the counted cash, as a sum or by denomination."), "counted_total")
    return parse_amount(count.total, "counted_total"), {}
