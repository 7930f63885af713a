"""The daily events (birthday, no visit for N days): once per day per database, whichever desk sees the day first.

The first desk inserts the day's mark (``automation_days``, keyed by the date) in the same
transaction as the rules' actions. A second desk finds the mark and does nothing; if both
try at the same moment, the primary key refuses the second insert (PostgreSQL), or SQLite's
write lock makes the second wait and then find the mark. Days on which no desk was open are
made up for (up to ``CATCH_UP_DAYS``), so a client whose 90th day without a visit fell on a
Sunday is still called back.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, extract, func, select
from sqlalchemy.orm import Session

from salon_desk.models import AutomationDay, Client
from salon_desk.services.automations.engine import AutomationEngine, Ran
from salon_desk.services.events import Event

CATCH_UP_DAYS = 14


@dataclass(frozen=True)
class DailyResult:
    """What today's run did: the days it covered and each rule's matched clients."""

    days: tuple[date, ...]
    ran: tuple[Ran, ...]

    @property
    def clients(self) -> int:
        """Matched clients over all rules."""
        return sum(r.clients for r in self.ran)


def run(session: Session, engine: AutomationEngine, today: date) -> DailyResult | None:
    """Mark ``today`` and run its daily rules; None when a desk did so already."""
    if session.get(AutomationDay, today) is not None:
        return None
    last = session.scalar(select(func.max(AutomationDay.day)).where(AutomationDay.day < today))
    mark = AutomationDay(day=today, clients=0)
    session.add(mark)
    session.flush()  # a desk racing for the same day stops here (primary key)
    days = covered_days(last, today)
    ran: list[Ran] = []
    birthday_rules = engine.rules_for(session, Event.BIRTHDAY)
    if birthday_rules:
        ran += engine.run(session, Event.BIRTHDAY, birthday_rules, birthdays(days), today)
    for rule in engine.rules_for(session, Event.NO_VISIT):
        if rule.event_param:
            ran += engine.run(session, Event.NO_VISIT, [rule], last_visit_days_ago(days, rule.event_param), today)
    mark.clients = sum(r.clients for r in ran)
    return DailyResult(tuple(days), tuple(ran))


def covered_days(last: date | None, today: date) -> list[date]:
    """The days since the last run up to today (only today on the very first run)."""
    if last is None:
        return [today]
    first = max(last + timedelta(days=1), today - timedelta(days=CATCH_UP_DAYS - 1))
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def birthday_keys(days: list[date]) -> list[int]:
    """The birthdays (as MMDD) falling on ``days``; 29 February counts on 28 February in other years."""
    keys = {day.month * 100 + day.day for day in days}
    keys |= {229 for day in days if day.month == 2 and day.day == 28 and not calendar.isleap(day.year)}
    return sorted(keys)


def birthdays(days: list[date]) -> Select[Any]:
    """The clients whose birthday falls on one of ``days``."""
    key = extract("month", Client.birthday) * 100 + extract("day", Client.birthday)
    return select(Client.id).where(Client.birthday.is_not(None), key.in_(birthday_keys(days)))


def last_visit_days_ago(days: list[date], n: int) -> Select[Any]:
    """The clients whose last visit was exactly ``n`` days before one of ``days``."""
    first, last = days[0] - timedelta(days=n), days[-1] - timedelta(days=n)
    return select(Client.id).where(and_(Client.last_visit >= first, Client.last_visit <= last))
