"""Saved segments (named client filters), tasks about clients for staff members, and consent records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, TimestampMixin, UtcDateTime, VersionedMixin, utcnow

SEGMENT_NAME_MAX = 60
TASK_TITLE_MAX = 200


class Segment(VersionedMixin, TimestampMixin, Base):
    """A named, saved filter over clients; its conditions are kept as JSON (``SegmentRules``)."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(SEGMENT_NAME_MAX))
    name_key: Mapped[str] = mapped_column(String(SEGMENT_NAME_MAX), unique=True)
    rules: Mapped[str] = mapped_column(Text, default="{}")
    created_by: Mapped[str] = mapped_column(String(100), default="")


class Task(Base):
    """A to-do about a client for a staff member (or anyone), due on a date; done with an outcome note."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_open_due", "done_at", "due_on", "id"),
        Index("ix_tasks_staff_due", "staff_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)
    title: Mapped[str] = mapped_column(String(TASK_TITLE_MAX))
    due_on: Mapped[date] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    done_by: Mapped[str] = mapped_column(String(100), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")


class ConsentRecord(Base):
    """One grant or withdrawal of a client's consent to a channel; rows are only ever added.

    ``kind`` is "consent" (the client agreed to advertising on the channel) or
    "existing_customer" (§7(3) UWG: an email address that came with a sale, the objection
    notice given then; it serves only campaigns marked "own similar services"). ``source``
    says where it was recorded: "card", "check_in", "import", "unsubscribe", "migration".
    """

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_client", "client_id", "recorded_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    granted: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(20), default="consent")
    source: Mapped[str] = mapped_column(String(20))
    wording: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
