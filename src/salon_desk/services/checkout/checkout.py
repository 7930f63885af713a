"""Checkout: price a cart with the discount engine, then store it as an immutable, gaplessly numbered sale.

``quote`` loads what the engine needs (group prices, active offers, the client's
discounted memberships) and prices the cart; ``complete`` does the same again
inside the sale's one transaction, takes the next receipt number from the
counter row (an UPDATE ... RETURNING, which locks the row until commit, so two
workstations on PostgreSQL never share or skip a number) and writes the sale
with every line's snapshot. ``cancel`` writes a reversing sale: once committed,
a sale is never changed or deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import event, func, or_, select, update
from sqlalchemy.orm import Session

from salon_desk.errors import SalonError, StorageError, ValidationError
from salon_desk.i18n import _, format_money, format_percent
from salon_desk.models import (
    AppMeta,
    CatalogItem,
    Client,
    PaymentMethod,
    Sale,
    SaleLine,
    SaleVat,
    utcnow,
)
from salon_desk.pricing import ManualDiscount, SaleQuote, price_sale
from salon_desk.services.staff import audit
from salon_desk.services import events
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.checkout.checkout_lookup import (
    CheckoutClient,
    ClientHit,
    MembershipView,
    SellableItem,
    find_clients,
    load_client,
    sellable_items,
)
from salon_desk.services.checkout.checkout_store import (
    CheckoutInputs,
    RestrictedItemError,
    check_approval,
    check_cancellable,
    load_inputs,
    next_receipt_number,
    reversal_of,
    write_lines,
    write_reversal_lines,
)
from salon_desk.services.common import Service, require, store_meta
from salon_desk.services.permissions import Permission
from salon_desk.services.checkout.sale_records import (
    SaleFilter,
    SaleRecord,
    SaleSummary,
    SaleVatRecord,
    load_record,
    new_record,
    summaries_query,
    summary_of,
)
from salon_desk.services.staff.approval import Approval, ApprovalPurpose, ledger_for
from salon_desk.services.staff.staff import StaffService
from salon_desk.services.checkout.signing import abort as signing_abort
from salon_desk.services.checkout.signing import begin as signing_begin
from salon_desk.services.checkout.signing import sign_with_sale, with_signature
from salon_desk.services.statistics.snapshots import record_cancellation, record_sale
from salon_desk.services.checkout.tse import NoTse, TseAdapter, TseReceiptData

MAX_GIVEN = Decimal("99999.99")
BUSINESS_KEYS = ("business_name", "business_address", "tax_number")


@dataclass(frozen=True)
class CartLine:
    """One item in the cart: how many, and an optional manual discount on this line."""

    item_id: int
    quantity: int = 1
    manual: ManualDiscount | None = None


@dataclass(frozen=True)
class Cart:
    """What the clerk rang up: lines, a manual discount on the whole sale, when ringing up began."""

    lines: tuple[CartLine, ...]
    sale_manual: ManualDiscount | None = None
    started_at: datetime | None = None


@dataclass(frozen=True)
class Payment:
    """How the client pays; ``given`` is the cash handed over (None for card, or cash paid exactly)."""

    method: PaymentMethod
    given: Decimal | None = None


@dataclass(frozen=True)
class BusinessInfo:
    """The salon's name, address and tax number as printed on receipts."""

    name: str
    address: str
    tax_number: str


class ApprovalRequiredError(SalonError):
    """A manager must approve: a manual discount above the clerk's limit, or a cancellation."""

    def __init__(self, message: str, percent: Decimal | None = None, limit: Decimal | None = None) -> None:
        super().__init__(message, "approval")
        self.percent = percent
        self.limit = limit


@event.listens_for(Sale, "before_delete")
@event.listens_for(SaleLine, "before_delete")
@event.listens_for(SaleVat, "before_delete")
def _refuse_delete(_mapper: object, _connection: object, target: object) -> None:
    """Sales are kept for the legal retention period (GoBD): never deleted."""
    raise SalonError(_("Sales are never deleted; cancel a sale instead."))


def local_today() -> date:
    """Today's date at this workstation."""
    return datetime.now().astimezone().date()


