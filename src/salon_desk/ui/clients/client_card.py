"""The client card (Kundenkarte): details on the left, the category side panel on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import ConflictError, SalonError
from salon_desk.i18n import _, format_date
from salon_desk.services import Changes, Services
from salon_desk.services.clients.clients import (
    CategoryChanges,
    ClientCard,
    ClientData,
    MembershipData,
)
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.clients.category_panel import CategoryPanel
from salon_desk.ui.common.forms import FieldErrors, restore_geometry, save_geometry, show_error
from salon_desk.services.permissions import Permission
from salon_desk.ui.common.role_gate import gate
from salon_desk.ui.clients.card_checks import ask_about_duplicates, confirm_discard, conflict_box, merged_banner
from salon_desk.ui.clients.card_checks import duplicates_to_mention
from salon_desk.ui.clients.card_fields import format_birthday, local_date, parse_birthday, separator  # noqa: F401
from salon_desk.ui.clients.merge_dialog import MergeButton
from salon_desk.ui.clients.visit_history import VisitHistoryBox
from salon_desk.ui.marketing.consent_panel import ConsentPanel
from salon_desk.ui.data.privacy_actions import install_privacy_actions

MUTED_STYLE = "color: palette(placeholder-text);"


class ClientCardWindow(QWidget):
    """One client's card; category edits are staged and written together with the details on Save."""

    sig_saved = Signal(object)
    """Emitted after a successful save, before the window closes.

    Args:
        card (ClientCard): the card as stored now.
    """

    def __init__(self, services: Services, bus: DataBus, client_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("clientCardWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.services = services
        self.bus = bus
        self.card: ClientCard | None = None
        self.errors = FieldErrors()
        self.conflict_box: QMessageBox | None = None
        self._closing = False
        self._baseline: tuple[object, ...] = ()
        self._build()
        if client_id is None:
            self._load_new()
        else:
            self._load(services.clients.get(client_id))
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.resize(1060, 660)
        restore_geometry(self)
        self.first_name_edit.setFocus()

    # -- building ------------------------------------------------------------------

    def _build(self) -> None:
        self.name_label = QLabel()
        self.name_label.setObjectName("clientNameLabel")
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name_label.setFont(font)
        self.since_label = QLabel()
        self.since_label.setObjectName("clientSinceLabel")
        self.since_label.setStyleSheet(MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.name_label)
        layout.addWidget(self.since_label)
        self.banner_slot = QVBoxLayout()
        layout.addLayout(self.banner_slot)
        layout.addWidget(separator(QFrame.Shape.HLine))
        layout.addLayout(self._body(), 1)
        layout.addWidget(separator(QFrame.Shape.HLine))
        layout.addLayout(self._bottom_row())
        self._connect_shortcuts()

    def _body(self) -> QHBoxLayout:
        """Two columns of details, then the category side panel."""
        left = QVBoxLayout()
        left.addWidget(self._person_box())
        left.addWidget(self._contact_box())
        self.visits = VisitHistoryBox(self.services, self)
        left.addWidget(self.visits)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self._group_box())
        self.consent_panel = ConsentPanel(self.services, self.bus, self.errors, self)
        self.consent_panel.sig_changed.connect(self.on_modified)
        right.addWidget(self.consent_panel)
        right.addWidget(self._notes_box(), 1)
        details = QHBoxLayout()
        details.setSpacing(12)
        details.addLayout(left, 1)
        details.addLayout(right, 1)
        self.panel = CategoryPanel(self.services, self.bus, self)
        self.panel.add_message_label(self.errors.label_for("categories", self.panel.list))
        self.panel.sig_changed.connect(self.on_modified)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(details, 1)
        body.addWidget(separator(QFrame.Shape.VLine))
        body.addWidget(self.panel)
        return body

    def _line(self, name: str, max_length: int = 100, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(max_length)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self.on_modified)
        return edit

    def _add_row(self, form: QFormLayout, label: str, widget: QWidget, field: str | None = None) -> None:
        """A form row, with the field's (hidden) error label under it."""
        form.addRow(label, widget)
        if field is not None:
            form.addRow("", self.errors.label_for(field, widget))

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        return form

    def _person_box(self) -> QGroupBox:
        box = QGroupBox(_("Personal details"))
        form = self._form(box)
        self.first_name_edit = self._line("firstNameEdit")
        self.last_name_edit = self._line("lastNameEdit")
        self.birthday_edit = self._line("birthdayEdit", 10, _("DD.MM.YYYY"))
        self.birthday_edit.setToolTip(_("Leave empty when the birthday is not known."))
        self.birthday_edit.setMaximumWidth(140)
        self._add_row(form, _("&First name:"), self.first_name_edit, "first_name")
        self._add_row(form, _("&Last name:"), self.last_name_edit, "last_name")
        self._add_row(form, _("&Birthday:"), self.birthday_edit, "birthday")
        for edit in (self.first_name_edit, self.last_name_edit):
            edit.textChanged.connect(self._show_name)
        return box

    def _contact_box(self) -> QGroupBox:
        box = QGroupBox(_("Contact"))
        form = self._form(box)
        self.phone_edit = self._line("phoneEdit", 40, _("e.g. 0171 2345678"))
        self.email_edit = self._line("emailEdit", 254, _("e.g. anna@example.de"))
        self.street_edit = self._line("streetEdit", 200)
        self.postal_code_edit = self._line("postalCodeEdit", 20)
        self.postal_code_edit.setMaximumWidth(80)
        self.city_edit = self._line("cityEdit")
        place = QHBoxLayout()
        place.addWidget(self.postal_code_edit)
        place.addWidget(self.city_edit, 1)
        self._add_row(form, _("&Phone:"), self.phone_edit, "phone")
        self._add_row(form, _("E&mail:"), self.email_edit, "email")
        self._add_row(form, _("&Street:"), self.street_edit)
        label = QLabel(_("P&ostal code, city:"))
        label.setBuddy(self.postal_code_edit)
        form.addRow(label, place)
        return box

    def _group_box(self) -> QGroupBox:
        box = QGroupBox(_("Customer group"))
        form = self._form(box)
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupCombo")
        self.group_combo.currentIndexChanged.connect(self.on_modified)
        self._add_row(form, _("&Group:"), self.group_combo, "group_id")
        return box

    def _notes_box(self) -> QGroupBox:
        box = QGroupBox(_("Notes"))
        layout = QVBoxLayout(box)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setPlaceholderText(_("e.g. allergies, preferred stylist, favourite products"))
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.textChanged.connect(self.on_modified)
        layout.addWidget(self.notes_edit, 1)
        return box

    def _bottom_row(self) -> QHBoxLayout:
        self.status_label = QLabel()
        self.status_label.setObjectName("cardStatusLabel")
        self.status_label.setStyleSheet(MUTED_STYLE)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancelClientButton")
        self.cancel_button.setToolTip(_("Close the card without saving (Esc)"))
        self.cancel_button.clicked.connect(self.close)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("saveClientButton")
        shortcut = QKeySequence(QKeySequence.StandardKey.Save).toString(QKeySequence.SequenceFormat.NativeText)
        self.save_button.setToolTip(_("Save the card and its categories ({shortcut})").format(shortcut=shortcut))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        # Opened by a role that may only look (a cashier finding a client): nothing invites a refused save.
        gate(self.save_button, Permission.EDIT_CLIENTS, self.services, None)
        self.checkout_button = QPushButton(_("Chec&kout…"))
        self.checkout_button.setObjectName("checkoutClientButton")
        self.checkout_button.setToolTip(_("Ring up a sale for this client"))
        self.checkout_button.clicked.connect(self.open_checkout)
        self.merge_button = MergeButton(self.services, self.bus)
        self.merge_button.clicked.connect(self.open_merge)
        self.merge_button.sig_merged.connect(self.on_merged)
        row = QHBoxLayout()
        row.addWidget(self.checkout_button)
        row.addWidget(self._privacy_button())
        row.addWidget(self.merge_button)
        row.addWidget(self.status_label, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        return row

    def _privacy_button(self) -> QWidget:
        """Export the client's data, erase the client (DESIGN §8)."""
        client_id = lambda: self.card.id if self.card is not None else None  # noqa: E731
        return install_privacy_actions(self, self.services, self.bus, client_id, self.status_label.setText)

    def _connect_shortcuts(self) -> None:
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        # Enter saves from every one-line field (the notes take Enter as a new line).
        for edit in self.findChildren(QLineEdit):
            edit.returnPressed.connect(self.save)

    # -- loading -------------------------------------------------------------------

    def _load_new(self) -> None:
        """An empty card with the default category staged, so the user sees it before saving."""
        self.card = None
        self._fill_fields(ClientData())
        default = next((c for c in self.services.categories.list() if c.is_default), None)
        staged = [MembershipData(default.id)] if default is not None else []
        self.panel.load(staged, [default] if default is not None else [], saved=False)
        self.visits.show_new_client()
        self.merge_button.show_for(None)
        self.since_label.setText(_("New client — not saved yet"))
        self._mark_unchanged()

    def _load(self, card: ClientCard) -> None:
        """Show the stored card, discarding anything typed or staged."""
        self.card = card
        self._fill_fields(card.data)
        self.panel.load(card.memberships, [], saved=True)
        self.visits.show_client(card.id, card.last_visit, card.merged_from)
        self.merge_button.show_for(card)
        if card.merged_into is not None:
            self._show_closed(card)
        since = local_date(card.created_at)
        self.since_label.setText(
            _("Client no. {id} · client since {date}").format(id=card.id, date=format_date(since))
            if since
            else _("Client no. {id}").format(id=card.id)
        )
        self._mark_unchanged()

    def _fill_fields(self, data: ClientData) -> None:
        self.first_name_edit.setText(data.first_name)
        self.last_name_edit.setText(data.last_name)
        self.birthday_edit.setText(format_birthday(data.birthday))
        self.phone_edit.setText(data.phone)
        self.email_edit.setText(data.email)
        self.street_edit.setText(data.street)
        self.postal_code_edit.setText(data.postal_code)
        self.city_edit.setText(data.city)
        self.notes_edit.setPlainText(data.notes)
        name = " ".join(p for p in (data.first_name, data.last_name) if p)
        self.consent_panel.load(self.card.id if self.card else None, data.__dict__, name)
        self._fill_groups(data.group_id)
        self.errors.clear()

    def _fill_groups(self, group_id: int | None) -> None:
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(_("— none —"), None)
        for group in self.services.groups.list(counts=False):
            self.group_combo.addItem(group.name, group.id)
        index = self.group_combo.findData(group_id) if group_id is not None else 0
        self.group_combo.setCurrentIndex(max(index, 0))
        self.group_combo.blockSignals(False)

    def _mark_unchanged(self) -> None:
        self._baseline = self._form_state()
        self.on_modified()
        self._show_name()

    # -- state ---------------------------------------------------------------------

    def _form_state(self) -> tuple[object, ...]:
        """Everything typed, for telling whether the card was changed."""
        edits = (
            self.first_name_edit, self.last_name_edit, self.birthday_edit, self.phone_edit, self.email_edit,
            self.street_edit, self.postal_code_edit, self.city_edit,
        )  # fmt: skip
        return (
            *(edit.text() for edit in edits),
            self.notes_edit.toPlainText(),
            self.consent_panel.state(),
            self.group_combo.currentData(),
        )

    def is_modified(self) -> bool:
        """True when anything was typed or staged since the card was loaded."""
        return self._form_state() != self._baseline or self.panel.is_modified()

    def collect(self) -> ClientData:
        """The details as typed; a ValidationError for a birthday that is not a date."""
        return ClientData(
            first_name=self.first_name_edit.text(),
            last_name=self.last_name_edit.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            birthday=parse_birthday(self.birthday_edit.text()),
            street=self.street_edit.text(),
            postal_code=self.postal_code_edit.text(),
            city=self.city_edit.text(),
            notes=self.notes_edit.toPlainText(),
            group_id=self.group_combo.currentData(),
            **self.consent_panel.flags(),
        )

    def on_modified(self) -> None:
        """Mark the window as changed."""
        if not self._baseline:
            return
        modified = self.is_modified()
        self.setWindowModified(modified)
        self.status_label.setText(_("Unsaved changes") if modified else "")

    def _show_closed(self, card: ClientCard) -> None:
        """A card merged into another: say where it went; nothing on it can be saved."""
        if self.banner_slot.count() == 0:
            self.banner_slot.addWidget(merged_banner(self.services, self.bus, card))
        for widget in (self.save_button, self.checkout_button, self.panel):
            widget.setEnabled(False)

    def _show_name(self) -> None:
        """The header: the stored name for a saved card (until saved again), the typed one for a new card."""
        if self.card is not None:
            name = " ".join(p for p in (self.card.data.first_name, self.card.data.last_name) if p)
        else:
            name = " ".join(p for p in (self.first_name_edit.text().strip(), self.last_name_edit.text().strip()) if p)
        self.name_label.setText(name or _("New client registration"))
        title = _("{name} — Client card").format(name=name) if name and self.card else _("New client registration")
        self.setWindowTitle(title + "[*]")

    # -- actions -------------------------------------------------------------------

    def save(self) -> None:
        """Save, after a warning when another card has the same phone number or email address."""
        if not self.save_button.isEnabled():
            return
        self.errors.clear()
        try:
            data = self.collect()
        except SalonError as exc:
            self.errors.show(exc, self)
            return
        found = duplicates_to_mention(self.services, self.card, data)
        if found:
            self.duplicate_box = ask_about_duplicates(self, self.bus, found, self.save_now)
            return
        self.save_now()

    def save_now(self) -> None:
        """Write the details and the staged categories in one step; close when it worked."""
        self.errors.clear()
        categories = CategoryChanges(self.panel.memberships())
        try:
            data = self.collect()
            if self.card is None:
                card, changes = self.services.clients.create(data, categories, self.consent_panel.card_consent())
            else:
                consent = self.consent_panel.card_consent()
                card, changes = self.services.clients.save(self.card.id, self.card.version, data, categories, consent)
        except ConflictError as exc:
            self.offer_reload(exc.message)
            return
        except SalonError as exc:
            self.errors.show(exc, self)
            return
        self.card = card
        self.bus.publish(changes)
        self.sig_saved.emit(card)
        self._closing = True
        self.close()

    def offer_reload(self, message: str) -> None:
        """Tell that another desk saved first and offer to load the stored card."""
        self.conflict_box = conflict_box(self, message, self.reload)

    def open_merge(self) -> None:
        """Managers: merge another card into this one (changes typed here must be saved or discarded first)."""
        if self.is_modified():
            self.status_label.setText(_("Save or discard the changes on this card first."))
            return
        self.merge_button.open_dialog(self.card)

    def on_merged(self, card: ClientCard) -> None:
        """Show the card with everything merged into it."""
        self._load(card)
        self.status_label.setText(_("The cards were merged."))

    def open_checkout(self) -> None:
        """Open the checkout with this client (as saved; a new client is saved first)."""
        if self.card is None:
            self.status_label.setText(_("Save the new client first, then open the checkout."))
            return
        self.bus.open_checkout(self.card.id)

    def reload(self) -> None:
        """Load the card as stored now, discarding local edits."""
        if self.card is None:
            return
        try:
            self._load(self.services.clients.get(self.card.id))
        except SalonError as exc:
            show_error(self, exc.message)

    def on_data_changed(self, changes: Changes) -> None:
        """Keep the group choices current (the chosen group stays chosen); show an untouched card's new state."""
        if self.card is not None and (self.card.id in changes.clients or changes.all_clients) and not self.is_modified():
            try:  # e.g. a sale whose automation changed the client's categories
                self._load(self.services.clients.get(self.card.id))
            except SalonError:
                self._mark_unchanged()  # gone meanwhile (erased): nothing typed here is lost
            return
        if changes.groups:
            self._fill_groups(self.group_combo.currentData())
            self.on_modified()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._closing and self.is_modified() and not confirm_discard(self):
            event.ignore()
            return
        save_geometry(self)
        super().closeEvent(event)
