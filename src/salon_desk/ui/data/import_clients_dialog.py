"""Import clients from a CSV or Excel file: mapping with preview, a dry run naming each wrong row, the import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError
from salon_desk.i18n import _, ngettext
from salon_desk.services import Services
from salon_desk.services.data.client_import import ImportPlan, ImportResult, ImportService
from salon_desk.services.data.import_files import Table, read_table
from salon_desk.services.data.import_rows import FIELDS, Duplicates, ImportOptions, field_label, guess_mapping
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import ERROR_STYLE, RememberedDialog
from salon_desk.ui.common.page_parts import hint_label, push_button

PREVIEW_ROWS = 5
MAX_LISTED_ERRORS = 2_000


class ImportClientsDialog(RememberedDialog):
    """Choose a file, map its columns, check it (dry run), then import the valid rows in one go."""

    def __init__(self, services: Services, bus: DataBus | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importClientsDialog")
        self.setWindowTitle(_("Import clients"))
        self.services = services
        self.bus = bus
        self.importer = ImportService(services.db, services.workstation)
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.combos: list[QComboBox] = []
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(_("A CSV file (semicolons or commas, any common encoding) or an Excel file. "
                                      "The first row names the columns.")))  # fmt: skip
        layout.addLayout(self._file_row())
        self.file_error = self._label("importFileError", ERROR_STYLE)
        layout.addWidget(self.file_error)
        self.mapping_table = QTableWidget()
        self.mapping_table.setObjectName("importMappingTable")
        layout.addWidget(self.mapping_table, 2)
        layout.addLayout(self._options())
        self.summary = self._label("importSummaryLabel")
        layout.addWidget(self.summary)
        self.error_list = QListWidget()
        self.error_list.setObjectName("importErrorList")
        layout.addWidget(self.error_list, 1)
        layout.addWidget(self._buttons())
        self.resize(900, 640)
        self.restore()

    # -- building ---------------------------------------------------------------------

    def _label(self, name: str, style: str = "") -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(style)
        return label

    def _file_row(self) -> QHBoxLayout:
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFileEdit")
        self.file_edit.setPlaceholderText(_("File to import"))
        self.file_edit.returnPressed.connect(self.load_file)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        browse = push_button(_("Choose file…"), "importBrowseButton", self.browse)
        browse.setAutoDefault(False)  # Return in the file field reads the file, it does not browse
        row.addWidget(browse)
        return row

    def _options(self) -> QFormLayout:
        self.duplicates_combo = QComboBox()
        self.duplicates_combo.setObjectName("importDuplicatesCombo")
        self.duplicates_combo.addItem(_("Skip them"), Duplicates.SKIP)
        self.duplicates_combo.addItem(_("Merge: fill in what the client card lacks"), Duplicates.MERGE)
        self.duplicates_combo.currentIndexChanged.connect(self.on_settings_changed)
        self.create_check = QCheckBox(_("Create missing categories"))
        self.create_check.setObjectName("importCreateCategoriesCheck")
        self.create_check.toggled.connect(self.on_settings_changed)
        form = QFormLayout()
        form.addRow(_("Clients already there (same email or phone):"), self.duplicates_combo)
        form.addRow("", self.create_check)
        return form

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = push_button(_("Check file"), "importDryRunButton", self.dry_run)
        self.import_button = push_button(_("Import"), "importRunButton", self.run_import)
        self.import_button.setEnabled(False)
        for button in (self.check_button, self.import_button):
            button.setAutoDefault(False)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        return buttons

    # -- the file ---------------------------------------------------------------------

    def browse(self) -> None:
        """Pick the file."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import clients from"), "", _("Client lists (*.csv *.txt *.xlsx *.xls *.ods);;All files (*)")
        )
        if name:
            self.file_edit.setText(name)
            self.load_file()

    def load_file(self) -> bool:
        """Read the file named in the field; keep the mapping when the columns are the same."""
        self.file_error.clear()
        self.on_settings_changed()
        path = Path(self.file_edit.text().strip())
        try:
            table = read_table(path)
        except SalonError as exc:
            self.file_error.setText(exc.message)
            self.table = None
            self._show_mapping(None)
            return False
        keep = self.table is not None and self.table.headers == table.headers
        mapping = self.mapping() if keep else guess_mapping(table.headers)
        self.table = table
        self._show_mapping(mapping)
        self.summary.setText(ngettext("{count} row ({kind}).", "{count} rows ({kind}).", len(table.rows)).format(
            count=len(table.rows), kind=table.description))  # fmt: skip
        return True

    def _show_mapping(self, mapping: dict[int, str] | None) -> None:
        table, grid = self.table, self.mapping_table
        grid.clear()
        self.combos = []
        if table is None or mapping is None:
            grid.setRowCount(0)
            grid.setColumnCount(0)
            return
        preview = table.rows[:PREVIEW_ROWS]
        grid.setColumnCount(len(table.headers))
        grid.setRowCount(1 + len(preview))
        grid.setHorizontalHeaderLabels(table.headers)
        grid.setVerticalHeaderLabels([_("Field")] + [str(Table.row_number(i)) for i in range(len(preview))])
        for column in range(len(table.headers)):
            grid.setCellWidget(0, column, self._field_combo(column, mapping.get(column, "")))
            for row, cells in enumerate(preview, start=1):
                grid.setItem(row, column, QTableWidgetItem(cells[column]))
        grid.resizeColumnsToContents()

    def _field_combo(self, column: int, chosen: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"importFieldCombo{column}")
        combo.addItem(_("(do not import)"), "")
        for name in FIELDS:
            combo.addItem(field_label(name), name)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.currentIndexChanged.connect(self.on_settings_changed)
        self.combos.append(combo)
        return combo

    def mapping(self) -> dict[int, str]:
        """Column → field as chosen in the combos."""
        return {i: combo.currentData() for i, combo in enumerate(self.combos) if combo.currentData()}

    def options(self) -> ImportOptions:
        """The user's choices."""
        return ImportOptions(self.mapping(), self.duplicates_combo.currentData(), self.create_check.isChecked(),
                             Path(self.file_edit.text().strip()).name)  # fmt: skip

    def on_settings_changed(self) -> None:
        """Any change asks for a new check before importing."""
        self.plan = None
        self.import_button.setEnabled(False)

    # -- checking and importing -----------------------------------------------------------

    def dry_run(self) -> ImportPlan | None:
        """Read the file again (it may have been corrected) and list what the import would do."""
        if not self.load_file():
            return None
        assert self.table is not None
        try:
            plan = self.importer.dry_run(self.table, self.options())
        except SalonError as exc:
            self.file_error.setText(exc.message)
            return None
        self.plan = plan
        self._show_plan(plan)
        self.import_button.setEnabled(bool(plan.new_rows or plan.duplicates))
        return plan

    def _show_plan(self, plan: ImportPlan) -> None:
        skip = self.duplicates_combo.currentData() == Duplicates.SKIP
        parts = [
            ngettext("{count} new client", "{count} new clients", len(plan.new_rows)).format(count=len(plan.new_rows)),
            (ngettext("{count} already there (skipped)", "{count} already there (skipped)", len(plan.duplicates))
             if skip else ngettext("{count} already there (merged)", "{count} already there (merged)",
                                   len(plan.duplicates))).format(count=len(plan.duplicates)),
            ngettext("{count} row with errors (left out)", "{count} rows with errors (left out)",
                     plan.error_rows).format(count=plan.error_rows),
        ]  # fmt: skip
        text = _("Check: {parts}.").format(parts=", ".join(parts))
        if plan.new_categories:
            text += " " + _("New categories: {names}.").format(names=", ".join(plan.new_categories))
        self.summary.setText(text)
        self.error_list.clear()
        for error in plan.errors[:MAX_LISTED_ERRORS]:
            self.error_list.addItem(_("Row {row} · {field}: {message}").format(
                row=error.row, field=error.field_label, message=error.message))  # fmt: skip
        for row, duplicate in plan.duplicates[: MAX_LISTED_ERRORS - self.error_list.count()]:
            self.error_list.addItem(_("Row {row}: client no. {id} has the same {what}.").format(
                row=row.row, id=duplicate.client_id, what=field_label(duplicate.by)))  # fmt: skip

    def run_import(self) -> ImportResult | None:
        """Import the valid rows of the checked file in one transaction."""
        if self.plan is None or self.table is None:
            return None
        try:
            result = self.importer.run(self.table, self.options())
        except SalonError as exc:
            self.file_error.setText(exc.message)
            return None
        self.result = result
        self.import_button.setEnabled(False)
        self.plan = None
        if self.bus is not None:
            self.bus.publish(result.changes)
        self.summary.setText(_("Imported: {created} new, {merged} merged, {skipped} left out.").format(
            created=result.created, merged=result.merged, skipped=result.skipped))  # fmt: skip
        return result
