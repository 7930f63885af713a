"""The special-offer editor: items, an offer price or a percentage off, and the dates (inclusive)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import ValidationError
from salon_desk.i18n import _, format_date, format_decimal, format_money, parse_decimal
from salon_desk.services import Changes, Services
from salon_desk.services.catalogue.catalog import OfferData, OfferInfo, OfferState, offer_state
from salon_desk.ui.common.bus import DataBus
from salon_desk.textindex import fold
from salon_desk.ui.common.forms import EditorDialog, FieldErrors, example_hint
from salon_desk.ui.groups.group_prices_page import EXAMPLE
from salon_desk.ui.catalogue.item_editor_dialog import parse_money
from salon_desk.ui.common.page_parts import hint_label

W = TypeVar("W", bound=QWidget)
WARNING_STYLE = "color: #A15C00;"
DEFAULT_DAYS = 30


def state_label(state: OfferState) -> str:
    """The translated name of an offer state."""
    return {OfferState.UPCOMING: _("Upcoming"), OfferState.ACTIVE: _("Active"), OfferState.ENDED: _("Ended")}[state]


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


class OfferEditorDialog(EditorDialog):
    """Create or edit a special offer; saves on OK and stays open on a refused save."""

    def __init__(
        self, services: Services, bus: DataBus, offer: OfferInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("offerEditorDialog")
        self.services = services
        self.bus = bus
        self.offer = offer
        self.saved_offer_id: int | None = None
        self.errors = FieldErrors()
        self.setWindowTitle(
            _("New special offer") if offer is None else _("Edit offer “{name}”").format(name=offer.name)
        )
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_buttons())
        self._load(offer)
        self.setMinimumWidth(520)
        self.restore()

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = _named(QLineEdit(), "offerNameEdit")
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText(_("e.g. Summer colour weeks"))
        form.addRow(_("&Name:"), self.with_error("name", self.name_edit))
        form.addRow(_("&Items:"), self._build_items())
        form.addRow(_("Offer:"), self._build_price())
        self.start_edit = self._date_edit("offerStartEdit")
        self.end_edit = self._date_edit("offerEndEdit")
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        form.addRow(_("&From:"), self.with_error("ends_on", self.end_edit, dates))
        self.state_label = _named(QLabel(), "offerStateLabel")
        form.addRow("", self.state_label)
        return form

    def _build_items(self) -> QWidget:
        self.filter_edit = _named(QLineEdit(), "offerItemFilterEdit")
        self.filter_edit.setPlaceholderText(_("Filter items"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.filter_items)
        self.item_list = _named(QListWidget(), "offerItemList")
        self.item_list.setMinimumHeight(160)
        self._list_prices: dict[int, tuple[str, Decimal]] = {}
        chosen = self.offer.item_ids if self.offer else frozenset()
        for item in self.services.catalog.list_items():
            if not item.active and item.id not in chosen:
                continue
            entry = QListWidgetItem(item.name if item.active else _("{name} (inactive)").format(name=item.name))
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self._list_prices[item.id] = (item.name, item.price)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.item_list.addItem(entry)
        self.item_list.itemChanged.connect(self.check_price)
        box = self.with_error("item_ids", self.item_list)
        box.layout().insertWidget(0, self.filter_edit)
        return box

    def _build_price(self) -> QWidget:
        self.price_radio = _named(QRadioButton(_("Offer &price (€):")), "offerPriceRadio")
        self.percent_radio = _named(QRadioButton(_("Percentage &off the list price:")), "percentOffRadio")
        self._kind = QButtonGroup(self)
        self._kind.addButton(self.price_radio)
        self._kind.addButton(self.percent_radio)
        self.price_edit = _named(QLineEdit(), "offerPriceEdit")
        self.price_edit.setPlaceholderText(example_hint(format_decimal(EXAMPLE)))
        self.percent_edit = _named(QLineEdit(), "percentOffEdit")
        self.percent_edit.setPlaceholderText(example_hint(format_decimal(Decimal(15), 0)))
        for edit in (self.price_edit, self.percent_edit):
            edit.setFixedWidth(100)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.price_radio.toggled.connect(self.update_price_state)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        for radio, edit, unit, field in (
            (self.price_radio, self.price_edit, "€", "offer_price"),
            (self.percent_radio, self.percent_edit, "%", "percent_off"),
        ):
            row = QHBoxLayout()
            row.addWidget(radio)
            row.addWidget(edit)
            row.addWidget(QLabel(unit))
            row.addStretch(1)
            column.addLayout(row)
            column.addWidget(self.errors.label_for(field, edit))
        self.price_warning = _named(QLabel(), "offerPriceWarning")
        self.price_warning.setStyleSheet(WARNING_STYLE)
        self.price_warning.setWordWrap(True)
        self.price_warning.hide()
        self.price_edit.textEdited.connect(self.check_price)
        column.addWidget(self.price_warning)
        column.addWidget(hint_label(_("The offer applies only where it is below the client's own price.")))
        return box

    def _date_edit(self, name: str) -> QDateEdit:
        edit = _named(QDateEdit(), name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.dateChanged.connect(self.update_state)
        return edit

    def _build_buttons(self) -> QDialogButtonBox:
        return self.ok_cancel_buttons("saveOfferButton", "cancelOfferButton")

    def _load(self, offer: OfferInfo | None) -> None:
        today = date.today()
        start, end = (offer.starts_on, offer.ends_on) if offer else (today, today + timedelta(days=DEFAULT_DAYS))
        self.start_edit.setDate(QDate(start.year, start.month, start.day))
        self.end_edit.setDate(QDate(end.year, end.month, end.day))
        if offer is not None:
            self.name_edit.setText(offer.name)
            self.set_chosen_items(offer.item_ids)
        percent = offer is not None and offer.percent_off is not None
        (self.percent_radio if percent else self.price_radio).setChecked(True)
        if offer is not None and offer.offer_price is not None:
            self.price_edit.setText(format_decimal(offer.offer_price))
        if offer is not None and offer.percent_off is not None:
            self.percent_edit.setText(format_decimal(offer.percent_off, 2 if offer.percent_off % 1 else 0))
        self.update_price_state()
        self.update_state()

    # -- reacting -------------------------------------------------------------------

    def set_chosen_items(self, item_ids: frozenset[int]) -> None:
        """Tick exactly the items ``item_ids``."""
        for row in range(self.item_list.count()):
            entry = self.item_list.item(row)
            ticked = entry.data(Qt.ItemDataRole.UserRole) in item_ids
            entry.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def chosen_items(self) -> frozenset[int]:
        """The ids of the ticked items (also those hidden by the filter)."""
        entries = (self.item_list.item(row) for row in range(self.item_list.count()))
        return frozenset(e.data(Qt.ItemDataRole.UserRole) for e in entries if e.checkState() == Qt.CheckState.Checked)

    def filter_items(self, text: str) -> None:
        """Show only the items whose name contains ``text``."""
        needle = text.strip().casefold()
        for row in range(self.item_list.count()):
            entry = self.item_list.item(row)
            entry.setHidden(bool(needle) and needle not in entry.text().casefold())

    def update_price_state(self) -> None:
        """Only the chosen kind of offer can be typed."""
        self.price_edit.setEnabled(self.price_radio.isChecked())
        self.percent_edit.setEnabled(self.percent_radio.isChecked())
        self.check_price()

    def check_price(self) -> None:
        """Warn when the offer price is not below the list price of a chosen item: there it is no offer."""
        price = None
        if self.price_radio.isChecked() and self.price_edit.text().strip():
            try:
                price = parse_money(self.price_edit.text(), "offer_price")
            except ValidationError:
                price = None
        chosen = self.chosen_items() if price is not None else frozenset()
        dear = sorted(
            (self._list_prices[i] for i in chosen if i in self._list_prices and self._list_prices[i][1] <= price),
            key=lambda named: fold(named[0]),
        )
        if dear:
            items = ", ".join(f"{name} ({format_money(list_price)})" for name, list_price in dear)
            self.price_warning.setText(
                _("The offer price is not below the list price of: {items}. It saves those clients nothing.").format(
                    items=items
                )
            )
        self.price_warning.setVisible(bool(dear))

    def update_state(self) -> None:
        """Say whether the offer is upcoming, active or ended with these dates."""
        start, end = self.start_edit.date().toPython(), self.end_edit.date().toPython()
        if end < start:
            self.state_label.setText(_("The offer cannot end before it starts."))
            return
        state = offer_state(start, end, date.today())
        self.state_label.setText(
            _("{state}: from {start} to {end}, both days included.").format(
                state=state_label(state), start=format_date(start), end=format_date(end)
            )
        )

    # -- saving ---------------------------------------------------------------------

    def data(self) -> OfferData:
        """What the form holds; a ValidationError when the price or percentage cannot be read."""
        price = percent = None
        if self.price_radio.isChecked():
            if not self.price_edit.text().strip():
                raise ValidationError(_("Please enter the offer price."), "offer_price")
            price = parse_money(self.price_edit.text(), "offer_price")
        else:
            percent = self._read_percent()
        return OfferData(
            name=self.name_edit.text(),
            item_ids=self.chosen_items(),
            starts_on=self.start_edit.date().toPython(),
            ends_on=self.end_edit.date().toPython(),
            offer_price=price,
            percent_off=percent,
        )

    def _read_percent(self) -> Decimal:
        try:
            return parse_decimal(self.percent_edit.text())
        except ValueError:
            raise ValidationError(
                _("Please enter the percentage off as a number such as {example}.").format(example=15), "percent_off"
            ) from None

    def save(self) -> Changes:
        """Create or update the special offer."""
        data = self.data()
        if self.offer is None:
            self.saved_offer_id, changes = self.services.catalog.create_offer(data)
            return changes
        self.saved_offer_id = self.offer.id
        return self.services.catalog.update_offer(self.offer.id, data, self.offer.version)
