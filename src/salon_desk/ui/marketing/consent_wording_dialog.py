"""The salon's consent texts (managers): what the card and the check-in show beside each consent box."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from salon_desk.i18n import _
from salon_desk.services import Changes, Services
from salon_desk.services.clients.consent_log import CHECK_TEXT, ORDER, Flag
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import EditorDialog, FieldErrors


class ConsentWordingDialog(EditorDialog):
    """One text per consent box; an emptied text goes back to the default."""

    def __init__(self, services: Services, bus: DataBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentWordingDialog")
        self.setWindowTitle(_("Consent texts"))
        self.services, self.bus, self.errors = services, bus, FieldErrors()
        self.loaded = services.consent.wordings()
        self.edits: dict[Flag, QPlainTextEdit] = {}
        note = QLabel(_("Records keep the text that was shown when consent was given; changing a text here "
                        "changes only what is shown from now on. Leave a text empty for the default."))  # fmt: skip
        note.setWordWrap(True)
        form = QFormLayout()
        for flag in ORDER:
            edit = QPlainTextEdit(self.loaded[flag])
            edit.setObjectName(f"{flag.value}WordingEdit")
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(72)
            self.edits[flag] = edit
            form.addRow(_(CHECK_TEXT[flag]) + ":", self.with_error(flag.value, edit))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.ok_cancel_buttons("saveConsentWordingButton", "cancelConsentWordingButton"))
        self.resize(640, 460)
        self.restore()

    def save(self) -> Changes:
        """Store the texts that were changed."""
        typed = {flag: edit.toPlainText() for flag, edit in self.edits.items()}
        changed = {flag: text for flag, text in typed.items() if text != self.loaded[flag]}
        return self.services.consent.set_wordings(changed) if changed else Changes()
