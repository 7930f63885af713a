"""Client events, fired where they happen (client card, bulk actions, checkout) inside their own transaction.

The rooms that change clients call ``fire``; whoever wants to react (the automations) registers
a listener for the database with ``listen``. This module knows nothing of its listeners, so the
firing rooms never import them. A listener runs in the caller's session: what it writes is
committed or rolled back with the change that fired it.

``clients`` is a list of client ids, or a SELECT of one column of client ids (a bulk change
passes its affected set as a statement, so nothing is loaded into Python). A sale without a
client fires with ``[None]``; an empty list means nobody was affected.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Engine, Select
from sqlalchemy.orm import Session

QUIET = "salon_desk_events_quiet"
"""``session.info`` key: while set, ``fire`` does nothing (changes made by automations fire no rules)."""


class Event(StrEnum):
    """What can happen to a client."""

    CLIENT_CREATED = "client_created"
    CLIENT_CHANGED = "client_changed"
    CATEGORY_ASSIGNED = "category_assigned"
    CATEGORY_REMOVED = "category_removed"
    GROUP_CHANGED = "group_changed"
    SALE_COMPLETED = "sale_completed"
    BIRTHDAY = "birthday"
    NO_VISIT = "no_visit"


Clients = Iterable[int | None] | Select[Any]


class Listener(Protocol):
    """Reacts to an event in the caller's session."""

    def __call__(self, session: Session, event: Event, clients: Clients, details: dict[str, Any]) -> None: ...

    def wants(self, session: Session, event: Event) -> bool:
        """True when something listens for ``event`` now (so the caller may skip preparing the affected set)."""
        ...


_listeners: weakref.WeakKeyDictionary[Engine, list[Listener]] = weakref.WeakKeyDictionary()


def listen(engine: Engine, listener: Listener) -> Callable[[], None]:
    """Call ``listener`` for every event fired on ``engine``'s database; returns a function that stops it."""
    _listeners.setdefault(engine, []).append(listener)

    def stop() -> None:
        listeners = _listeners.get(engine, [])
        if listener in listeners:
            listeners.remove(listener)

    return stop


def _of(session: Session) -> list[Listener]:
    if session.info.get(QUIET):
        return []
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    return list(_listeners.get(engine, ())) if engine is not None else []


def wants(session: Session, event: Event) -> bool:
    """True when a listener reacts to ``event``: a bulk change prepares its affected set only then."""
    return any(listener.wants(session, event) for listener in _of(session))


def affected(session: Session, event: Event, ids: Select[Any]) -> list[int]:
    """The client ids of ``ids``, read only when a listener reacts to ``event`` (else an empty list).

    For a bulk change whose affected set cannot be found again after it (a removal): read it first.
    """
    return list(session.scalars(ids)) if wants(session, event) else []


def fire(session: Session, event: Event, clients: Clients, **details: Any) -> None:
    """Tell the listeners that ``event`` happened to ``clients`` (``details``: e.g. ``category_id``)."""
    for listener in _of(session):
        listener(session, event, clients, details)


def fire_memberships(session: Session, client_id: int, before: set[int], after: set[int]) -> None:
    """A card saved its categories: "category removed" and "category assigned" for each that changed."""
    for category_id in sorted(before - after):
        fire(session, Event.CATEGORY_REMOVED, [client_id], category_id=category_id)
    for category_id in sorted(after - before):
        fire(session, Event.CATEGORY_ASSIGNED, [client_id], category_id=category_id)


def fire_saved(session: Session, client_id: int, group_before: int | None, group_after: int | None) -> None:
    """A card was saved: "group changed" when it did, then "client changed"."""
    if group_before != group_after:
        fire(session, Event.GROUP_CHANGED, [client_id], group_id=group_after)
    fire(session, Event.CLIENT_CHANGED, [client_id])
