"""The checkout's database work: loading what the engine needs, numbering receipts, writing lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from salon_desk.errors import ConflictError, PermissionDeniedError, ValidationError
from salon_desk.i18n import _
from salon_desk.models import (
    CatalogItem,
    Category,
    Client,
    ClientCategory,
    CustomerGroup,
    GroupPrice,
    ItemGroupRestriction,
    ReceiptCounter,
    Sale,
    SaleLine,
    SaleVat,
    SpecialOffer,
    SpecialOfferItem,
    StaffMember,
    utcnow,
)
from salon_desk.models.staff import Role
from salon_desk.pricing import (
    CategoryMembershipInfo,
    DiscountSource,
    LineInput,
    ManualDiscount,
    PricedLine,
    SaleQuote,
)
from salon_desk.pricing import SpecialOffer as OfferInput
from salon_desk.services.common import require
from salon_desk.services.checkout.why_price import discount_note, why_data

if TYPE_CHECKING:
    from salon_desk.services.staff.approval import Approval

COUNTER_ID = 1
MAX_QUANTITY = 999


class RestrictedItemError(ValidationError):
    """An item restricted to some groups was rung up for a client outside them."""


class CartLineLike(Protocol):
    """What ``load_inputs`` reads of a cart line."""

    item_id: int
    quantity: int
    manual: ManualDiscount | None


@dataclass(frozen=True)
class CheckoutInputs:
    """Everything the engine needs for one cart, and the client's names for the snapshot."""

    client_id: int | None
    client_name: str
    group_id: int | None
    group_name: str
    lines: list[LineInput]
    memberships: list[CategoryMembershipInfo]
    categories: tuple[tuple[int, str, date | None], ...] = ()
    """Every category the client holds (id, name, valid until), for the sale's statistics."""


def display_name(first_name: str, last_name: str) -> str:
    """The name as receipts show it, "Anna Müller"; just the one name when the other is empty."""
    return " ".join(part for part in (first_name, last_name) if part)


def client_display_name(client: Client) -> str:
    """The client's name as receipts show it."""
    return display_name(client.first_name, client.last_name)


def load_inputs(session: Session, client_id: int | None, cart: Sequence[CartLineLike], when: date) -> CheckoutInputs:
    """The engine's inputs for ``cart``; refuses unknown, inactive and restricted items naming the line."""
    client_name, group_id, group_name = "", None, ""
    if client_id is not None:
        row = session.execute(
            select(Client.first_name, Client.last_name, Client.group_id, CustomerGroup.name)
            .outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
            .where(Client.id == client_id)
        ).first()
        first, last, group_id, group = require(row, _("The client"))  # type: ignore[misc]
        client_name, group_name = display_name(first, last), group or ""
    item_ids = {line.item_id for line in cart}
    items = {i.id: i for i in session.scalars(select(CatalogItem).where(CatalogItem.id.in_(item_ids)))}
    _check_lines(session, cart, items, group_id, client_id is not None)
    prices = _group_prices(session, group_id, item_ids)
    offers = _offers(session, item_ids, when)
    lines = [
        LineInput(
            item_id=item.id,
            name=item.name,
            kind=item.kind,
            quantity=line.quantity,
            list_price=item.price,
            vat_rate=item.vat_rate,
            no_discounts=item.no_discounts,
            group_price=prices.get(item.id),
            offers=tuple(offers.get(item.id, ())),
            manual=line.manual,
        )
        for line in cart
        for item in (items[line.item_id],)
    ]
    memberships, categories = _memberships(session, client_id) if client_id is not None else ([], ())
    return CheckoutInputs(client_id, client_name, group_id, group_name, lines, memberships, categories)


def _check_lines(
    session: Session,
    cart: Sequence[CartLineLike],
    items: dict[int, CatalogItem],
    group_id: int | None,
    has_client: bool,
) -> None:
    allowed = restrictions(session, set(items))
    for index, line in enumerate(cart, start=1):
        where = f"lines[{index}]"
        if (
            isinstance(line.quantity, bool)
            or not isinstance(line.quantity, int)
            or not 1 <= line.quantity <= MAX_QUANTITY
        ):
            raise ValidationError(
                _("The quantity must be a whole number from 1 to {max}.").format(max=MAX_QUANTITY), where
            )
        item = items.get(line.item_id)
        if item is None:
            raise ValidationError(_("An item in the sale no longer exists; please remove it."), where)
        if not item.active:
            raise ValidationError(_("“{name}” is no longer sold; please remove it.").format(name=item.name), where)
        groups = allowed.get(item.id)
        if groups and group_id not in groups:
            raise _restricted(item.name, sorted(groups.values()), where, has_client)


