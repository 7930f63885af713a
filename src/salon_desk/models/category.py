"""Client categories and the memberships that tie them to clients."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, validates

from salon_desk.kinds import DiscountScope
from salon_desk.models.base import Base, Percent, TimestampMixin, UtcDateTime, VersionedMixin, enum_column, utcnow

NAME_MAX = 60


class Category(VersionedMixin, TimestampMixin, Base):
    """A client category: informational, or carrying a discount for its members."""

    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint("discount_percent IS NULL OR (discount_percent BETWEEN 1 AND 10000)", name="discount_range"),
        # At most one default category, enforced by the database as well as the service.
        Index(
            "uq_categories_single_default",
            "is_default",
            unique=True,
            sqlite_where=text("is_default = 1"),
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # Case-folded, trimmed name: uniqueness ignores case and surrounding blanks.
    name_key: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(7), default="#607D8B")
    icon: Mapped[str] = mapped_column(String(40), default="tag")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    discount_percent: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    discount_scope: Mapped[DiscountScope] = mapped_column(enum_column(DiscountScope), default=DiscountScope.BOTH)
    applies_to_offers: Mapped[bool] = mapped_column(Boolean, default=False)
    is_template: Mapped[bool] = mapped_column(Boolean, default=False)
    # Number of memberships, kept by database triggers on client_categories (migration 0004)
    # whoever writes them. Read only: the ORM never sends it, so a save cannot overwrite a
    # newer count, and a count change does not bump ``version``.
    client_count: Mapped[int] = mapped_column(Integer, server_default="0", nullable=False)

    @validates("client_count")
    def _refuse_client_count(self, _key: str, _value: int) -> int:
        raise AttributeError("categories.client_count is kept by the database; it cannot be set")


class ClientCategory(Base):
    """A client's membership in a category, optionally limited in time with a proof note."""

    __tablename__ = "client_categories"
    __table_args__ = (
        # a category's members (segments, the list's filter, counts, the cascade of a deleted category),
        # and the statistics' members who joined after a date
        Index("ix_client_categories_category_assigned", "category_id", "assigned_at"),
        # a category's members as a segment asks them, without reading the membership rows
        Index("ix_client_categories_category_members", "category_id", "client_id", "valid_until"),
    )

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    assigned_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    proof_note: Mapped[str] = mapped_column(String(200), default="")
