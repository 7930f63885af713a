"""Buttons and actions that follow the signed-in person's role.

The services refuse what a role may not do; the screens should not invite it in the first
place. ``gate`` greys out (or hides) a widget or action the current role has no permission
for, says which role it needs in its tooltip, and updates it whenever someone else signs in.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from salon_desk.services import Services
from salon_desk.services.permissions import Permission, allows, denied_message
from salon_desk.ui.common.bus import DataBus


def gate(
    target: QWidget | QAction, permission: Permission, services: Services, bus: DataBus | None, *, hide: bool = False
) -> None:
    """Keep ``target`` usable only for roles with ``permission``, now and after every change of user."""
    own_tip = target.toolTip()

    def apply() -> None:
        allowed = allows(services.workstation.actor.role, permission)
        if hide:
            target.setVisible(allowed)
        target.setEnabled(allowed)
        target.setToolTip(own_tip if allowed else denied_message(permission))

    apply()
    if bus is not None:
        bus.sig_actor_changed.connect(apply)
