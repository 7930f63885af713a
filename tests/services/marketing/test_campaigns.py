"""Campaigns (DESIGN §7): placeholders checked on save, who receives and who is skipped, preview, the outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign_world import NOW, add_clients, campaign_to, consenting, recipient_list, smtp_to
from helpers_staff import signed_in
from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.models import AuditEntry, Role
from salon_desk.models.campaign import AudienceKind, Channel, RecipientState
from salon_desk.services.marketing.campaigns import CampaignData


def mixed(services) -> tuple[int, list[int]]:
    """Two consenting, one of each skip reason, one §7(3) existing customer."""
    ids = add_clients(services, [
        *consenting(2),
        {"email": "", "email_consent": True},
        {"email": "weg@kunden.example", "email_consent": False, "email_unsubscribed_at": NOW},
        {"email": "kaputt@kunden.example", "email_consent": True, "email_failing_at": NOW},
        {"email": "nein@kunden.example", "email_consent": False},
        {"email": "stamm@kunden.example", "email_consent": False, "email_existing_customer": True},
    ])
    return recipient_list(services, ids), ids


def test_an_unknown_placeholder_is_refused_on_save_naming_it(services) -> None:
    group, _ids = mixed(services)
    data = CampaignData("Sommer", "Hallo {first_name}", "Hallo {vorname}!", audience_kind=AudienceKind.RECIPIENTS,
                        audience_id=group)
    with pytest.raises(ValidationError) as refused:
        services.campaigns.create(data)
    assert refused.value.field == "body" and "{vorname}" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        services.campaigns.create(CampaignData("Sommer", "Für {kategorie", "x", audience_kind=AudienceKind.RECIPIENTS,
                                               audience_id=group))
    assert refused.value.field == "subject"
    assert services.campaigns.list() == []


def test_the_forecast_counts_receivers_and_each_skip_reason(services) -> None:
    group, _ids = mixed(services)
    data = CampaignData("Sommer", "Hallo", "Hallo {first_name}", audience_kind=AudienceKind.RECIPIENTS, audience_id=group)
    forecast = services.campaigns.forecast(data)
    assert forecast.receive == 2
    assert forecast.skipped == {"no_address": 1, "unsubscribed": 1, "failing": 1, "no_consent": 2}
    own = services.campaigns.forecast(CampaignData(**{**data.__dict__, "own_similar_services": True}))
    assert own.receive == 3 and own.skipped["no_consent"] == 1


def test_preview_fills_the_placeholders_and_ends_with_the_unsubscribe_line(services) -> None:
    group, ids = mixed(services)
    smtp_to(services, 2525)
    with services.db.transaction() as session:
        from salon_desk.models import AppMeta

        session.add(AppMeta(key="business_name", value="Salon Sonne"))
    data = CampaignData("Sommer", "Hallo {first_name}", "Hallo {first_name} {last_name}, grüßt {salon_name}.",
                        audience_kind=AudienceKind.RECIPIENTS, audience_id=group)
    chosen = dict(services.campaigns.preview_clients(data))
    assert set(chosen) == set(ids[:2])
    letter = services.campaigns.preview(data, ids[0])
    assert letter.subject == f"Hallo Kundin{ids[0]}"
    assert letter.body.startswith(f"Hallo Kundin{ids[0]} Müller, grüßt Salon Sonne.")
    assert "salon@sonne.example" in letter.body and "object" not in letter.body
    own = services.campaigns.preview(CampaignData(**{**data.__dict__, "own_similar_services": True}), ids[0])
    assert "object to the use of your email address" in own.body


def test_queueing_writes_one_row_per_client_and_queueing_again_adds_only_new_clients(services) -> None:
    group, ids = mixed(services)
    smtp_to(services, 2525)
    campaign_id = campaign_to(services, group)
    info = services.campaigns.queue(campaign_id)
    assert info.count(RecipientState.QUEUED) == 2 and info.count(RecipientState.SKIPPED) == 5
    rows = {r.client_id: r for r in services.campaigns.recipients(campaign_id)}
    assert rows[ids[3]].reason == "unsubscribed" and rows[ids[0]].state == RecipientState.QUEUED
    more = add_clients(services, consenting(1, start=50))
    with services.db.transaction() as session:
        from salon_desk.models import RecipientGroupMember

        session.add(RecipientGroupMember(recipient_group_id=group, client_id=more[0], added_at=NOW))
    again = services.campaigns.queue(campaign_id)
    assert again.count(RecipientState.QUEUED) == 3 and sum(again.counts.values()) == 8
    with services.db.read() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "campaign_send")))
    assert [e.entity_id for e in entries] == [campaign_id, campaign_id]


def test_sms_campaigns_are_refused_while_no_provider_is_set_up(services) -> None:
    group, _ids = mixed(services)
    smtp_to(services, 2525)
    info, _ = services.campaigns.create(CampaignData("SMS", "", "Hallo {first_name}", channel=Channel.SMS,
                                                     audience_kind=AudienceKind.RECIPIENTS, audience_id=group))
    with pytest.raises(ValidationError) as refused:
        services.campaigns.queue(info.id)
    assert refused.value.field == "channel"


def test_queueing_without_a_mail_server_names_the_settings(services) -> None:
    group, _ids = mixed(services)
    campaign_id = campaign_to(services, group)
    with pytest.raises(ValidationError) as refused:
        services.campaigns.queue(campaign_id)
    assert refused.value.field == "smtp"


def test_only_managers_run_campaigns(services) -> None:
    group, _ids = mixed(services)
    signed_in(services, Role.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        campaign_to(services, group)


def test_the_audit_log_names_campaign_entries_in_the_users_language(services) -> None:
    from salon_desk import i18n
    from salon_desk.services.staff.audit import AuditFilter, action_label
    from salon_desk.services.staff.audit_text import describe, record_text

    signed_in(services, Role.MANAGER, "Anna")
    group, _ids = mixed(services)
    smtp_to(services, 2525)
    campaign_id = campaign_to(services, group)
    services.campaigns.queue(campaign_id)
    services.campaigns.delete(campaign_id)
    i18n.set_language("de")
    rows = services.audit.list(AuditFilter(entity="campaign"))
    shown = [(action_label(r.action), record_text(r), describe(r.before) or describe(r.after), r.staff_name)
             for r in reversed(rows)]
    assert shown == [
        ("Angelegt", "Kampagne · Sommer", "", "Anna"),
        ("Kampagnenversand gestartet", "Kampagne · Sommer", "Kunden hinzugefügt: 7", "Anna"),
        ("Gelöscht", "Kampagne · Sommer", "Kunden: 7", "Anna"),
    ]
