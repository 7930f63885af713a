"""Privacy (GDPR): one client's data for export, erasure that keeps the sales, the report of inactive clients."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from salon_desk.errors import NotFoundError, ValidationError
from salon_desk.i18n import _
from salon_desk.models import (
    AuditEntry,
    Category,
    Client,
    ClientCategory,
    ClientErasure,
    ConsentRecord,
    CustomerGroup,
    GroupJoinAttempt,
    ImportedConsent,
    RecipientGroup,
    RecipientGroupMember,
    Sale,
    SaleLine,
    Task,
    utcnow,
)
from salon_desk.services.staff import audit
from salon_desk.services.common import Changes, Service
from salon_desk.services.data.backup_files import owner_only_file
from salon_desk.services.data.client_import import search_columns
from salon_desk.services.marketing.client_data import campaign_messages, forget_recipients
from salon_desk.services.permissions import Permission

DETAIL_FIELDS = ("first_name", "last_name", "phone", "email", "birthday", "street", "postal_code", "city", "notes")
DEFAULT_YEARS = 3


@dataclass(frozen=True)
class InactiveClient:
    """A client without a visit for years, as the erasure report lists them."""

    id: int
    name: str
    last_visit: date | None
    created: date


def erased_label(client_id: int) -> str:
    """What stays of an erased client's name: "erased client #12"."""
    return _("erased client #{id}").format(id=client_id)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class PrivacyService(Service):
    """Export and erase one client's personal data; find clients to erase."""

    def export(self, client_id: int) -> dict[str, Any]:
        """Everything Salon Desk holds about the client (GDPR Art. 15 and 20), as plain data."""
        self.require(Permission.EDIT_CLIENTS)
        with self.db.read() as session:
            client = session.get(Client, client_id)
            if client is None or self._is_erased(session, client_id):
                raise NotFoundError(_("The client no longer exists or was erased."), "client")
            return {
                "exported_at": utcnow().isoformat(timespec="seconds"),
                "client_id": client.id,
                "details": {name: getattr(client, name) for name in DETAIL_FIELDS}
                | {"client_since": client.created_at, "last_visit": client.last_visit},
                "consent": self._consent(session, client),
                "customer_group": session.scalar(select(CustomerGroup.name).where(CustomerGroup.id == client.group_id))
                if client.group_id
                else None,
                "categories": self._memberships(session, client_id),
                "recipient_groups": list(session.scalars(
                    select(RecipientGroup.name).join(RecipientGroupMember)
                    .where(RecipientGroupMember.client_id == client_id).order_by(RecipientGroup.name_key))),  # fmt: skip
                "tasks": [
                    {"title": t.title, "due_on": t.due_on, "done_at": t.done_at, "outcome": t.outcome}
                    for t in session.scalars(select(Task).where(Task.client_id == client_id).order_by(Task.due_on))
                ],
                "sales": self._sales(session, client_id),
                "campaign_messages": campaign_messages(session, client_id),
                "history": self._history(session, client_id),
            }

    @staticmethod
    def write_json(data: dict[str, Any], target: Path) -> Path:
        """The export as UTF-8 JSON, readable only by its owner."""
        target.write_text(json.dumps(data, default=_plain, ensure_ascii=False, indent=2), encoding="utf-8")
        owner_only_file(target)
        return target

    def _consent(self, session: Session, client: Client) -> dict[str, Any]:
        history = session.execute(
            select(ImportedConsent.channel, ImportedConsent.given_at, ImportedConsent.source, ImportedConsent.wording)
            .where(ImportedConsent.client_id == client.id)
            .order_by(ImportedConsent.given_at)
        )
        records = session.scalars(
            select(ConsentRecord).where(ConsentRecord.client_id == client.id).order_by(ConsentRecord.recorded_at, ConsentRecord.id)
        )
        return {
            "email": {"given": client.email_consent, "since": client.email_consent_at,
                      "existing_customer": client.email_existing_customer, "unsubscribed_at": client.email_unsubscribed_at},
            "sms": {"given": client.sms_consent, "since": client.sms_consent_at},
            "phone": {"given": client.phone_consent, "since": client.phone_consent_at},
            "records": [
                {"at": r.recorded_at, "channel": r.channel, "granted": r.granted, "kind": r.kind, "source": r.source,
                 "wording": r.wording, "recorded_by": r.recorded_by}
                for r in records
            ],  # fmt: skip
            "history": [
                {"channel": channel, "given_at": at, "source": source, "wording": wording}
                for channel, at, source, wording in history
            ],
        }

    def _memberships(self, session: Session, client_id: int) -> list[dict[str, Any]]:
        rows = session.execute(
            select(Category.name, ClientCategory.assigned_at, ClientCategory.valid_until, ClientCategory.proof_note)
            .join(Category, Category.id == ClientCategory.category_id)
            .where(ClientCategory.client_id == client_id)
            .order_by(Category.name_key)
        )
        return [
            {"category": name, "since": since, "valid_until": until, "proof_note": note}
            for name, since, until, note in rows
        ]

    def _sales(self, session: Session, client_id: int) -> list[dict[str, Any]]:
        sales = session.scalars(select(Sale).where(Sale.client_id == client_id).order_by(Sale.completed_at)).all()
        lines: dict[int, list[dict[str, Any]]] = {}
        for line in session.scalars(
            select(SaleLine).where(SaleLine.sale_id.in_([s.id for s in sales])).order_by(SaleLine.position)
        ):
            lines.setdefault(line.sale_id, []).append({
                "item": line.item_name, "quantity": line.quantity, "unit_price": str(line.unit_price),
                "discount_percent": str(line.discount_percent), "total": str(line.line_total),
            })  # fmt: skip
        return [
            {"number": sale.number, "date": sale.completed_at, "total": str(sale.total_gross),
             "payment": sale.payment_method.value, "cancels_sale": sale.reverses_sale_id,
             "lines": lines.get(sale.id, [])}  # fmt: skip
            for sale in sales
        ]

    def _history(self, session: Session, client_id: int) -> list[dict[str, Any]]:
        rows = session.execute(
            select(AuditEntry.at, AuditEntry.action, AuditEntry.staff_name, AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.entity == audit.Entity.CLIENT, AuditEntry.entity_id == client_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return [
            {"at": at, "change": audit.action_label(action), "by": who, "before": before, "after": after}
            for at, action, who, before, after in rows
        ]

    # -- erasing --------------------------------------------------------------------------

    def erase(self, client_ids: list[int]) -> tuple[int, Changes]:
        """Remove the clients' personal data; their sales stay under "erased client #id".

        Name, contact details, notes, birthday, consent history, memberships, group, list
        memberships and tasks go; campaign rows stay without the servers' replies (queued ones
        are skipped). One audit entry per client names only its number and how many sales stay.
        """
        self.require(Permission.ERASE_CLIENTS)
        with self.transaction(_("The client")) as session:
            ids = self._erasable(session, client_ids)
            if not ids:
                raise ValidationError(_("These clients no longer exist or were already erased."), "client")
            for model in (ClientCategory, RecipientGroupMember, GroupJoinAttempt, ImportedConsent, ConsentRecord, Task):
                session.execute(delete(model).where(model.client_id.in_(ids)))  # type: ignore[attr-defined]
            forget_recipients(session, ids)
            kept = dict(session.execute(
                select(Sale.client_id, func.count()).where(Sale.client_id.in_(ids)).group_by(Sale.client_id)).all())  # fmt: skip
            now = utcnow()
            for client_id in ids:
                self._anonymise(session, client_id, now)
                record, label = {"sales_kept": kept.get(client_id, 0)}, erased_label(client_id)
                audit.forget_client(session, client_id, label)
                audit.record(session, self.actor, audit.Action.ERASE, audit.Entity.CLIENT, client_id, after=record,
                             subject=label)  # fmt: skip
            return len(ids), Changes(clients=frozenset(ids), all_clients=True)

    def _erasable(self, session: Session, client_ids: list[int]) -> list[int]:
        erased = select(ClientErasure.client_id)
        return list(session.scalars(
            select(Client.id).where(Client.id.in_(client_ids), Client.id.not_in(erased)).order_by(Client.id)))  # fmt: skip

    def _anonymise(self, session: Session, client_id: int, now: datetime) -> None:
        label = erased_label(client_id)
        search, key = search_columns("", label, "", "")
        session.execute(
            update(Client).where(Client.id == client_id).values(
                first_name="", last_name=label, phone="", email="", birthday=None, street="", postal_code="",
                city="", notes="", email_consent=False, email_consent_at=None, sms_consent=False,
                sms_consent_at=None, phone_consent=False, phone_consent_at=None, email_existing_customer=False,
                email_unsubscribed_at=None, email_failing_at=None, group_id=None, search_text=search, sort_name=key,
                category_label="", phone_digits="", email_key="",
                version=Client.version + 1, updated_at=now,
            ),  # fmt: skip
            execution_options={"synchronize_session": False},
        )
        session.execute(update(Sale).where(Sale.client_id == client_id).values(client_name=label))
        session.add(ClientErasure(client_id=client_id, erased_at=now))

    @staticmethod
    def _is_erased(session: Session, client_id: int) -> bool:
        return session.get(ClientErasure, client_id) is not None

    # -- the report -----------------------------------------------------------------------

    def inactive(self, years: int = DEFAULT_YEARS, today: date | None = None) -> list[InactiveClient]:
        """Clients (not erased) whose last visit, or registration without a visit, is ``years`` ago or more."""
        if not 1 <= years <= 50:
            raise ValidationError(_("Please enter a number of years between 1 and 50."), "years")
        today = today or date.today()
        cutoff = today.replace(year=today.year - years) if (today.month, today.day) != (2, 29) else today.replace(
            year=today.year - years, day=28)  # fmt: skip
        since = datetime.combine(cutoff, time(0), tzinfo=UTC)
        condition = or_(Client.last_visit < cutoff, and_(Client.last_visit.is_(None), Client.created_at < since))
        with self.db.read() as session:
            rows = session.execute(
                select(Client.id, Client.first_name, Client.last_name, Client.last_visit, Client.created_at)
                .where(condition, Client.id.not_in(select(ClientErasure.client_id)))
                .order_by(Client.last_visit.is_(None), Client.last_visit, Client.id)
            )
            return [
                InactiveClient(cid, " ".join(p for p in (first, last) if p), visit, created.date())
                for cid, first, last, visit, created in rows
            ]