class CheckoutService(Service):
    """Quote carts, complete sales, cancel them, and read them back."""

    tse: TseAdapter = NoTse()

    # -- pricing --------------------------------------------------------------------

    def quote(
        self,
        client_id: int | None,
        lines: Sequence[CartLine],
        sale_manual: ManualDiscount | None = None,
        sale_date: date | None = None,
    ) -> SaleQuote:
        """Price the cart for the client (or for nobody) on ``sale_date`` (default today)."""
        when = sale_date or local_today()
        with self.db.read() as session:
            inputs = load_inputs(session, client_id, lines, when)
            return price_sale(inputs.lines, inputs.memberships, when, sale_manual)

    def refusal(self, client_id: int | None, item_id: int) -> str:
        """Why the item cannot be sold to this client ('' when it can), checked before adding it."""
        try:
            self.quote(client_id, [CartLine(item_id)])
        except RestrictedItemError as exc:
            return exc.message
        return ""

    def manual_limit(self) -> Decimal | None:
        """The highest manual discount the signed-in person may give alone; None: no limit."""
        role = self.actor.role
        if role is None:
            return None
        return StaffService(self.db, self.workstation).manual_discount_limit(role)

    # -- selling --------------------------------------------------------------------

    def complete(
        self,
        client_id: int | None,
        cart: Cart,
        payment: Payment,
        approval: Approval | None = None,
        tse: TseAdapter | None = None,
    ) -> SaleRecord:
        """Store the sale in one transaction, then sign it on the TSE with no transaction open.

        A failure before the sale is committed leaves no trace of it (its TSE transaction
        is recorded as aborted); a TSE that fails does not stop the sale (see checkout.signing).
        """
        self.require(Permission.SELL)
        if not cart.lines:
            raise ValidationError(_("Add at least one item to the sale."), "lines")
        when = local_today()
        limit = self.manual_limit()
        signing = signing_begin(tse or self.tse)
        try:
            with self.transaction(_("The sale")) as session:
                inputs = load_inputs(session, client_id, cart.lines, when)
                quote = price_sale(inputs.lines, inputs.memberships, when, cart.sale_manual)
                _check_manual(quote, limit, approval)
                approved = approval is not None and quote.max_manual_percent is not None
                if approved:
                    assert approval is not None and quote.max_manual_percent is not None
                    ledger_for(self.db).check(approval, ApprovalPurpose.MANUAL_DISCOUNT, quote.max_manual_percent)
                    check_approval(session, approval)
                given, change = settle(payment, quote.gross)
                sale = self._new_sale(session, inputs, cart, payment, given, change, quote)
                sale.tse_status = signing.initial_status
                rows = write_lines(session, sale.id, quote, inputs.group_name, approval if approved else None)
                record_sale(session, sale, inputs.group_id, rows, inputs.categories)
                _touch_client(session, client_id, when)
                events.fire(session, events.Event.SALE_COMPLETED, [client_id], sale_id=sale.id)
                if approved:
                    assert approval is not None
                    self._audit_manual(session, sale, quote, approval)
                vat_amounts = tuple((v.rate, v.gross) for v in quote.vat_lines)
                data = TseReceiptData(sale.number, sale.total_gross, payment.method.value, None, vat_amounts)
                signature = sign_with_sale(session, sale, signing, data)
                session.flush()
                vat = [SaleVatRecord(v.rate, v.gross, v.vat, v.net) for v in quote.vat_lines]
                record = new_record(sale, rows, vat)
        except StorageError as exc:  # the cashier must know: nothing was sold
            signing_abort(self.db, signing, exc)
            raise StorageError(_("The sale was not completed: {reason}").format(reason=exc.message)) from exc
        except BaseException as exc:
            signing_abort(self.db, signing, exc)
            raise
        if approved:
            assert approval is not None
            ledger_for(self.db).spend(approval)
        return with_signature(self.db, record, signing, signature, data)

    def _new_sale(
        self,
        session: Session,
        inputs: CheckoutInputs,
        cart: Cart,
        payment: Payment,
        given: Decimal | None,
        change: Decimal | None,
        quote: SaleQuote,
    ) -> Sale:
        now = utcnow()
        sale = Sale(
            number=next_receipt_number(session),
            client_id=inputs.client_id,
            client_name=inputs.client_name,
            group_name=inputs.group_name,
            staff_id=self.actor.staff_id,
            staff_name=self.actor.name,
            started_at=min(cart.started_at or now, now),
            completed_at=now,
            payment_method=payment.method,
            given=given,
            change=change,
            total_gross=quote.gross,
            total_net=quote.net,
            total_vat=quote.vat,
            total_discount=quote.total_discount,
        )
        session.add(sale)
        session.flush()
        for vat_line in quote.vat_lines:
            session.add(
                SaleVat(sale_id=sale.id, rate=vat_line.rate, gross=vat_line.gross, vat=vat_line.vat, net=vat_line.net)
            )
        return sale

    def _audit_manual(self, session: Session, sale: Sale, quote: SaleQuote, approval: Approval) -> None:
        granted = [
            {"item": line.item_name, "percent": str(line.discount_percent)}
            for line in quote.lines
            if line.applied_manual_percent is not None
        ]
        audit.record(
            session,
            self.actor,
            Action.MANUAL_DISCOUNT,
            Entity.SALE,
            sale.id,
            after={"number": sale.number, "lines": granted},
            reason=approval.reason,
            approval=approval,
        )

    # -- cancelling -----------------------------------------------------------------

    def cancel(self, sale_id: int, approval: Approval | None, tse: TseAdapter | None = None) -> SaleRecord:
        """Write the reversing sale of ``sale_id``; a manager's approval (with its reason) is required."""
        self.require(Permission.SELL)
        if approval is None:
            raise ApprovalRequiredError(_("Cancelling a sale needs a manager's approval."))
        ledger = ledger_for(self.db)
        signing = signing_begin(tse or self.tse)
        try:
            with self.transaction(_("The sale")) as session:
                ledger.verify(approval, ApprovalPurpose.CANCEL_SALE, str(sale_id))
                check_approval(session, approval)
                original = session.scalars(select(Sale).where(Sale.id == sale_id).with_for_update()).first()
                original = require(original, _("The sale"))
                assert isinstance(original, Sale)
                check_cancellable(session, original)
                ledger.check_unspent(approval)
                reversal = reversal_of(original, next_receipt_number(session), self.actor.staff_id, self.actor.name)
                reversal.cancel_reason = approval.reason
                reversal.tse_status = signing.initial_status
                session.add(reversal)
                session.flush()
                write_reversal_lines(session, original.id, reversal.id)
                record_cancellation(session, original.id, reversal)
                self._audit_cancel(session, original, reversal, approval)
                vat_amounts = tuple(
                    (v.rate, -v.gross) for v in session.scalars(select(SaleVat).where(SaleVat.sale_id == original.id))
                )
                data = TseReceiptData(
                    reversal.number, reversal.total_gross, reversal.payment_method.value, original.number, vat_amounts
                )
                signature = sign_with_sale(session, reversal, signing, data)
                session.flush()
                record = load_record(session, reversal)
        except BaseException as exc:
            signing_abort(self.db, signing, exc)
            raise
        ledger.spend(approval)
        return with_signature(self.db, record, signing, signature, data)

    def _audit_cancel(self, session: Session, original: Sale, reversal: Sale, approval: Approval) -> None:
        audit.record(
            session,
            self.actor,
            Action.CANCEL,
            Entity.SALE,
            original.id,
            before={"number": original.number, "total": str(original.total_gross)},
            after={"reversal_id": reversal.id, "number": reversal.number, "total": str(reversal.total_gross)},
            reason=approval.reason,
            approval=approval,
        )

    # -- reading --------------------------------------------------------------------

    def get_sale(self, sale_id: int) -> SaleRecord:
        """One stored sale with its lines, VAT and cancellation links."""
        with self.db.read() as session:
            sale = require(session.get(Sale, sale_id), _("The sale"))
            assert isinstance(sale, Sale)
            return load_record(session, sale)

    def list_sales(self, filters: SaleFilter | None = None, limit: int = 200) -> list[SaleSummary]:
        """Past sales, newest first."""
        filters = filters or SaleFilter()
        start = _local_midnight(filters.date_from) if filters.date_from else None
        end = _local_midnight(filters.date_to + timedelta(days=1)) if filters.date_to else None
        with self.db.read() as session:
            return [summary_of(row) for row in session.execute(summaries_query(filters, start, end, limit))]

    def client(self, client_id: int, today: date | None = None) -> CheckoutClient:
        """The client with group and categories (expired ones marked), for the checkout's client panel."""
        with self.db.read() as session:
            return load_client(session, client_id, today or local_today())

    def find_clients(self, text: str, limit: int = 8) -> list[ClientHit]:
        """Clients matching ``text`` (name, phone or email) as the clerk types."""
        with self.db.read() as session:
            return find_clients(session, text, limit)

    def sellable_items(self, client_id: int | None = None) -> list[SellableItem]:
        """The active catalogue, services first; items restricted away from this client are marked."""
        with self.db.read() as session:
            return sellable_items(session, client_id)

    def quick_items(self, limit: int = 8) -> list[int]:
        """Ids of the items sold most in the last 90 days (then the first services), for quick buttons."""
        since = utcnow() - timedelta(days=90)
        with self.db.read() as session:
            popular = session.execute(
                select(SaleLine.item_id)
                .join(Sale, Sale.id == SaleLine.sale_id)
                .join(CatalogItem, CatalogItem.id == SaleLine.item_id)
                .where(Sale.completed_at >= since, Sale.reverses_sale_id.is_(None), CatalogItem.active.is_(True))
                .group_by(SaleLine.item_id)
                .order_by(func.sum(SaleLine.quantity).desc(), SaleLine.item_id)
                .limit(limit)
            ).scalars()
            ids = [i for i in popular if i is not None]
            if len(ids) < limit:
                more = session.scalars(
                    select(CatalogItem.id)
                    .where(CatalogItem.active.is_(True), CatalogItem.id.not_in(ids or [0]))
                    .order_by(CatalogItem.kind.desc(), CatalogItem.name)
                    .limit(limit - len(ids))
                )
                ids.extend(more)
            return ids

    # -- business details -------------------------------------------------------------

    def stored_business(self) -> dict[str, str]:
        """The receipt header as stored (keys of BUSINESS_KEYS; absent when never set)."""
        with self.db.read() as session:
            rows = session.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(BUSINESS_KEYS)))
            return {key: value for key, value in rows}

    def business(self) -> BusinessInfo:
        """The receipt header; placeholders say what is still to be set."""
        stored = self.stored_business()
        return BusinessInfo(
            name=stored.get("business_name") or _("Your salon (set the name in the settings)"),
            address=stored.get("business_address") or _("Address not set (settings)"),
            tax_number=stored.get("tax_number") or _("not set"),
        )

    def set_business(self, info: BusinessInfo) -> None:
        """Store the receipt header; the salon's name is required."""
        self.require(Permission.EDIT_SETTINGS)
        if not info.name.strip():
            raise ValidationError(_("Please enter the salon's name; it is printed on every receipt."), "business_name")
        values = dict(
            zip(BUSINESS_KEYS, (info.name.strip(), info.address.strip(), info.tax_number.strip()), strict=True)
        )
        with self.transaction(_("The business details")) as session:
            store_meta(session, values)


