"""“Why this price”: a line's price and discount explained rule by rule."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from salon_desk.i18n import _
from salon_desk.services.checkout.why_price import explain
from salon_desk.ui.common.forms import RememberedDialog


class WhyPriceDialog(RememberedDialog):
    """Shows the reasons stored with (or computed for) one sale line."""

    def __init__(self, item_name: str, why: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whyPriceDialog")
        self.setWindowTitle(_("Why this price: {item}").format(item=item_name))
        self.text_label = QLabel()
        self.text_label.setObjectName("whyPriceText")
        self.text_label.setWordWrap(True)
        self.sentences = explain(why)
        self.text_label.setText("<ol>" + "".join(f"<li>{escape(s)}</li>" for s in self.sentences) + "</ol>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setObjectName("closeWhyPriceButton")
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{escape(item_name)}</b>")
        layout.addWidget(title)
        layout.addWidget(self.text_label)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.restore()
