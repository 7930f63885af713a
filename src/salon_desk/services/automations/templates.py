"""The rule templates of DESIGN §7, created once per database, inactive, in the UI language.

"New client → regular client after the first sale" needs the template categories New client
and Regular client (Neukunde, Stammkunde); where they are gone it is created without them and
marked as needing a category chosen. "Birthday greeting" sends an email template: it is
marked as needing the campaign chosen whose subject and body go out, and cannot be switched
on before. Databases whose birthday template was made before rules could send email get the
action added (``upgrade_templates``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from salon_desk.i18n import N_, _
from salon_desk.models import AppMeta, AutomationRule, Category, utcnow
from salon_desk.services.automations.engine import bump_rules_version
from salon_desk.services.automations.rules import (
    ActionData,
    ActionKind,
    CategoryMode,
    RuleFilter,
    actions_to_json,
    filter_to_json,
)
from salon_desk.services.common import name_key
from salon_desk.services.events import Event

TEMPLATES_KEY = "automation_templates_created"
FIRST_SALE, BIRTHDAY, NO_VISIT = "first_sale", "birthday", "no_visit_90"
NEEDS_CAMPAIGN = "campaign"
OLD_NEEDS_EMAIL = "email"
GREETING = actions_to_json((ActionData(ActionKind.SEND_EMAIL),))
NEW_CLIENT_NAMES = ("neukunde", "new client", N_("New client"))
REGULAR_NAMES = ("stammkunde", "regular client", N_("Regular client"))


def find_category(session: Session, names: tuple[str, ...]) -> int | None:
    """The category called one of ``names`` (in German, English or the UI language), if any."""
    keys = {name_key(name) for name in names} | {name_key(_(name)) for name in names}
    return session.scalar(select(Category.id).where(Category.name_key.in_(keys)).order_by(Category.id).limit(1))


def create_templates(session: Session) -> bool:
    """Add the three templates unless this database had them once (deleted ones stay deleted)."""
    if session.get(AppMeta, TEMPLATES_KEY) is not None:
        return False
    session.add(AppMeta(key=TEMPLATES_KEY, value=utcnow().isoformat()))
    new, regular = find_category(session, NEW_CLIENT_NAMES), find_category(session, REGULAR_NAMES)
    first_sale = AutomationRule(
        name=_("New client → regular client after the first sale"),
        event=Event.SALE_COMPLETED.value,
        filter=filter_to_json(RuleFilter(CategoryMode.ANY, (new,) if new else ())),
        actions=actions_to_json(
            (
                ActionData(ActionKind.ASSIGN_CATEGORY, category_id=regular),
                ActionData(ActionKind.REMOVE_CATEGORY, category_id=new),
            )
        ),
        needs="" if new and regular else "category",
    )
    birthday = AutomationRule(
        name=_("Birthday greeting"), event=Event.BIRTHDAY.value, filter="{}", actions=GREETING, needs=NEEDS_CAMPAIGN
    )
    call_back = AutomationRule(
        name=_("No visit for 90 days → call-back task"),
        event=Event.NO_VISIT.value,
        event_param=90,
        filter="{}",
        actions=actions_to_json(
            (ActionData(ActionKind.CREATE_TASK, days=3, title=_("Call back: no visit for 90 days")),)
        ),
        needs="",
    )
    for template, row in ((FIRST_SALE, first_sale), (BIRTHDAY, birthday), (NO_VISIT, call_back)):
        row.template, row.active, row.failure = template, False, ""
        session.add(row)
    bump_rules_version(session)
    return True


def upgrade_templates(session: Session) -> bool:
    """The birthday template made before rules could send email gets its action; True if one was changed."""
    rows = session.scalars(
        select(AutomationRule).where(AutomationRule.template == BIRTHDAY, AutomationRule.needs == OLD_NEEDS_EMAIL)
    ).all()
    for row in rows:
        if row.actions in ("", "[]"):
            row.actions = GREETING
        row.needs = NEEDS_CAMPAIGN
    if rows:
        bump_rules_version(session)
    return bool(rows)
