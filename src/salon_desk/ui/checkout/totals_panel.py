"""The checkout's totals: the VAT table (net, VAT, gross per rate) and the big total with what the client saves."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _, format_money, format_percent
from salon_desk.pricing import SaleQuote

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
VAT_RATES_SHOWN = 3
"""19 %, 7 % and 0 %: the table is tall enough for all three without scrolling."""


class VatTable(QTableWidget):
    """Net, VAT and gross per VAT rate; every column as wide as its header and amounts need."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("vatTable")
        self.setHorizontalHeaderLabels([_("VAT rate"), _("Net"), _("VAT"), _("Gross")])
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        line = QFontMetrics(self.font()).height() + 6
        self.verticalHeader().setDefaultSectionSize(line)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setDefaultAlignment(RIGHT)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(10)
        self.setFixedHeight(header.sizeHint().height() + VAT_RATES_SHOWN * line + 2 * self.frameWidth())

    def show_quote(self, quote: SaleQuote | None) -> None:
        """One row per VAT rate of ``quote`` (none without a quote)."""
        lines = quote.vat_lines if quote else ()
        self.setRowCount(len(lines))
        for row, vat in enumerate(lines):
            texts = (format_percent(vat.rate), *map(format_money, (vat.net, vat.vat, vat.gross)))
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                cell.setTextAlignment(RIGHT)
                self.setItem(row, column, cell)

    def minimumSizeHint(self):  # noqa: N802 - Qt override
        """Wide enough for every header ("MwSt.-Satz") and an amount in each column."""
        hint = super().minimumSizeHint()
        metrics = self.horizontalHeader().fontMetrics()
        sample = format_money(Decimal("9999.99"))
        widest = max(
            metrics.horizontalAdvance(self.horizontalHeaderItem(c).text()) for c in range(self.columnCount())
        )
        column = max(widest, QFontMetrics(self.font()).horizontalAdvance(sample)) + 16
        hint.setWidth(max(hint.width(), self.columnCount() * column + 2 * self.frameWidth()))
        return hint


class TotalBox(QGroupBox):
    """The amount to pay, large, and what the client saves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Total"), parent)
        self.discount_label = QLabel()
        self.discount_label.setObjectName("discountTotalLabel")
        self.discount_label.setWordWrap(True)
        self.total_label = QLabel()
        self.total_label.setObjectName("totalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        font = self.total_label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.total_label.setFont(font)
        column = QVBoxLayout(self)
        column.addWidget(self.discount_label)
        column.addWidget(self.total_label)

    def show_quote(self, quote: SaleQuote | None) -> Decimal:
        """Show the total of ``quote`` and what it saves; returns the total."""
        total = quote.gross if quote else Decimal("0.00")
        saved = (quote.total_discount + quote.total_offer_saving) if quote else Decimal("0.00")
        self.total_label.setText(format_money(total))
        self.discount_label.setText(_("Client saves {amount}").format(amount=format_money(saved)) if saved else "")
        return total
