"""The client-facing check-in screen (tablet or second monitor): identify, see offers, join a group.

It shows nothing about any client before one has identified with a phone number or
email address and the last name, and it forgets the client after "Done" or a minute
and a half without a touch.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, format_date, format_money
from salon_desk.services import Services
from salon_desk.services.clients.consent_log import Flag, channel_label
from salon_desk.services.groups.check_in import CheckInClient, CheckInService, JoinableGroup, OfferLine
from salon_desk.ui.common.bus import DataBus

IDLE_MS = 90_000
MAX_TRIES = 5
PAUSE_MS = 30_000
STYLE = """
#checkInWindow { background: #FAF7F2; }
#checkInWindow QLabel { font-size: 22px; color: #2B2B2B; }
#checkInWindow QLabel#checkInTitle, #checkInWindow QLabel#checkInGreeting { font-size: 40px; font-weight: 600; }
#checkInWindow QLabel[role="section"] { font-size: 26px; font-weight: 600; margin-top: 12px; }
#checkInWindow QLabel[role="error"] { color: #B3261E; }
#checkInWindow QLabel[role="success"] { color: #1B6E3A; }
#checkInWindow QLineEdit { font-size: 26px; min-height: 64px; padding: 0 16px;
    border: 2px solid #B9B2A8; border-radius: 12px; background: white; }
#checkInWindow QLineEdit:focus { border-color: #7B5EA7; }
#checkInWindow QPushButton { font-size: 24px; min-height: 64px; padding: 0 32px; border-radius: 12px;
    background: #7B5EA7; color: white; border: none; }
