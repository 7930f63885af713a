"""The segment editor: conditions with a live count, saved under a name or shown in the list unsaved."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _, format_decimal, ngettext
from salon_desk.services import Services
from salon_desk.services.clients.segment_rules import SegmentRules, validate
from salon_desk.services.marketing.segments import SegmentInfo, clean_segment_name
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import FieldErrors, RememberedDialog, show_error
from salon_desk.ui.common.page_parts import confirm
from salon_desk.ui.marketing.segment_form import SegmentForm

COUNT_DELAY_MS = 120
COUNT_STYLE = "font-size: 13pt; font-weight: bold;"


class QuietFieldErrors(FieldErrors):
    """Field errors that can be shown while typing, without a message box for an error of no field."""

    def show_quietly(self, error: SalonError) -> bool:
        """Show ``error`` under its field; False when no field of the form matches."""
        label = self._labels.get((error.field or "").split("[")[0])
        if label is None:
            return False
        label.setText(error.message)
        label.show()
        return True


def clients_text(count: int) -> str:
    """ "1 client", "12,345 clients" in the active language."""
    return ngettext("{n} client", "{n} clients", count).format(n=format_decimal(Decimal(count), 0))


class SegmentEditorDialog(RememberedDialog):
    """Build a segment; Save keeps it under its name, Show in list filters the list without saving."""

    def __init__(
        self,
        services: Services,
        bus: DataBus,
        segment: SegmentInfo | None = None,
        rules: SegmentRules | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("segmentEditorDialog")
        self.setWindowTitle(_("Segment: {name}").format(name=segment.name) if segment else _("New segment"))
        self.services, self.bus, self.segment = services, bus, segment
        self.result_rules: SegmentRules | None = None
        self.result_segment_id: int | None = None
        self.errors = QuietFieldErrors()
        self.count_timer = QTimer(self)
        self.count_timer.setSingleShot(True)
        self.count_timer.setInterval(COUNT_DELAY_MS)
        self._build()
        self.form.set_rules(segment.rules if segment else rules or SegmentRules())
        self.name_edit.setText(segment.name if segment else "")
        self.count_timer.timeout.connect(self.update_count)
        self.form.sig_changed.connect(self.count_timer.start)
        self.update_count()
        self.resize(760, 640)
        self.restore()

    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("segmentNameEdit")
        self.name_edit.setPlaceholderText(_("e.g. Students without a visit for 60 days"))
        top = QFormLayout()
        self.errors.add_row(top, _("Name:"), "name", self.name_edit)
        self.form = SegmentForm(self.services, self.errors)
        holder = QWidget()  # the form at its own height, the room left below it (not between its rows)
        column = QVBoxLayout(holder)
        column.addWidget(self.form)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.count_label = QLabel()
        self.count_label.setObjectName("segmentCountLabel")
        self.count_label.setStyleSheet(COUNT_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelSegmentButton")
        self.save_button = self._button(_("&Save"), "saveSegmentButton", self.save_and_accept)
        self.apply_button = self._button(_("Show in &list"), "applySegmentButton", self.apply_and_accept)
        if self.segment is not None:
            self._button(_("&Delete"), "deleteSegmentButton", self.delete_segment)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _rules(self) -> SegmentRules:
        return validate(self.form.rules())

    def update_count(self) -> None:
        """Count the clients of the conditions as they stand; a wrong entry is named instead."""
        self.count_timer.stop()
        self.errors.clear()
        try:
            count = self.services.segments.count(self._rules())
        except ValidationError as error:
            self.count_label.setText(_("Count: —"))
            if not self.errors.show_quietly(error):
                self.count_label.setText(error.message)
            return
        self.count_label.setText(_("In this segment: {clients}").format(clients=clients_text(count)))

    def save_and_accept(self) -> None:
        """Save the segment under its name (new, or the one being edited) and show it in the list."""
        self.errors.clear()
        try:
            rules = self._rules()
            name = clean_segment_name(self.name_edit.text())
            if self.segment is None:
                info, changes = self.services.segments.create(name, rules)
            else:
                info, changes = self.services.segments.update(self.segment.id, self.segment.version, name, rules)
        except SalonError as error:
            self.errors.show(error, self)
            return
        self.result_rules, self.result_segment_id = info.rules, info.id
        self.bus.publish(changes)
        self.accept()

    def apply_and_accept(self) -> None:
        """Filter the list by the conditions without saving them."""
        self.errors.clear()
        try:
            self.result_rules = self._rules()
        except SalonError as error:
            self.errors.show(error, self)
            return
        self.result_segment_id = None
        self.accept()

    def delete_segment(self) -> None:
        """Delete the saved segment after asking; the clients stay as they are."""
        assert self.segment is not None
        text = _("Delete the segment “{name}”? The clients in it are not changed.").format(name=self.segment.name)
        if not confirm(self, _("Delete segment"), text):
            return
        try:
            changes = self.services.segments.delete(self.segment.id)
        except SalonError as error:
            show_error(self, error.message)
            return
        self.result_rules, self.result_segment_id = None, None
        self.bus.publish(changes)
        self.accept()
