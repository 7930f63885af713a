"""The client card's visits: the last visit and the recent sales, newest first."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QVBoxLayout, QWidget

from salon_desk.i18n import _, format_date, format_money
from salon_desk.services import Services
from salon_desk.services.checkout.sale_records import SaleFilter, SaleSummary

VISITS_SHOWN = 20


def visit_text(sale: SaleSummary) -> str:
    """One line of the history: date, receipt number, total, and whether it was cancelled."""
    text = _("{date} · receipt {number} · {total}").format(
        date=format_date(sale.completed_at.astimezone().date()),
        number=sale.number,
        total=format_money(sale.total_gross),
    )
    if sale.reverses_number is not None:
        return text + " · " + _("cancels receipt {number}").format(number=sale.reverses_number)
    if sale.reversed_by_number is not None:
        return text + " · " + _("cancelled")
    return text


class VisitHistoryBox(QGroupBox):
    """Last visit and the client's recent sales."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(_("Visits"), parent)
        self.services = services
        self.last_visit_label = QLabel()
        self.last_visit_label.setObjectName("lastVisitLabel")
        self.sales_list = QListWidget()
        self.sales_list.setObjectName("visitHistoryList")
        self.sales_list.setMaximumHeight(120)
        self.sales_list.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.last_visit_label)
        layout.addWidget(self.sales_list)

    def show_new_client(self) -> None:
        """A client not saved yet has no visits."""
        self.last_visit_label.setText(_("No visits yet"))
        self.sales_list.clear()
        self.sales_list.hide()

    def show_client(self, client_id: int, last_visit: date | None, merged_from: tuple[int, ...] = ()) -> None:
        """The stored client's last visit and recent sales, with those of the cards merged into it."""
        self.last_visit_label.setText(
            _("Last visit: {date}").format(date=format_date(last_visit)) if last_visit else _("No visits yet")
        )
        self.sales_list.clear()
        sales = [
            sale
            for card_id in (client_id, *merged_from)
            for sale in self.services.checkout.list_sales(SaleFilter(client_id=card_id), limit=VISITS_SHOWN)
        ]
        sales.sort(key=lambda sale: (sale.completed_at, sale.number), reverse=True)
        for sale in sales[:VISITS_SHOWN]:
            self.sales_list.addItem(visit_text(sale))
        self.sales_list.setVisible(self.sales_list.count() > 0)
