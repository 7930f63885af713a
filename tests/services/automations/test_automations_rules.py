"""No loops, failing actions rolled back alone, bulk changes set-based, rules seen by every desk, templates, bad input."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from automation_helpers import categories_of, category, client, group, log_lines, rule, set_category_list, tasks_of

from sqlalchemy import delete, func, select

from salon_desk.errors import ValidationError
from salon_desk.kinds import ItemKind
from salon_desk.models import AutomationRun, AutomationRunClient, Client, PaymentMethod
from salon_desk.services import Services, open_services
from salon_desk.services.automations.rules import (
    ActionData,
    ActionKind,
    CategoryMode,
    GroupMode,
    Outcome,
    RuleData,
    RuleFilter,
    validate_rule,
)
from salon_desk.services.catalogue.catalog import ItemData
from salon_desk.services.checkout.checkout import Cart, CartLine, Payment
from salon_desk.services.clients.client_list import ClientListQuery
from salon_desk.services.events import Event
from salon_desk.services.marketing.bulk import Target


def assign(category_id: int, days: int | None = None) -> ActionData:
    return ActionData(ActionKind.ASSIGN_CATEGORY, category_id=category_id, days=days)


def test_two_rules_that_would_feed_each_other_each_run_once(services: Services) -> None:
    x, y = category(services, "X"), category(services, "Y")
    a = rule(services, "A", Event.CATEGORY_ASSIGNED, assign(x), param=y)
    b = rule(services, "B", Event.CATEGORY_ASSIGNED, assign(y), param=x)
    anna, ben = client(services, "Anna"), client(services, "Ben")

    set_category_list(services, anna, (y,))  # A gives X; what A did fires nothing, so B stays quiet
    set_category_list(services, ben, (x,))  # B gives Y; A stays quiet

    assert set(categories_of(services, anna)) == {"X", "Y"} == set(categories_of(services, ben))
    assert log_lines(services, a.id) == [("A", anna, "assign_category", "done")]
    assert log_lines(services, b.id) == [("B", ben, "assign_category", "done")]


def test_a_rule_whose_category_was_deleted_fails_alone_and_the_save_stands(services: Services) -> None:
    gone, kept = category(services, "Gone"), category(services, "Kept")
    broken = rule(
        services,
        "Broken",
        Event.CLIENT_CHANGED,
        assign(gone),
        ActionData(ActionKind.CREATE_TASK, title="Call"),
        assign(kept),
    )
    healthy = rule(services, "Healthy", Event.CLIENT_CHANGED, ActionData(ActionKind.CREATE_TASK, title="Check"))
    anna = client(services, "Anna")
    services.categories.delete(gone)

    card = services.clients.get(anna)
    saved, _changes = services.clients.save(anna, card.version, replace(card.data, phone="0171 2345678"))

    assert services.clients.get(anna).data.phone == "0171 2345678"  # the user's change stands
    assert set(categories_of(services, anna)) == {"Kept"}  # the actions after the failed one ran
    assert [t[0] for t in tasks_of(services, anna)] == ["Call", "Check"]
    assert log_lines(services, broken.id) == [
        ("Broken", anna, "assign_category", "failed"),
        ("Broken", anna, "create_task", "done"),
        ("Broken", anna, "assign_category", "done"),
    ]
    failed = services.automations.run_log(broken.id, outcome=None)[-1]
    assert "no longer exists" in failed.detail
    # the log by outcome: the failed line alone, and the done lines of both rules
    assert [(r.rule_name, r.action) for r in services.automations.run_log(outcome=Outcome.FAILED)] == [
        ("Broken", "assign_category")
    ]
    done = services.automations.run_log(outcome=Outcome.DONE)
    assert sorted((r.rule_name, r.action) for r in done) == [
        ("Broken", "assign_category"), ("Broken", "create_task"), ("Healthy", "create_task")
    ]  # fmt: skip
    assert services.automations.run_log(healthy.id, outcome=Outcome.FAILED) == []
    flags = {row.rule.name: row.rule.failed for row in services.automations.list()}
    assert flags["Broken"] and not flags["Healthy"]
    # the card the save returned is current: saving it again is not refused as stale
    services.clients.save(anna, saved.version, replace(saved.data, city="Köln"))
    # editing the rule clears the flag
    fixed = replace(services.automations.get(broken.id), actions=(assign(kept),))
    services.automations.update(broken.id, fixed.version, fixed)
    assert not services.automations.get(broken.id).failed
    assert healthy.id != broken.id


def test_bulk_changes_fire_once_for_the_affected_set_with_the_filter_in_sql(services: Services) -> None:
    y, x, vip = category(services, "Y"), category(services, "X"), category(services, "Gold")
    club, other = group(services, "Club"), group(services, "Other")
    members_only = RuleFilter(group_mode=GroupMode.ONE_OF, group_ids=(club,))
    on_assign = rule(services, "Club Y → X", Event.CATEGORY_ASSIGNED, assign(x, 30), param=y, rule_filter=members_only)
    not_vip = RuleFilter(category_mode=CategoryMode.NONE, category_ids=(vip,))
    on_remove = rule(
        services, "Y gone → task", Event.CATEGORY_REMOVED, ActionData(ActionKind.CREATE_TASK, title="Ask"),
        param=y, rule_filter=not_vip,
    )  # fmt: skip
    on_group = rule(services, "Other → no Y", Event.GROUP_CHANGED, ActionData(ActionKind.REMOVE_CATEGORY, category_id=y))
    no_group = rule(services, "No group: task", Event.CATEGORY_ASSIGNED, ActionData(ActionKind.CREATE_TASK, title="Hi"),
                    param=y, rule_filter=RuleFilter(group_mode=GroupMode.NO_GROUP))  # fmt: skip
    ids = [
        client(services, "A", group_id=club),
        client(services, "B", group_id=club, categories=(vip,)),
        client(services, "C"),
        client(services, "D", group_id=other),
        client(services, "E", group_id=club),
    ]
    everyone = Target.whole_list(ClientListQuery())

    assert services.bulk.assign_category(everyone, y).count == 5
    club_members = [ids[0], ids[1], ids[4]]
    assert sorted(c for _r, c, _a, _o in log_lines(services, on_assign.id)) == club_members
    assert all("X" in categories_of(services, c) for c in club_members)
    assert "X" not in categories_of(services, ids[2])
    assert [c for _r, c, _a, _o in log_lines(services, no_group.id)] == [ids[2]]
    assert labels(services, ids) == ["X, Y", "Gold, X, Y", "Y", "Y", "X, Y"]  # the rule's X too, in one refresh

    services.bulk.remove_category(Target.selection(ids[:3]), y)
    assert sorted(c for _r, c, _a, _o in log_lines(services, on_remove.id)) == [ids[0], ids[2]]  # B is VIP

    services.bulk.set_group(Target.selection(ids[3:]), other)  # E moves, D was there already
    assert [c for _r, c, _a, _o in log_lines(services, on_group.id)] == [ids[4]]
    assert "Y" not in categories_of(services, ids[4]) and "Y" in categories_of(services, ids[3])
    assert labels(services, ids) == ["X", "Gold, X", "", "Y", "X"]  # A, B, C, D, E


def test_a_bulk_changes_run_log_names_every_client_with_its_clients_stored_once(services: Services) -> None:
    """The log shows a line per client and action; stored is one line per action, the clients once as pairs."""
    y, x, gone = category(services, "Y"), category(services, "X"), category(services, "Never held")
    club = group(services, "Club")
    made = rule(services, "Y → X", Event.CATEGORY_ASSIGNED, assign(x), ActionData(ActionKind.REMOVE_CATEGORY,
                category_id=gone), param=y)  # fmt: skip
    in_club = rule(services, "Club: task", Event.CATEGORY_ASSIGNED, ActionData(ActionKind.CREATE_TASK, title="Call"),
                   param=y, rule_filter=RuleFilter(group_mode=GroupMode.ONE_OF, group_ids=(club,)))  # fmt: skip
    not_x = rule(services, "Not X: task", Event.CATEGORY_ASSIGNED, ActionData(ActionKind.CREATE_TASK, title="Ask"),
                 param=y, rule_filter=RuleFilter(CategoryMode.NONE, (x,)))  # keeps all three: X comes after the filter
    ids = [client(services, "Anna"), client(services, "Bea", group_id=club), client(services, "Cem")]
    services.bulk.assign_category(Target.selection(ids), y)

    shown = services.automations.run_log(made.id)
    assert [(r.client_name, r.action, r.outcome) for r in shown] == [
        ("Cem Test", "remove_category", "done"), ("Bea Test", "remove_category", "done"),
        ("Anna Test", "remove_category", "done"), ("Cem Test", "assign_category", "done"),
        ("Bea Test", "assign_category", "done"), ("Anna Test", "assign_category", "done"),
    ]  # fmt: skip
    assert [r.client_id for r in shown[:3]] == ids[::-1]
    assert {r.detail for r in shown} == {"X", "Never held"}
    assert len(services.automations.run_log(outcome=Outcome.DONE, limit=4)) == 4
    assert services.automations.run_log(made.id, outcome=Outcome.FAILED) == []
    with services.db.read() as session:
        stored = session.scalar(select(func.count()).select_from(AutomationRun).where(AutomationRun.rule_id == made.id))
        pairs = session.scalar(select(func.count()).select_from(AutomationRunClient))
    assert (stored, pairs) == (2, 4)  # the three clients once for both rules acting on all, Bea for the club's rule
    assert [r.client_name for r in services.automations.run_log(in_club.id)] == ["Bea Test"]
    assert [r.client_name for r in services.automations.run_log(not_x.id)] == ["Cem Test", "Bea Test", "Anna Test"]

    client(services, "Dora", categories=(y,))  # one client's save: its own line, as before
    assert [(r.client_name, r.action) for r in services.automations.run_log(made.id)[:2]] == [
        ("Dora Test", "remove_category"), ("Dora Test", "assign_category")
    ]  # fmt: skip

    # a client row deleted outright (only the schema's cascade does that) leaves the log with it
    with services.db.transaction() as session:
        session.execute(delete(Client).where(Client.id.in_(ids)))
    assert [r.client_name for r in services.automations.run_log(made.id)] == ["Dora Test", "Dora Test"]


def test_rules_setting_groups_on_a_bulk_change_leave_the_last_rules_group(services: Services) -> None:
    y, x = category(services, "Y"), category(services, "X")
    first, second = group(services, "First"), group(services, "Second")
    set_first = ActionData(ActionKind.SET_GROUP, group_id=first)
    rule(services, "Y → X and First", Event.CATEGORY_ASSIGNED, assign(x), set_first, param=y)
    rule(services, "Y → Second", Event.CATEGORY_ASSIGNED, ActionData(ActionKind.SET_GROUP, group_id=second), param=y)
    rule(services, "Y → no group", Event.CATEGORY_ASSIGNED, ActionData(ActionKind.SET_GROUP), param=y,
         rule_filter=RuleFilter(group_mode=GroupMode.ONE_OF, group_ids=(first,)))  # fmt: skip
    ids = [client(services, "A"), client(services, "B", group_id=first), client(services, "C", group_id=second)]

    services.bulk.assign_category(Target.selection(ids), y)

    # the later rule's group stands; B was in First when the event came, so the third rule took its group
    with services.db.read() as session:
        groups = dict(session.execute(select(Client.id, Client.group_id).where(Client.id.in_(ids))).all())
    assert [groups[c] for c in ids] == [second, None, second]
    assert labels(services, ids) == ["X, Y"] * 3


def labels(services: Services, ids: list[int]) -> list[str]:
    """The category column of the client list, and a check that it names each client's categories."""
    with services.db.read() as session:
        found = dict(session.execute(select(Client.id, Client.category_label).where(Client.id.in_(ids))).all())
    shown = [found[client_id] for client_id in ids]
    assert shown == [", ".join(sorted(categories_of(services, c), key=str.casefold)) for c in ids]
    return shown


