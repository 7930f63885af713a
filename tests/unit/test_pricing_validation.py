"""Input checks of the discount engine and its independence from Qt and the database."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.pricing import (
    CategoryMembershipInfo,
    LineInput,
    ManualDiscount,
    SpecialOffer,
    price_sale,
)

D = Decimal
SALE_DAY = date(2025, 3, 14)


def make_line(**overrides: Any) -> LineInput:
    """A valid service line with some fields replaced."""
    fields: dict[str, Any] = {
        "item_id": 1,
        "name": "Schnitt",
        "kind": ItemKind.SERVICE,
        "quantity": 1,
        "list_price": D("30.00"),
        "vat_rate": D("19"),
    }
    fields.update(overrides)
    return LineInput(**fields)


def make_membership(**overrides: Any) -> CategoryMembershipInfo:
    """A valid 10 % membership with some fields replaced."""
    fields: dict[str, Any] = {
        "category_id": 1,
        "name": "Stammkunde",
        "percent": D("10"),
        "scope": DiscountScope.BOTH,
        "applies_to_offers": False,
    }
    fields.update(overrides)
    return CategoryMembershipInfo(**fields)


def make_offer(**overrides: Any) -> SpecialOffer:
    """A valid 20 % offer with some fields replaced."""
    fields: dict[str, Any] = {
        "offer_id": 1,
        "name": "Aktion",
        "item_id": 1,
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2025, 3, 31),
        "percent_off": D("20"),
    }
    fields.update(overrides)
    return SpecialOffer(**fields)


def test_valid_inputs_are_accepted() -> None:
    line = make_line(group_price=D("25"), offers=[make_offer()], quantity=3)
    assert line.offers == (make_offer(),)  # a list is kept as a tuple
    assert make_membership(percent=D("0.01")).percent == D("0.01")
    assert make_membership(percent=D("100.00")).percent == D("100")
    assert ManualDiscount(D("0"), "Anna", "").percent == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": 0}, "quantity of line 'Schnitt' must be at least 1"),
        ({"quantity": -2}, "must be at least 1"),
        (
            {"list_price": D("-0.01")},
            "list price of line 'Schnitt' must not be negative",
        ),
        ({"list_price": D("9.999")}, "must be in whole cents"),
        ({"list_price": D("NaN")}, "must be a finite number"),
        ({"list_price": D("Infinity")}, "must be a finite number"),
        (
            {"group_price": D("-1")},
            "group price of line 'Schnitt' must not be negative",
        ),
        ({"vat_rate": D("-7")}, "VAT rate of line 'Schnitt' must be between 0 and 100"),
        ({"vat_rate": D("101")}, "must be between 0 and 100"),
    ],
)
def test_bad_line_is_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_line(**overrides)


@pytest.mark.parametrize(
    "overrides",
    [
        {"quantity": 1.0},
        {"quantity": True},
        {"list_price": 12.5},
        {"list_price": 12},
        {"vat_rate": 19.0},
        {"kind": "service"},
    ],
)
def test_wrong_types_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        make_line(**overrides)


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        ("0", "between 0.01 and 100"),
        ("-5", "between 0.01 and 100"),
        ("100.01", "between 0.01 and 100"),
        ("12.345", "at most two decimals"),
    ],
)
def test_bad_category_percent_is_refused(percent: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_membership(percent=D(percent))


def test_category_scope_must_be_a_discount_scope() -> None:
    with pytest.raises(TypeError, match="DiscountScope"):
        make_membership(scope="both")


@pytest.mark.parametrize("percent", ["-0.01", "100.01", "7.125"])
def test_bad_manual_percent_is_refused(percent: str) -> None:
    with pytest.raises(ValueError, match="manual discount percent"):
        ManualDiscount(D(percent), "Anna", "Kulanz")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"price": D("10.00")}, "either a price or a percentage off"),
        ({"percent_off": None}, "either a price or a percentage off"),
        ({"percent_off": D("120")}, "percentage off of special offer 'Aktion'"),
        ({"percent_off": None, "price": D("-3")}, "price of special offer"),
        ({"ends_on": date(2025, 2, 28)}, "ends on 2025-02-28 before it starts"),
    ],
)
def test_bad_offer_is_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_offer(**overrides)


def test_category_listed_twice_is_refused() -> None:
    twice = [make_membership(), make_membership(name="Doppelt")]
    with pytest.raises(ValueError, match="category 1 is listed twice"):
        price_sale([make_line()], twice, SALE_DAY)


def test_inputs_are_frozen() -> None:
    line = make_line()
    with pytest.raises(AttributeError):
        line.quantity = 5  # type: ignore[misc]


def test_engine_imports_only_the_standard_library_and_kinds() -> None:
    allowed_roots = {"__future__", "collections", "dataclasses", "datetime"}
    allowed_roots |= {"decimal", "enum", "itertools", "typing"}
    package = resources.files("salon_desk.pricing")
    modules = [p for p in package.iterdir() if p.name.endswith(".py")]
    assert len(modules) >= 2
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                ok = name.split(".")[0] in allowed_roots or name.startswith(
                    ("salon_desk.pricing", "salon_desk.kinds")
                )
                assert ok, f"{module.name} imports {name}"
