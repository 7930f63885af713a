"""Catalogue items (services and products), their group restrictions, and special offers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.kinds import ItemKind
from salon_desk.models.base import Base, Money, Percent, TimestampMixin, VersionedMixin, enum_column


class CatalogItem(VersionedMixin, TimestampMixin, Base):
    """A service or product with its gross list price (VAT included) and VAT rate."""

    __tablename__ = "catalog_items"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("vat_rate IN (0, 700, 1900)", name="vat_rate_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    price: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(Percent)
    no_discounts: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ItemGroupRestriction(Base):
    """An item restricted to chosen groups: only their members may buy it."""

    __tablename__ = "item_group_restrictions"

    item_id: Mapped[int] = mapped_column(ForeignKey("catalog_items.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("customer_groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SpecialOffer(VersionedMixin, TimestampMixin, Base):
    """An offer price or a percentage off for chosen items between two dates (inclusive)."""

    __tablename__ = "special_offers"
    __table_args__ = (
        CheckConstraint("(offer_price IS NULL) <> (percent_off IS NULL)", name="price_or_percent"),
        CheckConstraint("starts_on <= ends_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    offer_price: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    percent_off: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


class SpecialOfferItem(Base):
    """An item covered by a special offer."""

    __tablename__ = "special_offer_items"

    offer_id: Mapped[int] = mapped_column(ForeignKey("special_offers.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
