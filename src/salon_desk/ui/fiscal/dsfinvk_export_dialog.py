"""The DSFinV-K export: choose a range of closings and a file; the ZIP file is written and checked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _
from salon_desk.paths import home_dir
from salon_desk.services.fiscal.dsfinvk_export import DsfinvkExportService, ExportResult
from salon_desk.ui.common.forms import FieldErrors, RememberedDialog


class DsfinvkExportDialog(RememberedDialog):
    """Export closings ``from``..``to`` for a tax audit."""

    def __init__(self, export: DsfinvkExportService, last_closing: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dsfinvkExportDialog")
        self.setWindowTitle(_("DSFinV-K export"))
        self.export_service = export
        self.result: ExportResult | None = None
        self.errors = FieldErrors()
        self.first = QSpinBox()
        self.first.setObjectName("firstClosingSpin")
        self.last = QSpinBox()
        self.last.setObjectName("lastClosingSpin")
        for spin in (self.first, self.last):
            spin.setRange(1, max(last_closing, 1))
        self.first.setValue(max(last_closing - 6, 1))
        self.last.setValue(max(last_closing, 1))
        self.path = QLineEdit(str(home_dir() / "dsfinvk.zip"))
        self.path.setObjectName("exportPathEdit")
        browse = QPushButton(_("&Choose…"))
        browse.setObjectName("browseExportButton")
        browse.clicked.connect(self.choose_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        self.errors.add_row(form, _("&From closing no.:"), "first_closing", self.first)
        form.addRow(_("&To closing no.:"), self.last)
        form.addRow(_("&File:"), path_row)
        form.addRow("", self.errors.label_for("path", self.path))
        self.outcome = QLabel()
        self.outcome.setObjectName("exportResultLabel")
        self.outcome.setWordWrap(True)
        buttons = QDialogButtonBox()
        run = buttons.addButton(_("&Export"), QDialogButtonBox.ButtonRole.ActionRole)
        run.setObjectName("exportButton")
        run.clicked.connect(self.run_export)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeExportButton")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.restore()

    def choose_file(self) -> None:
        """Pick where the ZIP file goes."""
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("DSFinV-K export"),
            self.path.text(),
            _("ZIP files (*.zip)"),
        )
        if name:
            self.path.setText(name)

    def run_export(self) -> None:
        """Write the export; a wrong range or file is named at its field."""
        self.errors.clear()
        target = Path(self.path.text().strip())
        if not self.path.text().strip() or not target.parent.is_dir():
            self.errors.show(SalonError(_("Please choose a file in an existing folder."), "path"), self)
            return
        try:
            self.result = self.export_service.export(self.first.value(), self.last.value(), target)
        except SalonError as error:
            self.errors.show(error, self)
            return
        except OSError as error:
            self.errors.show(SalonError(_("The file could not be written: {error}").format(error=error), "path"), self)
            return
        self.outcome.setText(
            _("Exported {closings} closings with {sales} receipts to {path}.").format(
                closings=self.result.closings, sales=self.result.sales, path=target
            )
        )
