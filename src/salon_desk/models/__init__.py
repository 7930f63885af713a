"""SQLAlchemy models, one module per aggregate."""

from salon_desk.models.base import Base, CategoryId, ClientId, GroupId, ItemId, Money, Percent, utcnow
from salon_desk.models.catalog import CatalogItem, ItemGroupRestriction, SpecialOffer, SpecialOfferItem
from salon_desk.models.category import Category, ClientCategory
from salon_desk.models.client import Client
from salon_desk.models.group import CustomerGroup, GroupJoinAttempt, GroupPrice, RecipientGroup, RecipientGroupMember
from salon_desk.models.marketing import Segment, Task
from salon_desk.models.meta import AppMeta
from salon_desk.models.sale import PaymentMethod, ReceiptCounter, Sale, SaleLine, SaleVat
from salon_desk.models.staff import AuditEntry, Role, RoleLimit, StaffMember

__all__ = [
    "AuditEntry",
    "PaymentMethod",
    "ReceiptCounter",
    "Role",
    "RoleLimit",
    "Sale",
    "SaleLine",
    "SaleVat",
    "Segment",
    "StaffMember",
    "Task",
    "AppMeta",
    "Base",
    "CatalogItem",
    "Category",
    "CategoryId",
    "Client",
    "ClientCategory",
    "ClientId",
    "CustomerGroup",
    "GroupId",
    "GroupJoinAttempt",
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
