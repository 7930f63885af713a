"""Use cases: each public method is one user action and one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from salon_desk.db import Database
from salon_desk.services.staff.audit import AuditService
from salon_desk.services.automations.service import AutomationService
from salon_desk.services.catalogue.catalog import CatalogService
from salon_desk.services.categories.categories import CategoryService
from salon_desk.services.checkout.checkout import CheckoutService
from salon_desk.services.clients.client_list import ClientListService
from salon_desk.services.clients.clients import ClientService
from salon_desk.services.common import SYSTEM, Actor, Changes, Workstation
from salon_desk.services.groups.groups import GroupService
from salon_desk.services.groups.recipients import RecipientService
from salon_desk.services.clients.search import SearchService
from salon_desk.services.staff.staff import StaffService
from salon_desk.services.statistics import StatisticsService
from salon_desk.services.marketing.bulk import BulkService
from salon_desk.services.marketing.consent import ConsentService
from salon_desk.services.marketing.segments import SegmentService
from salon_desk.services.marketing.tasks import TaskService
from salon_desk.services.marketing.campaigns import CampaignService
from salon_desk.services.marketing.smtp_settings import SmtpSettingsService


@dataclass
class Services:
    """The services of one open database, as the UI uses them."""

    db: Database
    categories: CategoryService
    clients: ClientService
    groups: GroupService
    recipients: RecipientService
    catalog: CatalogService
    search: SearchService
    client_list: ClientListService
    checkout: CheckoutService
    staff: StaffService
    audit: AuditService
    statistics: StatisticsService
    segments: SegmentService
    bulk: BulkService
    tasks: TaskService
    consent: ConsentService
    campaigns: CampaignService
    smtp: SmtpSettingsService
    automations: AutomationService
    workstation: Workstation
    backup_before_upgrade: Path | None = None


def open_services(url: str | None = None, workstation: Workstation | None = None) -> Services:
    """Open (creating or migrating) the database and create the template categories on first start."""
    db = Database(url)
    workstation = workstation or Workstation()
    backup = db.upgrade()
    client_list = ClientListService(db, workstation)
    services = Services(
        db=db,
        categories=CategoryService(db, workstation),
        clients=ClientService(db, workstation),
        groups=GroupService(db, workstation),
        recipients=RecipientService(db, workstation),
        catalog=CatalogService(db, workstation),
        search=SearchService(db, workstation),
        client_list=client_list,
        checkout=CheckoutService(db, workstation),
        staff=StaffService(db, workstation),
        audit=AuditService(db, workstation),
        statistics=StatisticsService(db, workstation),
        segments=SegmentService(db, workstation),
        bulk=BulkService(db, workstation, client_list),
        tasks=TaskService(db, workstation, client_list),
        consent=ConsentService(db, workstation, client_list),
        campaigns=CampaignService(db, workstation),
        smtp=SmtpSettingsService(db, workstation),
        automations=AutomationService(db, workstation),
        workstation=workstation,
        backup_before_upgrade=backup,
    )
    services.categories.ensure_templates()
    services.automations.ensure_templates()
    return services


__all__ = ["SYSTEM", "Actor", "Changes", "Services", "Workstation", "open_services"]
