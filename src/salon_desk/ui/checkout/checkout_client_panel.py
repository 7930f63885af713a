"""The checkout's client panel: find a client or sell without one; their group and categories in view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _, format_date, format_percent
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import CheckoutClient, MembershipView
from salon_desk.ui.common.icons import category_icon

ID_ROLE = Qt.ItemDataRole.UserRole
EXPIRED_COLOR = "#C62828"
SEARCH_DELAY_MS = 150


def membership_text(membership: MembershipView) -> str:
    """ "Student/in · −10 % · valid until 30.09.2027", or the expiry that ended the discount."""
    parts = [membership.name]
    if membership.percent is not None:
        parts.append(_("−{percent}").format(percent=format_percent(membership.percent)))
    else:
        parts.append(_("no discount"))
    if membership.expired and membership.valid_until is not None:
        parts.append(_("expired {date}: no discount").format(date=format_date(membership.valid_until)))
    elif membership.valid_until is not None:
        parts.append(_("valid until {date}").format(date=format_date(membership.valid_until)))
    return " · ".join(parts)


class CheckoutClientPanel(QGroupBox):
    """Search for the client being served; shows who it is, their group and categories."""

    sig_client_chosen = Signal(object)
    """Emitted when the clerk picks a client or chooses to sell without one.

    Args:
        client_id (int | None): the client, or None for a sale without a client.
    """

    sig_open_card = Signal(int)
    """Emitted to open the client's card (to renew an expired category).

    Args:
        client_id (int): the client.
    """

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(_("Client"), parent)
        self.setObjectName("checkoutClientPanel")
        self.services = services
        self.client: CheckoutClient | None = None
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self._build()
        self.show_client(None)

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("checkoutClientSearchEdit")
        self.search_edit.setPlaceholderText(_("Find client: name, phone or email"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.results = QListWidget()
        self.results.setObjectName("checkoutClientResults")
        self.results.setMaximumHeight(140)
        self.results.hide()
        self.no_client_button = QPushButton(_("Sell &without client"))
        self.no_client_button.setObjectName("noClientButton")
        self.name_label = QLabel()
        self.name_label.setObjectName("checkoutClientLabel")
        font = self.name_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.name_label.setFont(font)
        self.group_label = QLabel()
        self.group_label.setObjectName("checkoutGroupLabel")
        self.categories = QListWidget()
        self.categories.setObjectName("checkoutCategoryList")
        self.categories.setMaximumHeight(110)
        self.categories.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.categories.setWordWrap(True)
        self.categories.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.renew_button = QPushButton(_("Renew on the client card…"))
        self.renew_button.setObjectName("renewMembershipButton")
        self.renew_button.setToolTip(_("An expired category gives no discount; renew it on the client's card"))
        self._lay_out()
        self.search_edit.textEdited.connect(lambda: self._timer.start())
        self.search_edit.returnPressed.connect(self.choose_first)
        self.results.itemActivated.connect(self.choose_item)
        self.results.itemClicked.connect(self.choose_item)
        self.no_client_button.clicked.connect(lambda: self.sig_client_chosen.emit(None))
        self.renew_button.clicked.connect(self.open_card)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.no_client_button)
        layout.addLayout(row)
        layout.addWidget(self.results)
        layout.addWidget(self.name_label)
        layout.addWidget(self.group_label)
        layout.addWidget(self.categories)
        layout.addWidget(self.renew_button, 0, Qt.AlignmentFlag.AlignLeft)

    # -- searching ---------------------------------------------------------------------

    def search(self) -> None:
        """List the clients the typed text finds."""
        self._timer.stop()
        hits = self.services.checkout.find_clients(self.search_edit.text())
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.name}  ·  {hit.detail}" if hit.detail else hit.name)
            item.setData(ID_ROLE, hit.id)
            self.results.addItem(item)
        if self.search_edit.text().strip() and not hits:
            none = QListWidgetItem(_("No client found"))
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(none)
        self.results.setVisible(self.results.count() > 0)
        if hits:
            self.results.setCurrentRow(0)

    def choose_first(self) -> None:
        """Enter in the search field takes the highlighted (or first) client found."""
        if self._timer.isActive():
            self.search()
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self.choose_item(item)

    def choose_item(self, item: QListWidgetItem) -> None:
        """Take the client of ``item``."""
        client_id = item.data(ID_ROLE)
        if client_id is None:
            return
        self.search_edit.clear()
        self.results.clear()
        self.results.hide()
        self.sig_client_chosen.emit(int(client_id))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Up and Down in the search field move through the clients found."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step and self.results.count():
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    # -- showing -----------------------------------------------------------------------

    def show_client(self, client: CheckoutClient | None) -> None:
        """Show ``client`` (None: a sale without a client, at list prices)."""
        self.client = client
        self.categories.clear()
        if client is None:
            self.name_label.setText(_("No client"))
            self.group_label.setText(_("List prices; no category discounts."))
            self.categories.hide()
            self.renew_button.hide()
            return
        self.name_label.setText(client.name)
        self.group_label.setText(
            _("Group: {group}").format(group=client.group_name) if client.group_name else _("No customer group")
        )
        for membership in client.memberships:
            item = QListWidgetItem(category_icon(membership.icon, membership.color), membership_text(membership))
            if membership.expired:
                item.setForeground(QBrush(QColor(EXPIRED_COLOR)))
            self.categories.addItem(item)
        if not client.memberships:
            self.categories.addItem(_("No categories"))
        self.categories.show()
        self.renew_button.setVisible(any(m.expired for m in client.memberships))

    def open_card(self) -> None:
        """Ask for the client's card."""
        if self.client is not None:
            self.sig_open_card.emit(self.client.id)
