"""The checkout: ring up services and products for a client; group prices and discounts apply by themselves."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_money, format_percent
from salon_desk.models import utcnow
from salon_desk.pricing import ManualDiscount, SaleQuote
from salon_desk.services import Changes, Services
from salon_desk.services.checkout.checkout import ApprovalRequiredError, Cart, Payment, SaleRecord
from salon_desk.services.checkout.receipt import build_receipt
from salon_desk.services.staff.approval import Approval, ApprovalPurpose
from salon_desk.services.checkout.why_price import why_data
from salon_desk.ui.checkout import receipt_printer
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.checkout.cart_box import CartBox
from salon_desk.ui.checkout.checkout_cart_model import QUANTITY, CartRow
from salon_desk.ui.checkout.checkout_client_panel import CheckoutClientPanel
from salon_desk.ui.common.forms import restore_geometry, save_geometry
from salon_desk.ui.checkout.item_picker_panel import ItemPickerPanel
from salon_desk.ui.checkout.payment_panel import PaymentPanel
from salon_desk.ui.checkout.sales_list_dialog import SalesListDialog, ask_approval
from salon_desk.ui.checkout.totals_panel import TotalBox, VatTable

MUTED_STYLE = "color: palette(placeholder-text);"


class CheckoutWindow(QWidget):
    """Client, cart, totals with VAT, payment; Complete stores the sale and shows its receipt."""

    sig_sale_completed = Signal(object)
    """Emitted after a sale was stored and its receipt written.

    Args:
        sale (SaleRecord): the stored sale.
    """

    def __init__(
        self,
        services: Services,
        bus: DataBus,
        parent: QWidget | None = None,
        client_id: int | None = None,
        as_window: bool = False,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window if as_window else Qt.WindowType.Widget)
        self.setObjectName("checkoutWindow")
        self.setWindowTitle(_("Checkout"))
        if as_window:
            self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.services = services
        self.bus = bus
        self.rows: list[CartRow] = []
        self.sale_manual: ManualDiscount | None = None
        self.started_at: datetime | None = None
        self.quote: SaleQuote | None = None
        self.last_sale: SaleRecord | None = None
        self.last_pdf: Path | None = None
        self.preview: QDialog | None = None
        self.sales_dialog: SalesListDialog | None = None
        self._build()
        self.reload_catalogue()
        self.set_client(client_id)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        if as_window:
            self.resize(1280, 760)
            restore_geometry(self)

    # -- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.client_panel = CheckoutClientPanel(self.services, self)
        self.client_panel.sig_client_chosen.connect(self.set_client)
        self.client_panel.sig_open_card.connect(self.open_card)
        self.picker = ItemPickerPanel(self)
        self.picker.sig_item_chosen.connect(self.add_item)
        left = QVBoxLayout()
        left.addWidget(self.client_panel)
        left.addWidget(self.picker, 1)
        # The sale in the middle takes the width the client, the items and the payment leave it:
        # at 1240 pixels a line's name, quantity, price, discount and total fit side by side.
        layout = QHBoxLayout(self)
        layout.addLayout(left, 4)
        layout.addLayout(self._build_cart(), 9)
        layout.addLayout(self._build_right(), 4)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.complete_sale)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_line)

    def _button(self, text: str, name: str, slot: object, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _build_cart(self) -> QVBoxLayout:
        self.cart_box = CartBox(self)
        self.model = self.cart_box.model
        self.table = self.cart_box.table
        self.message_label = self.cart_box.message_label
        self.sale_discount_label = self.cart_box.sale_discount_label
        self.model.sig_quantity_edited.connect(self.set_quantity)
        self.table.doubleClicked.connect(self.on_double_click)
        self.cart_box.sig_quantity_step.connect(self.change_quantity)
        self.cart_box.sig_remove.connect(self.remove_line)
        self.cart_box.sig_line_discount.connect(self.set_line_discount)
        self.cart_box.sig_sale_discount.connect(self.set_sale_discount)
        self.cart_box.sig_why.connect(self.show_why)
        self.vat_table = VatTable(self)
        vat_box = QGroupBox(_("VAT"))
        QVBoxLayout(vat_box).addWidget(self.vat_table)
        column = QVBoxLayout()
        column.addWidget(self.cart_box, 1)
        column.addWidget(vat_box)
        return column

    def _build_right(self) -> QVBoxLayout:
        totals = TotalBox(self)
        self.total_box = totals
        self.discount_label = totals.discount_label
        self.total_label = totals.total_label
        self.payment = PaymentPanel(self)
        self.payment.sig_submitted.connect(self.complete_sale)
        self.complete_button = self._button(
            _("&Complete sale"),
            "completeSaleButton",
            self.complete_sale,
            _("Store the sale and print the receipt (Ctrl+Enter)"),
        )
        self.complete_button.setMinimumHeight(48)
        self.complete_button.setDefault(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("saleStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(MUTED_STYLE)
        row = QHBoxLayout()
        row.addWidget(self._button(_("&New sale"), "newSaleButton", self.new_sale, _("Empty the cart")))
        row.addWidget(self._button(_("&Past sales…"), "pastSalesButton", self.open_sales, _("Reprint or cancel")))
        right = QVBoxLayout()
        right.addWidget(totals)
        right.addWidget(self.payment)
        right.addWidget(self.complete_button)
        right.addWidget(self.status_label)
        right.addStretch(1)
        right.addLayout(row)
        return right

    # -- the client ---------------------------------------------------------------------

    @property
    def client_id(self) -> int | None:
        """The client being served, or None."""
        client = self.client_panel.client
        return client.id if client is not None else None

    def set_client(self, client_id: int | None) -> None:
        """Serve ``client_id`` (None: without a client); lines the client may not buy are taken out."""
        try:
            client = self.services.checkout.client(client_id) if client_id is not None else None
        except SalonError as error:
            self.show_message(error.message)
            client = None
        self.client_panel.show_client(client)
        self.reload_catalogue()
        restricted = {item.id for item in self.picker.items if item.restricted}
        refused = [row for row in self.rows if row.item.id in restricted]
        self.rows = [row for row in self.rows if row not in refused]
        self.requote()
        if refused:
            names = ", ".join(f"“{row.item.name}”" for row in refused)
            self.show_message(_("Taken out of the sale, as this client may not buy them: {names}.").format(names=names))

    def reload_catalogue(self) -> None:
        """Fetch the sellable items and the quick buttons again."""
        self.picker.load(self.services.checkout.sellable_items(self.client_id), self.services.checkout.quick_items())

    # -- the cart -------------------------------------------------------------------------

    def add_item(self, item_id: int) -> None:
        """Add one of the item (or one more, when it is already in the sale without its own discount)."""
        self.show_message("")
        refusal = self.services.checkout.refusal(self.client_id, item_id)
        if refusal:
            self.show_message(refusal)
            return
        item = next((i for i in self.picker.items if i.id == item_id), None)
        if item is None:
            return
        index = next((i for i, r in enumerate(self.rows) if r.item.id == item_id and r.manual is None), None)
        if index is None:
            self.rows.append(CartRow(item))
            index = len(self.rows) - 1
        else:
            self.rows = self.model.with_quantity(index, self.rows[index].quantity + 1)
        self.started_at = self.started_at or utcnow()
        self.requote(select=index)

    def current_row(self) -> int | None:
        """The selected cart row."""
        return self.cart_box.current_row()

    def set_quantity(self, row: int, quantity: int) -> None:
        """Set the quantity of ``row``."""
        self.rows = self.model.with_quantity(row, quantity)
        self.requote(select=row)

    def change_quantity(self, step: int) -> None:
        """One more or one fewer of the selected line (at least one)."""
        row = self.current_row()
        if row is not None and 1 <= self.rows[row].quantity + step <= 999:
            self.set_quantity(row, self.rows[row].quantity + step)

    def remove_line(self) -> None:
        """Take the selected line out of the sale."""
        row = self.current_row()
        if row is None:
            return
        del self.rows[row]
        self.requote(select=min(row, len(self.rows) - 1))

    def on_double_click(self, index: QModelIndex) -> None:
        """A double-click outside the quantity explains the price."""
        if index.column() != QUANTITY:
            self.show_why()

    def requote(self, select: int | None = None) -> None:
        """Price the cart again and show lines, VAT and totals."""
        self.quote = None
        try:
            cart = [row.cart_line() for row in self.rows]
            self.quote = self.services.checkout.quote(self.client_id, cart, self.sale_manual)
        except SalonError as error:
            self.show_message(error.message)
        group = self.client_panel.client.group_name if self.client_panel.client else ""
        self.model.set_cart(self.rows, self.quote.lines if self.quote else (), group)
        if select is not None and 0 <= select < len(self.rows):
            self.table.selectRow(select)
        self._show_totals()

    def _show_totals(self) -> None:
        quote = self.quote
        self.vat_table.show_quote(quote)
        total = self.total_box.show_quote(quote)
        self.payment.set_total(total)
        manual = self.sale_manual
        self.sale_discount_label.setText(
            _("Manual discount on the whole sale: −{percent} ({reason})").format(
                percent=format_percent(manual.percent), reason=manual.reason
            )
            if manual
            else ""
        )
        self.complete_button.setEnabled(bool(self.rows) and quote is not None)

    def show_message(self, text: str) -> None:
        """Say what went wrong (or nothing)."""
        self.cart_box.show_message(text)

    # -- discounts and explanations --------------------------------------------------------

    def _discount_dialog(self, target: str, current: ManualDiscount | None) -> tuple[bool, ManualDiscount | None]:
        from salon_desk.ui.checkout.manual_discount_dialog import ManualDiscountDialog

        actor = self.services.workstation.actor
        dialog = ManualDiscountDialog(target, actor.name, self.services.checkout.manual_limit(), current, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return accepted, dialog.discount

    def set_line_discount(self) -> None:
        """A manual discount on the selected line."""
        row = self.current_row()
        if row is None:
            self.show_message(_("Select a line first."))
            return
        cart_row = self.rows[row]
        target = _("Discount on “{item}”").format(item=cart_row.item.name)
        accepted, discount = self._discount_dialog(target, cart_row.manual)
        if accepted:
            self.rows[row] = CartRow(cart_row.item, cart_row.quantity, discount)
            self.requote(select=row)

    def set_sale_discount(self) -> None:
        """A manual discount on every line of the sale."""
        accepted, discount = self._discount_dialog(_("Discount on the whole sale"), self.sale_manual)
        if accepted:
            self.sale_manual = discount
            self.requote(select=self.current_row())

    def show_why(self) -> None:
        """Explain the selected line's price."""
        from salon_desk.ui.checkout.why_price_dialog import WhyPriceDialog

        row = self.current_row()
        line = self.model.priced_line(row) if row is not None else None
        if line is None:
            self.show_message(_("Select a line first."))
            return
        group = self.client_panel.client.group_name if self.client_panel.client else ""
        WhyPriceDialog(line.item_name, why_data(line, group), self).exec()

    # -- completing ---------------------------------------------------------------------

    def complete_sale(self) -> None:
        """Store the sale (asking a manager to approve where needed), write the receipt, show its preview."""
        if not self.rows or self.quote is None:
            self.show_message(_("Add at least one item to the sale."))
            return
        try:
            payment = self.payment.payment()
        except SalonError as error:
            self.payment.show_error(error)
            return
        sale = self._store(payment, None)
        if sale is not None:
            self._finish(sale)

    def _store(self, payment: Payment, approval: Approval | None) -> SaleRecord | None:
        cart = Cart(tuple(row.cart_line() for row in self.rows), self.sale_manual, self.started_at)
        try:
            return self.services.checkout.complete(self.client_id, cart, payment, approval)
        except ApprovalRequiredError as error:
            if approval is not None or error.percent is None:
                return None
            approval = ask_approval(
                self.services,
                error.message,
                ApprovalPurpose.MANUAL_DISCOUNT,
                error.percent,
                self,
                self._reasons_above_limit(),
            )
            return self._store(payment, approval) if approval is not None else None
        except SalonError as error:
            if error.field == "given":
                self.payment.show_error(error)
            else:
                self.show_message(error.message)
            return None

    def _reasons_above_limit(self) -> str:
        """The reasons the clerk gave for the discounts a manager must approve ("Complaint; Staff purchase")."""
        limit = self.services.checkout.manual_limit()
        manuals = [self.sale_manual, *(row.manual for row in self.rows)]
        reasons = [m.reason for m in manuals if m is not None and m.reason and (limit is None or m.percent > limit)]
        return "; ".join(dict.fromkeys(reasons))

    def _finish(self, sale: SaleRecord) -> None:
        self.last_sale = sale
        receipt = build_receipt(sale, self.services.checkout.business())
        self.last_pdf = receipt_printer.write_pdf(receipt)
        change = _(" Change: {amount}.").format(amount=format_money(sale.change)) if sale.change else ""
        self.status_label.setText(
            _("Sale no. {number} completed.{change} Receipt saved as {file}.").format(
                number=sale.number, change=change, file=self.last_pdf.name
            )
        )
        self._clear()
        self.bus.publish(Changes(clients=frozenset({sale.client_id}) if sale.client_id else frozenset()))
        self.sig_sale_completed.emit(sale)
        self.preview = receipt_printer.show_preview(receipt, self.last_pdf, self)

    def _clear(self) -> None:
        self.rows, self.sale_manual, self.started_at = [], None, None
        self.payment.clear()
        self.show_message("")
        self.client_panel.show_client(None)
        self.reload_catalogue()
        self.requote()

    def is_idle(self) -> bool:
        """True while nothing is rung up."""
        return not self.rows

    def new_sale(self) -> None:
        """Empty the cart, after asking when something is rung up."""
        if self.rows:
            answer = QMessageBox.question(
                self, _("New sale"), _("Discard the items rung up so far?"), defaultButton=QMessageBox.StandardButton.No
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.status_label.clear()
        self._clear()

    # -- other windows ----------------------------------------------------------------------

    def open_sales(self) -> None:
        """The list of past sales, to reprint or cancel."""
        if self.sales_dialog is not None and shiboken6.isValid(self.sales_dialog):
            self.sales_dialog.reload()
            self.sales_dialog.raise_()
            return
        self.sales_dialog = SalesListDialog(self.services, self.bus, self)
        self.sales_dialog.show()

    def open_card(self, client_id: int) -> None:
        """Ask for the client's card (e.g. to renew an expired category)."""
        self.bus.open_client(client_id)

    def on_data_changed(self, changes: Changes) -> None:
        """Prices, items, categories or the client changed elsewhere: show the current state."""
        if changes.catalog or changes.groups or changes.categories:
            self.reload_catalogue()
            self.requote()
        client_id = self.client_id
        if client_id is not None and (client_id in changes.clients or changes.all_clients):
            self.set_client(client_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.isWindow():
            save_geometry(self)
        super().closeEvent(event)
