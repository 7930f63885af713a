"""The rules box of the staff page: manual-discount limits per role and the idle time before locking."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _, format_decimal, parse_decimal
from salon_desk.models import Role
from salon_desk.services import Services
from salon_desk.services.permissions import ROLE_ORDER, role_label
from salon_desk.services.staff.staff import MAX_IDLE_MINUTES
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import FieldErrors

EDIT_NAMES = {Role.CASHIER: "limitCashierEdit", Role.FRONT_DESK: "limitFrontDeskEdit", Role.MANAGER: "limitManagerEdit"}


class StaffRulesPanel(QGroupBox):
    """Edits the discount limits and the idle lock; Save writes them in one step."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(_("Rules"), parent)
        self.setObjectName("staffRulesPanel")
        self.services = services
        self.bus = bus
        self.errors = FieldErrors()
        self.limit_edits: dict[Role, QLineEdit] = {}
        form = QFormLayout(self)
        hint = QLabel(_("Manual discounts above a role's limit need a manager's PIN and a reason."))
        hint.setWordWrap(True)
        form.addRow(hint)
        for role in ROLE_ORDER:
            edit = QLineEdit()
            edit.setObjectName(EDIT_NAMES[role])
            edit.setFixedWidth(80)
            self.limit_edits[role] = edit
            form.addRow(_("Manual discount limit, {role}:").format(role=role_label(role)), _with_unit(edit, "%"))
            form.addRow("", self.errors.label_for(f"limit_{role.value}", edit))
        self.idle_spin = QSpinBox()
        self.idle_spin.setObjectName("idleMinutesSpin")
        self.idle_spin.setRange(0, MAX_IDLE_MINUTES)
        self.idle_spin.setSpecialValueText(_("Never"))
        self.idle_spin.setSuffix(_(" min"))
        self.idle_spin.setFixedWidth(110)
        form.addRow(_("Lock the workstation after no input for:"), _with_unit(self.idle_spin, ""))
        form.addRow("", self.errors.label_for("idle_minutes", self.idle_spin))
        self.save_button = QPushButton(_("Save rules"))
        self.save_button.setObjectName("saveRulesButton")
        self.save_button.clicked.connect(self.save)
        form.addRow("", _with_unit(self.save_button, ""))
        self.load()

    def load(self) -> None:
        """Show the stored limits and idle time."""
        for role, percent in self.services.staff.manual_discount_limits().items():
            self.limit_edits[role].setText(format_decimal(percent).removesuffix(",00").removesuffix(".00"))
        self.idle_spin.setValue(self.services.staff.idle_lock_minutes())

    def limits(self) -> dict[Role, Decimal]:
        """The typed limits; a ValidationError names the field that cannot be read."""
        result = {}
        for role, edit in self.limit_edits.items():
            try:
                result[role] = parse_decimal(edit.text())
            except ValueError:
                message = _("Please enter a percentage between 0 and 100.")
                raise ValidationError(message, f"limit_{role.value}") from None
        return result

    def save(self) -> None:
        """Save the rules (managers only; the services say so to anyone else)."""
        try:
            changes = self.services.staff.set_rules(self.limits(), self.idle_spin.value())
        except SalonError as exc:
            self.errors.show(exc, self)
            return
        self.errors.clear()
        self.load()
        self.bus.publish(changes)


def _with_unit(edit: QWidget, unit: str) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit)
    if unit:
        row.addWidget(QLabel(unit))
    row.addStretch(1)
    return box
