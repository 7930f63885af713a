"""Edit one category membership of a client: valid-until date and proof note."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from salon_desk.i18n import _
from salon_desk.services.clients.clients import PROOF_MAX, MembershipData

HINT_STYLE = "color: #C62828;"


def next_year(day: date) -> date:
    """The same day one year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class MembershipDialog(QDialog):
    """Set or clear the valid-until date and the proof note of one membership; ``renew`` proposes a new date."""

    def __init__(
        self, category_name: str, membership: MembershipData, renew: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("membershipDialog")
        self._category_id = membership.category_id
        self._renew = renew
        title = _("Renew “{name}”") if renew else _("“{name}” on this card")
        self.setWindowTitle(title.format(name=category_name))
        self._build(renew)
        self._fill(membership, renew)
        self.on_date_changed()

    def _build(self, renew: bool) -> None:
        self.valid_check = QCheckBox(_("Valid until"))
        self.valid_check.setObjectName("validUntilCheck")
        self.valid_edit = QDateEdit()
        self.valid_edit.setObjectName("validUntilEdit")
        self.valid_edit.setCalendarPopup(True)
        self.valid_edit.setDisplayFormat("dd.MM.yyyy")
        self.proof_edit = QLineEdit()
        self.proof_edit.setObjectName("proofNoteEdit")
        self.proof_edit.setMaxLength(PROOF_MAX)
        self.proof_edit.setPlaceholderText(_("e.g. student ID seen, valid to 09/2027"))
        self.proof_edit.setMinimumWidth(300)
        self.previous_proof = QLabel()
        self.previous_proof.setObjectName("previousProofLabel")
        self.previous_proof.setWordWrap(True)
        self.proof_hint = QLabel()
        self.proof_hint.setObjectName("proofNoteHint")
        self.proof_hint.setStyleSheet(HINT_STYLE)
        self.proof_hint.setWordWrap(True)
        self.proof_hint.hide()
        self.proof_edit.textChanged.connect(lambda text: self.proof_hint.setVisible(False) if text.strip() else None)
        self.hint = QLabel()
        self.hint.setObjectName("validUntilHint")
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.setWordWrap(True)
        self._lay_out(renew)
        self.valid_check.toggled.connect(self.on_date_changed)
        self.valid_edit.dateChanged.connect(self.on_date_changed)

    def _lay_out(self, renew: bool) -> None:
        intro = (
            _("Set a new valid-until date for this membership and note the proof you saw for it.")
            if renew
            else _("An expired membership gives no discount. Leave the date off for a membership without end.")
        )
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        date_row = QHBoxLayout()
        date_row.addWidget(self.valid_check)
        date_row.addWidget(self.valid_edit)
        date_row.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Validity:"), date_row)
        form.addRow("", self.hint)
        form.addRow(_("Proof note:"), self.proof_edit)
        form.addRow("", self.proof_hint)
        if renew:
            form.addRow("", self.previous_proof)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _fill(self, membership: MembershipData, renew: bool) -> None:
        today = date.today()
        valid_until = membership.valid_until
        if renew:
            valid_until = next_year(max(today, valid_until or today))
        self.valid_check.setChecked(valid_until is not None)
        self.valid_edit.setDate(QDate(valid_until or next_year(today)))
        if renew:  # the old proof was for the old date: a renewal needs its own
            self.previous_proof.setText(
                _("Previous proof: {note}").format(note=membership.proof_note) if membership.proof_note else "")
            self.previous_proof.setVisible(bool(membership.proof_note))
        else:
            self.proof_edit.setText(membership.proof_note)

    def accept(self) -> None:
        """A renewal is accepted only with a new proof note."""
        if self._renew and not self.proof_edit.text().strip():
            self.proof_hint.setText(_("Please note the proof you saw for the renewal (e.g. a new student ID)."))
            self.proof_hint.show()
            self.proof_edit.setFocus()
            return
        super().accept()

    def on_date_changed(self) -> None:
        """Enable the date only with its check box; warn when the date is already past."""
        self.valid_edit.setEnabled(self.valid_check.isChecked())
        past = self.valid_check.isChecked() and self.valid_edit.date().toPython() < date.today()
        self.hint.setText(_("This date is in the past: the membership counts as expired.") if past else "")
        self.hint.setVisible(past)

    def membership(self) -> MembershipData:
        """The membership as edited."""
        valid_until = self.valid_edit.date().toPython() if self.valid_check.isChecked() else None
        return MembershipData(self._category_id, valid_until, self.proof_edit.text().strip())
