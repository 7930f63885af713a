"""The client list's rows: what a row shows, read by primary key once its sort keys are known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, select

from salon_desk.models import Category, Client, ClientCategory, CustomerGroup
from salon_desk.services.clients.client_list_order import SortKey


@dataclass(frozen=True)
class CategoryChip:
    """One of a client's categories as the list draws it."""

    name: str
    color: str
    icon: str
    expired: bool = False
    """The membership's valid-until date has passed: it gives no discount."""


@dataclass(frozen=True)
class ClientRow:
    """One row of the client list."""

    id: int
    name: str
    category_label: str
    categories: tuple[CategoryChip, ...]
    group_name: str
    phone: str
    email: str
    last_visit: date | None
    sort_key: SortKey


def display_name(first_name: str, last_name: str) -> str:
    """The name as the list shows it, "Müller, Anna"; just one name when the other is empty."""
    if first_name and last_name:
        return f"{last_name}, {first_name}"
    return last_name or first_name


def read_rows(connection: Connection, keys: list[SortKey]) -> list[ClientRow]:
    """The rows of the clients whose sort keys are ``keys`` (the id last), in that order."""
    if not keys:
        return []
    ids = [key[-1] for key in keys]
    stmt = (
        select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.category_label,
            CustomerGroup.name,
            Client.phone,
            Client.email,
            Client.last_visit,
        )
        .select_from(Client)
        .outerjoin(CustomerGroup, CustomerGroup.id == Client.group_id)
        .where(Client.id.in_(ids))
    )
    found = {row[0]: row for row in connection.execute(stmt)}
    chips = _chips(connection, ids)
    return [_row(found[key[-1]], chips.get(key[-1], ()), key) for key in keys if key[-1] in found]


def _chips(connection: Connection, ids: list[int]) -> dict[int, tuple[CategoryChip, ...]]:
    """Each client's categories in label order (by name), for the coloured chips; expired ones marked."""
    found: dict[int, list[CategoryChip]] = {}
    today = date.today()
    stmt = (
        select(ClientCategory.client_id, Category.name, Category.color, Category.icon, ClientCategory.valid_until)
        .join(Category, Category.id == ClientCategory.category_id)
        .where(ClientCategory.client_id.in_(ids))
        .order_by(ClientCategory.client_id, Category.name_key)
    )
    for client_id, name, color, icon, valid_until in connection.execute(stmt):
        expired = valid_until is not None and valid_until < today
        found.setdefault(client_id, []).append(CategoryChip(name, color, icon, expired))
    return {client_id: tuple(chips) for client_id, chips in found.items()}


def _row(found: Row[Any], chips: tuple[CategoryChip, ...], key: SortKey) -> ClientRow:
    return ClientRow(
        id=found[0],
        name=display_name(found[1], found[2]),
        category_label=found[3],
        categories=chips,
        group_name=found[4] or "",
        phone=found[5],
        email=found[6],
        last_visit=found[7],
        sort_key=key,
    )