def _restricted(item: str, groups: list[str], where: str, has_client: bool) -> ValidationError:
    names = ", ".join(f"“{g}”" for g in groups)
    if not has_client:
        message = _("“{item}” is sold only to members of {groups}. Choose the client first.")
    else:
        message = _("“{item}” is sold only to members of {groups}; this client is not a member.")
    return RestrictedItemError(message.format(item=item, groups=names), where)


def restrictions(session: Session, item_ids: set[int]) -> dict[int, dict[int, str]]:
    """For each restricted item: the groups allowed to buy it, id → name."""
    rows = session.execute(
        select(ItemGroupRestriction.item_id, CustomerGroup.id, CustomerGroup.name)
        .join(CustomerGroup, CustomerGroup.id == ItemGroupRestriction.group_id)
        .where(ItemGroupRestriction.item_id.in_(item_ids))
    )
    allowed: dict[int, dict[int, str]] = {}
    for item_id, group_id, name in rows:
        allowed.setdefault(item_id, {})[group_id] = name
    return allowed


def _group_prices(session: Session, group_id: int | None, item_ids: set[int]) -> dict[int, Any]:
    if group_id is None:
        return {}
    rows = session.execute(
        select(GroupPrice.item_id, GroupPrice.price).where(
            GroupPrice.group_id == group_id, GroupPrice.item_id.in_(item_ids)
        )
    )
    return {item_id: price for item_id, price in rows}


def _offers(session: Session, item_ids: set[int], when: date) -> dict[int, list[OfferInput]]:
    rows = session.execute(
        select(SpecialOffer, SpecialOfferItem.item_id)
        .join(SpecialOfferItem, SpecialOfferItem.offer_id == SpecialOffer.id)
        .where(SpecialOfferItem.item_id.in_(item_ids), SpecialOffer.starts_on <= when, SpecialOffer.ends_on >= when)
    )
    offers: dict[int, list[OfferInput]] = {}
    for offer, item_id in rows:
        offers.setdefault(item_id, []).append(
            OfferInput(
                offer_id=offer.id,
                name=offer.name,
                item_id=item_id,
                starts_on=offer.starts_on,
                ends_on=offer.ends_on,
                price=offer.offer_price,
                percent_off=offer.percent_off,
            )
        )
    return offers


def _memberships(
    session: Session, client_id: int
) -> tuple[list[CategoryMembershipInfo], tuple[tuple[int, str, date | None], ...]]:
    """The client's discounted memberships for the engine, and every category held for the statistics.

    Discounted memberships include expired ones (the engine reports them); both come from one query.
    """
    rows = session.execute(
        select(
            Category.id, Category.name, Category.discount_percent, Category.discount_scope,
            Category.applies_to_offers, ClientCategory.valid_until,
        )
        .join(ClientCategory, ClientCategory.category_id == Category.id)
        .where(ClientCategory.client_id == client_id)
    ).all()  # fmt: skip
    discounted = [
        CategoryMembershipInfo(
            category_id=category_id,
            name=name,
            percent=percent,
            scope=scope,
            applies_to_offers=applies_to_offers,
            valid_until=valid_until,
        )
        for category_id, name, percent, scope, applies_to_offers, valid_until in rows
        if percent is not None
    ]
    return discounted, tuple((category_id, name, valid_until) for category_id, name, *_rest, valid_until in rows)


# -- receipt numbers --------------------------------------------------------------------


def _increment(session: Session) -> int | None:
    statement = (
        update(ReceiptCounter)
        .where(ReceiptCounter.id == COUNTER_ID)
        .values(last_number=ReceiptCounter.last_number + 1)
        .returning(ReceiptCounter.last_number)
    )
    return session.execute(statement, execution_options={"synchronize_session": False}).scalar_one_or_none()


def next_receipt_number(session: Session) -> int:
    """The next receipt number, taken inside the sale's transaction.

    The UPDATE locks the counter row until the transaction ends, so a second
    workstation waits and then reads the committed number: no number is given
    twice, and a rolled-back sale gives its number back. A missing row is
    created with INSERT ... ON CONFLICT DO NOTHING, so two first sales racing
    each other both end up incrementing the one row.
    """
    number = _increment(session)
    if number is not None:
        return number
    dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        dialect_insert(ReceiptCounter)
        .values(id=COUNTER_ID, last_number=0)
        .on_conflict_do_nothing(index_elements=[ReceiptCounter.id])
    )
    number = _increment(session)
    assert number is not None
    return number