def test_a_rule_saved_at_another_desk_counts_at_once(services: Services) -> None:
    other_desk = open_services(services.db.url.render_as_string(hide_password=False))
    try:
        x = category(services, "X")
        client(services, "Before")  # this desk has read (and cached) the rules: none
        rule(other_desk, "Other desk", Event.CLIENT_CREATED, assign(x))
        anna = client(services, "Anna")
        assert "X" in categories_of(services, anna)
        made = other_desk.automations.list()[-1].rule
        other_desk.automations.set_active(made.id, False)
        ben = client(services, "Ben")
        assert "X" not in categories_of(services, ben)
    finally:
        other_desk.db.dispose()


def test_the_first_sale_template_switched_on_works_through_a_real_checkout(services: Services) -> None:
    templates = {row.rule.template: row.rule for row in services.automations.list()}
    assert {t: r.active for t, r in templates.items()} == {"first_sale": False, "birthday": False, "no_visit_90": False}
    services.automations.set_active(templates["first_sale"].id, True)
    item = services.catalog.create_item(
        ItemData(name="Cut", kind=ItemKind.SERVICE, price=Decimal("30.00"), vat_rate=Decimal("19"))
    )[0].id
    anna = client(services, "Anna", ())
    anna_card = services.clients.get(anna)
    assert [m.category.name for m in anna_card.memberships if m.category] == []
    newbie = services.clients.create(replace(anna_card.data, first_name="Nina"))[0].id  # gets the default
    assert set(categories_of(services, newbie)) == {"New client"}

    services.checkout.complete(newbie, Cart((CartLine(item),)), Payment(PaymentMethod.CARD))

    assert set(categories_of(services, newbie)) == {"Regular client"}
    services.checkout.complete(anna, Cart((CartLine(item),)), Payment(PaymentMethod.CARD))
    assert set(categories_of(services, anna)) == set()  # not a new client: the filter keeps her out
    assert log_lines(services, templates["first_sale"].id) == [
        ("New client → regular client after the first sale", newbie, "assign_category", "done"),
        ("New client → regular client after the first sale", newbie, "remove_category", "done"),
    ]


