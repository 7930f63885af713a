"""Automation rules (event → filter → actions), their run log, and the marks of the daily runs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from salon_desk.models.base import Base, TimestampMixin, UtcDateTime, VersionedMixin, utcnow

RULE_NAME_MAX = 80
NOT_DONE = text("outcome <> 'done'")
"""The condition of the run log's outcome index: queries by another outcome name it too (SQLite uses the index then)."""


class AutomationRule(VersionedMixin, TimestampMixin, Base):
    """A rule: when ``event`` happens to a client matching the filter, run the actions in order.

    ``event_param`` qualifies the event: the category of "category assigned/removed" (NULL: any),
    the group of "group changed" (NULL: any), the N of "no visit for N days". The filter and the
    actions are kept as JSON (``RuleFilter``, ``ActionData``); the categories, groups and staff
    they name are plain ids, so a deleted category makes the action fail (and be flagged)
    instead of vanishing from the rule.
    """

    __tablename__ = "automation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(RULE_NAME_MAX))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    event: Mapped[str] = mapped_column(String(30))
    event_param: Mapped[int | None] = mapped_column(Integer, nullable=True)
    filter: Mapped[str] = mapped_column(Text, default="{}")
    actions: Mapped[str] = mapped_column(Text, default="[]")
    # A shipped template ("first_sale", "birthday", "no_visit_90"), and what it still needs to work
    # ("category": a category to be chosen; "email": the campaign outbox).
    template: Mapped[str | None] = mapped_column(String(30), nullable=True)
    needs: Mapped[str] = mapped_column(String(30), default="")
    # Set when an action failed (shown on the rules page); cleared when the rule is saved again.
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    failure: Mapped[str] = mapped_column(Text, default="")


class AutomationRun(Base):
    """One line of the run log: a rule's action on a client (or on no client), and its outcome.

    A set-based run (a bulk change, a daily event) writes one line per action and outcome
    for all its clients, naming them in ``automation_run_clients`` under ``client_set``: a
    bulk change to 100,000 clients writes 100,000 small pairs instead of 100,000 lines per
    rule, and only once for all the rules that act on every client of the change.
    """

    __tablename__ = "automation_runs"
    __table_args__ = (
        Index("ix_automation_runs_rule", "rule_id", "id"),
        # the rare outcomes only: "done" lines are most of the log, and a bulk change writes 100,000 at once
        Index("ix_automation_runs_outcome", "outcome", "id", sqlite_where=NOT_DONE, postgresql_where=NOT_DONE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("automation_rules.id", ondelete="SET NULL"), nullable=True)
    rule_name: Mapped[str] = mapped_column(String(RULE_NAME_MAX))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), nullable=True, index=True
    )
    event: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(Text, default="")
    # a set-based line: the line whose pairs name its clients (its own, or an earlier line's of the same run)
    client_set: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AutomationRunClient(Base):
    """A client of the set-based run-log lines whose ``client_set`` is ``run_id``."""

    __tablename__ = "automation_run_clients"
    __table_args__ = ({"sqlite_with_rowid": False},)

    run_id: Mapped[int] = mapped_column(ForeignKey("automation_runs.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True, index=True)


class AutomationDay(Base):
    """The mark of a day whose daily events ran: the first desk to insert it runs them, once."""

    __tablename__ = "automation_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    clients: Mapped[int] = mapped_column(Integer, default=0)
