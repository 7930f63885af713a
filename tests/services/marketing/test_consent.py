"""Consent records (DESIGN §7): grant, withdraw, unsubscribe (one client and set-based), the state, the history."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, func, select

from helpers_staff import signed_in
from salon_desk.errors import NotFoundError, PermissionDeniedError, ValidationError
from salon_desk.models import AuditEntry, Client, ConsentRecord, Role
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.clients.consent_log import CardConsent, Flag
from salon_desk.services.marketing.consent import ConsentService
from salon_desk.services.marketing.bulk import Target


def new_client(services, last: str = "Müller", **fields) -> int:
    data = ClientData(**{"first_name": "Anna", "last_name": last, "email": "anna@example.de", "phone": "0171 1", **fields})
    card, _changes = services.clients.create(data)
    return card.id


def columns(services, client_id: int) -> Client:
    with services.db.read() as session:
        client = session.get(Client, client_id)
        session.expunge(client)
        return client


def test_grant_records_wording_source_and_staff_member_and_sets_the_column(services):
    signed_in(services, Role.FRONT_DESK, "Anna Berger")
    client_id = new_client(services)
    services.consent.grant(client_id, "email", source="card", wording="Ja, per E-Mail.")
    entry = services.consent.history(client_id)[0]
    assert (entry.channel, entry.granted, entry.kind, entry.source) == ("email", True, "consent", "card")
    assert (entry.wording, entry.recorded_by) == ("Ja, per E-Mail.", "Anna Berger")
    stored = columns(services, client_id)
    assert stored.email_consent and stored.email_consent_at is not None
    state = services.consent.current(client_id).states[Flag.EMAIL]
    assert state.granted and state.source == "card" and state.recorded_by == "Anna Berger"


def test_a_second_grant_adds_a_row_and_records_have_no_edit_api(services):
    client_id = new_client(services)
    services.consent.grant(client_id, "sms")
    services.consent.grant(client_id, "sms")
    assert [e.granted for e in services.consent.history(client_id)] == [True, True]
    public = {name for name in dir(ConsentService) if not name.startswith("_")}
    assert not {name for name in public if any(w in name for w in ("edit", "update", "delete", "remove", "change"))}
    assert public >= {"grant", "withdraw", "unsubscribe", "current", "history"}


def test_grant_without_wording_stores_the_salons_text(services):
    client_id = new_client(services)
    services.consent.set_wordings({Flag.PHONE: "Anrufe zu Angeboten sind okay."})
    services.consent.grant(client_id, "phone")
    assert services.consent.history(client_id)[0].wording == "Anrufe zu Angeboten sind okay."
    services.consent.set_wordings({Flag.PHONE: ""})
    assert services.consent.wordings()[Flag.PHONE].startswith("The salon may call me")


def test_withdraw_clears_the_column_and_history_is_newest_first(services):
    client_id = new_client(services)
    services.consent.grant(client_id, "email")
    services.consent.withdraw(client_id, "email")
    history = services.consent.history(client_id)
    assert [e.granted for e in history] == [False, True]
    stored = columns(services, client_id)
    assert not stored.email_consent and stored.email_consent_at is None
    assert stored.email_unsubscribed_at is None  # a plain withdrawal is no unsubscribe


def test_existing_customer_kind_is_its_own_flag(services):
    client_id = new_client(services)
    services.consent.grant(client_id, "email", kind="existing_customer")
    stored = columns(services, client_id)
    assert stored.email_existing_customer and not stored.email_consent
    overview = services.consent.current(client_id)
    assert overview.states[Flag.EMAIL_EXISTING_CUSTOMER].granted
    assert not overview.states[Flag.EMAIL].granted
    assert services.consent.history(client_id)[0].kind == "existing_customer"


def test_unsubscribe_withdraws_both_email_kinds_and_a_new_grant_ends_it(services):
    client_id = new_client(services)
    services.consent.grant(client_id, "email")
    services.consent.grant(client_id, "email", kind="existing_customer")
    services.consent.grant(client_id, "sms")
    result = services.consent.unsubscribe([client_id])
    assert result.count == 1
    stored = columns(services, client_id)
    assert not stored.email_consent and not stored.email_existing_customer and stored.sms_consent
    assert stored.email_unsubscribed_at is not None
    newest = services.consent.history(client_id)[:2]
    assert {(e.kind, e.granted, e.source) for e in newest} == {
        ("consent", False, "unsubscribe"), ("existing_customer", False, "unsubscribe")}  # fmt: skip
    services.consent.grant(client_id, "email")
    assert columns(services, client_id).email_unsubscribed_at is None


def test_bulk_unsubscribe_is_set_based_with_one_audit_entry(services):
    signed_in(services, Role.FRONT_DESK, "Bea")
    ids = [new_client(services, f"Kundin {n}") for n in range(30)]
    for client_id in ids[:10]:
        services.consent.grant(client_id, "email")
    services.consent.unsubscribe(ids[25:])  # already unsubscribed: left alone below
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(services.db.engine, "before_cursor_execute", listener)
    try:
        result = services.consent.unsubscribe(Target.selection(ids))
    finally:
        event.remove(services.db.engine, "before_cursor_execute", listener)
    assert result.count == 25
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT INTO CONSENT", "UPDATE CLIENTS"))]
    assert len(writes) == 2
    with services.db.read() as session:
        unsubscribed = session.scalar(select(func.count()).where(Client.email_unsubscribed_at.is_not(None)))
        consenting = session.scalar(select(func.count()).where(Client.email_consent.is_(True)))
        withdrawals = session.scalar(select(func.count()).where(ConsentRecord.source == "unsubscribe"))
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "unsubscribe")))
    assert (unsubscribed, consenting, withdrawals) == (30, 0, 30)
    assert json.loads(entries[-1].after)["count"] == 25 and entries[-1].staff_name == "Bea"


def test_bad_input_names_the_field(services):
    client_id = new_client(services, email="")
    with pytest.raises(ValidationError) as unknown:
        services.consent.grant(client_id, "fax")
    assert unknown.value.field == "channel" and "fax" in unknown.value.message
    with pytest.raises(ValidationError) as no_address:
        services.consent.grant(client_id, "email")
    assert no_address.value.field == "email_consent"
    with pytest.raises(ValidationError) as kind:
        services.consent.grant(client_id, "sms", kind="existing_customer")
    assert kind.value.field == "kind"
    with pytest.raises(NotFoundError):
        services.consent.history(client_id + 1000)
    with pytest.raises(ValidationError) as source:
        services.consent.withdraw(client_id, "sms", source="telepathy")
    assert source.value.field == "source"


def test_only_managers_change_the_wording(services):
    signed_in(services, Role.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        services.consent.set_wordings({Flag.EMAIL: "Neu"})


def test_the_card_save_records_only_changed_channels(services):
    signed_in(services, Role.FRONT_DESK, "Carla")
    card, _ = services.clients.create(
        ClientData(first_name="Eva", last_name="Ernst", email="eva@example.de", phone="0171", email_consent=True),
        consent=CardConsent({"email_consent": "Text A"}),
    )
    data = ClientData(**{**card.data.__dict__, "phone_consent": True})
    card, _ = services.clients.save(card.id, card.version, data, consent=CardConsent({"phone_consent": "Text P"}))
    history = services.consent.history(card.id)
    assert [(e.channel, e.granted, e.wording, e.recorded_by) for e in history] == [
        ("phone", True, "Text P", "Carla"), ("email", True, "Text A", "Carla")]  # fmt: skip
    assert card.data.phone_consent and card.data.email_consent
    card, _ = services.clients.save(card.id, card.version, card.data, consent=CardConsent(unsubscribe=True))
    assert not card.data.email_consent and card.data.phone_consent
    assert services.consent.current(card.id).unsubscribed_at is not None
    assert services.consent.history(card.id)[0].source == "unsubscribe"
