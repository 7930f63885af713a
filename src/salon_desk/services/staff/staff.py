"""Staff members: PIN sign-in with lock-out, manager approval, discount limits per role, the idle lock."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.i18n import _
from salon_desk.models import AppMeta, AuditEntry, RoleLimit, StaffMember, utcnow
from salon_desk.models.staff import Role
from salon_desk.services.staff import audit
from salon_desk.services.staff.approval import Approval, ApprovalPurpose, ledger_for
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.staff.lockout import (
    LOCK_MEMORY,
    LOCK_STEPS,
    MAX_FAILURES,
    refuse_if_locked,
    store_attempts,
    strangers_for,
)
from salon_desk.services.text import clean_line
from salon_desk.services.common import (
    SYSTEM,
    Actor,
    Changes,
    Service,
    check_unique_name,
    check_version,
    name_key,
    require,
    store_meta,
)
from salon_desk.services.permissions import Permission, role_label
from salon_desk.services.staff.secrets import hash_secret, verify_secret, waste_verification

PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
NAME_MAX = 60
REASON_MAX = 200
IDLE_KEY = "idle_lock_minutes"
FIRST_MANAGER_KEY = "first_manager_created"
DEFAULT_IDLE_MINUTES = 5
MAX_IDLE_MINUTES = 480
DEFAULT_LIMITS = {Role.CASHIER: Decimal("10"), Role.FRONT_DESK: Decimal("10"), Role.MANAGER: Decimal("100")}


@dataclass(frozen=True)
class StaffData:
    """What the staff editor submits (the PIN travels separately and is never read back)."""

    name: str
    role: Role
    active: bool = True


@dataclass(frozen=True)
class StaffInfo(StaffData):
    """A saved staff member as lists show it."""

    id: int = 0
    version: int = 0
    locked_until: datetime | None = None

    def is_locked(self, now: datetime | None = None) -> bool:
        """True while wrong PINs keep the member locked out."""
        return self.locked_until is not None and self.locked_until > (now or utcnow())


OnSuccess = Callable[[Session, StaffMember], None]


class WrongPinError(ValidationError):
    """The PIN did not match, or there is no such active member: the same message either way."""


def _info(member: StaffMember) -> StaffInfo:
    return StaffInfo(
        id=member.id,
        version=member.version,
        name=member.name,
        role=member.role,
        active=member.active,
        locked_until=member.locked_until,
    )


def _actor(member: StaffMember) -> Actor:
    return Actor(staff_id=member.id, name=member.name, role=member.role)


def _snapshot(member: StaffMember) -> dict[str, object]:
    """What the audit log keeps of a member (never the PIN)."""
    return {"name": member.name, "role": member.role, "active": member.active}


def validate_pin(pin: str, field: str = "pin") -> str:
    """The PIN, or a ValidationError: 4 to 8 digits."""
    if not PIN_PATTERN.fullmatch(pin or ""):
        raise ValidationError(_("The PIN must have 4 to 8 digits."), field)
    return pin


def validate_staff(data: StaffData) -> StaffData:
    """Cleaned data or a ValidationError naming the field."""
    name = clean_line(data.name, "name")
    if not name:
        raise ValidationError(_("Please enter the person's name."), "name")
    if len(name) > NAME_MAX:
        raise ValidationError(_("The name may have at most {max} characters.").format(max=NAME_MAX), "name")
    if not isinstance(data.role, Role):
        raise ValidationError(_("Please choose a role."), "role")
    return replace(data, name=name)


def validate_limit(percent: Decimal) -> Decimal:
    """A manual-discount limit: 0 to 100 %, at most two decimals."""
    if not isinstance(percent, Decimal) or not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100):
        raise ValidationError(_("The limit must be a percentage between 0 and 100."), "limit")
    if percent != percent.quantize(Decimal("0.01")):
        raise ValidationError(_("The limit may have at most two decimal places."), "limit")
    return percent


def validate_idle_minutes(minutes: int) -> int:
    """The idle time before the automatic lock: 0 (never) to MAX_IDLE_MINUTES minutes."""
    if not isinstance(minutes, int) or not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationError(
            _("The idle time must be between 0 and {max} minutes.").format(max=MAX_IDLE_MINUTES), "idle_minutes"
        )
    return minutes


def wrong_pin_message() -> str:
    """The one message for any failed PIN check: it never says whether the person exists."""
    return _("The PIN is not correct.")


class StaffService(Service):
    """Staff members and the rules that come with them."""

    # -- first start ------------------------------------------------------------------

    def first_manager_needed(self) -> bool:
        """True on the very first start: nobody has been set up yet."""
        with self.db.read() as session:
            return session.scalar(select(func.count()).select_from(StaffMember)) == 0

    def create_first_manager(self, name: str, pin: str) -> Actor:
        """Create the first manager (only while no staff exists) and return them signed in."""
        clean = validate_staff(StaffData(name=name, role=Role.MANAGER))
        validate_pin(pin)
        refused = PermissionDeniedError(_("Salon Desk already has a manager. Please sign in."))
        try:
            with self.transaction(_("The staff member")) as session:
                if session.scalar(select(func.count()).select_from(StaffMember)):
                    raise refused
                session.add(AppMeta(key=FIRST_MANAGER_KEY, value=utcnow().isoformat()))
                member = self._new_member(session, clean, pin)
                actor = _actor(member)
                audit.record(session, actor, Action.CREATE, Entity.STAFF, member.id, after=_snapshot(member))
                return actor
        except IntegrityError as exc:  # another desk created the first manager at the same moment
            raise refused from exc

    # -- the staff page ---------------------------------------------------------------

    def list(self, include_inactive: bool = True) -> list[StaffInfo]:
        """Staff members by name; the sign-in screen lists only the active ones."""
        with self.db.read() as session:
            query = select(StaffMember).order_by(StaffMember.name_key)
            if not include_inactive:
                query = query.where(StaffMember.active.is_(True))
            return [_info(m) for m in session.scalars(query)]

    def managers(self) -> list[StaffInfo]:
        """Active managers by name, for the approval dialog."""
        return [m for m in self.list(include_inactive=False) if m.role is Role.MANAGER]

    def get(self, staff_id: int) -> StaffInfo:
        """One staff member."""
        with self.db.read() as session:
            return _info(self._get(session, staff_id))

    def create(self, data: StaffData, pin: str) -> tuple[StaffInfo, Changes]:
        """Add a staff member with their first PIN."""
        self.require(Permission.EDIT_STAFF)
        clean = validate_staff(data)
        validate_pin(pin)
        with self.transaction(_("The staff member")) as session:
            member = self._new_member(session, clean, pin)
            audit.record(session, self.actor, Action.CREATE, Entity.STAFF, member.id, after=_snapshot(member))
            return _info(member), Changes(staff=frozenset({member.id}))

    def update(self, staff_id: int, version: int | None, data: StaffData) -> tuple[StaffInfo, Changes]:
        """Change a member's name, role or active flag (loaded at ``version``)."""
        self.require(Permission.EDIT_STAFF)
        clean = validate_staff(data)
        with self.transaction(_("The staff member")) as session:
            member = self._get(session, staff_id)
            check_version(member, version, _("The staff member “{name}”").format(name=member.name))
            self._check_unique(session, clean.name, staff_id)
            before = _snapshot(member)
            if member.role is Role.MANAGER and member.active and (clean.role is not Role.MANAGER or not clean.active):
                self._keep_a_manager(session, staff_id, "role" if clean.active else "active")
            member.name, member.name_key, member.role = clean.name, name_key(clean.name), clean.role
            self._set_active(member, clean.active)
            session.flush()
            audit.record(session, self.actor, Action.UPDATE, Entity.STAFF, staff_id, before, _snapshot(member))
            return _info(member), Changes(staff=frozenset({staff_id}))

    def deactivate(self, staff_id: int, version: int | None = None) -> Changes:
        """Stop a member from signing in; they stay in the log and can be reactivated."""
        return self._change_active(staff_id, version, False)

    def reactivate(self, staff_id: int, version: int | None = None) -> Changes:
        """Let a deactivated member sign in again."""
        return self._change_active(staff_id, version, True)

    def reset_pin(self, staff_id: int, pin: str) -> Changes:
        """Give a member a new PIN; this also lifts a lock-out."""
        self.require(Permission.EDIT_STAFF)
        validate_pin(pin)
        with self.transaction(_("The staff member")) as session:
            member = self._get(session, staff_id)
            member.pin_hash = hash_secret(pin)
            member.failed_pins, member.locked_until = 0, None
            audit.record(session, self.actor, Action.RESET_PIN, Entity.STAFF, staff_id, after={"name": member.name})
            return Changes(staff=frozenset({staff_id}))

    # -- signing in and approving -----------------------------------------------------

    def sign_in(self, staff_id: int | None, pin: str) -> Actor:
        """The person behind ``staff_id`` if the PIN is right; five wrong PINs lock them for five minutes."""
        member = self._check_pin(staff_id, pin)
        return Actor(staff_id=member.id, name=member.name, role=member.role)

    def approve(
        self,
        manager_id: int | None,
        pin: str,
        reason: str,
        action: str = "",
        *,
        purpose: ApprovalPurpose,
        subject: str | int | Decimal,
    ) -> Approval:
        """A manager's approval of ``purpose`` for ``subject``, after their PIN and a reason.

        Recorded in the log with ``action`` (the words the manager was shown). Only this
        method makes an approval the checkout accepts (see ``approval``).
        """
        reason = clean_line(reason, "reason")
        if not reason:
            raise ValidationError(_("Please pick or type a reason."), "reason")
        if len(reason) > REASON_MAX:
            raise ValidationError(_("The reason may have at most {max} characters.").format(max=REASON_MAX), "reason")
        approvals: list[Approval] = []

        def record_approval(session: Session, member: StaffMember) -> None:
            approvals.append(ledger_for(self.db).issue(member.id, member.name, reason, purpose, str(subject)))
            after = {"action": action} if action else None
            audit.record(session, self.actor, Action.APPROVE, Entity.APPROVAL, None, after=after, approval=approvals[0])

        self._check_pin(manager_id, pin, Role.MANAGER, record_approval)
        return approvals[0]

    # -- rules --------------------------------------------------------------------------

    def manual_discount_limit(self, role: Role) -> Decimal:
        """The highest manual discount ``role`` may give without a manager's approval."""
        return self.manual_discount_limits()[role]

    def manual_discount_limits(self) -> dict[Role, Decimal]:
        """Every role's manual-discount limit (the defaults where none was set)."""
        with self.db.read() as session:
            stored = dict(session.execute(select(RoleLimit.role, RoleLimit.max_manual_discount)).all())
        return {role: stored.get(role, default) for role, default in DEFAULT_LIMITS.items()}

    def needs_approval_for_discount(self, percent: Decimal, role: Role | None = None) -> bool:
        """True when a manual discount of ``percent`` is above the limit of ``role`` (default: who is signed in)."""
        role = role if role is not None else self.actor.role
        return role is not None and percent > self.manual_discount_limit(role)

    def set_manual_discount_limit(self, role: Role, percent: Decimal) -> Changes:
        """Change a role's manual-discount limit (managers only)."""
        return self.set_rules({role: percent}, None)

    def idle_lock_minutes(self) -> int:
        """Minutes without input after which the workstation locks (0: never)."""
        with self.db.read() as session:
            row = session.get(AppMeta, IDLE_KEY)
            return int(row.value) if row is not None and row.value.isdigit() else DEFAULT_IDLE_MINUTES

    def set_idle_lock_minutes(self, minutes: int) -> Changes:
        """Change the idle time before the automatic lock (managers only; 0 switches it off)."""
        return self.set_rules({}, minutes)

    def set_rules(self, limits: dict[Role, Decimal], idle_minutes: int | None) -> Changes:
        """Save discount limits and the idle time together (managers only); unchanged values are skipped."""
        self.require(Permission.EDIT_SETTINGS)
        for role, percent in limits.items():
            try:
                validate_limit(percent)
            except ValidationError as exc:
                raise ValidationError(exc.message, f"limit_{role.value}") from None
        if idle_minutes is not None:
            validate_idle_minutes(idle_minutes)
        current_limits, current_idle = self.manual_discount_limits(), self.idle_lock_minutes()
        with self.transaction(_("The setting")) as session:
            for role, percent in limits.items():
                if percent != current_limits[role]:
                    self._write_limit(session, role, current_limits[role], percent)
            if idle_minutes is not None and idle_minutes != current_idle:
                self._write_idle(session, current_idle, idle_minutes)
            return Changes()

    # -- helpers ------------------------------------------------------------------------

    def _write_limit(self, session: Session, role: Role, old: Decimal, percent: Decimal) -> None:
        row = session.get(RoleLimit, role)
        if row is None:
            session.add(RoleLimit(role=role, max_manual_discount=percent))
        else:
            row.max_manual_discount = percent
        label = role_label(role)
        audit.record(
            session, self.actor, Action.SETTING, Entity.SETTING, None,
            {"role": label, "manual_discount_limit": old}, {"role": label, "manual_discount_limit": percent},
        )  # fmt: skip

    def _write_idle(self, session: Session, old: int, minutes: int) -> None:
        store_meta(session, {IDLE_KEY: str(minutes)})
        audit.record(
            session, self.actor, Action.SETTING, Entity.SETTING, None,
            {"idle_lock_minutes": old}, {"idle_lock_minutes": minutes},
        )  # fmt: skip

    def _get(self, session: Session, staff_id: int) -> StaffMember:
        member = require(session.get(StaffMember, staff_id), _("The staff member"))
        assert isinstance(member, StaffMember)
        return member

    def _check_unique(self, session: Session, name: str, own_id: int | None) -> None:
        check_unique_name(session, StaffMember, name, own_id, _("A staff member named “{name}” already exists."))

    def _new_member(self, session: Session, data: StaffData, pin: str) -> StaffMember:
        self._check_unique(session, data.name, None)
        member = StaffMember(
            name=data.name,
            name_key=name_key(data.name),
            role=data.role,
            pin_hash=hash_secret(pin),
            active=data.active,
            failed_pins=0,
        )
        session.add(member)
        session.flush()
        return member

    def _keep_a_manager(self, session: Session, staff_id: int, field: str) -> None:
        others = session.scalar(
            select(func.count())
            .select_from(StaffMember)
            .where(StaffMember.role == Role.MANAGER, StaffMember.active.is_(True), StaffMember.id != staff_id)
        )
        if not others:
            raise ValidationError(
                _("Salon Desk needs at least one active manager. Make another person a manager first."), field
            )

    def _set_active(self, member: StaffMember, active: bool) -> None:
        if active and not member.active:
            member.failed_pins, member.locked_until = 0, None
        member.active = active

    def _change_active(self, staff_id: int, version: int | None, active: bool) -> Changes:
        self.require(Permission.EDIT_STAFF)
        with self.transaction(_("The staff member")) as session:
            member = self._get(session, staff_id)
            check_version(member, version, _("The staff member “{name}”").format(name=member.name))
            if member.active == active:
                return Changes()
            if not active and member.role is Role.MANAGER:
                self._keep_a_manager(session, staff_id, "active")
            before = _snapshot(member)
            self._set_active(member, active)
            action = Action.REACTIVATE if active else Action.DEACTIVATE
            audit.record(session, self.actor, action, Entity.STAFF, staff_id, before, _snapshot(member))
            return Changes(staff=frozenset({staff_id}))

    def _check_pin(
        self, staff_id: int | None, pin: str, role: Role | None = None, then: OnSuccess | None = None
    ) -> StaffMember:
        """The member if the PIN matches (``then`` runs in the same transaction); counts wrong PINs, locks."""
        locked_now = False
        with self.transaction(_("The staff member")) as session:
            member = session.get(StaffMember, staff_id) if staff_id is not None else None
            if member is not None and member.active and role is not None and member.role is not role:
                raise PermissionDeniedError(_("Only a manager can approve this."), "manager")
            if member is None or not member.active:
                waste_verification(pin)
                member = None
                strangers_for(self.db).fail(staff_id)
            else:
                refuse_if_locked(member)
                if verify_secret(member.pin_hash, pin):
                    if member.failed_pins or member.locked_until is not None:
                        store_attempts(session, member, 0, None)
                    if then is not None:
                        then(session, member)
                    return member
                locked_now = self._count_failure(session, member)
        if member is not None and locked_now:
            refuse_if_locked(member)
        if member is None:
            strangers_for(self.db).refuse_if_locked(staff_id)
        raise WrongPinError(wrong_pin_message(), "pin")

    def _count_failure(self, session: Session, member: StaffMember) -> bool:
        """Count a wrong PIN (committed with the transaction); True when this one locked the member.

        Each lock within a day lasts longer than the one before (``LOCK_STEPS``); the locks
        are counted from the audit log's lock-out entries.
        """
        failures = (member.failed_pins or 0) + 1
        if failures < MAX_FAILURES:
            store_attempts(session, member, failures, None)
            return False
        earlier = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == Action.LOCK_OUT.value,
                AuditEntry.entity == Entity.STAFF.value,
                AuditEntry.entity_id == member.id,
                AuditEntry.at > utcnow() - LOCK_MEMORY,
            )
        ) or 0
        minutes = LOCK_STEPS[min(earlier, len(LOCK_STEPS) - 1)]
        store_attempts(session, member, 0, utcnow() + timedelta(minutes=minutes))
        audit.record(
            session, SYSTEM, Action.LOCK_OUT, Entity.STAFF, member.id, after={"name": member.name, "minutes": minutes}
        )
        return True
