"""The client (Kundenkarte)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, TimestampMixin, UtcDateTime, VersionedMixin


class Client(VersionedMixin, TimestampMixin, Base):
    """A salon client with contact details, marketing consent, group and categories."""

    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("first_name <> '' OR last_name <> ''", name="has_name"),
        Index("ix_clients_sort_name_words", "sort_name", "id", "search_text"),
        Index("ix_clients_category_label_sort", "category_label", "sort_name", "id"),
        Index("ix_clients_group_sort", "group_id", "sort_name", "id"),
        Index("ix_clients_last_visit", "last_visit", "id"),
        Index("ix_clients_phone_id", "phone", "id"),
        Index("ix_clients_email_id", "email", "id"),
        Index("ix_clients_id_sort_name", "id", "sort_name"),
        Index("ix_clients_phone_digits", "phone_digits"),
        Index("ix_clients_email_key", "email_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    birthday: Mapped[date | None] = mapped_column(Date, nullable=True)
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    email_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    sms_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    phone_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    phone_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # §7(3) UWG: the email address came with a sale and the objection notice was given then;
    # serves only campaigns marked "own similar services". Kept in step with consent_records.
    email_existing_customer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The client unsubscribed from email (this also withdrew email consent).
    email_unsubscribed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # The mail server refused the address permanently (a 5xx answer); campaigns skip it.
    email_failing_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("customer_groups.id", ondelete="SET NULL"), nullable=True)
    last_visit: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Derived columns kept by the services so that lists sort and search in SQL:
    # the folded search words (text index), "last first" folded, and the category names.
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_name: Mapped[str] = mapped_column(String(201), default="")
    category_label: Mapped[str] = mapped_column(String(400), default="")
    # The phone's digits in one form ("+49 171 23" = "0171 23" → "017123"), for finding duplicates by index.
    phone_digits: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The email address in lower case, for the same.
    email_key: Mapped[str] = mapped_column(String(254), default="", server_default="")


class ClientMerge(Base):
    """A client card closed by merging it into another; the row stays for the sales that point to it."""

    __tablename__ = "client_merges"
    __table_args__ = (Index("ix_client_merges_into", "merged_into_id"),)

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    merged_into_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    merged_at: Mapped[datetime] = mapped_column(UtcDateTime)
    merged_by: Mapped[str] = mapped_column(String(100), default="")


class ClientTotal(Base):
    """The number of client rows (one row, id 1), kept by database triggers since migration 0018.

    The whole client list's count reads it instead of an index of 1,000,000 entries: on a
    cold start that index came from disk (0.5–0.65 s of the list's first second).
    """

    __tablename__ = "client_totals"

    id: Mapped[int] = mapped_column(primary_key=True)
    clients: Mapped[int] = mapped_column(default=0)


class ClientFacts(Base):
    """What a segment's conditions ask of an open client card, one narrow row per card, kept by database triggers.

    Migration 0021 keeps it on every insert, update and delete of ``clients`` and drops the
    row of a card merged into another. A segment's count reads these rows instead of the
    cards themselves (names, notes, search words): 60 MB for 1,000,000 clients instead of
    several hundred. Read only for the application.
    """

    __tablename__ = "client_facts"

    client_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    group_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_visit: Mapped[date | None] = mapped_column(Date, nullable=True)
    birthday_key: Mapped[int | None] = mapped_column(Integer, nullable=True)  # month * 100 + day, e.g. 301
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    postal_code: Mapped[str] = mapped_column(String(20))
    city_key: Mapped[str] = mapped_column(String(100))  # lower(trim(city)) of the database
    has_email: Mapped[bool] = mapped_column(Boolean)
    has_phone: Mapped[bool] = mapped_column(Boolean)
    email_consent: Mapped[bool] = mapped_column(Boolean)
    sms_consent: Mapped[bool] = mapped_column(Boolean)
    phone_consent: Mapped[bool] = mapped_column(Boolean)
