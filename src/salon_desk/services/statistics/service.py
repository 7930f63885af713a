"""Statistics per client category and customer group over a range, beside a comparison range (DESIGN §7)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from salon_desk.i18n import _
from salon_desk.models import AppMeta
from salon_desk.services.common import Service
from salon_desk.services.permissions import Permission
from salon_desk.services.statistics.figures import Figures, Key, figures, monthly_revenue, row_names
from salon_desk.services.statistics.ranges import Comparison, DateRange, check_range, comparison_range
from salon_desk.services.statistics.report import Backfill, Report, StatRow
from salon_desk.services.statistics.totals import ALL, CATEGORY, GROUP, rebuild

BACKFILLED_AT = "statistics_backfilled_at"
BACKFILLED_SALES = "statistics_backfilled_sales"
EMPTY = Figures()


class StatisticsService(Service):
    """Read the statistics (managers) and rebuild their totals."""

    def report(
        self,
        start: date | None,
        end: date | None,
        comparison: Comparison = Comparison.PREVIOUS_YEAR,
        compare_start: date | None = None,
        compare_end: date | None = None,
    ) -> Report:
        """Every category and group, and all clients, from ``start`` to ``end`` beside the comparison range.

        ``Comparison.CUSTOM`` compares with ``compare_start`` … ``compare_end``, checked like the range itself.
        """
        self.require(Permission.VIEW_STATISTICS)
        span = check_range(start, end, "date_from", "date_to")
        chosen = None
        if comparison == Comparison.CUSTOM:
            chosen = check_range(compare_start, compare_end, "compare_from", "compare_to")
        compared = comparison_range(span, comparison, chosen)
        with self.db.read() as session:
            now = figures(session, span)
            before = figures(session, compared) if compared is not None else {}
            keys = {(ALL, 0)} | {k for k in now if k[0] != ALL} | {k for k in before if k[0] != ALL}
            names = row_names(session, keys)
            keys |= set(names)
            rows = [
                StatRow(kind, dim_id, _row_name(kind, names.get((kind, dim_id))), now.get((kind, dim_id), EMPTY),
                        before.get((kind, dim_id), EMPTY) if compared is not None else None)
                for kind, dim_id in keys
            ]
            return Report(span, compared, sorted(rows, key=_row_order), _backfill(session))

    def monthly(self, span: DateRange, keys: list[Key]) -> dict[Key, dict[date, object]]:
        """Gross revenue per month for the chosen rows, for the chart's lines."""
        self.require(Permission.VIEW_STATISTICS)
        with self.db.read() as session:
            return monthly_revenue(session, span, keys)  # type: ignore[return-value]

    def export_csv(self, report: Report, path: str) -> int:
        """Write ``report`` to a CSV file for a spreadsheet or the tax adviser; the number of rows."""
        self.require(Permission.VIEW_STATISTICS)
        from salon_desk.services.statistics.export import write_csv

        return write_csv(report, path)

    def rebuild(self) -> None:
        """Recompute the totals from the sales (after a restore, or if in doubt); one transaction."""
        self.require(Permission.EDIT_SETTINGS)
        with self.transaction(_("The statistics")) as session:
            rebuild(session.connection())


def _row_name(kind: str, name: str | None) -> str:
    if kind == ALL:
        return _("All clients")
    return name or _("(deleted)")


def _row_order(row: StatRow) -> tuple[int, str, int]:
    return ({ALL: 0, CATEGORY: 1, GROUP: 2}[row.kind], row.name.casefold(), row.id)


def _backfill(session: object) -> Backfill | None:
    rows = dict(
        session.execute(  # type: ignore[attr-defined]
            select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_((BACKFILLED_AT, BACKFILLED_SALES)))
        ).all()
    )
    if BACKFILLED_AT not in rows:
        return None
    return Backfill(datetime.fromisoformat(rows[BACKFILLED_AT]), int(rows.get(BACKFILLED_SALES) or 0))
