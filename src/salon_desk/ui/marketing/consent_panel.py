"""The client card's consent panel: email, SMS and phone with their state and text, unsubscribe, the history."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from salon_desk.errors import NotFoundError
from salon_desk.i18n import _, format_date
from salon_desk.services import Services
from salon_desk.services.clients.consent_log import CHECK_TEXT, ORDER, CardConsent, Flag, source_label
from salon_desk.services.marketing.consent import ConsentOverview, ConsentState
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import FieldErrors
from salon_desk.ui.marketing.consent_history_dialog import ConsentHistoryDialog

MUTED_STYLE = "color: palette(placeholder-text);"
WORDING_STYLE = "color: palette(placeholder-text); font-size: small;"
OBJECT_NAMES = {
    Flag.EMAIL: "emailConsentCheck",
    Flag.EMAIL_EXISTING_CUSTOMER: "emailExistingCustomerCheck",
    Flag.SMS: "smsConsentCheck",
    Flag.PHONE: "phoneConsentCheck",
}


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return moment.astimezone().date() if moment.tzinfo is not None else moment.date()


def state_text(state: ConsentState | None, checked: bool) -> str:
    """"since 03.05.2025, client card, by Anna", or what saving will do."""
    stored = state.granted if state is not None else False
    if checked != stored:
        return _("recorded when saved") if checked else _("withdrawn when saved")
    if state is None or state.since is None:
        return ""
    parts = [source_label(state.source)] if state.source else []
    parts += [_("by {name}").format(name=state.recorded_by)] if state.recorded_by else []
    day = format_date(_local_date(state.since))
    lead = _("since {date}").format(date=day) if checked else _("withdrawn on {date}").format(date=day)
    return ", ".join([lead, *parts])


class ConsentPanel(QGroupBox):
    """Consent per channel; changes are staged and saved with the card (one record per changed flag)."""

    sig_changed = Signal()
    """Emitted when a box is ticked or the unsubscribe is staged (no arguments)."""

    def __init__(self, services: Services, bus: DataBus, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(_("Marketing consent"), parent)
        self.setObjectName("consentPanel")
        self.services, self.bus = services, bus
        self.client_id: int | None = None
        self.client_name = ""
        self.overview: ConsentOverview | None = None
        self.unsubscribe_staged = False
        self.checks: dict[Flag, QCheckBox] = {}
        self.state_labels: dict[Flag, QLabel] = {}
        self.wording_labels: dict[Flag, QLabel] = {}
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(2)
        for index, flag in enumerate(ORDER):
            self._add_flag(grid, index * 3, flag, errors)
        grid.addLayout(self._buttons(), len(ORDER) * 3, 0, 1, 2)

    def _add_flag(self, grid: QGridLayout, row: int, flag: Flag, errors: FieldErrors) -> None:
        check = QCheckBox(_(CHECK_TEXT[flag]))
        check.setObjectName(OBJECT_NAMES[flag])
        check.toggled.connect(lambda on, f=flag: self.on_toggled(f, on))
        state = QLabel()
        state.setObjectName(OBJECT_NAMES[flag].replace("Check", "StateLabel"))
        state.setStyleSheet(MUTED_STYLE)
        wording = QLabel()
        wording.setObjectName(OBJECT_NAMES[flag].replace("Check", "WordingLabel"))
        wording.setStyleSheet(WORDING_STYLE)
        wording.setWordWrap(True)
        indent = 24 if flag is Flag.EMAIL_EXISTING_CUSTOMER else 0
        grid.addWidget(check, row, 0, 1, 2 if indent else 1)
        if indent:
            check.setStyleSheet(f"margin-left: {indent}px;")
            row += 1
            grid.addWidget(state, row, 0, 1, 2)
            state.setStyleSheet(f"{MUTED_STYLE} margin-left: {indent + 20}px;")
        else:
            grid.addWidget(state, row, 1)
        wording.setContentsMargins(indent + 20, 0, 0, 0)
        grid.addWidget(wording, row + 1, 0, 1, 2)
        grid.addWidget(errors.label_for(flag.value, check), row + 2, 0, 1, 2)
        self.checks[flag], self.state_labels[flag], self.wording_labels[flag] = check, state, wording

    def _buttons(self) -> QHBoxLayout:
        self.unsubscribed_label = QLabel()
        self.unsubscribed_label.setObjectName("unsubscribedLabel")
        self.unsubscribed_label.setWordWrap(True)
        self.unsubscribe_button = QPushButton(_("&Unsubscribe"))
        self.unsubscribe_button.setObjectName("unsubscribeButton")
        self.unsubscribe_button.setToolTip(
            _("The client no longer wants emails: withdraws both kinds of email consent")
        )
        self.unsubscribe_button.clicked.connect(self.stage_unsubscribe)
        self.history_button = QPushButton(_("&History…"))
        self.history_button.setObjectName("consentHistoryButton")
        self.history_button.setToolTip(_("Every grant and withdrawal with its text"))
        self.history_button.clicked.connect(self.open_history)
        self.wording_button = QPushButton(_("&Texts…"))
        self.wording_button.setObjectName("consentWordingButton")
        self.wording_button.setToolTip(_("Change the consent texts the card and the check-in show (managers)"))
        self.wording_button.clicked.connect(self.edit_wording)
        row = QHBoxLayout()
        row.addWidget(self.unsubscribed_label, 1)
        row.addWidget(self.wording_button)
        row.addWidget(self.unsubscribe_button)
        row.addWidget(self.history_button)
        return row

    # -- loading and reading ----------------------------------------------------------

    def load(self, client_id: int | None, flags: dict[str, bool], client_name: str = "") -> None:
        """Show the stored state of ``client_id`` (None: a new client) with the salon's texts."""
        self.client_id, self.client_name = client_id, client_name
        try:
            self.overview = self.services.consent.current(client_id) if client_id is not None else None
        except NotFoundError:  # erased meanwhile: its consent went with it
            self.overview = None
        self.unsubscribe_staged = False
        for flag, check in self.checks.items():
            check.blockSignals(True)
            check.setChecked(flags.get(flag.value, False))
            check.blockSignals(False)
        self.show_wordings()
        self.history_button.setEnabled(client_id is not None)
        self.wording_button.setVisible(allows(self.services.workstation.actor.role, Permission.EDIT_SETTINGS))
        self.unsubscribe_button.setEnabled(client_id is not None)
        self.refresh()

    def flags(self) -> dict[str, bool]:
        """The ticked flags, by their ``ClientData`` names."""
        return {flag.value: check.isChecked() for flag, check in self.checks.items()}

    def card_consent(self) -> CardConsent:
        """The texts shown and the staged unsubscribe, for the card's save."""
        wording = {flag.value: label.text() for flag, label in self.wording_labels.items()}
        return CardConsent(wording, self.unsubscribe_staged)

    def state(self) -> tuple[object, ...]:
        """What the user set, for telling whether the card was changed."""
        return (*(check.isChecked() for check in self.checks.values()), self.unsubscribe_staged)

    # -- reacting -----------------------------------------------------------------

    def on_toggled(self, flag: Flag, on: bool) -> None:
        """A ticked email box takes back a staged unsubscribe; the state lines follow."""
        if on and flag in (Flag.EMAIL, Flag.EMAIL_EXISTING_CUSTOMER):
            self.unsubscribe_staged = False
        self.refresh()
        self.sig_changed.emit()

    def stage_unsubscribe(self) -> None:
        """Untick both email boxes; saving records the unsubscribe."""
        for flag in (Flag.EMAIL, Flag.EMAIL_EXISTING_CUSTOMER):
            check = self.checks[flag]
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
        self.unsubscribe_staged = True
        self.refresh()
        self.sig_changed.emit()

    def refresh(self) -> None:
        """The state line of each flag and the unsubscribe line."""
        states = self.overview.states if self.overview is not None else {}
        for flag, check in self.checks.items():
            text = state_text(states.get(flag), check.isChecked())
            self.state_labels[flag].setText(text)
            if flag is Flag.EMAIL_EXISTING_CUSTOMER:  # on its own line: no empty gap when there is nothing to say
                self.state_labels[flag].setVisible(bool(text))
        unsubscribed = self.overview.unsubscribed_at if self.overview is not None else None
        if self.unsubscribe_staged:
            text = _("Unsubscribed from email when saved.")
        elif unsubscribed is not None:
            text = _("Unsubscribed from email on {date}.").format(date=format_date(_local_date(unsubscribed)))
        else:
            text = ""
        if self.overview is not None and self.overview.failing_at is not None:
            text = " ".join(filter(None, (text, _("The email address is failing."))))
        self.unsubscribed_label.setText(text)

    def edit_wording(self) -> None:
        """Let a manager change the texts; the boxes show the new ones at once."""
        from salon_desk.ui.marketing.consent_wording_dialog import ConsentWordingDialog

        dialog = ConsentWordingDialog(self.services, self.bus, self.window())
        self.wording_dialog = dialog
        dialog.accepted.connect(self.show_wordings)
        dialog.open()

    def show_wordings(self) -> None:
        """The salon's texts beside the boxes."""
        wordings = self.services.consent.wordings()
        for flag, label in self.wording_labels.items():
            label.setText(wordings[flag])

    def open_history(self) -> ConsentHistoryDialog | None:
        """The full history of the saved client."""
        if self.client_id is None:
            return None
        dialog = ConsentHistoryDialog(self.services, self.client_id, self.client_name, self.window())
        self.history_dialog = dialog
        dialog.open()
        return dialog
