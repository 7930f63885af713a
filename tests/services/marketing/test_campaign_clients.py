"""Campaign messages and the client's card: merging two cards, erasure and the GDPR export (DESIGN §3, §7, §8)."""

from __future__ import annotations

import pytest
from helpers_staff import signed_in

import smtp_server
from campaign_world import add_clients, campaign_to, consenting, recipient_list, smtp_to
from salon_desk.models import Role
from salon_desk.models.campaign import AudienceKind, RecipientState
from salon_desk.services.data.privacy import PrivacyService
from salon_desk.services.marketing.campaigns import CampaignData
from salon_desk.services.marketing.sender import CampaignSender


@pytest.fixture
def server():
    with smtp_server.running() as running:
        yield running


def send(services, campaign_id: int):
    return CampaignSender(services.db, services.workstation, retry_delays=(0.05,)).send_pending(campaign_id)


def privacy(services) -> PrivacyService:
    return PrivacyService(services.db, services.workstation)


def rows(services, campaign_id: int) -> dict[int, tuple[RecipientState, str]]:
    return {r.client_id: (r.state, r.reason) for r in services.campaigns.recipients(campaign_id)}


def test_the_closed_cards_queued_message_is_not_sent_and_its_row_stays(services, server) -> None:
    kept, closed, other = add_clients(services, consenting(3))
    smtp_to(services, server.port)
    campaign_id = campaign_to(services, recipient_list(services, [kept, closed, other]))
    services.campaigns.queue(campaign_id)
    signed_in(services, Role.MANAGER, "Anna")
    services.clients.merge(kept, closed)
    assert rows(services, campaign_id)[closed] == (RecipientState.SKIPPED, "merged")
    result = send(services, campaign_id)
    assert result.finished
    assert server.handler.count_by_address() == {"k0@kunden.example": 1, "k2@kunden.example": 1}
    assert rows(services, campaign_id)[closed] == (RecipientState.SKIPPED, "merged")  # history: the row stays
    assert result.progress.count(RecipientState.SENT) == 2 and result.progress.count(RecipientState.SKIPPED) == 1


def test_a_selection_made_before_the_merge_skips_the_closed_card(services, server) -> None:
    kept, closed = add_clients(services, consenting(2))
    smtp_to(services, server.port)
    info, _ = services.campaigns.create(CampaignData("Auswahl", "Hallo", "Hallo {first_name}",
                                                     audience_kind=AudienceKind.SELECTION, client_ids=(closed,)))
    signed_in(services, Role.MANAGER, "Anna")
    services.clients.merge(kept, closed)
    assert services.campaigns.forecast(info.data).skipped == {"merged": 1}
    services.campaigns.queue(info.id)
    send(services, info.id)
    assert server.handler.count_by_address() == {}
    [row] = services.campaigns.recipients(info.id)
    assert (row.state, row.reason) == (RecipientState.SKIPPED, "merged")


def test_a_campaign_resumed_after_a_merge_reaches_the_client_once_through_the_card_kept(services, server) -> None:
    kept, closed = add_clients(services, consenting(2))
    smtp_to(services, server.port)
    campaign_id = campaign_to(services, recipient_list(services, [closed]))
    services.campaigns.queue(campaign_id)
    signed_in(services, Role.MANAGER, "Anna")
    services.clients.merge(kept, closed)  # the recipient list now names the card kept
    services.campaigns.queue(campaign_id)  # Resume queues new audience members first
    send(services, campaign_id)
    assert server.handler.count_by_address() == {"k0@kunden.example": 1}


def test_erasure_clears_the_servers_reply_and_the_queued_row_never_goes_out(services, server) -> None:
    failed, queued, other = add_clients(services, consenting(3))
    server.handler.rcpt_answers["k0@kunden.example"] = ["550 5.1.1 <k0@kunden.example>: Recipient address rejected"]
    smtp_to(services, server.port)
    first = campaign_to(services, recipient_list(services, [failed, other], "Frühling"))
    services.campaigns.queue(first)
    send(services, first)
    assert "k0@kunden.example" in rows(services, first)[failed][1]
    second = campaign_to(services, recipient_list(services, [queued, other], "Sommer"))
    services.campaigns.queue(second)
    signed_in(services, Role.MANAGER, "Anna")
    privacy(services).erase([failed, queued])
    assert rows(services, first)[failed] == (RecipientState.FAILED, "")
    assert rows(services, second)[queued] == (RecipientState.SKIPPED, "erased")
    shown = {r.client_id: r for r in services.campaigns.recipients(first)}[failed]
    assert "k0@" not in f"{shown.name} {shown.address} {shown.reason}"
    send(services, second)
    assert server.handler.count_by_address() == {"k2@kunden.example": 2}
    assert services.campaigns.get(first).count(RecipientState.FAILED) == 1  # the counts stay


def test_the_export_lists_the_campaign_messages_sent_to_the_client(services, server) -> None:
    anna, refused = add_clients(services, consenting(2))
    server.handler.rcpt_answers["k1@kunden.example"] = ["550 5.1.1 No such user here"]
    smtp_to(services, server.port)
    campaign_id = campaign_to(services, recipient_list(services, [anna, refused]), subject="Hallo {first_name}")
    services.campaigns.queue(campaign_id)
    send(services, campaign_id)
    signed_in(services, Role.MANAGER, "Anna")
    [message] = privacy(services).export(anna)["campaign_messages"]
    assert (message["campaign"], message["subject"], message["state"]) == ("Sommer", f"Hallo Kundin{anna}", "sent")
    assert message["sent_at"] is not None and message["queued_at"] is not None
    [message] = privacy(services).export(refused)["campaign_messages"]
    assert (message["state"], message["sent_at"], message["reason"]) == ("failed", None, "550 5.1.1 No such user here")
