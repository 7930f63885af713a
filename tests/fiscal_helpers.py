"""Helpers for the till's legal day: the fiscal services on a test database, quick sales, a slow TSE."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from checkout_shop import MANAGER_PIN, Shop, add_staff

from salon_desk.models import PaymentMethod
from salon_desk.services.staff.approval import ApprovalPurpose
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.fiscal.closing import ClosingService
from salon_desk.services.fiscal.drawer import CashDrawerService
from salon_desk.services.checkout.sale_records import SaleRecord
from salon_desk.services.checkout.tse import FakeTse, TseAdapter, TseReceiptData, TseSignature, TseStart

CASH = Payment(PaymentMethod.CASH)
CARD = Payment(PaymentMethod.CARD)


@dataclass
class Fiscal:
    """The fiscal services beside the others of one open database."""

    drawer: CashDrawerService
    closing: ClosingService


def fiscal(services: Services) -> Fiscal:
    """The drawer and closing services on ``services``' database and workstation."""
    return Fiscal(
        CashDrawerService(services.db, services.workstation),
        ClosingService(services.db, services.workstation),
    )


def sell(services: Services, *items: int, payment: Payment = CASH, tse: TseAdapter | None = None) -> SaleRecord:
    """One sale without a client of one of each item."""
    return services.checkout.complete(None, Cart(tuple(CartLine(i) for i in items)), payment, tse=tse)


def cancel(services: Services, shop: Shop, sale_id: int) -> SaleRecord:
    """Cancel a sale with a manager's approval (adds the staff the first time)."""
    if not shop.manager_id:
        add_staff(services, shop)
    approval = services.staff.approve(
        shop.manager_id, MANAGER_PIN, "Wrong item", purpose=ApprovalPurpose.CANCEL_SALE, subject=sale_id
    )
    return services.checkout.cancel(sale_id, approval)


class SlowTse(FakeTse):
    """A TSE that holds each finish until the test lets it go."""

    def __init__(self) -> None:
        super().__init__(serial="SLOW-TSE")
        self.waiting = threading.Event()
        self.release = threading.Event()

    def finish_transaction(self, start: TseStart, data: TseReceiptData) -> TseSignature:
        """Say that the call is waiting, wait to be released, then sign."""
        self.waiting.set()
        assert self.release.wait(30), "the test never released the slow TSE"
        return super().finish_transaction(start, data)
