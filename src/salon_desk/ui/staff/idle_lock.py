"""The automatic lock: after the configured minutes without keyboard or mouse input, report idleness."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from salon_desk.services import Services

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.HoverMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleLock(QObject):
    """Watches every input event of the application and emits ``sig_idle`` after the idle time."""

    sig_idle = Signal()
    """Emitted once when nobody has touched keyboard or mouse for the configured time."""

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sig_idle)
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        """Read the idle minutes again (after the setting changed) and start counting anew."""
        self.set_timeout_ms(self.services.staff.idle_lock_minutes() * 60_000)

    def set_timeout_ms(self, milliseconds: int) -> None:
        """Lock after ``milliseconds`` of no input; 0 switches the automatic lock off."""
        self.timer.setInterval(milliseconds)
        self.restart()

    def restart(self) -> None:
        """Start counting the idle time from now."""
        if self.timer.interval() > 0:
            self.timer.start()
        else:
            self.timer.stop()

    def is_counting(self) -> bool:
        """True while the idle time is being counted."""
        return self.timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Any user input starts the idle time again; the event itself goes on unchanged."""
        if event.type() in INPUT_EVENTS and self.timer.interval() > 0:
            self.timer.start()
        return False

    def uninstall(self) -> None:
        """Stop watching (the window closes)."""
        self.timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
