"""Clients with and without consent, the SMTP settings for a local server, and a campaign to them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from salon_desk.models import Client, RecipientGroup, RecipientGroupMember
from salon_desk.models.campaign import AudienceKind
from salon_desk.services import Services
from salon_desk.services.marketing.campaigns import CampaignData
from salon_desk.services.marketing.smtp_link import Security
from salon_desk.services.marketing.smtp_settings import SmtpSettings
from salon_desk.textindex import client_search_text, sort_name

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def add_clients(services: Services, rows: list[dict[str, object]]) -> list[int]:
    """Insert clients (name, email and consent flags as given); their ids in order."""
    with services.db.transaction() as session:
        first = (session.scalar(select(Client.id).order_by(Client.id.desc()).limit(1)) or 0) + 1
        values = []
        for i, row in enumerate(rows):
            first_name = f"Kundin{first + i}"
            values.append({"id": first + i, "first_name": first_name, "last_name": "Müller",
                           "sort_name": sort_name(first_name, "Müller"),
                           "search_text": client_search_text(first_name, "Müller", "", str(row.get("email", ""))),
                           **row})
        session.execute(insert(Client), values)
        return [v["id"] for v in values]  # type: ignore[misc]


def recipient_list(services: Services, client_ids: list[int], name: str = "Newsletter") -> int:
    with services.db.transaction() as session:
        group = RecipientGroup(name=name, name_key=name.lower())
        session.add(group)
        session.flush()
        session.execute(insert(RecipientGroupMember),
                        [{"recipient_group_id": group.id, "client_id": c, "added_at": NOW} for c in client_ids])
        return group.id


def smtp_to(services: Services, port: int, rate: int = 0, user: str = "", password: str = "") -> None:
    services.smtp.save(SmtpSettings(host="127.0.0.1", port=port, security=Security.NONE, user=user, password=password,
                                    sender_name="Salon Sonne", sender_address="salon@sonne.example",
                                    rate_per_minute=rate))


def campaign_to(services: Services, group_id: int, subject: str = "Hallo {first_name}",
                body: str = "Hallo {first_name}, 10 % für {client_category}…", own: bool = False) -> int:
    info, _ = services.campaigns.create(CampaignData(
        name="Sommer", subject=subject, body=body, audience_kind=AudienceKind.RECIPIENTS, audience_id=group_id,
        own_similar_services=own))
    return info.id


def consenting(n: int, start: int = 0) -> list[dict[str, object]]:
    return [{"email": f"k{start + i}@kunden.example", "email_consent": True} for i in range(n)]
