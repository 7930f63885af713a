"""Pieces every service uses: the change record, name keys and the optimistic-lock check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from salon_desk.db import Database
from salon_desk.errors import ConflictError, NotFoundError, StorageError
from salon_desk.i18n import _
from salon_desk.models.meta import AppMeta
from salon_desk.models.staff import Role
from salon_desk.services.permissions import Permission, check


@dataclass(frozen=True)
class Changes:
    """What a user action changed, so that each view reloads only what it shows."""

    clients: frozenset[int] = field(default_factory=frozenset)
    categories: frozenset[int] = field(default_factory=frozenset)
    groups: frozenset[int] = field(default_factory=frozenset)
    catalog: frozenset[int] = field(default_factory=frozenset)
    recipients: frozenset[int] = field(default_factory=frozenset)
    staff: frozenset[int] = field(default_factory=frozenset)
    segments: frozenset[int] = field(default_factory=frozenset)
    tasks: bool = False
    automations: bool = False
    all_clients: bool = False

    def touches_clients(self) -> bool:
        """True when client rows (or what they display) may have changed."""
        return self.all_clients or bool(self.clients)


def name_key(name: str) -> str:
    """The uniqueness key of a name: surrounding blanks removed, case folded."""
    return " ".join(name.split()).casefold()


def check_version(record: object, expected: int | None, what: str) -> None:
    """Refuse a save based on an outdated copy of ``record``."""
    if expected is not None and getattr(record, "version") != expected:
        raise ConflictError(
            _("{what} was changed at another desk since you opened it. Reload to see the changes.").format(what=what)
        )


def require(record: object | None, what: str) -> object:
    """The record, or a NotFoundError naming it."""
    if record is None:
        raise NotFoundError(_("{what} no longer exists; it may have been deleted at another desk.").format(what=what))
    return record


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in staff member, or Salon Desk itself (first start, demo data, scripts)."""

    staff_id: int | None
    name: str
    role: Role | None = None


SYSTEM = Actor(staff_id=None, name="Salon Desk")


class Workstation:
    """The person signed in at this workstation; shared by all services of one window."""

    def __init__(self, actor: Actor = SYSTEM) -> None:
        self.actor = actor


class Service:
    """Base of the services: each public method is one transaction on ``db``."""

    def __init__(self, db: Database, workstation: Workstation | None = None) -> None:
        self.db = db
        self.workstation = workstation or Workstation()

    @property
    def actor(self) -> Actor:
        """Who is acting now."""
        return self.workstation.actor

    def require(self, permission: Permission) -> None:
        """Refuse the action unless the signed-in person's role allows it (Salon Desk itself may do all)."""
        check(self.actor.role, permission)

    @contextmanager
    def transaction(self, what: str, bulk: bool = False) -> Iterator[Session]:
        """One unit of work; a concurrent save detected at flush becomes a ConflictError.

        ``bulk``: it rewrites many thousands of rows (see ``Database.transaction``).
        """
        try:
            with self.db.transaction(bulk) as session:
                yield session
        except StorageError as exc:
            raise StorageError(
                _("{what} was not saved: {reason} Nothing was changed; please try again.").format(
                    what=what, reason=exc.message
                )
            ) from exc
        except StaleDataError as exc:
            raise ConflictError(
                _("{what} was changed at another desk since you opened it. Reload to see the changes.").format(
                    what=what
                )
            ) from exc


def check_unique_name(session: Session, model: type, name: str, own_id: int | None, message: str) -> None:
    """Refuse ``name`` when another row of ``model`` has the same name key; ``message`` takes {name}."""
    from sqlalchemy import select

    query = select(model.id).where(model.name_key == name_key(name))  # type: ignore[attr-defined]
    if own_id is not None:
        query = query.where(model.id != own_id)  # type: ignore[attr-defined]
    if session.scalar(query) is not None:
        from salon_desk.errors import ValidationError

        raise ValidationError(message.format(name=name), "name")


def store_meta(session: Session, values: Mapping[str, str]) -> dict[str, str]:
    """Write ``values`` into ``app_meta``, adding the keys not there yet; the values they replace ('' when new)."""
    before: dict[str, str] = {}
    for key, value in values.items():
        row = session.get(AppMeta, key)
        before[key] = row.value if row is not None else ""
        if row is None:
            session.add(AppMeta(key=key, value=value))
        else:
            row.value = value
    return before
