"""categories.client_count, kept by database triggers, equals the memberships after every kind of write."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, event, func, select, update

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
