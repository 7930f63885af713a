"""SQLAlchemy models, one module per aggregate."""

from salon_desk.models.automation import AutomationDay, AutomationRule, AutomationRun, AutomationRunClient
from salon_desk.models.base import Base, CategoryId, ClientId, GroupId, ItemId, Money, Percent, utcnow
from salon_desk.models.campaign import Campaign, CampaignRecipient
from salon_desk.models.catalog import CatalogItem, ItemGroupRestriction, SpecialOffer, SpecialOfferItem
from salon_desk.models.category import Category, ClientCategory
from salon_desk.models.client import Client, ClientFacts, ClientMerge, ClientTotal
from salon_desk.models.fiscal import CashMovement, CashMovementKind, Closing, SaleTse, TseAbort, TseOutage
from salon_desk.models.data import ClientErasure, ImportedConsent, ImportRun
from salon_desk.models.group import (
    CustomerGroup,
    GroupJoinAttempt,
    GroupPasswordGuesses,
    GroupPrice,
    RecipientGroup,
    RecipientGroupMember,
)
from salon_desk.models.marketing import ConsentRecord, Segment, Task
from salon_desk.models.meta import AppMeta
from salon_desk.models.sale import (
    ClientSalesYear,
    PaymentMethod,
    ReceiptCounter,
    Sale,
    SaleLine,
    SalesYearWindow,
    SaleVat,
)
from salon_desk.models.staff import AuditEntry, Role, RoleLimit, StaffMember
from salon_desk.models.statistics import SaleCategory, SaleSnapshot, StatDay, StatPeriod, StatVisitor

__all__ = [
    "Campaign",
    "CampaignRecipient",
    "AutomationDay",
    "AutomationRule",
    "AutomationRun",
    "AutomationRunClient",
    "CashMovement",
    "CashMovementKind",
    "Closing",
    "ConsentRecord",
    "SaleTse",
    "TseAbort",
    "TseOutage",
    "AuditEntry",
    "PaymentMethod",
    "ReceiptCounter",
    "Role",
    "RoleLimit",
    "Sale",
    "SalesYearWindow",
    "ClientSalesYear",
    "SaleCategory",
    "SaleLine",
    "SaleSnapshot",
    "SaleVat",
    "Segment",
    "StaffMember",
    "StatDay",
    "StatPeriod",
    "StatVisitor",
    "Task",
    "AppMeta",
    "Base",
    "CatalogItem",
    "Category",
    "CategoryId",
    "Client",
    "ClientCategory",
    "ClientMerge",
    "ClientFacts",
    "ClientTotal",
    "ClientErasure",
    "ImportedConsent",
    "ImportRun",
    "ClientId",
    "CustomerGroup",
    "GroupId",
    "GroupJoinAttempt",
    "GroupPasswordGuesses",
    "GroupPrice",
    "ItemGroupRestriction",
    "ItemId",
    "Money",
    "Percent",
    "RecipientGroup",
    "RecipientGroupMember",
    "SpecialOffer",
    "SpecialOfferItem",
    "utcnow",
]
