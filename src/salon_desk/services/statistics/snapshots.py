"""Keeping with each sale the categories and the group its client had, inside the sale's transaction.

The checkout calls ``record_sale`` once it has written a sale's lines and
``record_cancellation`` once it has written a reversing sale; both add to the
running totals in the same transaction, so the statistics never miss a sale nor
count one that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from salon_desk.models import Sale, SaleCategory, SaleSnapshot
from salon_desk.services.statistics.totals import ZERO, SaleFacts, Writes, add_sale, day_value, run_driver_sql

CATEGORY_SOURCE = "category"
# Sent to the driver as they are (see totals.Writes): a sale should cost as little extra as possible.
_CATEGORIES_SQL = (
    "SELECT k.id, k.name FROM client_categories m JOIN categories k ON k.id = m.category_id "
    "WHERE m.client_id = {mark} AND (m.valid_until IS NULL OR m.valid_until >= {mark})"
)
_SNAPSHOT_SQL = (
    "INSERT INTO sale_snapshots (sale_id, sold_on, sign, client_id, group_id, group_name, backfilled) VALUES {rows}"
)
_SALE_CATEGORIES_SQL = (
    "INSERT INTO sale_categories (sale_id, category_id, name, discount, sold_on, client_id, sign) VALUES {rows}"
)


def sale_day(sale: Sale) -> date:
    """The local day a sale was completed on (the workstation's time zone)."""
    return sale.completed_at.astimezone().date()


def client_categories(session: Session, client_id: int, day: date) -> dict[int, str]:
    """The client's categories valid on ``day`` (expired memberships do not count), id → name."""
    rows = run_driver_sql(session, _CATEGORIES_SQL, (client_id, day_value(session, day)))
    return {category_id: name for category_id, name in rows}


def category_discounts(lines: Iterable[Mapping[str, Any]]) -> dict[int, Decimal]:
    """The discount each category gave on the written lines of a sale."""
    given: dict[int, Decimal] = {}
    for line in lines:
        if line["discount_source"] == CATEGORY_SOURCE and line["category_id"] is not None:
            given[line["category_id"]] = given.get(line["category_id"], ZERO) + line["discount_amount"]
    return given


def record_sale(
    session: Session,
    sale: Sale,
    group_id: int | None,
    lines: Iterable[Mapping[str, Any]],
    held: Iterable[tuple[int, str, date | None]] | None = None,
) -> None:
    """Keep the client's categories and group with ``sale`` and add it to the totals.

    ``held``: the client's categories (id, name, valid until) as the checkout read them in
    the same transaction; without them they are read here.
    """
    day = sale_day(sale)
    if sale.client_id is None:
        names: dict[int, str] = {}
    elif held is not None:
        names = {category_id: name for category_id, name, until in held if until is None or until >= day}
    else:
        names = client_categories(session, sale.client_id, day)
    given = category_discounts(lines)
    discounts = {category_id: given.get(category_id, ZERO) for category_id in names}
    _write(session, sale, day, 1, group_id, names, discounts)


def record_cancellation(session: Session, original_id: int, reversal: Sale) -> None:
    """Count ``reversal`` against the day, the categories and the group of the sale it reverses."""
    original = session.get(SaleSnapshot, original_id)
    if original is None:  # a sale from before the statistics existed and the migration ran
        return
    rows = session.execute(
        select(SaleCategory.category_id, SaleCategory.name, SaleCategory.discount).where(
            SaleCategory.sale_id == original_id
        )
    ).all()
    names = {category_id: name for category_id, name, _discount in rows}
    discounts = {category_id: -discount for category_id, _name, discount in rows}
    writes = Writes(session)
    _snapshot(writes, reversal.id, original.sold_on, -1, original.client_id, original.group_id, original.group_name)
    _categories(writes, (reversal.id, original.sold_on, original.client_id, -1), names, discounts)
    add_sale(writes, _facts(reversal, original.sold_on, -1, original.client_id, original.group_id, discounts))
    writes.run()


def _write(
    session: Session,
    sale: Sale,
    day: date,
    sign: int,
    group_id: int | None,
    names: dict[int, str],
    discounts: dict[int, Decimal],
) -> None:
    writes = Writes(session)
    _snapshot(writes, sale.id, day, sign, sale.client_id, group_id, sale.group_name if group_id is not None else "")
    _categories(writes, (sale.id, day, sale.client_id, sign), names, discounts)
    add_sale(writes, _facts(sale, day, sign, sale.client_id, group_id, discounts))
    writes.run()


def _snapshot(
    writes: Writes, sale_id: int, day: date, sign: int, client_id: int | None, group_id: int | None, group: str
) -> None:
    row = (sale_id, day_value(writes.session, day), sign, client_id, group_id, group, False)
    writes.insert(_SNAPSHOT_SQL, 7, [row])


def _categories(
    writes: Writes, sale: tuple[int, date, int | None, int], names: dict[int, str], discounts: dict[int, Decimal]
) -> None:
    """The sale's categories; ``sale`` is its id, day, client and sign."""
    sale_id, day, client_id, sign = sale
    day_text = day_value(writes.session, day)
    rows = [
        (sale_id, category_id, name, int(discounts[category_id] * 100), day_text, client_id, sign)
        for category_id, name in names.items()
    ]
    writes.insert(_SALE_CATEGORIES_SQL, 7, rows)


def _facts(
    sale: Sale, day: date, sign: int, client_id: int | None, group_id: int | None, discounts: dict[int, Decimal]
) -> SaleFacts:
    return SaleFacts(
        day=day,
        sign=sign,
        client_id=client_id,
        group_id=group_id,
        gross=sale.total_gross,
        net=sale.total_net,
        discount=sale.total_discount,
        category_discounts=discounts,
    )
