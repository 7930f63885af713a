"""categories.client_count, kept by database triggers, equals the memberships after every kind of write."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, event, func, insert, literal, select, text, update
from sqlalchemy.exc import IntegrityError

from salon_desk.models import Category, Client, ClientCategory
from salon_desk.services import Services
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData


def _by_name(services: Services, name: str) -> int:
    return next(c.id for c in services.categories.list() if c.name == name)


def _counted(services: Services) -> dict[int, int]:
    """Memberships per category counted with GROUP BY, every category present."""
    with services.db.read() as session:
        counts = dict.fromkeys(session.scalars(select(Category.id)), 0)
        rows = session.execute(select(ClientCategory.category_id, func.count()).group_by(ClientCategory.category_id))
        counts.update({category_id: count for category_id, count in rows})
    return counts


def assert_counts_exact(services: Services) -> None:
    """Every read path of the service agrees with GROUP BY."""
    expected = _counted(services)
    listed = {c.id: c.client_count for c in services.categories.list()}
    assert listed == expected
    assert services.categories.client_counts() == {k: v for k, v in expected.items() if v}
    for category_id, count in expected.items():
        assert services.categories.get(category_id).client_count == count


def _client(services: Services, name: str, *category_ids: int) -> int:
    staged = CategoryChanges(tuple(MembershipData(i) for i in category_ids))
    return services.clients.create(ClientData(last_name=name), staged)[0].id


def test_a_new_category_counts_zero(services: Services) -> None:
    info, _changes = services.categories.create(CategoryData(name="Leer"))
    assert info.client_count == 0
    assert_counts_exact(services)


def test_client_create_and_card_saves(services: Services) -> None:
    vip, student, senior = (_by_name(services, n) for n in ("VIP", "Student", "Senior"))
    first = _client(services, "Eins", vip, student)
    _client(services, "Zwei", vip)
    services.clients.create(ClientData(last_name="Standard"))  # gets the default category
    assert_counts_exact(services)
    assert services.categories.get(vip).client_count == 2

    card = services.clients.get(first)
    staged = CategoryChanges((MembershipData(student), MembershipData(senior)))  # VIP off, Senior on
    card, _changes = services.clients.save(first, card.version, card.data, staged)
    assert_counts_exact(services)
    assert services.categories.get(vip).client_count == 1

    renewed = CategoryChanges((MembershipData(student, valid_until=date(2030, 9, 30)), MembershipData(senior)))
    services.clients.save(first, card.version, card.data, renewed)  # an UPDATE of the membership row
    assert_counts_exact(services)


def test_assign_uncategorised_on_create_and_update(services: Services) -> None:
    for i in range(3):
        _client(services, f"Ohne{i}")
    info, _changes = services.categories.create(CategoryData(name="Bestand"), assign_uncategorised=True)
    assert info.client_count == 3  # the count the editor gets back already includes the INSERT … SELECT
    assert_counts_exact(services)
    _client(services, "Später")
    saved, _changes = services.categories.update(info.id, info.version, CategoryData(name="Bestand"), True)
    assert saved.client_count == 4
    assert_counts_exact(services)


def test_category_delete_and_its_orphans(services: Services) -> None:
    vip, regular = _by_name(services, "VIP"), _by_name(services, "Regular client")
    _client(services, "Nur VIP", vip)
    _client(services, "Beide", vip, regular)
    services.categories.delete(vip)
    assert_counts_exact(services)
    assert services.categories.get(_by_name(services, "New client")).client_count == 1  # the orphan


def test_foreign_key_cascades(services: Services) -> None:
    """A deleted client or category takes its memberships with it through ON DELETE CASCADE."""
    vip, student = _by_name(services, "VIP"), _by_name(services, "Student")
    gone = _client(services, "Weg", vip, student)
    _client(services, "Bleibt", vip)
    with services.db.transaction() as session:
        session.execute(delete(Client).where(Client.id == gone))
    assert_counts_exact(services)
    assert services.categories.get(vip).client_count == 1
    with services.db.transaction() as session:
        session.execute(delete(Category).where(Category.id == vip))
    assert_counts_exact(services)


def test_moving_memberships_by_update(services: Services) -> None:
    vip, student = _by_name(services, "VIP"), _by_name(services, "Student")
    for i in range(3):
        _client(services, f"Umzug{i}", vip)
    with services.db.transaction() as session:
        session.execute(update(ClientCategory).where(ClientCategory.category_id == vip).values(category_id=student))
    assert_counts_exact(services)
    assert services.categories.get(student).client_count == 3


def test_membership_changes_do_not_bump_the_version(services: Services) -> None:
    """An editor opened before clients joined the category still saves: no false conflict."""
    opened = services.categories.get(_by_name(services, "VIP"))
    _client(services, "Neu", opened.id)
    assert services.categories.get(opened.id).version == opened.version
    data = CategoryData(name="VIP", color="#000000", icon="crown")
    saved, _changes = services.categories.update(opened.id, opened.version, data)
    assert saved.version == opened.version + 1 and saved.client_count == 1
    assert_counts_exact(services)


def test_a_stale_category_object_does_not_overwrite_the_count(services: Services) -> None:
    vip = _by_name(services, "VIP")
    session = services.db.session_factory()
    try:
        category = session.get(Category, vip)
        assert category is not None and category.client_count == 0
        session.commit()  # the object keeps its loaded values, as at a desk that opened it earlier
        _client(services, "Dazwischen", vip)
        statements: list[str] = []
        event.listen(services.db.engine, "before_cursor_execute", _collect(statements))
        category.color = "#123456"
        session.commit()
    finally:
        session.close()
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE CATEGORIES")]
    assert updates and all("client_count" not in s for s in updates)
    assert_counts_exact(services)


def _collect(statements: list[str]):  # type: ignore[no-untyped-def]
    def record(_conn, _cursor, statement, _parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    return record


def test_the_count_cannot_be_set_through_the_orm() -> None:
    with pytest.raises(AttributeError):
        Category(name="X", name_key="x", client_count=5)


def _count_triggers(services: Services) -> set[str]:
    with services.db.read() as session:
        found = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'client_categories_count_%'")
        return set(session.scalars(found))


def test_bulk_changes_with_rules_count_once_and_leave_the_triggers_in_place(services: Services) -> None:
    """A bulk change counts each statement once (on SQLite without the row trigger); the triggers count again after."""
    from salon_desk.services.automations.rules import ActionData, ActionKind, CategoryMode, RuleData, RuleFilter
    from salon_desk.services.events import Event
    from salon_desk.services.marketing.bulk import Target

    vip, student, senior = (_by_name(services, n) for n in ("VIP", "Student", "Senior"))
    ids = [_client(services, f"Kunde{i}", *((student,) if i % 3 == 0 else ())) for i in range(12)]
    triggers = _count_triggers(services) if services.db.is_sqlite else set()
    rules = [
        (RuleFilter(), ActionData(ActionKind.ASSIGN_CATEGORY, category_id=senior)),
        (RuleFilter(CategoryMode.ANY, (student,)), ActionData(ActionKind.REMOVE_CATEGORY, category_id=student)),
    ]
    for n, (rule_filter, action) in enumerate(rules):
        services.automations.create(RuleData(f"Regel {n}", Event.CATEGORY_ASSIGNED, vip, rule_filter, (action,), True))

    result = services.bulk.assign_category(Target.selection(ids[:9]), vip)
    assert result.count == 9
    assert_counts_exact(services)
    assert services.categories.get(vip).client_count == 9
    assert services.categories.get(senior).client_count == 9
    assert services.categories.get(student).client_count == 1  # of the four students, only the one left out keeps it

    services.bulk.remove_category(Target.selection(ids[:5]), vip)
    assert_counts_exact(services)
    assert services.categories.get(vip).client_count == 4
    if services.db.is_sqlite:
        assert _count_triggers(services) == triggers == {
            "client_categories_count_ai", "client_categories_count_ad", "client_categories_count_au"
        }  # fmt: skip

    _client(services, "Danach", vip)  # a card save: the row trigger counts it
    assert_counts_exact(services)
    assert services.categories.get(vip).client_count == 5


def test_a_failed_bulk_statement_brings_the_trigger_back(services: Services) -> None:
    """The statement fails after the trigger was dropped: its savepoint's rollback restores trigger and count."""
    from salon_desk.services.categories.counts import add_members

    vip = _by_name(services, "VIP")
    holder = _client(services, "Hat", vip)
    other = _client(services, "Ohne")
    duplicate = insert(ClientCategory).from_select(
        ["client_id", "category_id", "assigned_at", "proof_note"],
        select(Client.id, literal(vip), func.current_timestamp(), literal("")).where(Client.id.in_([other, holder]))
        .order_by(Client.id.desc()),
    )
    with services.db.transaction(bulk=True) as session:
        with pytest.raises(IntegrityError), session.begin_nested():
            add_members(session, duplicate, vip)  # the holder has VIP already: the INSERT fails half-way
        single = insert(ClientCategory).values(
            client_id=other, category_id=vip, assigned_at=func.current_timestamp(), proof_note=""
        )
        session.execute(single)  # after the failure, in the same transaction: counted by the trigger again
    assert_counts_exact(services)
    assert services.categories.get(vip).client_count == 2
    if services.db.is_sqlite:
        assert "client_categories_count_ai" in _count_triggers(services)
