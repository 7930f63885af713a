"""The catalogue item editor: name, kind, gross price, VAT rate, flags and the restriction to groups."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import ValidationError
from salon_desk.i18n import _, format_decimal, format_percent, parse_decimal
from salon_desk.kinds import ItemKind
from salon_desk.services import Changes, Services
from salon_desk.services.catalogue.catalog import VAT_RATES, ItemData, ItemInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import EditorDialog, FieldErrors, example_hint
from salon_desk.ui.groups.group_prices_page import EXAMPLE, kind_label
from salon_desk.ui.common.page_parts import hint_label

KINDS = (ItemKind.SERVICE, ItemKind.PRODUCT)
W = TypeVar("W", bound=QWidget)


def parse_money(text: str, field: str) -> Decimal:
    """A typed amount in the locale's format (``39,90`` in German), or a ValidationError naming ``field``."""
    try:
        return parse_decimal(text)
    except ValueError:
        raise ValidationError(
            _("Please enter the price as an amount such as {example}.").format(example=format_decimal(EXAMPLE)), field
        ) from None


class ItemEditorDialog(EditorDialog):
    """Create or edit a service or product; saves on OK and stays open on a refused save."""

    def __init__(self, services: Services, bus: DataBus, item: ItemInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemEditorDialog")
        self.services = services
        self.bus = bus
        self.item = item
        self.saved_item: ItemInfo | None = None
        self.errors = FieldErrors()
        self.setWindowTitle(_("New item") if item is None else _("Edit item “{name}”").format(name=item.name))
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_buttons())
        self._load(item)
        self.setMinimumWidth(460)
        self.restore()

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = self._named(QLineEdit(), "itemNameEdit")
        self.name_edit.setMaxLength(100)
        form.addRow(_("&Name:"), self.with_error("name", self.name_edit))
        self.kind_combo = self._named(QComboBox(), "itemKindCombo")
        for kind in KINDS:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        form.addRow(_("&Kind:"), self.kind_combo)
        self.price_edit = self._named(QLineEdit(), "itemPriceEdit")
        self.price_edit.setPlaceholderText(example_hint(format_decimal(EXAMPLE)))
        self.price_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(_("&Price incl. VAT (€):"), self.with_error("price", self.price_edit))
        self.vat_combo = self._named(QComboBox(), "itemVatCombo")
        for rate in VAT_RATES:
            self.vat_combo.addItem(format_percent(rate), str(rate))
        form.addRow(_("&VAT rate:"), self.with_error("vat_rate", self.vat_combo))
        self.no_discounts_check = self._named(
            QCheckBox(_("No &discounts (e.g. gift vouchers, deposits)")), "itemNoDiscountsCheck"
        )
        form.addRow("", self.no_discounts_check)
        self.active_check = self._named(QCheckBox(_("&Active: can be sold")), "itemActiveCheck")
        form.addRow("", self.active_check)
        form.addRow(_("Only for &groups:"), self._build_group_list())
        return form

    def _build_group_list(self) -> QWidget:
        self.group_list = self._named(QListWidget(), "itemGroupList")
        self.group_list.setFixedHeight(110)
        for group in self.services.groups.list(counts=False):
            entry = QListWidgetItem(group.name)
            entry.setData(Qt.ItemDataRole.UserRole, group.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.group_list.addItem(entry)
        box = self.with_error("restricted_to", self.group_list)
        hint = _(
            "Tick groups to sell the item only to their members (it is also hidden from everyone else at "
            "the check-in screen). Leave all unticked to sell it to everyone."
        )
        box.layout().addWidget(hint_label(hint))
        return box

    def _named(self, widget: W, name: str) -> W:
        widget.setObjectName(name)
        return widget

    def _build_buttons(self) -> QDialogButtonBox:
        return self.ok_cancel_buttons("saveItemButton", "cancelItemButton")

    def _load(self, item: ItemInfo | None) -> None:
        data = item or ItemData(name="", kind=ItemKind.SERVICE, price=Decimal(0))
        self.name_edit.setText(data.name)
        self.kind_combo.setCurrentIndex(KINDS.index(data.kind))
        self.price_edit.setText(format_decimal(data.price) if item is not None else "")
        self.vat_combo.setCurrentIndex(max(0, self.vat_combo.findData(str(data.vat_rate.normalize()))))
        self.no_discounts_check.setChecked(data.no_discounts)
        self.active_check.setChecked(data.active)
        for row in range(self.group_list.count()):
            entry = self.group_list.item(row)
            chosen = entry.data(Qt.ItemDataRole.UserRole) in data.restricted_to
            entry.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def chosen_groups(self) -> frozenset[int]:
        """The ids of the ticked groups."""
        entries = (self.group_list.item(row) for row in range(self.group_list.count()))
        return frozenset(e.data(Qt.ItemDataRole.UserRole) for e in entries if e.checkState() == Qt.CheckState.Checked)

    def data(self) -> ItemData:
        """What the form holds; a ValidationError when the price cannot be read."""
        if not self.price_edit.text().strip():
            raise ValidationError(_("Please enter the price including VAT."), "price")
        return ItemData(
            name=self.name_edit.text(),
            kind=KINDS[self.kind_combo.currentIndex()],
            price=parse_money(self.price_edit.text(), "price"),
            vat_rate=Decimal(self.vat_combo.currentData()),
            no_discounts=self.no_discounts_check.isChecked(),
            active=self.active_check.isChecked(),
            restricted_to=self.chosen_groups(),
        )

    def save(self) -> Changes:
        """Create or update the catalogue item."""
        data = self.data()
        if self.item is None:
            self.saved_item, changes = self.services.catalog.create_item(data)
        else:
            self.saved_item, changes = self.services.catalog.update_item(self.item.id, self.item.version, data)
        return changes