def test_the_birthday_template_asks_for_its_campaign_before_it_is_switched_on(services: Services) -> None:
    templates = {row.rule.template: row.rule for row in services.automations.list()}
    assert templates["birthday"].needs == "campaign"
    with pytest.raises(ValidationError) as refused:
        services.automations.set_active(templates["birthday"].id, True)
    assert refused.value.field == "actions[1]"
    assert not services.automations.get(templates["birthday"].id).active


def test_a_birthday_template_made_before_rules_sent_email_gets_the_action(services: Services) -> None:
    from salon_desk.models import AutomationRule

    with services.db.transaction() as session:  # as the first version of the templates left it
        session.query(AutomationRule).filter(AutomationRule.template == "birthday").update(
            {"actions": "[]", "needs": "email"})
    services.automations.ensure_templates()
    birthday = next(r.rule for r in services.automations.list() if r.rule.template == "birthday")
    assert birthday.needs == "campaign" and birthday.actions == (ActionData(ActionKind.SEND_EMAIL),)


def test_the_first_sale_template_without_its_categories_asks_for_one(services: Services) -> None:
    with services.db.transaction() as session:  # a salon that deleted the template categories before the rules came
        from salon_desk.models import AppMeta, AutomationRule, Category

        session.query(AutomationRule).delete()
        session.query(Category).delete()
        session.query(AppMeta).filter(AppMeta.key == "automation_templates_created").delete()
    services.automations.ensure_templates()
    first_sale = next(r.rule for r in services.automations.list() if r.rule.template == "first_sale")
    assert first_sale.needs == "category"
    with pytest.raises(ValidationError) as refused:
        services.automations.set_active(first_sale.id, True)
    assert refused.value.field == "filter_categories"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (RuleData("  ", Event.CLIENT_CREATED, actions=(ActionData(ActionKind.CREATE_TASK, title="t"),)), "name"),
        (RuleData("R", None, actions=(ActionData(ActionKind.CREATE_TASK, title="t"),)), "event"),
        (RuleData("R", Event.CLIENT_CREATED), "actions"),
        (RuleData("R", Event.NO_VISIT, 0, actions=(ActionData(ActionKind.CREATE_TASK, title="t"),)), "event_days"),
        (RuleData("R", Event.NO_VISIT, -5, actions=(ActionData(ActionKind.CREATE_TASK, title="t"),)), "event_days"),
        (RuleData("R", Event.CLIENT_CREATED, actions=(ActionData(ActionKind.ASSIGN_CATEGORY, 1, days=0),)), "actions[1]"),
        (RuleData("R", Event.CLIENT_CREATED, actions=(ActionData(ActionKind.REMOVE_CATEGORY),)), "actions[1]"),
        (RuleData("R", Event.CLIENT_CREATED, actions=(ActionData(ActionKind.CREATE_TASK),)), "actions[1]"),
        (
            RuleData("R", Event.CLIENT_CREATED, filter=RuleFilter(CategoryMode.ANY), actions=(ActionData(ActionKind.CREATE_TASK, title="t"),)),
            "filter_categories",
        ),
    ],
)
def test_bad_rules_are_refused_naming_the_field(data: RuleData, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_rule(data)
    assert refused.value.field == field


def test_a_rule_naming_a_deleted_category_is_refused_on_save(services: Services) -> None:
    gone = category(services, "Gone")
    services.categories.delete(gone)
    with pytest.raises(ValidationError) as refused:
        rule(services, "R", Event.CLIENT_CREATED, assign(gone))
    assert refused.value.field == "actions[1]"
    assert services.automations.list()[-1].rule.name != "R"


def test_only_managers_edit_rules(services: Services) -> None:
    from helpers_staff import signed_in

    from salon_desk.errors import PermissionDeniedError
    from salon_desk.models import Role

    signed_in(services, Role.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        rule(services, "R", Event.CLIENT_CREATED, ActionData(ActionKind.CREATE_TASK, title="t"))
