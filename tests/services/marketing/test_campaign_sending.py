"""The campaign sender against a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select

import smtp_server
from campaign_world import NOW, add_clients, campaign_to, consenting, recipient_list, smtp_to
from salon_desk import i18n
from salon_desk.models import AuditEntry, Client
from salon_desk.models.campaign import RecipientState
from salon_desk.services.marketing.outbox import Outbox
from salon_desk.services.marketing.sender import CampaignSender
from salon_desk.services.marketing.smtp_link import Security, SmtpProblem
from salon_desk.services.marketing.smtp_settings import SmtpSettings

PASSWORD = "Geheim-Pässwort-7f3"


@pytest.fixture
def server():
    with smtp_server.running() as running:
        yield running


def sender(services, **options) -> CampaignSender:
    return CampaignSender(services.db, services.workstation, **{"retry_delays": (0.05, 0.05, 0.05), **options})


def queued_campaign(services, server, clients, **options) -> tuple[int, list[int]]:
    ids = add_clients(services, clients)
    smtp_to(services, server.port, rate=options.pop("rate", 0))
    campaign_id = campaign_to(services, recipient_list(services, ids), **options)
    services.campaigns.queue(campaign_id)
    return campaign_id, ids


def test_a_subject_with_umlauts_arrives_intact_with_correct_headers(services, server) -> None:
    i18n.set_language("de")
    campaign_id, ids = queued_campaign(services, server, consenting(1), subject="Grüße für {first_name} – 10 % Rabatt")
    result = sender(services).send_pending(campaign_id)
    assert result.finished and result.progress.count(RecipientState.SENT) == 1
    [(address, message)] = server.handler.messages()
    assert address == "k0@kunden.example"
    assert message["Subject"] == f"Grüße für Kundin{ids[0]} – 10 % Rabatt"
    assert message["Date"] and message["Message-ID"].endswith("@sonne.example>")
    assert message["List-Unsubscribe"] == "<mailto:salon@sonne.example?subject=Abmelden>"
    body = message.get_content()
    assert body.startswith(f"Hallo Kundin{ids[0]}, 10 % für")
    assert "Abmelden" in body and "salon@sonne.example" in body  # the unsubscribe line in German
    row = services.campaigns.recipients(campaign_id)[0]
    assert row.state == RecipientState.SENT and row.sent_at is not None
    assert services.campaigns.get(campaign_id).status == "done"


def test_a_client_without_consent_receives_nothing(services, server) -> None:
    clients = [*consenting(2), {"email": "nein@kunden.example", "email_consent": False},
               {"email": "stamm@kunden.example", "email_existing_customer": True}]
    campaign_id, _ids = queued_campaign(services, server, clients)
    sender(services).send_pending(campaign_id)
    assert server.handler.count_by_address() == {"k0@kunden.example": 1, "k1@kunden.example": 1}


def test_own_similar_services_reach_existing_customers_with_the_objection_notice(services, server) -> None:
    clients = [{"email": "stamm@kunden.example", "email_existing_customer": True}]
    campaign_id, _ids = queued_campaign(services, server, clients, own=True)
    sender(services).send_pending(campaign_id)
    [(_address, message)] = server.handler.messages()
    assert "object to the use of your email address" in message.get_content()


def test_consent_withdrawn_after_queueing_skips_the_client(services, server) -> None:
    campaign_id, ids = queued_campaign(services, server, consenting(2))
    with services.db.transaction() as session:
        session.get(Client, ids[1]).email_unsubscribed_at = NOW
    sender(services).send_pending(campaign_id)
    assert server.handler.count_by_address() == {"k0@kunden.example": 1}
    rows = {r.client_id: r for r in services.campaigns.recipients(campaign_id)}
    assert rows[ids[1]].state == RecipientState.SKIPPED and rows[ids[1]].reason == "unsubscribed"


def test_451_then_250_delivers_once(services, server) -> None:
    server.handler.rcpt_answers["k0@kunden.example"] = ["451 4.3.0 Try again later"]
    server.handler.data_answers["k1@kunden.example"] = ["451 4.3.0 Greylisted"]
    campaign_id, _ids = queued_campaign(services, server, consenting(2))
    result = sender(services).send_pending(campaign_id)
    assert result.progress.count(RecipientState.SENT) == 2
    assert server.handler.count_by_address() == {"k0@kunden.example": 1, "k1@kunden.example": 1}


def test_550_fails_the_row_with_the_reply_and_marks_the_address(services, server) -> None:
    server.handler.rcpt_answers["k1@kunden.example"] = ["550 5.1.1 No such user here"]
    campaign_id, ids = queued_campaign(services, server, consenting(2))
    sender(services).send_pending(campaign_id)
    rows = {r.client_id: r for r in services.campaigns.recipients(campaign_id)}
    assert rows[ids[1]].state == RecipientState.FAILED and rows[ids[1]].reason == "550 5.1.1 No such user here"
    with services.db.read() as session:
        assert session.get(Client, ids[1]).email_failing_at is not None
        assert session.get(Client, ids[0]).email_failing_at is None
    data = services.campaigns.get(campaign_id).data
    assert services.campaigns.forecast(data).skipped == {"failing": 1}


def test_the_progress_reports_each_settled_row_as_the_outbox_then_holds_it(services, server) -> None:
    server.handler.rcpt_answers["k1@kunden.example"] = ["550 5.1.1 No such user here"]
    clients = [*consenting(3), {"email": "", "email_consent": True}, {"email": "k3@kunden.example"}]
    ids = add_clients(services, clients)
    smtp_to(services, server.port)
    campaign_id = campaign_to(services, recipient_list(services, ids))
    services.campaigns.queue(campaign_id)
    with services.db.transaction() as session:  # consent withdrawn after queueing: skipped when its turn comes
        session.get(Client, ids[0]).email_unsubscribed_at = NOW
    reported = []
    sender(services).send_pending(campaign_id, on_progress=lambda step: reported.extend(step.rows))
    stored = {r.id: (r.state, r.reason, r.sent_at) for r in services.campaigns.recipients(campaign_id)}
    assert {r.id: (r.state, r.reason, r.sent_at) for r in reported} == {
        row_id: values for row_id, values in stored.items() if values[1] not in ("no_address", "no_consent")}
    assert sorted(r.state for r in reported) == [RecipientState.FAILED, RecipientState.SENT, RecipientState.SKIPPED]
    assert len(stored) == 5 and all(r.sent_at for r in reported if r.state == RecipientState.SENT)


def test_a_temporary_failure_that_persists_fails_the_row_but_not_the_address(services, server) -> None:
    server.handler.rcpt_answers["k0@kunden.example"] = ["452 4.2.2 Mailbox full"] * 4
    campaign_id, ids = queued_campaign(services, server, consenting(1))
    sender(services).send_pending(campaign_id)
    [row] = services.campaigns.recipients(campaign_id)
    assert row.state == RecipientState.FAILED and row.reason.startswith("452")
    with services.db.read() as session:
        assert session.get(Client, ids[0]).email_failing_at is None


def test_cancel_stops_between_messages_and_a_new_run_sends_the_rest_once(services, server) -> None:
    campaign_id, _ids = queued_campaign(services, server, consenting(6))
    stop_after = lambda: len(server.handler.delivered) >= 2  # noqa: E731
    first = sender(services).send_pending(campaign_id, should_stop=stop_after)
    assert not first.finished and first.progress.count(RecipientState.QUEUED) == 4
    assert services.campaigns.get(campaign_id).status == "sending"
    second = sender(services).send_pending(campaign_id)
    assert second.finished
    assert server.handler.count_by_address() == {f"k{i}@kunden.example": 1 for i in range(6)}


def test_the_rate_limit_spaces_the_messages(services, server) -> None:
    campaign_id, _ids = queued_campaign(services, server, consenting(3), rate=300)  # one every 0.2 s
    started = time.monotonic()
    sender(services).send_pending(campaign_id)
    assert time.monotonic() - started >= 0.4
    assert len(server.handler.delivered) == 3


def test_a_run_that_died_before_the_final_dot_is_sent_again_and_one_after_it_is_not(services, server) -> None:
    campaign_id, ids = queued_campaign(services, server, consenting(2))
    dead = Outbox(services.db, campaign_id)
    dead.take()
    rows = dead.queued(0)
    assert dead.hand_over(rows[0].id, "<a@sonne.example>") and dead.hand_over(rows[1].id, "<b@sonne.example>")
    dead.mark_journal(rows[1].id)  # the final "." of the second may have left
    dead.journal.close(remove=False)  # the process died: the lock is gone, the journal stays
    result = sender(services).send_pending(campaign_id)
    assert result.finished
    assert server.handler.count_by_address() == {"k0@kunden.example": 1}
    [(_address, message)] = server.handler.messages()
    assert message["Message-ID"] == "<a@sonne.example>"  # re-sent with the Message-ID it was given
    states = {r.client_id: r.state for r in services.campaigns.recipients(campaign_id)}
    assert states == {ids[0]: RecipientState.SENT, ids[1]: RecipientState.UNCERTAIN}


def test_a_campaign_being_sent_at_another_desk_is_not_taken_over(services, server) -> None:
    campaign_id, _ids = queued_campaign(services, server, consenting(1))
    other = Outbox(services.db, campaign_id)
    other.take()
    from salon_desk.errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        sender(services).send_pending(campaign_id)
    assert "another desk" in refused.value.message
    other.release(False)
    assert sender(services).send_pending(campaign_id).finished


def test_send_test_reports_the_servers_answer_in_plain_words(services, server) -> None:
    settings = SmtpSettings("127.0.0.1", server.port, Security.NONE, sender_address="salon@sonne.example")
    answer = services.smtp.send_test(settings)
    assert "accepted the test message to salon@sonne.example" in answer
    closed = SmtpSettings("127.0.0.1", smtp_server.free_port(), Security.NONE, sender_address="salon@sonne.example")
    with pytest.raises(SmtpProblem) as problem:
        services.smtp.send_test(closed)
    assert "Could not reach the mail server 127.0.0.1" in problem.value.message


def test_the_smtp_password_never_appears_in_the_log_the_audit_log_or_an_error(services, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server.running(password="the-right-one") as guarded:
        settings = SmtpSettings("127.0.0.1", guarded.port, Security.NONE, user=smtp_server.USER, password=PASSWORD,
                                sender_address="salon@sonne.example")
        services.smtp.save(settings)
        with pytest.raises(SmtpProblem) as refused:
            services.smtp.send_test(services.smtp.load())
        ids = add_clients(services, consenting(1))
        campaign_id = campaign_to(services, recipient_list(services, ids))
        services.campaigns.queue(campaign_id)
        result = sender(services).send_pending(campaign_id)
    assert "refused the user name or password" in refused.value.message
    assert not result.finished and "refused the user name or password" in result.problem
    with services.db.read() as session:
        audit = " ".join(f"{e.before} {e.after}" for e in session.scalars(select(AuditEntry)))
        stored = " ".join(str(v) for v in session.execute(select(AuditEntry)).all())
    assert "smtp_host" in audit
    texts = [caplog.text, audit, stored, refused.value.message, str(refused.value), repr(refused.value),
             result.problem, repr(settings), str(settings)]
    assert all(PASSWORD not in text for text in texts)
    assert services.smtp.password() == PASSWORD  # kept, only in the secret store


def test_a_password_with_umlauts_signs_in(services) -> None:
    with smtp_server.running(password=PASSWORD) as guarded:
        settings = SmtpSettings("127.0.0.1", guarded.port, Security.NONE, user=smtp_server.USER, password=PASSWORD,
                                sender_address="salon@sonne.example")
        assert "accepted" in services.smtp.send_test(settings)
        assert len(guarded.handler.delivered) == 1


def test_a_run_thought_dead_and_taken_over_sends_nothing_more(services, server) -> None:
    from datetime import timedelta

    from salon_desk.errors import ValidationError
    from salon_desk.models.base import utcnow
    from salon_desk.models.campaign import Campaign

    campaign_id, _ids = queued_campaign(services, server, consenting(2))
    slow = Outbox(services.db, campaign_id)
    slow.take()
    with services.db.transaction() as session:  # silent for longer than STALE_AFTER
        session.get(Campaign, campaign_id).sender_seen_at = utcnow() - timedelta(minutes=5)
    assert sender(services).send_pending(campaign_id).finished
    row = slow.queued(0)
    with pytest.raises(ValidationError) as refused:
        slow.hand_over(services.campaigns.recipients(campaign_id)[0].id, "<late@sonne.example>")
    assert "took over" in refused.value.message and row == []
    assert server.handler.count_by_address() == {"k0@kunden.example": 1, "k1@kunden.example": 1}


def test_a_draft_is_not_sent_before_it_is_queued(services, server) -> None:
    from salon_desk.errors import ValidationError

    ids = add_clients(services, consenting(1))
    smtp_to(services, server.port)
    campaign_id = campaign_to(services, recipient_list(services, ids))
    with pytest.raises(ValidationError):
        sender(services).send_pending(campaign_id)
    assert services.campaigns.get(campaign_id).status == "draft" and server.handler.delivered == []