# -- rules ----------------------------------------------------------------------------


def settle(payment: Payment, total: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """The cash given and the change; a ValidationError on field ``given`` when it does not add up."""
    if payment.method is PaymentMethod.CARD:
        return None, None
    given = total if payment.given is None else payment.given
    if not isinstance(given, Decimal) or not given.is_finite() or given != given.quantize(Decimal("0.01")):
        raise ValidationError(_("Please enter the cash given in euros and cents, e.g. 50,00."), "given")
    if given < total:
        raise ValidationError(
            _("The cash given ({given}) is less than the total ({total}): {missing} missing.").format(
                given=format_money(given), total=format_money(total), missing=format_money(total - given)
            ),
            "given",
        )
    if given > MAX_GIVEN:
        raise ValidationError(_("The cash given is too large; please check the amount."), "given")
    return given, given - total


def _check_manual(quote: SaleQuote, limit: Decimal | None, approval: Approval | None) -> None:
    percent = quote.max_manual_percent
    if percent is None or limit is None or percent <= limit or approval is not None:
        return
    raise ApprovalRequiredError(
        _("A manual discount of {percent} is above your limit of {limit}: a manager must approve it.").format(
            percent=format_percent(percent), limit=format_percent(limit)
        ),
        percent,
        limit,
    )


def _touch_client(session: Session, client_id: int | None, when: date) -> None:
    """Record the visit; a plain UPDATE, so an open client card is not made stale by it."""
    if client_id is None:
        return
    session.execute(
        update(Client)
        .where(Client.id == client_id, or_(Client.last_visit.is_(None), Client.last_visit < when))
        .values(last_visit=when),
        execution_options={"synchronize_session": False},
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


__all__ = [
    "ApprovalRequiredError",
    "BusinessInfo",
    "Cart",
    "CartLine",
    "CheckoutClient",
    "CheckoutService",
    "ClientHit",
    "MembershipView",
    "Payment",
    "RestrictedItemError",
    "SaleFilter",
    "SaleRecord",
    "SaleSummary",
    "SellableItem",
    "settle",
]
