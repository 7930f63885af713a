"""Reading a client file into a table of text cells: CSV (encoding and separator detected) and Excel."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from salon_desk.errors import ValidationError
from salon_desk.i18n import _

MAX_BYTES = 40_000_000
"""Larger than any salon's client list (100,000 clients fit in about 15 MB of CSV)."""
SNIFF_BYTES = 64 * 1024
SEPARATORS = ";,\t|"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Table:
    """A file's header and data rows as text; ``rows[i]`` is the file's row ``i + 2``."""

    headers: list[str]
    rows: list[list[str]]
    description: str = ""

    @staticmethod
    def row_number(index: int) -> int:
        """The row number a spreadsheet shows for data row ``index`` (the header is row 1)."""
        return index + 2


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, "file")


def read_table(path: Path) -> Table:
    """The table in a CSV or Excel file; a plain ValidationError (field "file") for anything else."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES)
    except OSError as exc:
        raise _refuse(_("The file {name} cannot be read: {detail}").format(name=path.name, detail=exc)) from exc
    if size == 0:
        raise _refuse(_("The file {name} is empty.").format(name=path.name))
    if size > MAX_BYTES:
        raise _refuse(
            _("The file {name} is too large for a client list ({size} MB).").format(
                name=path.name, size=size // 1_000_000
            )
        )
    if path.suffix.lower() in EXCEL_SUFFIXES or head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        table = _read_excel(path)
    else:
        table = _read_csv(path, head)
    if not table.rows:
        raise _refuse(_("The file {name} has a header but no client rows.").format(name=path.name))
    return table


# -- CSV -------------------------------------------------------------------------------


def _encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 as German Excel writes it."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\0" in head:
        raise _refuse(_("The file {name} is not a text table (CSV) nor an Excel file.").format(name=path.name))
    for encoding in ("utf-8", "cp1252"):
        try:
            path.read_bytes().decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    raise _refuse(
        _("The file {name} is in an unknown text encoding. Save it as “CSV UTF-8” and try again.").format(
            name=path.name
        )
    )


def _separator(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {sep: first.count(sep) for sep in SEPARATORS}
        best = max(counts, key=lambda sep: counts[sep])
        return best if counts[best] else ""


def _read_csv(path: Path, head: bytes) -> Table:
    encoding = _encoding(path, head)
    text = path.read_text(encoding=encoding)
    if sum(1 for ch in text[:SNIFF_BYTES] if ord(ch) < 32 and ch not in "\r\n\t") > 5:
        raise _refuse(_("The file {name} is not a text table (CSV) nor an Excel file.").format(name=path.name))
    separator = _separator(text[:SNIFF_BYTES])
    if not separator:
        raise _refuse(
            _("The file {name} is not a table: no column separator (; , or tab) was found.").format(name=path.name)
        )
    try:
        lines = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator) if any(row)]
    except csv.Error as exc:
        raise _refuse(_("The file {name} is not a readable CSV table: {detail}").format(name=path.name, detail=exc))
    if not lines:
        raise _refuse(_("The file {name} is empty.").format(name=path.name))
    width = len(lines[0])
    ragged = sum(1 for row in lines[1:] if len(row) != width)
    if ragged * 2 > len(lines) - 1:  # a letter or a log file: its lines are not rows of equal columns
        raise _refuse(
            _("The file {name} is not a table: its lines do not have the columns of its first line.").format(
                name=path.name
            )
        )
    rows = [(row + [""] * width)[:width] for row in lines[1:]]
    label = {";": ";", ",": ",", "\t": "Tab", "|": "|"}[separator]
    return Table([h.strip() for h in lines[0]], rows, f"CSV, {encoding}, {label}")


# -- Excel ------------------------------------------------------------------------------


def _read_excel(path: Path) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        data = sheet.to_python(skip_empty_area=True)
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise _refuse(
            _("The file {name} is not a readable Excel file: {detail}").format(name=path.name, detail=exc)
        ) from exc
    lines = [[_cell(value) for value in row] for row in data if any(str(v).strip() for v in row)]
    if not lines:
        raise _refuse(_("The file {name} is empty.").format(name=path.name))
    width = len(lines[0])
    rows = [(row + [""] * width)[:width] for row in lines[1:]]
    return Table([h.strip() for h in lines[0]], rows, f"Excel, {workbook.sheet_names[0]}")


def _cell(value: object) -> str:
    """A cell as text: dates as ISO dates, whole numbers without ``.0``."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()
