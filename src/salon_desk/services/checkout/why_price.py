"""“Why this price”: a priced line's reasons as plain JSON data, and their explanation in words.

The same data is shown in the checkout while ringing up and stored with each sale
line, so a closed sale explains itself with the rules in force when it was sold.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from salon_desk.i18n import N_, _, format_money, format_percent, language
from salon_desk.pricing import CategoryReason, DiscountSource, ManualOutcome, PricedLine, PriceSource

WHY_VERSION = 1

_REASONS = {
    CategoryReason.APPLIED.value: N_("gives this line its discount"),
    CategoryReason.REPLACED_BY_MANUAL.value: N_("replaced by the higher manual discount"),
    CategoryReason.LOWER_THAN_APPLIED.value: N_("lower than the discount applied"),
    CategoryReason.TIE_LOST_TO_LOWER_ID.value: N_("same percentage; the older category wins"),
    CategoryReason.EXPIRED.value: N_("membership expired"),
    CategoryReason.SCOPE_MISMATCH.value: N_("does not apply to this kind of item"),
    CategoryReason.OFFER_EXCLUDED.value: N_("not valid on special offers"),
    CategoryReason.ITEM_NO_DISCOUNTS.value: N_("this item takes no discounts"),
}
_MANUAL = {
    ManualOutcome.APPLIED.value: N_("applied"),
    ManualOutcome.NOT_HIGHER.value: N_("not applied: the category discount is as high or higher"),
    ManualOutcome.ITEM_NO_DISCOUNTS.value: N_("not applied: this item takes no discounts"),
}


def why_data(line: PricedLine, group_name: str = "", approved_by: str = "") -> dict[str, Any]:
    """The reasons behind one priced line, as JSON-ready data (amounts as strings)."""
    return {
        "v": WHY_VERSION,
        "list_price": str(line.list_price),
        "price_source": line.price_source.value,
        "group": group_name if line.price_source is PriceSource.GROUP else "",
        "base_price": str(line.base_price),
        "offer": _offer_data(line),
        "unit_price": str(line.unit_price),
        "no_discounts": line.no_discounts,
        "discount_percent": str(line.discount_percent),
        "discount_source": line.discount_source.value,
        "discount_category": None if line.discount_category is None else line.discount_category.name,
        "manual": _manual_data(line, approved_by),
        "categories": [
            {"id": c.category_id, "name": c.name, "percent": str(c.percent), "reason": c.reason.value}
            for c in line.categories
        ],
        "quantity": line.quantity,
        "line_total": str(line.line_total),
    }


def _offer_data(line: PricedLine) -> dict[str, Any] | None:
    if line.offer is None:
        return None
    return {"id": line.offer.offer_id, "name": line.offer.name, "price": str(line.offer.price)}


def _manual_data(line: PricedLine, approved_by: str) -> dict[str, Any] | None:
    if line.manual is None:
        return None
    return {
        "percent": str(line.manual.percent),
        "by": line.manual.staff_name,
        "reason": line.manual.reason,
        "outcome": line.manual_outcome.value if line.manual_outcome else "",
        "approved_by": approved_by if line.discount_source is DiscountSource.MANUAL else "",
    }


def price_note(price_source: str, offer_name: str, group_name: str) -> str:
    """Where the unit price came from: "Offer “Summer”", "Group price Club", "List price"."""
    if offer_name:
        return _("Offer “{name}”").format(name=offer_name)
    if price_source == PriceSource.GROUP.value:
        return _("Group price {group}").format(group=group_name).strip()
    return _("List price")


@lru_cache(maxsize=512)
def _percent_text(language: str, percent: Decimal) -> str:
    """``format_percent`` remembered per language: it parses the locale on every call, once per sale line."""
    return format_percent(percent)


def discount_note(source: str, percent: Decimal, category_name: str) -> str:
    """Where the discount came from: "−10 % Student", "−15 % manual discount", or ''."""
    if source == DiscountSource.CATEGORY.value:
        return f"−{_percent_text(language(), percent)} {category_name}"
    if source == DiscountSource.MANUAL.value:
        return _("−{percent} manual discount").format(percent=_percent_text(language(), percent))
    return ""


def explain(why: dict[str, Any]) -> list[str]:
    """The reasons in sentences, in the order the engine applies its rules."""
    if not why:
        return [_("No explanation was stored with this line.")]
    sentences = [_base_sentence(why)]
    if why.get("offer"):
        offer = why["offer"]
        sentences.append(
            _("Special offer “{name}”: {price} instead of {base}.").format(
                name=offer["name"],
                price=format_money(Decimal(offer["price"])),
                base=format_money(Decimal(why["base_price"])),
            )
        )
    sentences.extend(_category_sentences(why))
    sentences.extend(_manual_sentences(why))
    sentences.append(_result_sentence(why))
    return sentences


def _base_sentence(why: dict[str, Any]) -> str:
    base = format_money(Decimal(why["base_price"]))
    if why["price_source"] == PriceSource.GROUP.value:
        return _("Group price of “{group}”: {price} (list price {list}).").format(
            group=why.get("group", ""), price=base, list=format_money(Decimal(why["list_price"]))
        )
    return _("List price: {price}.").format(price=base)


def _category_sentences(why: dict[str, Any]) -> list[str]:
    if why.get("no_discounts"):
        return [_("This item takes no discounts (e.g. a voucher or deposit).")]
    categories = why.get("categories", [])
    if not categories:
        return [_("The client has no category with a discount.")]
    return [
        _("Category “{name}” ({percent}): {reason}.").format(
            name=c["name"],
            percent=format_percent(Decimal(c["percent"])),
            reason=_(_REASONS.get(c["reason"], c["reason"])),
        )
        for c in categories
    ]


def _manual_sentences(why: dict[str, Any]) -> list[str]:
    manual = why.get("manual")
    if not manual:
        return []
    text = _("Manual discount {percent} by {name} ({reason}): {outcome}.").format(
        percent=format_percent(Decimal(manual["percent"])),
        name=manual["by"],
        reason=manual["reason"] or _("no reason given"),
        outcome=_(_MANUAL.get(manual["outcome"], manual["outcome"])),
    )
    if manual.get("approved_by"):
        text += " " + _("Approved by {name}.").format(name=manual["approved_by"])
    return [text]


def _result_sentence(why: dict[str, Any]) -> str:
    percent = Decimal(why["discount_percent"])
    total = format_money(Decimal(why["line_total"]))
    unit = format_money(Decimal(why["unit_price"]))
    if percent:
        return _("{quantity} × {unit} less {percent} = {total} (rounded to the cent).").format(
            quantity=why["quantity"], unit=unit, percent=format_percent(percent), total=total
        )
    return _("{quantity} × {unit} = {total}, no discount.").format(quantity=why["quantity"], unit=unit, total=total)
