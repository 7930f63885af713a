"""Duplicate clients: other open cards with the same phone number (by its digits) or email address (any case).

Both are looked up in indexed columns kept by the client service (``phone_digits``,
``email_key``), so the check stays fast among 1,000,000 clients.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from salon_desk.models import Client, ClientMerge
from salon_desk.textindex import phone_key

MAX_SHOWN = 5


@dataclass(frozen=True)
class Duplicate:
    """Another card with the same phone number or email address."""

    id: int
    name: str
    phone: str
    email: str
    same_phone: bool
    same_email: bool


def closed_cards() -> object:
    """The ids of cards merged into another (they count nowhere any more)."""
    return select(ClientMerge.client_id)


def find_duplicates(session: Session, phone: str, email: str, client_id: int | None = None) -> list[Duplicate]:
    """Up to ``MAX_SHOWN`` open cards, other than ``client_id``, sharing the phone or the email; oldest first."""
    digits, email_key = phone_key(phone), email.strip().lower()
    conditions = []
    if digits:
        conditions.append(Client.phone_digits == digits)
    if email_key:
        conditions.append(Client.email_key == email_key)
    if not conditions:
        return []
    query = select(Client.id, Client.first_name, Client.last_name, Client.phone, Client.email, Client.phone_digits,
                   Client.email_key).where(or_(*conditions), Client.id.not_in(closed_cards()))  # fmt: skip
    if client_id is not None:
        query = query.where(Client.id != client_id)
    rows = session.execute(query.order_by(Client.id).limit(MAX_SHOWN)).all()
    return [
        Duplicate(
            id=row[0],
            name=" ".join(part for part in (row[1], row[2]) if part),
            phone=row[3],
            email=row[4],
            same_phone=bool(digits) and row[5] == digits,
            same_email=bool(email_key) and row[6] == email_key,
        )
        for row in rows
    ]
