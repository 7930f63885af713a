"""One signal that tells every view what a user action changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from salon_desk.services import Changes


class DataBus(QObject):
    """Broadcasts the change records the services return."""

    sig_data_changed = Signal(object)
    """Emitted after a saved user action.

    Args:
        changes (Changes): what the action changed; views reload what they show of it.
    """

    def publish(self, changes: Changes) -> None:
        """Tell every view about ``changes``."""
        self.sig_data_changed.emit(changes)
