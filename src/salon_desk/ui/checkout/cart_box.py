"""The checkout's sale box: the cart table and the buttons that change its lines."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _
from salon_desk.ui.checkout.cart_item_delegate import CartItemDelegate, row_height
from salon_desk.ui.checkout.checkout_cart_model import ITEM, CheckoutCartModel
from salon_desk.ui.common.forms import ERROR_STYLE


class CartBox(QGroupBox):
    """The lines of the sale with +, −, Remove, the discount buttons and Why this price?"""

    sig_quantity_step = Signal(int)
    """One more (1) or one fewer (-1) of the selected line.

    Args:
        step (int): the change of the quantity.
    """

    sig_remove = Signal()
    """Take the selected line out of the sale; no arguments."""

    sig_line_discount = Signal()
    """A manual discount on the selected line was asked for; no arguments."""

    sig_sale_discount = Signal()
    """A manual discount on the whole sale was asked for; no arguments."""

    sig_why = Signal()
    """The explanation of the selected line's price was asked for; no arguments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Sale"), parent)
        self.model = CheckoutCartModel(self)
        self.table = QTableView()
        self.table.setObjectName("cartTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setItemDelegateForColumn(ITEM, CartItemDelegate(self.table))
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(row_height(self.table))
        self.table.verticalHeader().hide()
        # The name takes what the numbers leave; the table never scrolls sideways.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        self.sale_discount_label = QLabel()
        self.sale_discount_label.setObjectName("saleDiscountLabel")
        self.message_label = QLabel()
        self.message_label.setObjectName("cartMessageLabel")
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._buttons())
        layout.addWidget(self.sale_discount_label)
        layout.addWidget(self.message_label)

    def _buttons(self) -> QGridLayout:
        buttons = QGridLayout()  # two rows of three: the window fits a 1366-pixel screen
        for index, (text, name, target, tip) in enumerate(
            (
                ("+", "increaseQuantityButton", lambda: self.sig_quantity_step.emit(1), _("One more")),
                ("−", "decreaseQuantityButton", lambda: self.sig_quantity_step.emit(-1), _("One fewer")),
                (_("&Remove"), "removeLineButton", self.sig_remove, _("Remove the line (Del)")),
                (
                    _("Line &discount…"),
                    "lineDiscountButton",
                    self.sig_line_discount,
                    _("A manual discount on this line"),
                ),
                (
                    _("&Sale discount…"),
                    "saleDiscountButton",
                    self.sig_sale_discount,
                    _("A manual discount on every line"),
                ),
                (_("&Why this price?"), "whyPriceButton", self.sig_why, _("How the line's price came about")),
            )
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(target)
            buttons.addWidget(button, index // 3, index % 3)
        return buttons

    def current_row(self) -> int | None:
        """The selected cart row."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def show_message(self, text: str) -> None:
        """Say what went wrong (or nothing)."""
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
