"""Starting Salon Desk again (after a restore), the same way it was started."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication


def restart_application() -> None:
    """Start a new Salon Desk with the same options, then quit this one."""
    if getattr(sys, "frozen", False):  # a packaged app: the executable is Salon Desk itself
        QProcess.startDetached(sys.executable, sys.argv[1:])
    else:
        QProcess.startDetached(sys.executable, ["-m", "salon_desk", *sys.argv[1:]])
    QApplication.quit()
