"""One object every window shares: what a user action changed, and which window to open next."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from salon_desk.services import Changes


class DataBus(QObject):
    """Broadcasts the change records the services return, and asks the main window to open windows.

    A feature never imports another feature's windows: the client card asks for the checkout
    with ``open_checkout(client_id)`` and the main window, which knows every page, opens it.
    """

    sig_data_changed = Signal(object)
    """Emitted after a saved user action.

    Args:
        changes (Changes): what the action changed; views reload what they show of it.
    """

    sig_open_client = Signal(object)
    """Asks for a client's card.

    Args:
        client_id (int | None): the client to show; None opens a new client's card.
    """

    sig_open_checkout = Signal(object)
    """Asks for the checkout.

    Args:
        client_id (int | None): the client to sell to; None sells without a client.
    """

    sig_actor_changed = Signal()
    """Emitted after someone else signed in at this workstation; screens follow the new role."""

    def publish(self, changes: Changes) -> None:
        """Tell every view about ``changes``."""
        self.sig_data_changed.emit(changes)

    def open_client(self, client_id: int | None) -> None:
        """Ask the main window for the card of ``client_id``."""
        self.sig_open_client.emit(client_id)

    def open_checkout(self, client_id: int | None) -> None:
        """Ask the main window for the checkout with ``client_id``."""
        self.sig_open_checkout.emit(client_id)
