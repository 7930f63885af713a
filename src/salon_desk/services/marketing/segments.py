"""Saved segments: named client filters that front desk and managers build, and their live counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import Segment
from salon_desk.models.marketing import SEGMENT_NAME_MAX
from salon_desk.services.common import Changes, Service, check_unique_name, check_version, name_key, require
from salon_desk.services.clients.segment_rules import SegmentRules, validate
from salon_desk.services.clients import sales_year
from salon_desk.services.clients.segment_sql import segment_count
from salon_desk.services.permissions import Permission


@dataclass(frozen=True)
class SegmentInfo:
    """A saved segment as the lists and the editor show it."""

    id: int
    name: str
    rules: SegmentRules
    version: int


def clean_segment_name(name: str) -> str:
    """The name with blanks tidied, or a ValidationError naming the field ``name``."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError(_("Please enter a name for the segment."), "name")
    if len(clean) > SEGMENT_NAME_MAX:
        raise ValidationError(_("The name may have at most {max} characters.").format(max=SEGMENT_NAME_MAX), "name")
    return clean


def _info(segment: Segment) -> SegmentInfo:
    return SegmentInfo(segment.id, segment.name, SegmentRules.from_json(segment.rules), segment.version)


class SegmentService(Service):
    """Save, rename, change and delete segments; count the clients a segment holds."""

    def list(self) -> list[SegmentInfo]:
        """Every saved segment, by name."""
        with self.db.read() as session:
            return [_info(s) for s in session.scalars(select(Segment).order_by(Segment.name_key))]

    def get(self, segment_id: int) -> SegmentInfo:
        """One saved segment."""
        with self.db.read() as session:
            segment = require(session.get(Segment, segment_id), _("The segment"))
            assert isinstance(segment, Segment)
            return _info(segment)

    def count(self, rules: SegmentRules, today: date | None = None) -> int:
        """How many clients the (saved or unsaved) rules hold: one SQL statement."""
        clean = validate(rules)
        with self.db.engine.connect() as connection:
            return connection.scalar(segment_count(clean, today, sales_year.counted_for(connection, clean))) or 0

    def refresh_sales_year(self, today: date | None = None) -> bool:
        """Count each client's visits and revenue in the last year for today, unless a desk did so already.

        A second or two on 5,000,000 sales; meant for a thread (the daily runner's). True when counted now.
        """
        with self.db.engine.begin() as connection:
            return sales_year.refresh(connection, today or date.today())

    def create(self, name: str, rules: SegmentRules) -> tuple[SegmentInfo, Changes]:
        """Save a new segment."""
        self.require(Permission.EDIT_SEGMENTS)
        clean_name, clean = clean_segment_name(name), validate(rules)
        with self.transaction(_("The segment")) as session:
            self._check_unique(session, clean_name, None)
            segment = Segment(
                name=clean_name, name_key=name_key(clean_name), rules=clean.to_json(), created_by=self.actor.name[:100]
            )
            session.add(segment)
            session.flush()
            return _info(segment), Changes(segments=frozenset({segment.id}))

    def update(self, segment_id: int, version: int | None, name: str, rules: SegmentRules) -> tuple[SegmentInfo, Changes]:
        """Change a segment's name and conditions; refused when it was changed at another desk meanwhile."""
        self.require(Permission.EDIT_SEGMENTS)
        clean_name, clean = clean_segment_name(name), validate(rules)
        with self.transaction(_("The segment")) as session:
            segment = require(session.get(Segment, segment_id), _("The segment"))
            assert isinstance(segment, Segment)
            check_version(segment, version, _("The segment"))
            self._check_unique(session, clean_name, segment_id)
            segment.name, segment.name_key, segment.rules = clean_name, name_key(clean_name), clean.to_json()
            session.flush()
            return _info(segment), Changes(segments=frozenset({segment_id}))

    def delete(self, segment_id: int) -> Changes:
        """Delete a saved segment; the clients stay as they are."""
        self.require(Permission.EDIT_SEGMENTS)
        with self.transaction(_("The segment")) as session:
            session.delete(require(session.get(Segment, segment_id), _("The segment")))
            return Changes(segments=frozenset({segment_id}))

    def _check_unique(self, session: Session, name: str, own_id: int | None) -> None:
        check_unique_name(session, Segment, name, own_id, _("A segment named “{name}” already exists."))
