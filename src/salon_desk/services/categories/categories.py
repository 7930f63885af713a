"""Client categories: validation, default flag, templates, bulk assignment and deletion."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, String, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from salon_desk.errors import ValidationError
from salon_desk.i18n import N_, _
from salon_desk.kinds import DiscountScope
from salon_desk.models import AppMeta, Category, Client, ClientCategory, utcnow
from salon_desk.models.base import UtcDateTime
from salon_desk.models.category import NAME_MAX
from salon_desk.paths import icon_names
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import CATEGORY_FIELDS, Action, Entity
from salon_desk.services.text import clean_block, clean_line, column_length
from salon_desk.services.common import check_unique_name, Changes, Service, check_version, name_key, require
from salon_desk.services.categories.labels import members_of, refresh_labels
from salon_desk.services.permissions import Permission

COLOR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
MIN_DISCOUNT = Decimal("0.01")
MAX_DISCOUNT = Decimal("100")
TEMPLATES_KEY = "templates_created"

# (name, colour, icon, default for new clients) — created once, in the UI language.
TEMPLATES = (
    (N_("Regular client"), "#2E7D32", "star", False),
    (N_("New client"), "#1976D2", "sparkle", True),
    (N_("Student"), "#6A1B9A", "graduation", False),
    (N_("Senior"), "#8D6E63", "heart", False),
    (N_("VIP"), "#C9A227", "crown", False),
    (N_("Staff"), "#455A64", "scissors", False),
    (N_("Referral"), "#00897B", "users", False),
    (N_("Flyer campaign"), "#EF6C00", "megaphone", False),
)


@dataclass(frozen=True)
class CategoryData:
    """What the category editor submits."""

    name: str
    description: str = ""
    color: str = "#607D8B"
    icon: str = "tag"
    is_default: bool = False
    discount_percent: Decimal | None = None
    discount_scope: DiscountScope = DiscountScope.BOTH
    applies_to_offers: bool = False


@dataclass(frozen=True)
class CategoryInfo(CategoryData):
    """A saved category as lists and dialogs show it."""

    id: int = 0
    version: int = 0
    client_count: int = 0
    is_template: bool = False


def _info(category: Category, client_count: int = 0) -> CategoryInfo:
    return CategoryInfo(
        id=category.id,
        version=category.version,
        name=category.name,
        description=category.description,
        color=category.color,
        icon=category.icon,
        is_default=category.is_default,
        discount_percent=category.discount_percent,
        discount_scope=category.discount_scope,
        applies_to_offers=category.applies_to_offers,
        client_count=client_count,
        is_template=category.is_template,
    )


def validate_category(data: CategoryData) -> CategoryData:
    """The data cleaned, or a ValidationError naming the first wrong field."""
    name = clean_line(data.name, "name")
    if not name:
        raise ValidationError(_("Please enter a name for the category."), "name")
    if len(name) > NAME_MAX:
        raise ValidationError(
            _("The name is {length} characters long; at most {max} are allowed.").format(
                length=len(name), max=NAME_MAX
            ),
            "name",
        )
    if not COLOR_PATTERN.fullmatch(data.color or ""):
        raise ValidationError(_("The colour must look like #RRGGBB, e.g. #1976D2."), "color")
    if data.icon not in icon_names():
        raise ValidationError(
            _("Unknown icon “{icon}”. Please choose one from the list.").format(icon=data.icon), "icon"
        )
    percent = data.discount_percent
    if percent is not None:
        _check_percent(percent)
    if percent is None and data.applies_to_offers:
        raise ValidationError(
            _("“Discount applies to special offers” needs a discount. Enter a discount or clear this option."),
            "applies_to_offers",
        )
    description = clean_block(data.description, "description", column_length(Category.description))
    return replace(data, name=name, color=data.color.upper(), description=description)


def _check_percent(percent: Decimal) -> None:
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise ValidationError(_("The discount must be a number between 0.01 and 100."), "discount_percent")
    if percent < MIN_DISCOUNT or percent > MAX_DISCOUNT:
        raise ValidationError(
            _("A discount must be between 0.01 % and 100 %; {value} % is not possible.").format(value=percent),
            "discount_percent",
        )
    if percent != percent.quantize(Decimal("0.01")):
        raise ValidationError(_("A discount may have at most two decimal places."), "discount_percent")


class CategoryService(Service):
    """Create, edit, delete and count client categories."""

    def list(self) -> list[CategoryInfo]:
        """Every category with its number of clients, by name."""
        with self.db.read() as session:
            rows = session.scalars(select(Category).order_by(Category.name_key)).all()
            return [_info(c, c.client_count) for c in rows]

    def get(self, category_id: int) -> CategoryInfo:
        """One category with its client count."""
        with self.db.read() as session:
            category = require(session.get(Category, category_id), _("The category"))
            assert isinstance(category, Category)
            return _info(category, category.client_count)

    def client_counts(self) -> dict[int, int]:
        """Number of clients per category id (categories without clients are absent)."""
        with self.db.read() as session:
            rows = session.execute(select(Category.id, Category.client_count).where(Category.client_count > 0))
            return {category_id: count for category_id, count in rows}

    def uncategorised_count(self) -> int:
        """Number of clients without any category."""
        with self.db.read() as session:
            return session.scalar(select(func.count()).select_from(Client).where(_uncategorised())) or 0

    def create(self, data: CategoryData, assign_uncategorised: bool = False) -> tuple[CategoryInfo, Changes]:
        """Save a new category; optionally give it to every client without a category."""
        self.require(Permission.EDIT_CATEGORIES)
        clean = validate_category(data)
        with self.transaction(_("The category")) as session:
            self._check_unique(session, clean.name, None)
            category = Category(name=clean.name, name_key=name_key(clean.name))
            self._apply(session, category, clean)
            session.add(category)
            session.flush()
            after = audit.snapshot(category, CATEGORY_FIELDS)
            audit.record(session, self.actor, Action.CREATE, Entity.CATEGORY, category.id, after=after)
            changes = Changes(categories=frozenset({category.id}))
            if assign_uncategorised:
                changes = replace(changes, all_clients=True)
                self._assign_uncategorised(session, category.id)
            return self._saved(session, category), changes

    def update(
        self, category_id: int, version: int | None, data: CategoryData, assign_uncategorised: bool = False
    ) -> tuple[CategoryInfo, Changes]:
        """Save changes to a category that was loaded at ``version``."""
        self.require(Permission.EDIT_CATEGORIES)
        clean = validate_category(data)
        with self.transaction(_("The category")) as session:
            category = require(session.get(Category, category_id), _("The category"))
            assert isinstance(category, Category)
            check_version(category, version, _("The category “{name}”").format(name=category.name))
            self._check_unique(session, clean.name, category_id)
            renamed = category.name != clean.name
            before = audit.snapshot(category, CATEGORY_FIELDS)
            category.name, category.name_key = clean.name, name_key(clean.name)
            self._apply(session, category, clean)
            session.flush()
            after = audit.snapshot(category, CATEGORY_FIELDS)
            audit.record(session, self.actor, Action.UPDATE, Entity.CATEGORY, category_id, before, after)
            if renamed:
                refresh_labels(session, members_of(category_id))
            if assign_uncategorised:
                self._assign_uncategorised(session, category_id)
            changes = Changes(categories=frozenset({category_id}), all_clients=renamed or assign_uncategorised)
            return self._saved(session, category), changes

    def delete(self, category_id: int, version: int | None = None) -> Changes:
        """Remove the category from all its clients; clients left with none get the default category."""
        self.require(Permission.EDIT_CATEGORIES)
        with self.transaction(_("The category")) as session:
            category = require(session.get(Category, category_id), _("The category"))
            assert isinstance(category, Category)
            check_version(category, version, _("The category “{name}”").format(name=category.name))
            affected = list(
                session.scalars(select(ClientCategory.client_id).where(ClientCategory.category_id == category_id))
            )
            before = audit.snapshot(category, CATEGORY_FIELDS) | {"clients": len(affected)}
            audit.record(session, self.actor, Action.DELETE, Entity.CATEGORY, category_id, before=before)
            session.execute(delete(ClientCategory).where(ClientCategory.category_id == category_id))
            session.delete(category)
            session.flush()
            default_id = session.scalar(select(Category.id).where(Category.is_default.is_(True)))
            if default_id is not None and affected:
                self._assign_default_to_orphans(session, default_id, affected)
            _refresh_in_chunks(session, affected)
            return Changes(categories=frozenset({category_id}), clients=frozenset(affected))

    def ensure_templates(self) -> bool:
        """Create the template categories in the UI language once per database; True if created now."""
        with self.transaction(_("The category")) as session:
            if session.get(AppMeta, TEMPLATES_KEY) is not None:
                return False
            session.add(AppMeta(key=TEMPLATES_KEY, value=utcnow().isoformat()))
            if session.scalar(select(func.count()).select_from(Category)):
                return False
            for name, color, icon, is_default in TEMPLATES:
                label = _(name)
                session.add(
                    Category(
                        name=label,
                        name_key=name_key(label),
                        color=color,
                        icon=icon,
                        is_default=is_default,
                        is_template=True,
                    )
                )
            return True

    # -- helpers ------------------------------------------------------------------

    def _apply(self, session: Session, category: Category, data: CategoryData) -> None:
        if data.is_default and not category.is_default:
            # One default at most: clear the previous one in the same transaction, first.
            session.execute(
                update(Category).where(Category.is_default.is_(True)).values(is_default=False),
                execution_options={"synchronize_session": "fetch"},
            )
            session.flush()
        category.description = data.description
        category.color = data.color
        category.icon = data.icon
        category.is_default = data.is_default
        category.discount_percent = data.discount_percent
        category.discount_scope = data.discount_scope
        category.applies_to_offers = data.applies_to_offers if data.discount_percent is not None else False

    def _check_unique(self, session: Session, name: str, own_id: int | None) -> None:
        check_unique_name(
            session, Category, name, own_id, _("A category named “{name}” already exists. Please choose another name.")
        )

    def _assign_uncategorised(self, session: Session, category_id: int) -> None:
        """Give the category to every client without one: one INSERT … SELECT, then one label UPDATE."""
        # Counted first: the drivers' row counts of INSERT … SELECT are not reliable (psycopg gives -1).
        added = session.scalar(select(func.count()).select_from(Client).where(_uncategorised())) or 0
        session.execute(
            insert(ClientCategory).from_select(
                ["client_id", "category_id", "assigned_at", "assigned_by", "proof_note"],
                select(Client.id, *self._membership_values(category_id)).where(_uncategorised()),
            )
        )
        refresh_labels(session, members_of(category_id) & (Client.category_label == ""))
        audit.record(
            session, self.actor, Action.MEMBERSHIPS, Entity.CATEGORY, category_id, after={"clients_added": added}
        )

    def _assign_default_to_orphans(self, session: Session, default_id: int, client_ids: list[int]) -> None:
        added = 0
        for chunk in _chunks(client_ids):
            orphans = (Client.id.in_(chunk), _uncategorised())
            added += session.scalar(select(func.count()).select_from(Client).where(*orphans)) or 0
            session.execute(
                insert(ClientCategory).from_select(
                    ["client_id", "category_id", "assigned_at", "assigned_by", "proof_note"],
                    select(Client.id, *self._membership_values(default_id)).where(*orphans),
                )
            )
        if added:
            audit.record(
                session, self.actor, Action.MEMBERSHIPS, Entity.CATEGORY, default_id, after={"clients_added": added}
            )

    def _membership_values(self, category_id: int) -> tuple[Any, ...]:
        """Constant columns of memberships written by INSERT … SELECT."""
        return (
            literal(category_id, Integer),
            literal(utcnow(), UtcDateTime()),
            literal(self.actor.name, String()),
            literal("", String()),
        )

    def _saved(self, session: Session, category: Category) -> CategoryInfo:
        # The count as the triggers left it after this transaction's own membership writes,
        # not the value loaded with the object.
        count = session.scalar(select(Category.client_count).where(Category.id == category.id))
        return _info(category, count or 0)


def _uncategorised():  # type: ignore[no-untyped-def]
    """Condition: the client has no category."""
    return ~select(ClientCategory.client_id).where(ClientCategory.client_id == Client.id).exists()


CHUNK = 5000


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _refresh_in_chunks(session: Session, client_ids: list[int]) -> None:
    for chunk in _chunks(client_ids):
        refresh_labels(session, Client.id.in_(chunk))