# -- lines ------------------------------------------------------------------------------


def _line_row(sale_id: int, position: int, line: PricedLine, group_name: str, approved_by: str) -> dict[str, Any]:
    manual = line.manual if line.discount_source is DiscountSource.MANUAL else None
    category = line.discount_category
    return {
        "sale_id": sale_id,
        "position": position,
        "item_id": line.item_id,
        "item_name": line.item_name,
        "item_kind": line.kind,
        "quantity": line.quantity,
        "list_price": line.list_price,
        "base_price": line.base_price,
        "price_source": line.price_source.value,
        "offer_name": line.offer.name if line.offer else "",
        "unit_price": line.unit_price,
        "discount_percent": line.discount_percent,
        "discount_source": line.discount_source.value,
        "discount_label": discount_note(
            line.discount_source.value, line.discount_percent, category.name if category else ""
        ),
        "category_id": category.category_id if category else None,
        "category_name": category.name if category else "",
        "manual_by": manual.staff_name if manual else "",
        "manual_reason": manual.reason if manual else "",
        "discount_amount": line.discount_amount,
        "line_total": line.line_total,
        "vat_rate": line.vat_rate,
        "why": json.dumps(why_data(line, group_name, approved_by), ensure_ascii=False),
    }


def write_lines(
    session: Session, sale_id: int, quote: SaleQuote, group_name: str, approval: Approval | None
) -> list[dict[str, Any]]:
    """Store every priced line with its snapshot and its “why this price”; returns the rows written."""
    approved_by = approval.manager_name if approval is not None else ""
    rows = [_line_row(sale_id, i, line, group_name, approved_by) for i, line in enumerate(quote.lines, start=1)]
    if rows:
        session.execute(insert(SaleLine), rows)
    return rows


_NEGATED_LINE = ("quantity", "discount_amount", "line_total")
_COPIED_LINE = tuple(c.key for c in SaleLine.__table__.columns if c.key not in ("id", "sale_id", *_NEGATED_LINE))


def write_reversal_lines(session: Session, original_id: int, reversal_id: int) -> None:
    """Copy the original's lines and VAT with the quantities and amounts negated."""
    lines = session.scalars(select(SaleLine).where(SaleLine.sale_id == original_id).order_by(SaleLine.position))
    rows = [
        {
            "sale_id": reversal_id,
            **{k: getattr(line, k) for k in _COPIED_LINE},
            **{k: -getattr(line, k) for k in _NEGATED_LINE},
        }
        for line in lines
    ]
    if rows:
        session.execute(insert(SaleLine), rows)
    vat = session.scalars(select(SaleVat).where(SaleVat.sale_id == original_id))
    vat_rows = [{"sale_id": reversal_id, "rate": v.rate, "gross": -v.gross, "vat": -v.vat, "net": -v.net} for v in vat]
    if vat_rows:
        session.execute(insert(SaleVat), vat_rows)


# -- cancelling ------------------------------------------------------------------------


def check_cancellable(session: Session, original: Sale) -> None:
    """Refuse to cancel a cancellation, or a sale cancelled before."""
    if original.reverses_sale_id is not None:
        raise ValidationError(
            _("Receipt no. {number} is itself a cancellation and cannot be cancelled.").format(number=original.number),
            "sale",
        )
    other = session.scalar(select(Sale.number).where(Sale.reverses_sale_id == original.id))
    if other is not None:
        raise ConflictError(
            _("Receipt no. {number} was already cancelled by receipt no. {other}.").format(
                number=original.number, other=other
            ),
            "sale",
        )


def reversal_of(original: Sale, number: int, staff_id: int | None, staff_name: str) -> Sale:
    """The reversing sale of ``original``: its totals negated, referencing it."""
    now = utcnow()
    return Sale(
        number=number,
        client_id=original.client_id,
        client_name=original.client_name,
        group_name=original.group_name,
        staff_id=staff_id,
        staff_name=staff_name,
        started_at=now,
        completed_at=now,
        payment_method=original.payment_method,
        given=None,
        change=None,
        total_gross=-original.total_gross,
        total_net=-original.total_net,
        total_vat=-original.total_vat,
        total_discount=-original.total_discount,
        reverses_sale_id=original.id,
    )


def check_approval(session: Session, approval: Approval) -> None:
    """Refuse an approval whose manager is no longer an active manager (read inside the sale's transaction)."""
    manager = session.get(StaffMember, approval.manager_id)
    if manager is None or not manager.active or manager.role is not Role.MANAGER:
        raise PermissionDeniedError(_("Only a manager can approve this."), "approval")
