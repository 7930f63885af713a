"""Customer groups with their prices, self-assignment attempts, and recipient groups."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, Money, TimestampMixin, UtcDateTime, VersionedMixin, utcnow


class CustomerGroup(VersionedMixin, TimestampMixin, Base):
    """A customer group: its members pay its group prices."""

    __tablename__ = "customer_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    name_key: Mapped[str] = mapped_column(String(60), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    self_assignable: Mapped[bool] = mapped_column(Boolean, default=False)
    # Argon2 hash with its own salt; the password itself is never stored.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)


class GroupPrice(Base):
    """The price a group's members pay for one catalogue item instead of its list price."""

    __tablename__ = "group_prices"

    group_id: Mapped[int] = mapped_column(ForeignKey("customer_groups.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    price: Mapped[Decimal] = mapped_column(Money)


class GroupJoinAttempt(Base):
    """Failed self-assignment passwords of one client, for the lock-out."""

    __tablename__ = "group_join_attempts"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class GroupPasswordGuesses(Base):
    """Wrong passwords for one group, from any client: guesses spread over several clients lock too."""

    __tablename__ = "group_password_guesses"

    group_id: Mapped[int] = mapped_column(ForeignKey("customer_groups.id", ondelete="CASCADE"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RecipientGroup(TimestampMixin, Base):
    """A named list of clients for messages only: no prices, no discounts."""

    __tablename__ = "recipient_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    name_key: Mapped[str] = mapped_column(String(60), unique=True)


class RecipientGroupMember(Base):
    """A client on a recipient list."""

    __tablename__ = "recipient_group_members"

    recipient_group_id: Mapped[int] = mapped_column(
        ForeignKey("recipient_groups.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
