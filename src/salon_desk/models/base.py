"""Declarative base, naming convention and the money and percentage column types."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NewType

from sqlalchemy import DateTime, Integer, MetaData, func
from sqlalchemy.engine import Dialect
from sqlalchemy import Enum
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

ClientId = NewType("ClientId", int)
CategoryId = NewType("CategoryId", int)
GroupId = NewType("GroupId", int)
ItemId = NewType("ItemId", int)
OfferId = NewType("OfferId", int)
RecipientGroupId = NewType("RecipientGroupId", int)

CENT = Decimal("0.01")

# Alembic's batch mode on SQLite recreates tables and needs every constraint named.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC that always comes back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class _ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal with two places stored as an integer count of hundredths."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money and percentages must be Decimal, not float")
        quantized = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
        return int(quantized * 100)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).scaleb(-2)  # exactly two places, as quantize would give, at a third of the cost


class Money(_ScaledDecimal):
    """An amount in euros, stored as integer cents."""

    cache_ok = True


class Percent(_ScaledDecimal):
    """A percentage such as 12.50, stored as integer hundredths of a percent."""

    cache_ok = True


class Base(DeclarativeBase):
    """Base of every Salon Desk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """Created and last-modified times, set by the database session."""

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.current_timestamp())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )


class VersionedMixin:
    """A version counter for optimistic locking: a stale save is refused, never merged."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy passes the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def enum_column(enum_type: type[Any], length: int = 20) -> Enum:
    """A StrEnum stored by value as plain text (no database enum type to migrate)."""
    return Enum(
        enum_type,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
