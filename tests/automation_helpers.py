"""Small builders for the automation tests: categories, groups, clients and rules."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from salon_desk.models import Client, Task
from salon_desk.services import Services
from salon_desk.services.automations.rules import ActionData, Rule, RuleData, RuleFilter
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.events import Event
from salon_desk.services.groups.groups import GroupData


def category(services: Services, name: str) -> int:
    return services.categories.create(CategoryData(name=name))[0].id


def group(services: Services, name: str) -> int:
    return services.groups.create(GroupData(name=name))[0].id


def client(
    services: Services, first: str, categories: tuple[int, ...] = (), group_id: int | None = None, **fields: object
) -> int:
    data = ClientData(first_name=first, last_name="Test", group_id=group_id, **fields)  # type: ignore[arg-type]
    changes = CategoryChanges(tuple(MembershipData(c) for c in categories))
    return services.clients.create(data, changes)[0].id


def rule(
    services: Services,
    name: str,
    event: Event,
    *actions: ActionData,
    param: int | None = None,
    rule_filter: RuleFilter | None = None,
    active: bool = True,
) -> Rule:
    data = RuleData(name, event, param, rule_filter or RuleFilter(), tuple(actions), active)
    return services.automations.create(data)[0]


def categories_of(services: Services, client_id: int) -> dict[str, date | None]:
    """The client's categories by name, with their valid-until dates."""
    card = services.clients.get(client_id)
    return {m.category.name: m.valid_until for m in card.memberships if m.category is not None}


def set_category_list(services: Services, client_id: int, categories: tuple[int, ...]) -> None:
    """Save the card with exactly these categories (what Add/Remove and Save do)."""
    card = services.clients.get(client_id)
    services.clients.save(client_id, card.version, card.data, CategoryChanges(tuple(MembershipData(c) for c in categories)))


def tasks_of(services: Services, client_id: int) -> list[tuple[str, date, int | None]]:
    with services.db.read() as session:
        rows = session.execute(
            select(Task.title, Task.due_on, Task.staff_id).where(Task.client_id == client_id).order_by(Task.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def set_last_visit(services: Services, client_id: int, day: date) -> None:
    with services.db.transaction() as session:
        session.execute(update(Client).where(Client.id == client_id).values(last_visit=day))


def log_lines(services: Services, rule_id: int | None = None) -> list[tuple[str, int | None, str, str]]:
    """(rule, client, action, outcome) of the run log, oldest first."""
    runs = services.automations.run_log(rule_id)
    return [(r.rule_name, r.client_id, r.action, r.outcome) for r in reversed(runs)]
