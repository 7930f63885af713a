"""Test helpers for staff: add a member, or act as one at the workstation."""

from __future__ import annotations

from salon_desk.models import Role
from salon_desk.services import SYSTEM, Actor, Services
from salon_desk.services.staff.staff import StaffData, StaffInfo

PINS = {Role.MANAGER: "1357", Role.FRONT_DESK: "2468", Role.CASHIER: "9753"}


def add_member(services: Services, name: str, role: Role, pin: str | None = None) -> StaffInfo:
    """A staff member created by Salon Desk itself (the actor at the workstation is kept)."""
    previous = services.workstation.actor
    services.workstation.actor = SYSTEM
    try:
        info, _changes = services.staff.create(StaffData(name=name, role=role), pin or PINS[role])
    finally:
        services.workstation.actor = previous
    return info


def signed_in(services: Services, role: Role, name: str | None = None) -> Actor:
    """Create a member with ``role`` (PIN from PINS) and sign them in at the workstation."""
    info = add_member(services, name or f"Test {role.value}", role)
    actor = services.staff.sign_in(info.id, PINS[role])
    services.workstation.actor = actor
    return actor
