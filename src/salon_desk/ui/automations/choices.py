"""What the automation windows show of categories, groups and staff: names by id, combo boxes, action texts."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QComboBox

from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.automations.rules import ActionData, ActionKind, action_label


@dataclass
class Names:
    """Categories, customer groups, active staff members and email campaigns by id, for combos and descriptions."""

    categories: dict[int, str] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)
    staff: dict[int, str] = field(default_factory=dict)
    campaigns: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, services: Services) -> Names:
        """Read the names as stored now."""
        return cls(
            {c.id: c.name for c in services.categories.list()},
            {g.id: g.name for g in services.groups.list(counts=False)},
            {s.id: s.name for s in services.staff.list(include_inactive=False)},
            dict(services.automations.email_templates()),
        )

    def category(self, category_id: int | None) -> str:
        """The category's name, or a mark that it is missing."""
        if category_id is None:
            return _("(choose a category)")
        return self.categories.get(category_id) or _("(deleted category #{id})").format(id=category_id)


def fill(combo: QComboBox, names: dict[int, str], first: str | None, current: int | None) -> None:
    """Put ``names`` (sorted) into ``combo``, after an optional ``first`` entry with no id; select ``current``."""
    combo.clear()
    if first is not None:
        combo.addItem(first, None)
    for record_id, name in sorted(names.items(), key=lambda item: item[1].casefold()):
        combo.addItem(name, record_id)
    found = combo.findData(current)
    combo.setCurrentIndex(max(found, 0))


def describe(action: ActionData, names: Names) -> str:
    """One line saying what an action does, e.g. "Assign a category: VIP, valid 30 days"."""
    kind = action_label(action.kind)
    if action.kind is ActionKind.ASSIGN_CATEGORY:
        text = names.category(action.category_id)
        if action.days:
            text = _("{category}, valid {days} days").format(category=text, days=action.days)
        return f"{kind}: {text}"
    if action.kind is ActionKind.REMOVE_CATEGORY:
        return f"{kind}: {names.category(action.category_id)}"
    if action.kind is ActionKind.SET_GROUP:
        if action.group_id is None:
            return kind + ": " + _("no group")
        group = names.groups.get(action.group_id) or _("(deleted group #{id})").format(id=action.group_id)
        return f"{kind}: {group}"
    if action.kind is ActionKind.SEND_EMAIL:
        if action.campaign_id is None:
            return kind + ": " + _("(choose an email campaign)")
        campaign = names.campaigns.get(action.campaign_id) or _("(deleted campaign #{id})").format(id=action.campaign_id)
        return f"{kind}: {campaign}"
    staff = names.staff.get(action.staff_id, _("anyone")) if action.staff_id is not None else _("anyone")
    return _("{kind}: “{title}” for {staff}, due in {days} days").format(
        kind=kind, title=action.title, staff=staff, days=action.days or 0
    )
