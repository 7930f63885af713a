"""The client card's privacy actions: export the client's data (JSON and PDF), erase the client."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from salon_desk.errors import SalonError
from salon_desk.i18n import _, ngettext
from salon_desk.services import Services
from salon_desk.services.data.privacy import PrivacyService
from salon_desk.services.permissions import Permission
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.data.client_export_pdf import write_export_pdf
from salon_desk.ui.common.forms import show_error
from salon_desk.ui.common.role_gate import gate
from salon_desk.ui.common.page_parts import confirm

Status = Callable[[str], None]


def privacy(services: Services) -> PrivacyService:
    """The privacy service for the signed-in person."""
    return PrivacyService(services.db, services.workstation)


def export_client_data(parent: QWidget, services: Services, client_id: int, status: Status) -> list[Path]:
    """Ask for a folder and write the client's data there as JSON and PDF; returns the files."""
    folder = QFileDialog.getExistingDirectory(parent, _("Export client data to which folder?"))
    if not folder:
        return []
    try:
        data = privacy(services).export(client_id)
        stem = Path(folder) / f"client-{client_id}-data"
        files = [privacy(services).write_json(data, stem.with_suffix(".json")),
                 write_export_pdf(data, stem.with_suffix(".pdf"))]  # fmt: skip
    except (SalonError, OSError) as exc:
        show_error(parent, getattr(exc, "message", str(exc)))
        return []
    status(_("Client data exported to {folder}.").format(folder=folder))
    return files


def erase_text(count: int) -> str:
    """The confirmation: what goes, what stays and why."""
    what = ngettext("Erase this client's personal data?", "Erase the personal data of {count} clients?", count)
    return "\n\n".join([
        what.format(count=count),
        _("Name, contact details, birthday, notes, consent history, categories, group and list memberships "
          "are removed for good."),
        _("Sales stay, under “erased client #number”: receipts must be kept for 8 years and the books for "
          "10 years. The audit log records the erasure without personal data."),
        _("This cannot be undone."),
    ])  # fmt: skip


def erase_clients(parent: QWidget, services: Services, bus: DataBus, client_ids: list[int], status: Status) -> int:
    """Confirm, then erase; returns how many clients were erased (0 when cancelled or refused)."""
    if not client_ids or not confirm(parent, _("Erase client"), erase_text(len(client_ids))):
        return 0
    try:
        count, changes = privacy(services).erase(client_ids)
    except SalonError as exc:
        show_error(parent, exc.message)
        return 0
    bus.publish(changes)
    status(ngettext("{count} client erased.", "{count} clients erased.", count).format(count=count))
    return count


def install_privacy_actions(card: QWidget, services: Services, bus: DataBus, client_id: Callable[[], int | None],
                            status: Status) -> QToolButton:  # fmt: skip
    """A "Privacy" button with the two actions for the card; the erase action only for managers."""
    export = QAction(_("Export client data…"), card)
    export.setObjectName("exportClientDataAction")
    erase = QAction(_("Erase client…"), card)
    erase.setObjectName("eraseClientAction")
    gate(erase, Permission.ERASE_CLIENTS, services, bus)

    def on_export() -> None:
        if (cid := client_id()) is None:
            status(_("Save the new client first."))
            return
        export_client_data(card, services, cid, status)

    def on_erase() -> None:
        cid = client_id()
        if cid is not None and erase_clients(card, services, bus, [cid], status):
            card.close()

    export.triggered.connect(on_export)
    erase.triggered.connect(on_erase)
    button = QToolButton(card)
    button.setObjectName("privacyButton")
    button.setText(_("Privacy"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    menu.addAction(export)
    menu.addAction(erase)
    button.setMenu(menu)
    card.addAction(export)
    card.addAction(erase)
    return button