#checkInWindow QPushButton:disabled { background: #C9C2D6; }
#checkInWindow QPushButton[role="secondary"] { background: #E8E2D8; color: #2B2B2B; }
#checkInWindow QCheckBox { font-size: 22px; spacing: 12px; }
#checkInWindow QCheckBox::indicator { width: 32px; height: 32px; }
#checkInWindow QListWidget { font-size: 22px; border: none; background: white; border-radius: 12px; }
#checkInWindow QListWidget::item { padding: 14px; border-bottom: 1px solid #EEE8DE; }
#checkInWindow QListWidget::item:selected { background: #E9E1F5; color: #2B2B2B; }
"""


def _label(text: str = "", name: str = "", role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if role:
        label.setProperty("role", role)
    return label


def _edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _button(text: str, name: str, secondary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    if secondary:
        button.setProperty("role", "secondary")
    return button


def offer_text(line: OfferLine) -> str:
    """One offer as the client reads it."""
    return _("{item}\n{price} instead of {regular} · {offer} · until {end}").format(
        item=line.item_name,
        price=format_money(line.offer_price),
        regular=format_money(line.regular_price),
        offer=line.offer_name,
        end=format_date(line.ends_on),
    )


class CheckInWindow(QWidget):
    """A full-screen window for clients; staff open it from the main window."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("checkInWindow")
        self.setWindowTitle(_("Check-in"))
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.services = services
        self.bus = bus
        self.check_in = CheckInService(services.db, services.workstation)
        self.client: CheckInClient | None = None
        self.failures = 0
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_identify_page())
        self.stack.addWidget(self._build_client_page())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addStretch(1)
        layout.addWidget(self.stack, 6)
        layout.addStretch(1)
        self.idle_timer = QTimer(self, singleShot=True, interval=IDLE_MS)
        self.idle_timer.timeout.connect(self.start_over)
        self.pause_timer = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self.pause_timer.timeout.connect(self.end_pause)
        QShortcut(QKeySequence("Ctrl+Shift+Q"), self, activated=self.close)
        self.start_over()

    # -- building -------------------------------------------------------------------

    def _build_identify_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(16)
        column.addStretch(1)
        column.addWidget(_label(_("Welcome!"), "checkInTitle"))
        column.addWidget(_label(_("Please check in with your phone number or email address and your last name.")))
        self.contact_edit = _edit("checkInContactEdit", _("Phone number or email address"))
        self.last_name_edit = _edit("checkInLastNameEdit", _("Last name"))
        self.first_name_edit = _edit("checkInFirstNameEdit", _("First name (only if you share a phone or email)"))
        for edit in (self.contact_edit, self.last_name_edit, self.first_name_edit):
            edit.returnPressed.connect(self.identify)
            column.addWidget(edit)
        self.identify_error = _label(name="checkInError", role="error")
        column.addWidget(self.identify_error)
        self.identify_button = _button(_("Continue"), "checkInButton")
        self.identify_button.clicked.connect(self.identify)
        column.addWidget(self.identify_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addStretch(2)
        return page

    def _build_client_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(12)
        top = QHBoxLayout()
        self.greeting = _label(name="checkInGreeting")
        top.addWidget(self.greeting, 1)
        self.done_button = _button(_("Done"), "checkInDoneButton", secondary=True)
        self.done_button.clicked.connect(self.start_over)
        top.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.group_label = _label(name="checkInGroupLabel")
        column.addWidget(self.group_label)
        column.addWidget(_label(_("Today's special offers for you"), role="section"))
        self.offer_list = self._list("checkInOfferList")
        self.offer_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        column.addWidget(self.offer_list, 3)
        column.addWidget(self._build_join_box(), 2)
        column.addWidget(self._build_consent_box())
        return page

    def _build_consent_box(self) -> QWidget:
        """The client's own marketing consent, each box with the text it agrees to."""
        self.consent_box = QFrame()
        column = QVBoxLayout(self.consent_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_label(_("Stay in touch"), role="section"))
        self.consent_rows = QGridLayout()
        self.consent_rows.setColumnStretch(1, 1)
        self.consent_rows.setHorizontalSpacing(24)
        column.addLayout(self.consent_rows)
        row = QHBoxLayout()
        self.consent_message = _label(name="checkInConsentMessage")
        row.addWidget(self.consent_message, 1)
        self.consent_button = _button(_("Save my choices"), "checkInConsentButton")
        self.consent_button.clicked.connect(self.save_consent)
        row.addWidget(self.consent_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addLayout(row)
        self.consent_checks: dict[Flag, tuple[QCheckBox, QLabel]] = {}
        return self.consent_box

    def _build_join_box(self) -> QWidget:
        self.join_box = QFrame()
        column = QVBoxLayout(self.join_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_label(_("Join a customer group"), role="section"))
        self.group_list = self._list("checkInGroupList")
        self.group_list.currentRowChanged.connect(self.on_group_chosen)
        column.addWidget(self.group_list, 1)
        row = QHBoxLayout()
        self.password_edit = _edit("checkInPasswordEdit", _("Group password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.join)
        row.addWidget(self.password_edit, 1)
        self.join_button = _button(_("Join group"), "checkInJoinButton")
        self.join_button.clicked.connect(self.join)
        row.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addLayout(row)
        self.join_message = _label(name="checkInJoinMessage")
        column.addWidget(self.join_message)
        return self.join_box

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setObjectName(name)
        widget.setWordWrap(True)
        widget.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return widget

    # -- identifying ----------------------------------------------------------------

    def identify(self) -> None:
        """Find the client by contact and last name; every failure shows the same message."""
        if self.pause_timer.isActive():
            return
        try:
            client_id = self.check_in.identify(
                self.contact_edit.text(), self.last_name_edit.text(), self.first_name_edit.text()
            )
        except SalonError as exc:
            self._refuse(exc.message)
            if exc.field == "first_name":
                self.first_name_edit.setFocus()
            return
        self.failures = 0
        self.show_client(client_id)

    def _refuse(self, message: str) -> None:
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.identify_button.setEnabled(False)
            self.pause_timer.start()
            message = _("Please wait a moment before trying again, or ask at the desk.")
        self._show(self.identify_error, message, "error")

    def end_pause(self) -> None:
        """After too many failed tries the form is usable again."""
        self.identify_button.setEnabled(True)
        self.identify_error.clear()

    def show_client(self, client_id: int) -> None:
        """The client's page: greeting, group, offers and the groups they may join."""
        self.client = self.check_in.client(client_id)
        name = self.client.first_name or self.client.last_name
        self.greeting.setText(_("Hello, {name}!").format(name=name))
        if self.client.group_name:
            self.group_label.setText(_("You are in the customer group “{group}”.").format(group=self.client.group_name))
        else:
            self.group_label.setText(_("You are not in a customer group yet."))
        self._fill_offers()
        self._fill_groups()
        self._fill_consent()
        self.stack.setCurrentIndex(1)
        self.idle_timer.start()
        QApplication.instance().installEventFilter(self)  # while a client is shown, any touch keeps it open

    def _fill_offers(self) -> None:
        assert self.client is not None
        self.offer_list.clear()
        lines = self.check_in.visible_offers(self.client.id, date.today())
        for line in lines:
            self.offer_list.addItem(offer_text(line))
        if not lines:
            self.offer_list.addItem(_("There are no special offers today. Please ask us about our services!"))

    def _fill_groups(self) -> None:
        assert self.client is not None
        self.group_list.clear()
        groups = [g for g in self.check_in.joinable_groups() if g.id != self.client.group_id]
        for group in groups:
            lines = [
                group.name,
                group.description,
                _("With a password (ask at the desk)") if group.has_password else "",
            ]
            text = "\n".join(line for line in lines if line)
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, group)
            self.group_list.addItem(entry)
        self.join_box.setVisible(bool(groups))
        self.group_list.setCurrentRow(-1)
        self.on_group_chosen()

    def _fill_consent(self) -> None:
        assert self.client is not None
        self._clear_consent()
        choices = self.check_in.consent_choices(self.client.id)
        for index, choice in enumerate(choices):
            check = QCheckBox(channel_label(choice.flag.channel))
            check.setObjectName(f"checkIn_{choice.flag.value}Check")
            check.setChecked(choice.granted)
            text = _label(choice.wording, f"checkIn_{choice.flag.value}Wording")
            text.setWordWrap(True)
            self.consent_rows.addWidget(check, index, 0, Qt.AlignmentFlag.AlignTop)
            self.consent_rows.addWidget(text, index, 1)
            self.consent_checks[choice.flag] = (check, text)
        self.consent_box.setVisible(bool(choices))

    def _clear_consent(self) -> None:
        for check, text in getattr(self, "consent_checks", {}).values():
            check.deleteLater()
            text.deleteLater()
        self.consent_checks = {}
        self.consent_message.clear()

    def save_consent(self) -> None:
        """Record the ticked and unticked boxes with the texts shown beside them."""
        if self.client is None:
            return
        wanted = {flag: check.isChecked() for flag, (check, _text) in self.consent_checks.items()}
        shown = {flag: text.text() for flag, (_check, text) in self.consent_checks.items()}
        try:
            changes = self.check_in.record_consent(self.client.id, wanted, shown)
        except SalonError as exc:
            self._show(self.consent_message, exc.message, "error")
            return
        self.bus.publish(changes)
        self._show(self.consent_message, _("Thank you! Your choices are saved."), "success")

    # -- joining --------------------------------------------------------------------

    def chosen_group(self) -> JoinableGroup | None:
        """The group tapped in the list."""
        entry = self.group_list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None

    def on_group_chosen(self) -> None:
        """Ask for the password only when the chosen group has one."""
        group = self.chosen_group()
        self.password_edit.clear()
        self.password_edit.setVisible(group is not None and group.has_password)
        self.join_button.setEnabled(group is not None)
        self.join_message.clear()
        if group is not None and group.has_password:
            self.password_edit.setFocus()

    def join(self) -> None:
        """Join the chosen group; a wrong password or the lock-out is said plainly, nothing else."""
        group = self.chosen_group()
        if self.client is None or group is None:
            return
        try:
            changes = self.check_in.join(self.client.id, group.id, self.password_edit.text())
        except SalonError as exc:  # wrong password, lock-out, group closed meanwhile
            self._show(self.join_message, exc.message, "error")
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.bus.publish(changes)
        self.show_client(self.client.id)
        self._show(
            self.join_message,
            _("Welcome to “{group}”! Your group prices apply from now on.").format(group=group.name),
            "success",
        )

    def _show(self, label: QLabel, text: str, role: str) -> None:
        label.setText(text)
        label.setProperty("role", role)
        label.style().unpolish(label)
        label.style().polish(label)

    # -- forgetting -----------------------------------------------------------------

    def start_over(self) -> None:
        """Forget the client and show the empty identification form."""
        self.idle_timer.stop()
        QApplication.instance().removeEventFilter(self)
        self.client = None
        for edit in (self.contact_edit, self.last_name_edit, self.first_name_edit, self.password_edit):
            edit.clear()
        self.identify_error.clear()
        self.offer_list.clear()
        self.group_list.clear()
        self.join_message.clear()
        self._clear_consent()
        self.stack.setCurrentIndex(0)
        self.contact_edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Any touch, click or key on this window restarts the idle countdown."""
        touched = event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin)
        if touched and isinstance(watched, QWidget) and watched.window() is self:
            self.idle_timer.start()
        return False

    def closeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Forget the client when the screen is closed."""
        self.start_over()
        super().closeEvent(event)  # type: ignore[arg-type]
