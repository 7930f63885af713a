"""The demo salon: German clients, discounted template categories, groups with prices, a catalogue and offers."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.models import CatalogItem, Client, ClientCategory, GroupPrice, SpecialOffer
from salon_desk.services import Services, open_services
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.demo import CLIENT_COUNT, fill_demo_data, template_categories

TODAY = date(2026, 10, 15)


def _snapshot(services: Services) -> dict[str, object]:
    """Counts of everything the demo writes, to show that nothing changed."""
    with services.db.read() as session:
        counts = {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Client, ClientCategory, CatalogItem, GroupPrice, SpecialOffer)
        }
    counts["categories"] = [(c.name, c.discount_percent, c.version) for c in services.categories.list()]
    counts["groups"] = [(g.name, g.member_count) for g in services.groups.list()]
    counts["recipients"] = services.recipients.list()
    return counts


def test_fills_an_empty_database_with_german_clients(services: Services) -> None:
    assert fill_demo_data(services, today=TODAY) is True
    assert services.search.count("") == CLIENT_COUNT
    with services.db.read() as session:
        names = [f"{first} {last}" for first, last in session.execute(select(Client.first_name, Client.last_name))]
        emails = list(session.scalars(select(Client.email).where(Client.email != "")))
    assert any(ch in name for name in names for ch in "äöüÄÖÜ")
    assert any("ß" in name for name in names)
    assert "Jürgen Müller" in names and "Sabine Weiß" in names and "Ayşe Özdemir" in names
    assert all(email.isascii() and "@" in email for email in emails)


def test_search_finds_mueller_by_mul(services: Services) -> None:
    fill_demo_data(services, today=TODAY)
    for query in ("mül", "MÜL", "mul", "muel"):
        found = [services.clients.get(i).data.last_name for i in services.search.client_ids(query)]
        assert "Müller" in found, query
    assert services.search.client_ids("weiss") and services.search.client_ids("+49 171 2345678")


def test_template_categories_get_their_discounts(services: Services) -> None:
    fill_demo_data(services, today=TODAY)
    found = template_categories(services)
    expected = {
        "Student": (Decimal("10"), DiscountScope.SERVICES, False),
        "Senior": (Decimal("15"), DiscountScope.SERVICES, False),
        "Staff": (Decimal("20"), DiscountScope.BOTH, True),
        "VIP": (Decimal("5"), DiscountScope.BOTH, False),
    }
    for key, (percent, scope, offers) in expected.items():
        info = services.categories.get(found[key].id)
        assert (info.discount_percent, info.discount_scope, info.applies_to_offers) == (percent, scope, offers)
        assert info.client_count > 0, key
    assert found["Regular client"].discount_percent is None
    own = {c.name: c for c in services.categories.list() if not c.is_template}
    assert set(own) == {"Brautstyling", "Allergie / Unverträglichkeit"}


def test_student_memberships_carry_valid_until_and_proof(services: Services) -> None:
    fill_demo_data(services, today=TODAY)
    student_id = template_categories(services)["Student"].id
    with services.db.read() as session:
        rows = session.execute(
            select(ClientCategory.valid_until, ClientCategory.proof_note).where(
                ClientCategory.category_id == student_id
            )
        ).all()
    assert rows and all(until is not None for until, _note in rows)
    assert any(until < TODAY for until, _note in rows), "one expired student membership"
    assert any(until >= TODAY for until, _note in rows)
    assert all(note == f"Studentenausweis gesehen, gültig bis {until:%m/%Y}" for until, note in rows)


def test_groups_prices_catalogue_and_offers(services: Services) -> None:
    fill_demo_data(services, today=TODAY)
    groups = {g.name: g for g in services.groups.list()}
    assert set(groups) == {"Stammkundenclub", "Firmenkunden Müller GmbH"}
    assert all(g.member_count > 0 for g in groups.values())
    items = {i.name: i for i in services.catalog.list_items()}
    club_prices = services.groups.prices(groups["Stammkundenclub"].id)
    assert club_prices[items["Damenhaarschnitt"].id] == Decimal("45.00")
    assert len(services.groups.prices(groups["Firmenkunden Müller GmbH"].id)) >= 3
    assert items["Damenhaarschnitt"].price == Decimal("49.00") and items["Herrenhaarschnitt"].price == Decimal("29.00")
    assert {i.vat_rate for i in items.values()} == {Decimal("19"), Decimal("7"), Decimal("0")}
    assert {i.kind for i in items.values()} == {ItemKind.SERVICE, ItemKind.PRODUCT}
    assert all(i.no_discounts for name, i in items.items() if name.startswith("Geschenkgutschein"))
    company = groups["Firmenkunden Müller GmbH"].id
    assert items["Express-Haarschnitt Firmenkunden"].restricted_to == frozenset({company})
    with services.db.read() as session:
        active = session.execute(
            select(SpecialOffer.name, SpecialOffer.offer_price).where(
                SpecialOffer.starts_on <= TODAY, SpecialOffer.ends_on >= TODAY
            )
        ).all()
    assert active == [("Herbstaktion Strähnen", Decimal("59.00"))]


def test_last_visits_and_newsletter(services: Services) -> None:
    fill_demo_data(services, today=TODAY)
    with services.db.read() as session:
        visits = list(session.scalars(select(Client.last_visit).where(Client.last_visit.is_not(None))))
        consenting = set(session.scalars(select(Client.id).where(Client.email_consent.is_(True))))
    assert len(visits) > CLIENT_COUNT // 2
    assert all(TODAY - timedelta(days=540) <= day < TODAY for day in visits)
    (newsletter,) = services.recipients.list()
    assert newsletter.name == "Newsletter Herbst"
    assert newsletter.member_count > 0 and set(services.recipients.members(newsletter.id)) == consenting


def test_second_call_returns_false_and_changes_nothing(services: Services) -> None:
    assert fill_demo_data(services, today=TODAY) is True
    before = _snapshot(services)
    assert fill_demo_data(services, today=TODAY) is False
    assert _snapshot(services) == before


def test_refuses_a_database_that_has_clients(services: Services) -> None:
    services.clients.create(ClientData(first_name="Erika", last_name="Mustermann"))
    before = _snapshot(services)
    assert fill_demo_data(services) is False
    assert _snapshot(services) == before


def test_same_seed_gives_the_same_demo(app_services: Services, sqlite_template: Path, tmp_path: Path) -> None:
    other_path = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other_path)
    other = open_services(f"sqlite:///{other_path}")
    try:
        for target in (app_services, other):
            fill_demo_data(target, today=TODAY)
        rows = []
        for target in (app_services, other):
            with target.db.read() as session:
                columns = (Client.id, Client.first_name, Client.last_name, Client.phone, Client.email, Client.birthday,
                           Client.category_label, Client.last_visit)  # fmt: skip
                rows.append(session.execute(select(*columns).order_by(Client.id)).all())
        assert rows[0] == rows[1]
    finally:
        other.db.dispose()


def test_demo_salon_prints_its_name_on_receipts(services) -> None:
    fill_demo_data(services)
    assert services.checkout.business().name == "Salon Haarmonie"
