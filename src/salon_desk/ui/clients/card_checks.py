"""Checks the client card makes around a save: other cards with the same phone or email, and closed cards."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from salon_desk.i18n import _, format_date
from salon_desk.services import Services
from salon_desk.services.clients.clients import ClientCard, ClientData
from salon_desk.services.clients.duplicates import Duplicate
from salon_desk.ui.common.bus import DataBus

BANNER_STYLE = "background: #FFF4E5; border: 1px solid #F0B35B; border-radius: 4px; padding: 6px;"


def duplicate_text(found: list[Duplicate]) -> str:
    """One line per other card, saying what it shares: "Anna Müller (no. 12): same phone number"."""
    lines = []
    for duplicate in found:
        if duplicate.same_phone and duplicate.same_email:
            same = _("same phone number and email address")
        elif duplicate.same_phone:
            same = _("same phone number")
        else:
            same = _("same email address")
        lines.append(_("{name} (no. {id}): {same}").format(name=duplicate.name, id=duplicate.id, same=same))
    return "\n".join(lines)


def contact_changed(card: ClientCard | None, data: ClientData) -> bool:
    """A new card, or a phone or email that differs from the stored one: worth a look for duplicates."""
    if card is None:
        return bool(data.phone.strip() or data.email.strip())
    return (data.phone.strip(), data.email.strip().lower()) != (card.data.phone, card.data.email.lower())


def duplicates_to_mention(services: Services, card: ClientCard | None, data: ClientData) -> list[Duplicate]:
    """Other cards with the phone or email just typed (none when neither changed since the card was stored)."""
    if not contact_changed(card, data):
        return []
    return services.clients.duplicates(data.phone, data.email, card.id if card is not None else None)


def ask_about_duplicates(
    parent: QWidget, bus: DataBus, found: list[Duplicate], save_anyway: Callable[[], None]
) -> QMessageBox:
    """Warn that other cards share the phone or email; offer to save anyway or to open the first of them."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Possible duplicate"), "", parent=parent)
    box.setObjectName("duplicateMessageBox")
    box.setText(_("Another client card has the same phone number or email address:"))
    box.setInformativeText(duplicate_text(found) + "\n\n" + _("Is this the same client? Open that card, or save anyway."))
    save_button = box.addButton(_("&Save anyway"), QMessageBox.ButtonRole.AcceptRole)
    save_button.setObjectName("saveAnywayButton")
    open_button = box.addButton(_("&Open the other card"), QMessageBox.ButtonRole.ActionRole)
    open_button.setObjectName("openDuplicateButton")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(open_button)

    def on_click(button: object) -> None:
        if button is save_button:
            save_anyway()
        elif button is open_button:
            bus.open_client(found[0].id)

    box.buttonClicked.connect(on_click)
    box.open()
    return box


def merged_banner(services: Services, bus: DataBus, card: ClientCard) -> QWidget:
    """The line a closed card shows: which card it was merged into, and a button to open that one."""
    assert card.merged_into is not None
    into = card.merged_into
    banner = QWidget()
    banner.setObjectName("mergedBanner")
    label = QLabel(_("This card was merged into the card of {name} (no. {id}) on {date}. It is closed.").format(
        name=into.name, id=into.client_id, date=format_date(into.merged_at.astimezone().date())))  # fmt: skip
    label.setObjectName("mergedIntoLabel")
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    button = QPushButton(_("Open that card"))
    button.setObjectName("openMergedIntoButton")
    button.clicked.connect(lambda: bus.open_client(into.client_id))
    row = QHBoxLayout(banner)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label, 1)
    row.addWidget(button)
    return banner


def conflict_box(parent: QWidget, message: str, reload: Callable[[], None]) -> QMessageBox:
    """Tell that another desk saved first and offer to load the stored card."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Changed at another desk"), message, parent=parent)
    box.setObjectName("conflictMessageBox")
    box.setInformativeText(_("Reload shows the card as it is stored now; your changes in this window are lost."))
    reload_button = box.addButton(_("Reload"), QMessageBox.ButtonRole.AcceptRole)
    reload_button.setObjectName("reloadCardButton")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload_button)
    box.buttonClicked.connect(lambda button: reload() if button is reload_button else None)
    box.open()
    return box


def confirm_discard(parent: QWidget) -> bool:
    """Ask before closing a card with unsaved changes."""
    answer = QMessageBox.question(
        parent,
        _("Discard changes?"),
        _("This client card has changes that are not saved. Discard them?"),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard
