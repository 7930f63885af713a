"""The columns of the statistics table: the figures of the range, then the comparison and the change."""

from __future__ import annotations

from decimal import Decimal

from salon_desk.i18n import _
from salon_desk.services.statistics import StatRow
from salon_desk.services.statistics.export import (
    GROSS,
    MEASURES,
    Measure,
    change,
    formatted,
    formatted_change,
    value,
)
from salon_desk.services.statistics.totals import ALL, CATEGORY
from salon_desk.ui.common.row_table_model import RIGHT, Column

KIND_ORDER = {ALL: 0, CATEGORY: 1}
BIG = Decimal("1e15")


def row_id(row: StatRow) -> int:
    """A number that tells the rows apart (a category and a group may share an id)."""
    return KIND_ORDER.get(row.kind, 2) * 10**9 + row.id


def _measure_column(measure: Measure) -> Column:
    return Column(
        _(measure.title),
        lambda row: formatted(value(row.current, measure), measure.kind),
        lambda row: value(row.current, measure) if value(row.current, measure) is not None else -BIG,
        RIGHT,
    )


def statistics_columns(compared: bool, measure: Measure = GROSS) -> list[Column]:
    """Name and every figure; with a comparison, the chosen figure is followed by its comparison value and change.

    Next to each other, the three stay in view in a 1240-pixel window however many figures follow;
    the two short titles read with the figure beside them and the "Change in" choice above.
    """
    columns = [
        Column(_("Name"), lambda row: row.name, lambda row: (KIND_ORDER.get(row.kind, 2), row.name.casefold())),
    ]
    for shown in MEASURES:
        columns.append(_measure_column(shown))
        if compared and shown is measure:
            columns.append(
                Column(
                    _("Comparison"),
                    lambda row: formatted(value(row.previous, measure), measure.kind),
                    lambda row: _sortable(value(row.previous, measure)),
                    RIGHT,
                )
            )
            columns.append(
                Column(
                    _("Change (%)"),
                    lambda row: formatted_change(change(row, measure)),
                    lambda row: _sortable(change(row, measure)),
                    RIGHT,
                )
            )
    return columns


def _sortable(number: Decimal | int | None) -> Decimal | int:
    """Rows without a figure sort below every figure."""
    return -BIG if number is None else number
