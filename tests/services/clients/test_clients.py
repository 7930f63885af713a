"""Client rules of DESIGN §3 and optimistic locking, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from salon_desk.errors import ConflictError, ValidationError
from salon_desk.services.categories.categories import CategoryData
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.groups.groups import GroupData


def _category(services, name):
    return next(c for c in services.categories.list() if c.name == name)


def test_new_client_gets_the_default_category(services):
    card, changes = services.clients.create(ClientData(first_name="Jürgen", last_name="Weiß"))
    assert [m.category.name for m in card.memberships] == ["New client"]
    assert changes.clients == {card.id}


def test_no_default_category_means_no_category(services):
    default = _category(services, "New client")
    services.categories.update(default.id, default.version, CategoryData(name="New client", icon="sparkle"))
    card, _ = services.clients.create(ClientData(last_name="Solo"))
    assert card.memberships == ()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ClientData(), "last_name"),
        (ClientData(first_name="  ", last_name=" "), "last_name"),
        (ClientData(last_name="A", email="anna@"), "email"),
        (ClientData(last_name="A", email="anna example.de"), "email"),
        (ClientData(last_name="A", phone="call me"), "phone"),
        (ClientData(last_name="A", birthday=date.today() + timedelta(days=1)), "birthday"),
        (ClientData(last_name="A", email_consent=True), "email_consent"),
        (ClientData(last_name="A", sms_consent=True), "sms_consent"),
        (ClientData(last_name="A", group_id=999), "group_id"),
    ],
)
def test_invalid_client_is_refused_naming_the_field(services, data, field):
    with pytest.raises(ValidationError) as error:
        services.clients.create(data)
    assert error.value.field == field


def test_either_name_is_enough_and_blanks_are_trimmed(services):
    card, _ = services.clients.create(ClientData(first_name="  Anna  ", email=" anna@example.de "))
    assert (card.data.first_name, card.data.last_name, card.data.email) == ("Anna", "", "anna@example.de")


def test_consent_dates_are_recorded_and_cleared(services):
    card, _ = services.clients.create(ClientData(last_name="K", email="k@example.de", email_consent=True))
    assert card.email_consent_at is not None and card.sms_consent_at is None
    withdrawn, _ = services.clients.save(card.id, card.version, replace(card.data, email_consent=False))
    assert withdrawn.email_consent_at is None


def test_staged_category_list_is_saved_in_one_go(services):
    student, vip = _category(services, "Student"), _category(services, "VIP")
    card, _ = services.clients.create(ClientData(last_name="Staged"))
    wanted = CategoryChanges(
        (
            MembershipData(student.id, valid_until=date(2027, 9, 30), proof_note="Student ID seen, valid to 09/2027"),
            MembershipData(vip.id),
        )
    )
    saved, _ = services.clients.save(card.id, card.version, card.data, wanted)
    assert [m.category.name for m in saved.memberships] == ["Student", "VIP"]
    student_membership = saved.memberships[0]
    assert student_membership.valid_until == date(2027, 9, 30)
    assert student_membership.proof_note == "Student ID seen, valid to 09/2027"
    assert saved.version > card.version


def test_a_category_deleted_meanwhile_refuses_the_whole_save(services):
    vip = _category(services, "VIP")
    card, _ = services.clients.create(ClientData(last_name="Gone", phone="030 123"))
    services.categories.delete(vip.id)
    with pytest.raises(ValidationError):
        services.clients.save(
            card.id, card.version, replace(card.data, phone="030 999"), CategoryChanges((MembershipData(vip.id),))
        )
    assert services.clients.get(card.id).data.phone == "030 123"


def test_duplicate_category_in_staged_list_is_refused(services):
    vip = _category(services, "VIP")
    card, _ = services.clients.create(ClientData(last_name="Twice"))
    with pytest.raises(ValidationError):
        services.clients.save(card.id, card.version, card.data, CategoryChanges((MembershipData(vip.id),) * 2))


def test_membership_expiry(services):
    student = _category(services, "Student")
    card, _ = services.clients.create(
        ClientData(last_name="Exp"), CategoryChanges((MembershipData(student.id, valid_until=date(2026, 1, 31)),))
    )
    membership = card.memberships[0]
    assert membership.is_expired(date(2026, 2, 1))
    assert not membership.is_expired(date(2026, 1, 31))


def test_a_client_has_at_most_one_group(services):
    first, _ = services.groups.create(GroupData(name="Club"))
    second, _ = services.groups.create(GroupData(name="Firma"))
    card, _ = services.clients.create(ClientData(last_name="G", group_id=first.id))
    services.clients.set_group([card.id], second.id)
    reloaded = services.clients.get(card.id)
    assert (reloaded.data.group_id, reloaded.group_name) == (second.id, "Firma")


def test_second_desk_saving_a_stale_client_is_refused(services):
    card, _ = services.clients.create(ClientData(last_name="Konflikt", phone="0171 1"))
    desk_a = services.clients.get(card.id)
    desk_b = services.clients.get(card.id)
    services.clients.save(desk_a.id, desk_a.version, replace(desk_a.data, phone="0171 2"))
    with pytest.raises(ConflictError) as error:
        services.clients.save(desk_b.id, desk_b.version, replace(desk_b.data, phone="0171 3"))
    assert "another desk" in error.value.message
    assert services.clients.get(card.id).data.phone == "0171 2"


def test_second_desk_saving_a_stale_category_is_refused(services):
    vip = _category(services, "VIP")
    services.categories.update(vip.id, vip.version, CategoryData(name="VIP", icon="crown", color="#111111"))
    with pytest.raises(ConflictError):
        services.categories.update(vip.id, vip.version, CategoryData(name="VIP", icon="crown", color="#222222"))
    assert services.categories.get(vip.id).color == "#111111"


def test_concurrent_flush_is_a_conflict_not_an_overwrite(services):
    """Two sessions load the same row; the second flush finds the version moved and is refused."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    from salon_desk.models import Client

    card, _ = services.clients.create(ClientData(last_name="Race"))
    first = services.db.session_factory()
    second = services.db.session_factory()
    try:
        a = first.get(Client, card.id)
        b = second.get(Client, card.id)
        a.notes = "from desk A"
        first.commit()
        b.notes = "from desk B"
        # PostgreSQL finds the version moved; SQLite refuses the stale snapshot ("locked").
        with pytest.raises((StaleDataError, OperationalError)):
            second.commit()
    finally:
        first.close()
        second.close()
    assert services.clients.get(card.id).data.notes == "from desk A"


def test_a_new_email_address_is_no_longer_marked_failing(services):
    from salon_desk.models import Client
    from salon_desk.models.base import utcnow
    from salon_desk.models.campaign import AudienceKind
    from salon_desk.services.marketing.campaigns import CampaignData

    card, _ = services.clients.create(ClientData(last_name="Alt", email="alt@kunden.example", email_consent=True))
    with services.db.transaction() as session:
        session.get(Client, card.id).email_failing_at = utcnow()  # the server refused the address (5xx)
    campaign = CampaignData("Sommer", "Hallo", "Hallo {first_name}", audience_kind=AudienceKind.SELECTION,
                            client_ids=(card.id,))
    assert services.campaigns.forecast(campaign).skipped == {"failing": 1}
    card = services.clients.get(card.id)
    card, _ = services.clients.save(card.id, card.version, replace(card.data, phone="0171 5", email="ALT@kunden.example"))
    assert services.campaigns.forecast(campaign).skipped == {"failing": 1}  # the same address in other letters
    services.clients.save(card.id, card.version, replace(card.data, email="neu@kunden.example"))
    forecast = services.campaigns.forecast(campaign)
    assert (forecast.receive, forecast.skipped) == (1, {})
