"""Category rules of DESIGN §4 through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from salon_desk.errors import ValidationError
from salon_desk.kinds import DiscountScope
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData


def _by_name(services, name):
    return next(c for c in services.categories.list() if c.name == name)


def test_templates_exist_once_with_one_default(services):
    names = [c.name for c in services.categories.list()]
    assert {"Regular client", "New client", "Student", "Senior", "VIP", "Staff", "Referral", "Flyer campaign"} <= set(
        names
    )
    assert [c.name for c in services.categories.list() if c.is_default] == ["New client"]
    assert services.categories.ensure_templates() is False
    assert len(services.categories.list()) == len(names)


def test_templates_stay_deleted(services):
    for category in services.categories.list():
        services.categories.delete(category.id)
    assert services.categories.ensure_templates() is False
    assert services.categories.list() == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CategoryData(name="   "), "name"),
        (CategoryData(name="x" * 61), "name"),
        (CategoryData(name="Blue", color="blue"), "color"),
        (CategoryData(name="Blue", color="#12345G"), "color"),
        (CategoryData(name="Icon", icon="no-such-icon"), "icon"),
        (CategoryData(name="Zero", discount_percent=Decimal("0")), "discount_percent"),
        (CategoryData(name="Too much", discount_percent=Decimal("150")), "discount_percent"),
        (CategoryData(name="Three places", discount_percent=Decimal("10.125")), "discount_percent"),
        (CategoryData(name="Offers", applies_to_offers=True), "applies_to_offers"),
    ],
)
def test_invalid_category_is_refused_naming_the_field(services, data, field):
    before = services.categories.list()
    with pytest.raises(ValidationError) as error:
        services.categories.create(data)
    assert error.value.field == field
    assert error.value.message
    assert services.categories.list() == before


def test_name_unique_ignoring_case_and_blanks(services):
    services.categories.create(CategoryData(name="Hochzeit"))
    with pytest.raises(ValidationError) as error:
        services.categories.create(CategoryData(name="  hochZEIT "))
    assert error.value.field == "name"
    assert "already exists" in error.value.message


def test_name_is_trimmed_and_sixty_characters_allowed(services):
    info, _ = services.categories.create(CategoryData(name="  " + "a" * 60 + "  "))
    assert info.name == "a" * 60


def test_discount_bounds_and_scope(services):
    low, _ = services.categories.create(CategoryData(name="Low", discount_percent=Decimal("0.01")))
    full, _ = services.categories.create(
        CategoryData(
            name="Full", discount_percent=Decimal("100"), discount_scope=DiscountScope.PRODUCTS, applies_to_offers=True
        )
    )
    assert services.categories.get(low.id).discount_percent == Decimal("0.01")
    stored = services.categories.get(full.id)
    assert (stored.discount_percent, stored.discount_scope, stored.applies_to_offers) == (
        Decimal("100.00"),
        DiscountScope.PRODUCTS,
        True,
    )


def test_making_a_category_default_clears_the_previous_one(services):
    student = _by_name(services, "Student")
    services.categories.update(
        student.id, student.version, CategoryData(name="Student", icon="graduation", is_default=True)
    )
    defaults = [c.name for c in services.categories.list() if c.is_default]
    assert defaults == ["Student"]
    info, _ = services.categories.create(CategoryData(name="Walk-in", is_default=True))
    assert [c.name for c in services.categories.list() if c.is_default] == ["Walk-in"]


def test_assign_uncategorised_gives_the_category_to_clients_without_one(services):
    no_cat = [services.clients.create(ClientData(last_name=f"Ohne{i}"), CategoryChanges(()))[0].id for i in range(3)]
    with_cat = services.clients.create(ClientData(last_name="Mit"))[0]
    assert services.categories.uncategorised_count() == 3
    info, changes = services.categories.create(CategoryData(name="Bestand"), assign_uncategorised=True)
    assert changes.all_clients
    assert services.categories.uncategorised_count() == 0
    assert services.categories.get(info.id).client_count == 3
    for client_id in no_cat:
        assert [m.category.name for m in services.clients.get(client_id).memberships] == ["Bestand"]
    assert [m.category.name for m in services.clients.get(with_cat.id).memberships] == ["New client"]


def test_delete_moves_orphans_to_the_default_and_keeps_others(services):
    vip = _by_name(services, "VIP")
    regular = _by_name(services, "Regular client")
    only_vip = services.clients.create(ClientData(last_name="Only"), CategoryChanges((MembershipData(vip.id),)))[0]
    both = services.clients.create(
        ClientData(last_name="Both"), CategoryChanges((MembershipData(vip.id), MembershipData(regular.id)))
    )[0]
    assert services.categories.get(vip.id).client_count == 2
    services.categories.delete(vip.id)
    assert [m.category.name for m in services.clients.get(only_vip.id).memberships] == ["New client"]
    assert [m.category.name for m in services.clients.get(both.id).memberships] == ["Regular client"]


def test_deleting_the_default_leaves_orphans_uncategorised(services):
    default = _by_name(services, "New client")
    client = services.clients.create(ClientData(last_name="Neu"))[0]
    services.categories.delete(default.id)
    assert services.clients.get(client.id).memberships == ()
    assert services.categories.uncategorised_count() == 1


def test_client_counts(services):
    vip = _by_name(services, "VIP")
    for i in range(4):
        services.clients.create(ClientData(last_name=f"V{i}"), CategoryChanges((MembershipData(vip.id),)))
    assert services.categories.client_counts()[vip.id] == 4
    assert services.categories.get(vip.id).client_count == 4


def test_renaming_updates_the_clients_category_label(services):
    vip = _by_name(services, "VIP")
    client = services.clients.create(ClientData(last_name="Label"), CategoryChanges((MembershipData(vip.id),)))[0]
    services.categories.update(vip.id, vip.version, CategoryData(name="Premium", icon="crown", color="#C9A227"))
    from salon_desk.models import Client

    with services.db.read() as session:
        assert session.get(Client, client.id).category_label == "Premium"


def test_templates_follow_the_ui_language(tmp_path):
    from salon_desk import i18n
    from salon_desk.services import open_services

    i18n.set_language("de")
    services = open_services(f"sqlite:///{tmp_path / 'de.sqlite3'}")
    names = {c.name for c in services.categories.list()}
    services.db.dispose()
    assert {"Stammkunde", "Neukunde", "Student/in", "Rentner/in", "VIP", "Mitarbeiter/in", "Empfehlung"} <= names


def test_category_labels_stay_per_client(services):
    """Each client's label lists its own categories only, after every kind of change."""
    from salon_desk.models import Client

    student, vip, regular = (_by_name(services, n) for n in ("Student", "VIP", "Regular client"))
    a = services.clients.create(ClientData(last_name="A"), CategoryChanges((MembershipData(student.id),)))[0]
    b = services.clients.create(
        ClientData(last_name="B"), CategoryChanges((MembershipData(vip.id), MembershipData(regular.id)))
    )[0]
    c = services.clients.create(ClientData(last_name="C"), CategoryChanges(()))[0]
    services.categories.create(CategoryData(name="Altbestand"), assign_uncategorised=True)
    services.categories.update(vip.id, vip.version, CategoryData(name="Premium", icon="crown", color="#C9A227"))
    with services.db.read() as session:
        labels = {cid: session.get(Client, cid).category_label for cid in (a.id, b.id, c.id)}
    assert labels == {a.id: "Student", b.id: "Premium, Regular client", c.id: "Altbestand"}
