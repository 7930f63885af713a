"""A PIN field: digits only, at most eight, shown as dots."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from salon_desk.services.staff.staff import PIN_PATTERN

MAX_DIGITS = 8


class PinEdit(QLineEdit):
    """A line edit for a PIN of 4 to 8 digits; it never shows what was typed."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(MAX_DIGITS)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(f"[0-9]{{0,{MAX_DIGITS}}}"), self))
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("0") * 16 + 24)
        hints = Qt.InputMethodHint
        self.setInputMethodHints(hints.ImhDigitsOnly | hints.ImhSensitiveData | hints.ImhNoPredictiveText)

    def is_complete(self) -> bool:
        """True when the text is a possible PIN (4 to 8 digits)."""
        return bool(PIN_PATTERN.match(self.text()))
