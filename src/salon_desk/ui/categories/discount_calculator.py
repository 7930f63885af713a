"""The discount calculator: a percentage typed directly or worked out from a price and the price to pay."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_symbol
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import ValidationError
from salon_desk.i18n import CURRENCY, _, format_decimal, format_money, format_percent, locale_name, parse_decimal
from salon_desk.kinds import DiscountScope
from salon_desk.ui.common.forms import ERROR_STYLE, RememberedDialog, example_hint

CENT = Decimal("0.01")
MIN_PERCENT = Decimal("0.01")
MAX_PERCENT = Decimal("100")
SAMPLE_PRICE = Decimal("50")
HINT_STYLE = "color: palette(placeholder-text);"


def parse_percent(text: str) -> Decimal:
    """A discount typed in the active locale, or a ValidationError for the field ``discount_percent``."""
    try:
        percent = parse_decimal(text)
    except ValueError:
        percent = Decimal("NaN")
    if not percent.is_finite():
        example = format_decimal(Decimal("12.5"), 1)
        raise ValidationError(
            _("“{text}” is not a number. Type the discount as e.g. {example}.").format(
                text=text.strip(), example=example
            ),
            "discount_percent",
        )
    if percent < MIN_PERCENT or percent > MAX_PERCENT:
        raise ValidationError(
            _("A discount must be between {low} and {high}.").format(
                low=format_percent(MIN_PERCENT), high=format_percent(MAX_PERCENT)
            ),
            "discount_percent",
        )
    if percent != percent.quantize(CENT):
        raise ValidationError(_("A discount may have at most two decimal places."), "discount_percent")
    return percent


def percent_text(percent: Decimal) -> str:
    """A percentage for an input field: ``10`` or ``12,50`` in German."""
    return format_decimal(percent, 0 if percent == percent.to_integral_value() else 2)


def discounted(price: Decimal, percent: Decimal) -> Decimal:
    """What is paid for ``price`` with ``percent`` off, rounded half-up to the cent."""
    return (price * (100 - percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def scope_label(scope: DiscountScope) -> str:
    """The translated name of a discount scope."""
    labels = {
        DiscountScope.SERVICES: _("Services"),
        DiscountScope.PRODUCTS: _("Products"),
        DiscountScope.BOTH: _("Services and products"),
    }
    return labels[scope]


def parse_price(text: str, what: str) -> Decimal:
    """A price typed in the active locale; ``what`` names the field in the message."""
    try:
        price = parse_decimal(text)
    except ValueError:
        price = Decimal("NaN")
    if not price.is_finite():
        raise ValidationError(
            _("{what}: “{text}” is not a price. Type e.g. {example}.").format(
                what=what, text=text.strip(), example=format_decimal(Decimal("49.90"))
            )
        )
    if price < 0:
        raise ValidationError(_("{what} cannot be negative.").format(what=what))
    if price != price.quantize(CENT):
        raise ValidationError(_("{what} may have at most two decimal places (cents).").format(what=what))
    return price


class DiscountCalculatorDialog(RememberedDialog):
    """Type the percentage, or a sample price and the price the client should pay."""

    def __init__(self, initial_percent: Decimal | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("discountCalculatorDialog")
        self.setWindowTitle(_("Discount calculator"))
        self._percent: Decimal | None = None
        self._build()
        if initial_percent is not None:
            self.percent_edit.setText(percent_text(initial_percent))
        self.refresh()
        self.restore()

    def _build(self) -> None:
        intro = QLabel(_("Type the discount directly, or a sample price and the price the client should pay."))
        intro.setWordWrap(True)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("calcPreviewLabel")
        self.message_label = QLabel()
        self.message_label.setObjectName("calcMessageLabel")
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(self._build_form())
        layout.addWidget(self.preview_label)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def _build_form(self) -> QFormLayout:
        self.percent_edit = self._line_edit("calcPercentEdit", percent_text(Decimal(10)))
        self.price_edit = self._line_edit("calcPriceEdit", format_decimal(SAMPLE_PRICE))
        self.target_edit = self._line_edit("calcTargetPriceEdit", format_decimal(Decimal(45)))
        self.percent_edit.textEdited.connect(self.on_percent_edited)
        self.price_edit.textEdited.connect(self.on_price_edited)
        self.target_edit.textEdited.connect(self.on_target_edited)
        form = QFormLayout()
        form.addRow(_("&Discount:"), _with_unit(self.percent_edit, "%"))
        separator = QLabel(_("or work it out from a price:"))
        separator.setStyleSheet(HINT_STYLE)
        form.addRow(separator)
        symbol = get_currency_symbol(CURRENCY, locale=locale_name())
        form.addRow(_("Sample p&rice:"), _with_unit(self.price_edit, symbol))
        form.addRow(_("The client &pays:"), _with_unit(self.target_edit, symbol))
        return form

    def _line_edit(self, name: str, example: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(example_hint(example))
        edit.setMaxLength(20)
        return edit

    def ok_button(self) -> QWidget:
        """The OK button (disabled while the input is incomplete or wrong)."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def percent(self) -> Decimal:
        """The chosen discount in percent (valid once OK is enabled)."""
        if self._percent is None:
            raise ValueError("no valid percentage")
        return self._percent

    def on_percent_edited(self) -> None:
        """A typed percentage: the preview shows what the sample price costs with it."""
        self.refresh()

    def on_price_edited(self) -> None:
        """A new sample price: recompute the percentage when the price to pay is typed too."""
        if self.target_edit.text().strip():
            self._fill_percent()
        self.refresh()

    def on_target_edited(self) -> None:
        """A new price to pay: recompute the percentage."""
        self._fill_percent()
        self.refresh()

    def _fill_percent(self) -> None:
        """Put (price − target) / price, rounded half-up to two places, into the percentage field.

        While the prices cannot give one (a typo, the price to pay above the sample price, one of
        them emptied), the result worked out from them before is cleared: it no longer holds.
        """
        try:
            price, target = self._prices()
        except ValidationError:
            price = target = None
        if price is None or target is None or price <= 0 or target >= price:
            self.percent_edit.clear()
            return
        percent = ((price - target) * 100 / price).quantize(CENT, rounding=ROUND_HALF_UP)
        self.percent_edit.setText(percent_text(percent))

    def _prices(self) -> tuple[Decimal | None, Decimal | None]:
        price_text, target_text = self.price_edit.text(), self.target_edit.text()
        price = parse_price(price_text, _("The sample price")) if price_text.strip() else None
        target = parse_price(target_text, _("The price to pay")) if target_text.strip() else None
        return price, target

    def _check(self) -> tuple[Decimal | None, Decimal | None]:
        """The percentage (None while empty) and the sample price; ValidationError when wrong."""
        price, target = self._prices()
        if price is not None and price == 0:
            raise ValidationError(_("The sample price must be more than 0."))
        if price is not None and target is not None and target > price:
            raise ValidationError(_("The price to pay cannot be higher than the sample price."))
        if price is not None and target == price:
            raise ValidationError(_("The price to pay is the same as the sample price: that is no discount."))
        text = self.percent_edit.text()
        return (parse_percent(text) if text.strip() else None), price

    def refresh(self) -> None:
        """Show the preview or what is wrong; OK only with a valid percentage."""
        try:
            self._percent, price = self._check()
            message = ""
        except ValidationError as exc:
            self._percent, price, message = None, None, exc.message
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))
        self.ok_button().setEnabled(self._percent is not None)
        self.preview_label.setText(self._preview(price))
        self.preview_label.setStyleSheet("font-weight: 600;" if self._percent is not None else HINT_STYLE)

    def _preview(self, price: Decimal | None) -> str:
        if self._percent is None:
            return _("The result will be shown here.")
        base = price if price is not None else SAMPLE_PRICE
        return _("{price} → {target} (−{percent})").format(
            price=format_money(base),
            target=format_money(discounted(base, self._percent)),
            percent=format_percent(self._percent),
        )


def _with_unit(edit: QLineEdit, unit: str) -> QWidget:
    """The field followed by its unit (``%`` or ``€``)."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    box.setFocusProxy(edit)
    label = QLabel(unit)
    label.setMinimumWidth(14)
    row.addWidget(label)
    return box
