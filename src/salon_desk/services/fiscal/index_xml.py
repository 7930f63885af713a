"""The export's index.xml (GDPdU description standard), derived from the ``dsfinvk`` package's table models.

Each table lists its columns in the order the package writes them: numbers with their
decimal places (``Accuracy``), text with its maximum length. Time stamps are
described as text, as the standard's own index does.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree as ET

from dsfinvk.fields import NumericField, StringField
from dsfinvk.table import Model

DTD_NAME = "gdpdu-01-08-2002.dtd"
CRLF_MARK = "@CRLF@"
"""Written as the character references ``&#13;&#10;`` (ElementTree would escape the ampersands)."""


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _column(parent: ET.Element, field: object) -> None:
    column = _sub(parent, "VariableColumn")
    _sub(column, "Name", getattr(field, "name"))
    if isinstance(field, NumericField):
        numeric = _sub(column, "Numeric")
        if field.places:
            _sub(numeric, "Accuracy", str(field.places))
        return
    _sub(column, "AlphaNumeric")
    if isinstance(field, StringField) and field.max_length:
        _sub(column, "MaxLength", str(field.max_length))


def _table(media: ET.Element, model: type[Model]) -> None:
    table = _sub(media, "Table")
    _sub(table, "URL", model._filename)  # type: ignore[arg-type]
    _sub(table, "Name", model.__name__)
    _sub(table, "Description", " ".join((model.__doc__ or "").split())[:200])
    _sub(table, "UTF8")
    _sub(table, "DecimalSymbol", ",")
    _sub(table, "DigitGroupingSymbol", ".")
    _sub(_sub(table, "Range"), "From", "2")
    variable = _sub(table, "VariableLength")
    _sub(variable, "ColumnDelimiter", ";")
    _sub(variable, "RecordDelimiter", CRLF_MARK)
    _sub(variable, "TextEncapsulator", '"')
    for field in model._fields:
        _column(variable, field)


def index_xml(models: Iterable[type[Model]], supplier: str, location: str) -> bytes:
    """The index.xml describing the CSV files of ``models``."""
    root = ET.Element("DataSet")
    _sub(root, "Version", "1.0")
    data_supplier = _sub(root, "DataSupplier")
    _sub(data_supplier, "Name", supplier or "-")
    _sub(data_supplier, "Location", location or "-")
    _sub(data_supplier, "Comment", "DSFinV-K")
    media = _sub(root, "Media")
    _sub(media, "Name", "DSFinV-K")
    for model in models:
        _table(media, model)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode").replace(CRLF_MARK, "&#13;&#10;")
    header = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE DataSet SYSTEM "{DTD_NAME}">\n'
    return (header + body + "\n").encode("utf-8")
