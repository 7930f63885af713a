"""A combo box of the bundled category icons, drawn in the category's colour."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QComboBox, QWidget

from salon_desk.i18n import N_, _
from salon_desk.paths import icon_names
from salon_desk.ui.common.icons import category_icon

COMBO_ICON_SIZE = 20

# Readable names of the bundled icons; an icon added later without a label shows its file name.
ICON_LABELS = {
    "baby": N_("Baby"),
    "briefcase": N_("Briefcase"),
    "calendar": N_("Calendar"),
    "crown": N_("Crown"),
    "diamond": N_("Diamond"),
    "flag": N_("Flag"),
    "gift": N_("Gift"),
    "graduation": N_("Graduation cap"),
    "heart": N_("Heart"),
    "home": N_("House"),
    "leaf": N_("Leaf"),
    "megaphone": N_("Megaphone"),
    "percent": N_("Percent sign"),
    "phone": N_("Phone"),
    "scissors": N_("Scissors"),
    "sparkle": N_("Sparkle"),
    "star": N_("Star"),
    "sun": N_("Sun"),
    "tag": N_("Tag"),
    "users": N_("People"),
}


def icon_label(name: str) -> str:
    """The translated, readable name of a bundled icon."""
    label = ICON_LABELS.get(name)
    return _(label) if label else name.replace("-", " ").replace("_", " ").capitalize()


class IconCombo(QComboBox):
    """Every bundled icon with its readable name; the item data is the icon's file name."""

    def __init__(self, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIconSize(QSize(COMBO_ICON_SIZE, COMBO_ICON_SIZE))
        self.setMaxVisibleItems(12)
        for name in icon_names():
            self.addItem(category_icon(name, color, COMBO_ICON_SIZE), icon_label(name), name)

    def icon_name(self) -> str:
        """The chosen icon's file name."""
        return str(self.currentData() or "")

    def set_icon_name(self, name: str) -> None:
        """Select the icon ``name`` (the first icon when it is not bundled)."""
        index = self.findData(name)
        self.setCurrentIndex(max(index, 0))

    def set_color(self, color: str) -> None:
        """Draw every icon in ``color``."""
        for index in range(self.count()):
            self.setItemIcon(index, category_icon(str(self.itemData(index)), color, COMBO_ICON_SIZE))
