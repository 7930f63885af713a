"""Staff members with their role and PIN, per-role limits, and the audit log."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, Percent, TimestampMixin, UtcDateTime, VersionedMixin, enum_column, utcnow


class Role(StrEnum):
    """What a staff member may do (DESIGN §8)."""

    MANAGER = "manager"
    FRONT_DESK = "front_desk"
    CASHIER = "cashier"


class StaffMember(VersionedMixin, TimestampMixin, Base):
    """A person who signs in with a PIN; never deleted once they appear in the log."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Argon2 hash with its own salt; the PIN itself is never stored.
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RoleLimit(Base):
    """The highest manual discount a role may give without a manager's approval."""

    __tablename__ = "role_limits"

    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)
    max_manual_discount: Mapped[Decimal] = mapped_column(Percent)


class AuditEntry(Base):
    """Who changed what and when, with the values before and after (JSON)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), nullable=True, index=True)
    staff_name: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"), nullable=True)
    approved_by_name: Mapped[str] = mapped_column(String(100), default="")
    # The name of the record as it was when the entry was written (a client's name, say).
    subject: Mapped[str] = mapped_column(String(201), default="", server_default="")
