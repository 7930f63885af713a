"""Each event with each action: the rule runs where the event happens, in the same transaction, and logs it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from automation_helpers import (
    categories_of,
    category,
    client,
    group,
    log_lines,
    rule,
    set_category_list,
    set_last_visit,
    tasks_of,
)

from salon_desk.kinds import ItemKind
from salon_desk.models import Client, PaymentMethod
from salon_desk.models.campaign import AudienceKind, CampaignRecipient
from salon_desk.services import Services
from salon_desk.services.automations.rules import ActionData, ActionKind
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.events import Event
from salon_desk.services.marketing.campaigns import CampaignData

DAY = date(2026, 3, 10)


@dataclass
class Salon:
    """Ids the event tests use: Y triggers, X is assigned, Z is removed, G is set."""

    x: int
    y: int
    z: int
    g: int
    h: int
    item: int
    campaign: int


@pytest.fixture
def salon(services: Services) -> Salon:
    item = services.catalog.create_item(
        ItemData(name="Cut", kind=ItemKind.SERVICE, price=Decimal("30.00"), vat_rate=Decimal("19"))
    )[0].id
    return Salon(
        category(services, "X"),
        category(services, "Y"),
        category(services, "Z"),
        group(services, "G"),
        group(services, "H"),
        item,
        services.campaigns.create(CampaignData(name="Hello", subject="Hello {first_name}", body="Hi.",
                                               audience_kind=AudienceKind.SELECTION, client_ids=(1,)))[0].id,
    )


def today_for(event: Event) -> date:
    """The day the actions count from: the daily events run for DAY, the others today."""
    return DAY if event in (Event.BIRTHDAY, Event.NO_VISIT) else date.today()


def trigger(services: Services, salon: Salon, event: Event) -> int:
    """Make ``event`` happen to a new client holding Z; returns the client."""
    if event is Event.CLIENT_CREATED:
        return client(services, "Creat", (salon.z,))
    start = (salon.z, salon.y) if event is Event.CATEGORY_REMOVED else (salon.z,)
    birthday = DAY.replace(year=1990) if event is Event.BIRTHDAY else None
    client_id = client(services, "Anna", start, birthday=birthday)
    happen: dict[Event, Callable[[], object]] = {
        Event.CLIENT_CHANGED: lambda: _save(services, client_id, phone="0171 1234567"),
        Event.CATEGORY_ASSIGNED: lambda: set_category_list(services, client_id, (salon.z, salon.y)),
        Event.CATEGORY_REMOVED: lambda: set_category_list(services, client_id, (salon.z,)),
        Event.GROUP_CHANGED: lambda: _save(services, client_id, group_id=salon.h),
        Event.SALE_COMPLETED: lambda: services.checkout.complete(
            client_id, Cart((CartLine(salon.item),)), Payment(PaymentMethod.CARD)
        ),
        Event.BIRTHDAY: lambda: services.automations.run_daily(DAY),
        Event.NO_VISIT: lambda: (set_last_visit(services, client_id, DAY - timedelta(days=30)),
                                 services.automations.run_daily(DAY)),
    }  # fmt: skip
    happen[event]()
    return client_id


def outbox_of(services: Services, client_id: int) -> list[tuple[str, str]]:
    with services.db.read() as session:
        rows = session.execute(select(CampaignRecipient.state, CampaignRecipient.reason)
                               .where(CampaignRecipient.client_id == client_id))
        return [(str(state), reason) for state, reason in rows]


def label_of(services: Services, client_id: int) -> str:
    with services.db.read() as session:
        return session.scalar(select(Client.category_label).where(Client.id == client_id)) or ""


def _save(services: Services, client_id: int, **changes: object) -> None:
    from dataclasses import replace

    card = services.clients.get(client_id)
    services.clients.save(client_id, card.version, replace(card.data, **changes))  # type: ignore[arg-type]


ACTIONS = {
    ActionKind.ASSIGN_CATEGORY: lambda s: ActionData(ActionKind.ASSIGN_CATEGORY, category_id=s.x, days=10),
    ActionKind.REMOVE_CATEGORY: lambda s: ActionData(ActionKind.REMOVE_CATEGORY, category_id=s.z),
    ActionKind.SET_GROUP: lambda s: ActionData(ActionKind.SET_GROUP, group_id=s.g),
    ActionKind.CREATE_TASK: lambda s: ActionData(ActionKind.CREATE_TASK, days=2, title="Say hello"),
    ActionKind.SEND_EMAIL: lambda s: ActionData(ActionKind.SEND_EMAIL, campaign_id=s.campaign),
}


@pytest.mark.parametrize("kind", list(ActionKind))
@pytest.mark.parametrize("event", list(Event))
def test_each_event_runs_each_action(services: Services, salon: Salon, event: Event, kind: ActionKind) -> None:
    param = {Event.NO_VISIT: 30, Event.CATEGORY_ASSIGNED: salon.y, Event.CATEGORY_REMOVED: salon.y}.get(event)
    made = rule(services, "Rule", event, ACTIONS[kind](salon), param=param)

    client_id = trigger(services, salon, event)

    day = today_for(event)
    held = categories_of(services, client_id)
    card = services.clients.get(client_id)
    if kind is ActionKind.ASSIGN_CATEGORY:
        assert held["X"] == day + timedelta(days=10)
    elif kind is ActionKind.REMOVE_CATEGORY:
        assert "Z" not in held
    elif kind is ActionKind.SET_GROUP:
        assert card.group_name == "G"
    elif kind is ActionKind.CREATE_TASK:
        assert tasks_of(services, client_id) == [("Say hello", day + timedelta(days=2), None)]
    if kind is ActionKind.SEND_EMAIL:  # the client has no address: in the outbox as skipped, and logged so
        outbox = outbox_of(services, client_id)
        assert outbox == [("skipped", "no_address")]
        assert log_lines(services, made.id) == [("Rule", client_id, kind.value, "skipped")]
    else:
        assert log_lines(services, made.id) == [("Rule", client_id, kind.value, "done")]
    # the label in the client list follows the categories the rule changed
    assert label_of(services, client_id) == ", ".join(sorted(held, key=str.casefold))


def test_a_rule_waits_for_its_own_event_and_category(services: Services, salon: Salon) -> None:
    made = rule(
        services, "On Y", Event.CATEGORY_ASSIGNED, ActionData(ActionKind.SET_GROUP, group_id=salon.g), param=salon.y
    )
    client_id = client(services, "Anna")
    set_category_list(services, client_id, (salon.z,))  # another category: nothing
    assert services.clients.get(client_id).group_name == ""
    set_category_list(services, client_id, (salon.z, salon.y))
    assert services.clients.get(client_id).group_name == "G"
    assert log_lines(services, made.id) == [("On Y", client_id, "set_group", "done")]


def test_an_inactive_rule_does_nothing(services: Services, salon: Salon) -> None:
    rule(services, "Off", Event.CLIENT_CREATED, ACTIONS[ActionKind.SET_GROUP](salon), active=False)
    client_id = client(services, "Anna")
    assert services.clients.get(client_id).group_name == ""
    assert log_lines(services) == []


def test_a_sale_without_a_client_skips_the_actions_and_logs_it(services: Services, salon: Salon) -> None:
    made = rule(services, "Sale", Event.SALE_COMPLETED, ACTIONS[ActionKind.CREATE_TASK](salon))
    services.checkout.complete(None, Cart((CartLine(salon.item),)), Payment(PaymentMethod.CASH, Decimal(50)))
    assert log_lines(services, made.id) == [("Sale", None, "create_task", "skipped")]
    assert services.automations.run_log()[0].detail == "The event has no client."


def test_on_one_save_a_removal_then_an_assignment_of_the_same_category_leaves_it_assigned(
    services: Services, salon: Salon
) -> None:
    remove = rule(services, "Remove X", Event.CLIENT_CHANGED, ActionData(ActionKind.REMOVE_CATEGORY, category_id=salon.x))
    assign = rule(services, "Assign X", Event.CLIENT_CHANGED,
                  ActionData(ActionKind.ASSIGN_CATEGORY, category_id=salon.x, days=5))
    client_id = client(services, "Anna", (salon.x,))
    _save(services, client_id, phone="0171 1")
    # the assignment is new (valid for 5 days), not skipped as "already held" from before the removal
    assert categories_of(services, client_id) == {"X": date.today() + timedelta(days=5)}
    _save(services, client_id, phone="0171 2")
    assert categories_of(services, client_id) == {"X": date.today() + timedelta(days=5)}
    assert [line[3] for line in log_lines(services, remove.id)] == ["done", "done"]
    assert [line[3] for line in log_lines(services, assign.id)] == ["done", "done"]


def test_assigning_a_category_the_client_holds_keeps_the_membership_and_logs_done(
    services: Services, salon: Salon
) -> None:
    made = rule(services, "Assign X", Event.CLIENT_CHANGED,
                ActionData(ActionKind.ASSIGN_CATEGORY, category_id=salon.x, days=5))
    client_id = client(services, "Anna", (salon.x,))
    version = services.clients.get(client_id).version
    _save(services, client_id, phone="0171 1")
    assert categories_of(services, client_id) == {"X": None}  # held without end: stays so
    assert services.clients.get(client_id).version == version + 1  # only the save itself
    [line] = services.automations.run_log(made.id)
    assert (line.outcome, line.detail) == ("done", f"X, valid until {(date.today() + timedelta(days=5)).isoformat()}")
