"""What each role may do (DESIGN §8), checked by the services themselves, not only by the UI."""

from __future__ import annotations

from enum import StrEnum

from salon_desk.errors import PermissionDeniedError
from salon_desk.i18n import N_, _
from salon_desk.models.staff import Role


class Permission(StrEnum):
    """A kind of action that only some roles may take."""

    EDIT_CATEGORIES = "edit_categories"
    EDIT_GROUPS = "edit_groups"
    EDIT_PRICES = "edit_prices"
    EDIT_OFFERS = "edit_offers"
    EDIT_STAFF = "edit_staff"
    EDIT_SETTINGS = "edit_settings"
    EDIT_CLIENTS = "edit_clients"
    SELL = "sell"
    CANCEL_SALE = "cancel_sale"
    VIEW_AUDIT = "view_audit"
    EXPORT_FISCAL = "export_fiscal"
    ERASE_CLIENTS = "erase_clients"
    VIEW_STATISTICS = "view_statistics"
    EDIT_SEGMENTS = "edit_segments"
    BULK_CHANGE_GROUPS = "bulk_change_groups"
    EXPORT_CLIENTS = "export_clients"
    MERGE_CLIENTS = "merge_clients"
    RUN_CAMPAIGNS = "run_campaigns"
    EDIT_AUTOMATIONS = "edit_automations"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.MANAGER: frozenset(Permission),
    Role.FRONT_DESK: frozenset({Permission.EDIT_CLIENTS, Permission.SELL, Permission.EDIT_SEGMENTS}),
    Role.CASHIER: frozenset({Permission.SELL}),
}

# Most senior last: a refusal names the least senior role that may act.
ROLE_ORDER = (Role.CASHIER, Role.FRONT_DESK, Role.MANAGER)

ROLE_LABELS = {
    Role.MANAGER: N_("Manager"),
    Role.FRONT_DESK: N_("Front desk"),
    Role.CASHIER: N_("Cashier"),
}


def role_label(role: Role | None) -> str:
    """The translated name of ``role``; Salon Desk itself has none."""
    return _(ROLE_LABELS[role]) if role is not None else ""


def allows(role: Role | None, permission: Permission) -> bool:
    """True when ``role`` may act; ``None`` is Salon Desk itself (first start, demo data, scripts)."""
    return role is None or permission in GRANTS[role]


def roles_with(permission: Permission) -> list[Role]:
    """The roles that have ``permission``, least senior first."""
    return [role for role in ROLE_ORDER if permission in GRANTS[role]]


def denied_message(permission: Permission) -> str:
    """What a refused action says: the role it needs."""
    roles = roles_with(permission)
    if len(roles) == 1:
        return _("This needs the role {role}.").format(role=role_label(roles[0]))
    names = ", ".join(role_label(r) for r in roles[:-1])
    return _("This needs the role {roles} or {last}.").format(roles=names, last=role_label(roles[-1]))


def check(role: Role | None, permission: Permission) -> None:
    """Refuse with a PermissionDeniedError naming the role needed."""
    if not allows(role, permission):
        raise PermissionDeniedError(denied_message(permission))
