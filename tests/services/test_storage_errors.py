"""While working, a database that cannot be written fails the action with a message saying it was not saved."""

from __future__ import annotations

import sqlite3

import pytest
from checkout_shop import make_shop

from salon_desk import db as db_module
from salon_desk.errors import StorageError
from salon_desk.models import PaymentMethod
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.clients.clients import ClientData


@pytest.fixture
def locked(app_services: Services, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Another program holds the SQLite file's write lock (as a sync tool or a second Salon Desk might)."""
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    app_services.db.dispose()  # new connections take the short busy timeout
    other = sqlite3.connect(app_services.db.file, timeout=0.2)
    other.execute("BEGIN EXCLUSIVE")
    yield app_services
    other.rollback()
    other.close()


def test_a_locked_database_says_the_client_was_not_saved(locked: Services) -> None:
    with pytest.raises(StorageError) as error:
        locked.clients.create(ClientData(last_name="Gesperrt"))
    assert "was not saved" in error.value.message and "locked" in error.value.message


def test_a_sale_that_cannot_be_written_says_it_was_not_completed(app_services: Services, monkeypatch) -> None:
    shop = make_shop(app_services)
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    app_services.db.dispose()
    other = sqlite3.connect(app_services.db.file, timeout=0.2)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as error:
            app_services.checkout.complete(shop.anna, Cart((CartLine(shop.cut),)), Payment(PaymentMethod.CARD))
        assert error.value.message.startswith("The sale was not completed")
    finally:
        other.rollback()
        other.close()
    assert app_services.checkout.list_sales() == []  # nothing half-stored
