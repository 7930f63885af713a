"""The "send an email template" action: queued in the triggering transaction, sent after the commit, consent as campaigns."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest
from automation_helpers import category, client, log_lines, rule, set_category_list

import smtp_server
from campaign_world import smtp_to
from salon_desk.errors import ValidationError
from salon_desk.models.campaign import AudienceKind, Channel, RecipientState
from salon_desk.services import Services
from salon_desk.services.automations.email import send_waiting
from salon_desk.services.automations.rules import ActionData, ActionKind
from salon_desk.services.events import Event
from salon_desk.services.marketing.campaigns import CampaignData

DAY = date(2026, 3, 10)


@pytest.fixture
def server():
    with smtp_server.running() as running:
        yield running


def template(services: Services, subject: str = "Hallo {first_name}", body: str = "Schön, dass Sie da sind.") -> int:
    """An email campaign whose subject and body the rules send (a draft, never sent itself)."""
    data = CampaignData(name="Willkommen", subject=subject, body=body, audience_kind=AudienceKind.SELECTION,
                        client_ids=(1,))
    return services.campaigns.create(data)[0].id


def test_category_assigned_sends_the_template_to_the_consenting_client_only(services: Services, server) -> None:
    smtp_to(services, server.port)
    vip = category(services, "Gold")
    anna = client(services, "Anna", email="anna@kunden.example", email_consent=True)
    bert = client(services, "Bert", email="bert@kunden.example", email_consent=False)
    greeting = rule(services, "Welcome VIP", Event.CATEGORY_ASSIGNED,
                    ActionData(ActionKind.SEND_EMAIL, campaign_id=template(services)), param=vip)

    set_category_list(services, anna, (vip,))
    set_category_list(services, bert, (vip,))
    assert server.handler.messages() == []  # queued in the save's transaction; sent afterwards

    assert services.automations.emails_waiting()
    send_waiting(services.db)
    [(address, message)] = server.handler.messages()
    assert address == "anna@kunden.example"
    assert message["Subject"] == "Hallo Anna"
    assert log_lines(services, greeting.id) == [
        ("Welcome VIP", anna, "send_email", "done"),
        ("Welcome VIP", bert, "send_email", "skipped"),
    ]
    skipped = [r for r in services.automations.run_log(greeting.id) if r.client_id == bert]
    assert skipped[0].detail == "no consent"
    assert not services.automations.emails_waiting()
    send_waiting(services.db)  # nothing is sent twice
    assert len(server.handler.messages()) == 1
    dispatch = next(c for c in services.campaigns.list() if c.data.name.startswith("Willkommen ·"))
    assert dispatch.count(RecipientState.SENT) == 1 and dispatch.count(RecipientState.SKIPPED) == 1


def test_the_same_client_is_queued_once_per_rule_and_day(services: Services, server) -> None:
    smtp_to(services, server.port)
    vip = category(services, "Gold")
    anna = client(services, "Anna", email="anna@kunden.example", email_consent=True)
    rule(services, "Welcome VIP", Event.CATEGORY_ASSIGNED,
         ActionData(ActionKind.SEND_EMAIL, campaign_id=template(services)), param=vip)
    set_category_list(services, anna, (vip,))
    set_category_list(services, anna, ())
    set_category_list(services, anna, (vip,))
    send_waiting(services.db)
    assert server.handler.count_by_address() == {"anna@kunden.example": 1}


def test_the_birthday_event_sends_the_greeting(services: Services, server) -> None:
    smtp_to(services, server.port)
    campaign = template(services, subject="Alles Gute, {first_name}!", body="Zum Geburtstag 10 % auf alles.")
    carla = client(services, "Carla", birthday=date(1990, 3, 10), email="carla@kunden.example", email_consent=True)
    client(services, "Dora", birthday=date(1990, 3, 11), email="dora@kunden.example", email_consent=True)
    birthday = next(r.rule for r in services.automations.list() if r.rule.template == "birthday")
    assert birthday.needs == "campaign" and birthday.actions == (ActionData(ActionKind.SEND_EMAIL),)
    with pytest.raises(ValidationError) as refused:  # no campaign chosen yet
        services.automations.set_active(birthday.id, True)
    assert refused.value.field == "actions[1]"
    chosen = (ActionData(ActionKind.SEND_EMAIL, campaign_id=campaign),)
    services.automations.update(birthday.id, birthday.version, replace(birthday, actions=chosen))
    services.automations.set_active(birthday.id, True)

    result = services.automations.run_daily(DAY)
    assert result is not None and result.clients == 1
    send_waiting(services.db)
    [(address, message)] = server.handler.messages()
    assert address == "carla@kunden.example" and message["Subject"] == "Alles Gute, Carla!"
    assert log_lines(services, birthday.id) == [("Birthday greeting", carla, "send_email", "done")]


def test_a_deleted_or_sms_template_is_refused_with_the_action_named(services: Services) -> None:
    sms = services.campaigns.create(CampaignData(name="SMS", body="Hallo", channel=Channel.SMS,
                                                 audience_kind=AudienceKind.SELECTION, client_ids=(1,)))[0].id
    with pytest.raises(ValidationError) as refused:
        rule(services, "R", Event.CLIENT_CREATED, ActionData(ActionKind.SEND_EMAIL, campaign_id=sms))
    assert refused.value.field == "actions[1]" and "not an email" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        rule(services, "R", Event.CLIENT_CREATED, ActionData(ActionKind.SEND_EMAIL, campaign_id=9999))
    assert refused.value.field == "actions[1]"


def test_a_template_deleted_after_the_rule_fails_the_action_and_the_save_stands(services: Services) -> None:
    campaign = template(services)
    welcome = rule(services, "Welcome", Event.CLIENT_CREATED, ActionData(ActionKind.SEND_EMAIL, campaign_id=campaign))
    services.campaigns.delete(campaign)
    emma = client(services, "Emma", email="emma@kunden.example", email_consent=True)
    assert services.clients.get(emma).data.first_name == "Emma"
    assert log_lines(services, welcome.id) == [("Welcome", emma, "send_email", "failed")]
    assert services.automations.get(welcome.id).failed


def test_the_worker_process_sends_what_waits(app_services: Services, server) -> None:
    smtp_to(app_services, server.port)
    vip = category(app_services, "Gold")
    anna = client(app_services, "Anna", email="anna@kunden.example", email_consent=True)
    rule(app_services, "Welcome VIP", Event.CATEGORY_ASSIGNED,
         ActionData(ActionKind.SEND_EMAIL, campaign_id=template(app_services)), param=vip)
    set_category_list(app_services, anna, (vip,))
    url = app_services.db.url.render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-m", "salon_desk.services.automations.email_worker", url],
                          capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1])["counts"] == {"sent": 1}
    assert server.handler.count_by_address() == {"anna@kunden.example": 1}
