"""Form helpers: error messages next to fields, saved window geometry, message boxes."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.paths import home_dir
from salon_desk.services import Changes
from salon_desk.ui.common.bus import DataBus

ERROR_STYLE = "color: #C62828;"


def settings() -> QSettings:
    """The UI's own settings (geometry, visible columns), stored in the data folder."""
    return QSettings(str(home_dir() / "ui.ini"), QSettings.Format.IniFormat)


def restore_geometry(widget: QWidget) -> None:
    """Put a window back where the user left it, keyed by its objectName."""
    data = settings().value(f"geometry/{widget.objectName()}")
    if data is not None:
        widget.restoreGeometry(data)


def save_geometry(widget: QWidget) -> None:
    """Remember the window's size and position, keyed by its objectName."""
    settings().setValue(f"geometry/{widget.objectName()}", widget.saveGeometry())


class FieldErrors:
    """One error label under each field; shows a SalonError next to the field it names.

    A message wraps onto as many lines as it needs and the window grows to show it; it goes
    as soon as its field is edited; several at once stand in the order the fields were added.
    """

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}

    def label_for(self, field: str, widget: QWidget) -> QLabel:
        """A hidden error label for ``field``, to be placed under ``widget`` in the form."""
        label = QLabel()
        label.setObjectName(f"{widget.objectName() or field}Error")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self._labels[field] = label
        self._fields[field] = widget
        _on_edit(widget, lambda: self.clear_field(field))
        return label

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        """A form row for ``widget`` with the error label of ``field`` in the row under it."""
        form.addRow(label, widget)
        form.addRow("", self.label_for(field, widget))

    def clear(self) -> None:
        """Hide every error message."""
        for label in self._labels.values():
            label.clear()
            label.hide()

    def clear_field(self, field: str) -> None:
        """Hide the message of ``field`` (its field was edited)."""
        label = self._labels.get(field)
        if label is not None and not label.isHidden():
            label.clear()
            label.hide()

    def show(self, error: SalonError, parent: QWidget | None = None) -> None:
        """Show ``error`` next to its field, or in a message box when no field matches."""
        self.show_all([error], parent)

    def show_all(self, errors: Iterable[SalonError], parent: QWidget | None = None) -> None:
        """Show each error next to its field, in the fields' order, and put the focus in the first wrong field."""
        self.clear()
        order = list(self._labels)
        placed: dict[str, str] = {}
        loose: list[str] = []
        for error in errors:
            field = (error.field or "").split("[")[0]
            if field in self._labels:
                placed.setdefault(field, error.message)
            else:
                loose.append(error.message)
        for field in sorted(placed, key=order.index):
            self._labels[field].setText(placed[field])
            self._labels[field].show()
        if placed:
            self._fields[min(placed, key=order.index)].setFocus()
            grow_to_fit(self._labels[next(iter(placed))])
        if loose:
            show_error(parent, "\n".join(loose))

    def text(self, field: str) -> str:
        """The message shown for ``field`` ('' when none)."""
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def shown(self) -> list[str]:
        """The fields with a message, in the order they stand in the form."""
        return [field for field, label in self._labels.items() if not label.isHidden()]


def _on_edit(widget: QWidget, slot: object) -> None:
    """Call ``slot`` whenever the user changes ``widget`` (typing, picking, ticking)."""
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        if widget.isEditable():
            widget.editTextChanged.connect(slot)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(slot)
    elif isinstance(widget, QAbstractSpinBox) and hasattr(widget, "valueChanged"):
        widget.valueChanged.connect(slot)
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(slot)
    else:
        for child in widget.findChildren(QLineEdit):  # a compound field, e.g. a PIN edit in a frame
            child.textEdited.connect(slot)


def grow_to_fit(label: QLabel) -> None:
    """Let the dialog holding ``label`` grow until every message shows all its lines (it never shrinks here)."""
    window = label.window()
    if not isinstance(window, QDialog) or window.layout() is None:
        return
    window.layout().activate()
    wanted = window.layout().totalHeightForWidth(window.width()) if window.layout().hasHeightForWidth() else -1
    height = max(wanted, window.sizeHint().height(), window.minimumSizeHint().height())
    if height > window.height():
        window.resize(window.width(), height)


def example_hint(example: str) -> str:
    """A field's placeholder that cannot pass for a value: "z. B. 10" rather than a bare "10"."""
    return _("e.g. {example}").format(example=example)


def show_error(parent: QWidget | None, message: str) -> None:
    """A modal error message."""
    QMessageBox.warning(parent, _("Salon Desk"), message)


class RememberedDialog(QDialog):
    """A dialog that opens again where the user left it (geometry keyed by its objectName)."""

    def restore(self) -> None:
        """Put the dialog back; call at the end of ``__init__``, once the objectName is set."""
        restore_geometry(self)

    def done(self, result: int) -> None:
        """Remember size and position however the dialog closes (OK, Cancel, Escape, the title bar)."""
        save_geometry(self)
        super().done(result)


class EditorDialog(RememberedDialog):
    """Saves through the services on OK; a refused save is shown next to its field and the typing stays."""

    errors: FieldErrors
    bus: DataBus

    def save(self) -> Changes:
        """Write the form through the services and return what changed; raise SalonError to refuse."""
        raise NotImplementedError

    def with_error(self, field: str, widget: QWidget, row: QLayout | None = None) -> QWidget:
        """``widget`` (or the ``row`` holding it) with the error label of ``field`` under it."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if row is not None:
            column.addLayout(row)
        else:
            column.addWidget(widget)
        column.addWidget(self.errors.label_for(field, widget))
        box.setFocusProxy(widget)
        return box

    def ok_cancel_buttons(self, ok_name: str, cancel_name: str) -> QDialogButtonBox:
        """OK saves (``save_and_accept``), Cancel closes; kept as ``self.buttons``."""
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName(ok_name)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName(cancel_name)
        self.buttons.accepted.connect(self.save_and_accept)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def save_and_accept(self) -> None:
        """Save, tell every view what changed, and close; or show why not and stay open."""
        self.errors.clear()
        try:
            changes = self.save()
        except SalonError as error:
            self.errors.show(error, self)
            return
        self.bus.publish(changes)
        self.accept()
