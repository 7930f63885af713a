"""Small key/value facts about the database itself (e.g. whether templates were created)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base


class AppMeta(Base):
    """One fact about this database."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
