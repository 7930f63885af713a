"""The category editor: name, colour, icon, default flag and the optional discount of a client category."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import ValidationError
from salon_desk.i18n import _, format_money, ngettext
from salon_desk.kinds import DiscountScope
from salon_desk.services import Changes, Services
from salon_desk.services.categories.categories import NAME_MAX, CategoryData, CategoryInfo
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.discount_calculator import (
    HINT_STYLE,
    SAMPLE_PRICE,
    DiscountCalculatorDialog,
    discounted,
    parse_percent,
    percent_text,
    scope_label,
)
from salon_desk.ui.common.forms import EditorDialog, FieldErrors, example_hint
from salon_desk.ui.categories.icon_combo import IconCombo
from salon_desk.ui.common.icons import color_swatch

W = TypeVar("W", bound=QWidget)
SCOPES = (DiscountScope.SERVICES, DiscountScope.PRODUCTS, DiscountScope.BOTH)


class CategoryEditorDialog(EditorDialog):
    """Create or edit a category; saves through the services on OK and stays open on a refused save."""

    def __init__(
        self, services: Services, bus: DataBus, category: CategoryInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("categoryEditorDialog")
        self.services = services
        self.bus = bus
        self.category = category
        self.saved_category: CategoryInfo | None = None
        self.calculator: DiscountCalculatorDialog | None = None
        self.errors = FieldErrors()
        self._color = category.color if category else CategoryData(name="").color
        if category is None:
            self.setWindowTitle(_("New category"))
        else:
            self.setWindowTitle(_("Edit category “{name}”").format(name=category.name))
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self._build_category_group())
        layout.addWidget(self._build_discount_group())
        layout.addStretch(1)
        layout.addWidget(self._build_buttons())
        self._load(category or CategoryData(name=""))
        self._connect()
        self.update_discount_state()
        self.setMinimumWidth(max(480, self.minimumSizeHint().width()))
        self.restore()

    # -- building -------------------------------------------------------------------

    def _build_category_group(self) -> QGroupBox:
        box = QGroupBox(_("Category"))
        form = _form(box)
        self.name_edit = _named(QLineEdit(), "categoryNameEdit")
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText(_("e.g. Student"))
        form.addRow(_("&Name:"), self._with_error("name", self.name_edit))
        self.description_edit = _named(QPlainTextEdit(), "categoryDescriptionEdit")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(_("Optional: who belongs here, what proof is needed"))
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form.addRow(_("&Description:"), self.description_edit)
        self.color_button = _named(QPushButton(), "categoryColorButton")
        self.color_button.setIconSize(QSize(16, 16))
        self.color_button.setToolTip(_("Choose the category's colour"))
        form.addRow(_("&Colour:"), self._with_error("color", self.color_button, stretch=True))
        self.icon_combo = _named(IconCombo(self._color), "categoryIconCombo")
        form.addRow(_("&Icon:"), self._with_error("icon", self.icon_combo, stretch=True))
        self.default_check = _named(
            QCheckBox(_("Give to new clients &automatically (default category)")), "categoryDefaultCheck"
        )
        self.default_hint = _hint()
        form.addRow("", _stacked(self.default_check, self.default_hint))
        self.assign_check = _named(QCheckBox(), "assignUncategorizedCheck")
        form.addRow("", self.assign_check)
        return box

    def _build_discount_group(self) -> QGroupBox:
        box = QGroupBox(_("Discount"))
        form = _form(box)
        self.discount_check = _named(QCheckBox(_("Members get a disc&ount")), "discountCheck")
        form.addRow("", self.discount_check)
        self.percent_label = QLabel(_("&Percentage:"))
        form.addRow(self.percent_label, self._build_percent_row())
        self.scope_combo = _named(QComboBox(), "discountScopeCombo")
        for scope in SCOPES:
            self.scope_combo.addItem(scope_label(scope), scope.value)
        self.scope_label = QLabel(_("Applies &to:"))
        self.scope_label.setBuddy(self.scope_combo)
        form.addRow(self.scope_label, _left(self.scope_combo))
        self.offers_check = _named(QCheckBox(_("Also on &special offers")), "specialOffersCheck")
        form.addRow("", self._with_error("applies_to_offers", self.offers_check))
        self.preview_label = _named(QLabel(), "discountPreviewLabel")
        self.preview_label.setWordWrap(True)
        form.addRow("", self.preview_label)
        return box

    def _build_percent_row(self) -> QWidget:
        """The percentage field, its unit and the calculator button, with the error label under them."""
        self.percent_edit = _named(QLineEdit(), "discountPercentEdit")
        self.percent_edit.setMaxLength(12)
        self.percent_edit.setFixedWidth(90)
        self.percent_edit.setPlaceholderText(example_hint("10"))
        self.percent_label.setBuddy(self.percent_edit)
        self.calculator_button = _named(QPushButton(_("Ca&lculator…")), "discountCalculatorButton")
        self.calculator_button.setToolTip(_("Work the percentage out from a price and the price to pay"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.percent_edit)
        row.addWidget(QLabel("%"))
        row.addSpacing(8)
        row.addWidget(self.calculator_button)
        row.addStretch(1)
        return self._with_error("discount_percent", self.percent_edit, row=row)

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("saveCategoryButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelCategoryButton")
        return self.buttons

    def _with_error(
        self, field: str, widget: QWidget, stretch: bool = False, row: QHBoxLayout | None = None
    ) -> QWidget:
        """``widget`` (or the ``row`` holding it) with the error label of ``field`` under it."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if row is not None:
            column.addLayout(row)
        elif stretch:
            column.addWidget(_left(widget))
        else:
            column.addWidget(widget)
        label = self.errors.label_for(field, widget)
        column.addWidget(label)
        if field == "discount_percent":
            self._percent_error = label
        box.setFocusProxy(widget)
        return box

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.save_and_accept)
        self.buttons.rejected.connect(self.reject)
        self.color_button.clicked.connect(self.choose_color)
        self.calculator_button.clicked.connect(self.open_calculator)
        self.default_check.toggled.connect(self.update_default_hint)
        self.discount_check.toggled.connect(self.update_discount_state)
        self.percent_edit.textEdited.connect(self.on_percent_edited)
        self.percent_edit.editingFinished.connect(self.check_percent)
        self.scope_combo.currentIndexChanged.connect(self.update_preview)

    # -- loading --------------------------------------------------------------------

    def _load(self, data: CategoryData) -> None:
        self.name_edit.setText(data.name)
        self.description_edit.setPlainText(data.description)
        self.set_color(data.color)
        self.icon_combo.set_icon_name(data.icon)
        self.default_check.setChecked(data.is_default)
        self.discount_check.setChecked(data.discount_percent is not None)
        if data.discount_percent is not None:
            self.percent_edit.setText(percent_text(data.discount_percent))
        self.scope_combo.setCurrentIndex(SCOPES.index(data.discount_scope))
        self.offers_check.setChecked(data.applies_to_offers)
        self._load_counts()

    def _load_counts(self) -> None:
        """The assign-uncategorised option (only while such clients exist) and the current default."""
        count = self.services.categories.uncategorised_count()
        self.assign_check.setText(
            ngettext(
                "Assign the {count} client without a category",
                "Assign the {count} clients without a category",
                count,
            ).format(count=count)
        )
        self.assign_check.setVisible(count > 0)
        own_id = self.category.id if self.category else None
        default = next((c for c in self.services.categories.list() if c.is_default and c.id != own_id), None)
        self._other_default = default.name if default else ""
        self.update_default_hint()

    # -- reacting -------------------------------------------------------------------

    def set_color(self, color: str) -> None:
        """Use ``color`` (#RRGGBB) for the button's swatch and the icons."""
        self._color = color.upper()
        self.color_button.setText(self._color)
        self.color_button.setIcon(color_swatch(self._color, 16))
        self.icon_combo.set_color(self._color)

    def choose_color(self) -> None:
        """Pick the colour in the system's colour dialog."""
        color = QColorDialog.getColor(QColor(self._color), self, _("Category colour"))
        if color.isValid():
            self.set_color(color.name())

    def update_default_hint(self) -> None:
        """Say which category stops being the default when this one becomes it."""
        text = ""
        if self.default_check.isChecked() and self._other_default:
            text = _("“{name}” will no longer be the default category.").format(name=self._other_default)
        self.default_hint.setText(text)
        self.default_hint.setVisible(bool(text))

    def update_discount_state(self) -> None:
        """The discount fields are usable only with a discount."""
        enabled = self.discount_check.isChecked()
        for widget in (self.percent_edit, self.percent_label, self.calculator_button, self.scope_combo):
            widget.setEnabled(enabled)
        self.scope_label.setEnabled(enabled)
        self.offers_check.setEnabled(enabled)
        if enabled and not self.percent_edit.text():
            self.percent_edit.setFocus()
        self.update_preview()

    def on_percent_edited(self) -> None:
        """Update the preview; drop an old message once the text is a valid percentage."""
        if self._typed_percent() is not None:
            self.errors.clear()
        self.update_preview()

    def check_percent(self) -> None:
        """When leaving the field: say at once what is wrong with the percentage."""
        text = self.percent_edit.text()
        if not self.discount_check.isChecked() or not text.strip():
            return
        try:
            parse_percent(text)
        except ValidationError as exc:
            # Shown without FieldErrors.show(), which would pull the focus back into the field.
            self._percent_error.setText(exc.message)
            self._percent_error.show()

    def update_preview(self) -> None:
        """One line showing what a sample item costs for members."""
        percent = self._typed_percent() if self.discount_check.isChecked() else None
        if not self.discount_check.isChecked():
            text = _("Without a discount the category only marks clients: for filters, marketing and statistics.")
        elif percent is None:
            text = _("Type the percentage or use the calculator.")
        else:
            text = self._preview_text(percent)
        self.preview_label.setText(text)
        self.preview_label.setStyleSheet("" if percent is not None else HINT_STYLE)

    def _preview_text(self, percent: Decimal) -> str:
        price, target = format_money(SAMPLE_PRICE), format_money(discounted(SAMPLE_PRICE, percent))
        scope = SCOPES[self.scope_combo.currentIndex()]
        if scope is DiscountScope.SERVICES:
            return _("A {price} service costs {target}.").format(price=price, target=target)
        if scope is DiscountScope.PRODUCTS:
            return _("A {price} product costs {target}.").format(price=price, target=target)
        return _("A {price} service or product costs {target}.").format(price=price, target=target)

    def _typed_percent(self) -> Decimal | None:
        try:
            return parse_percent(self.percent_edit.text())
        except ValidationError:
            return None

    def open_calculator(self) -> None:
        """Open the discount calculator with the typed percentage; its result comes back into the field."""
        if self.calculator is not None:
            self.calculator.deleteLater()
        self.calculator = DiscountCalculatorDialog(self._typed_percent(), self)
        self.calculator.accepted.connect(self.take_calculated_percent)
        self.calculator.open()

    def take_calculated_percent(self) -> None:
        """Write the calculator's percentage into the discount field."""
        if self.calculator is not None:
            self.percent_edit.setText(percent_text(self.calculator.percent()))
            self.on_percent_edited()

    # -- saving ---------------------------------------------------------------------

    def data(self) -> CategoryData:
        """What the form holds; a ValidationError when the percentage cannot be read."""
        discount = self.discount_check.isChecked()
        percent = self._read_percent() if discount else None
        return CategoryData(
            name=self.name_edit.text(),
            description=self.description_edit.toPlainText(),
            color=self._color,
            icon=self.icon_combo.icon_name(),
            is_default=self.default_check.isChecked(),
            discount_percent=percent,
            discount_scope=SCOPES[self.scope_combo.currentIndex()],
            applies_to_offers=discount and self.offers_check.isChecked(),
        )

    def _read_percent(self) -> Decimal:
        if not self.percent_edit.text().strip():
            raise ValidationError(
                _("Please enter the discount in percent, or untick “Members get a discount”."), "discount_percent"
            )
        return parse_percent(self.percent_edit.text())

    def save(self) -> Changes:
        """Create or update the category, giving it to the uncategorised clients when ticked."""
        assign = self.assign_check.isVisibleTo(self) and self.assign_check.isChecked()
        data = self.data()
        if self.category is None:
            self.saved_category, changes = self.services.categories.create(data, assign)
        else:
            self.saved_category, changes = self.services.categories.update(
                self.category.id, self.category.version, data, assign
            )
        return changes


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def _form(box: QGroupBox) -> QFormLayout:
    form = QFormLayout(box)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(8)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _hint() -> QLabel:
    label = QLabel()
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _stacked(*widgets: QWidget) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    for widget in widgets:
        column.addWidget(widget)
    box.setFocusProxy(widgets[0])
    return box


def _left(widget: QWidget) -> QWidget:
    """``widget`` at its natural width, left-aligned in a form row."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    box.setFocusProxy(widget)
    return box
