"""The actions and kinds of record the audit log speaks about, with their translated names."""

from __future__ import annotations

from enum import StrEnum

from salon_desk.i18n import N_, _


class Action(StrEnum):
    """The actions Salon Desk writes into the log (other strings are shown as they are)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    MEMBERSHIPS = "memberships"
    GROUP = "group"
    PRICE = "price"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    RESET_PIN = "reset_pin"
    LOCK_OUT = "lock_out"
    APPROVE = "approve"
    MANUAL_DISCOUNT = "manual_discount"
    CANCEL = "cancel"
    SETTING = "setting"
    FLOAT = "float"
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    CLOSE_DAY = "close_day"
    IMPORT = "import"
    ERASE = "erase"
    BULK_ASSIGN_CATEGORY = "bulk_assign_category"
    BULK_REMOVE_CATEGORY = "bulk_remove_category"
    BULK_GROUP = "bulk_group"
    BULK_RECIPIENTS = "bulk_recipients"
    EXPORT_CLIENTS = "export_clients"
    CALL_LIST = "call_list"
    UNSUBSCRIBE = "unsubscribe"
    MERGE = "merge"
    CAMPAIGN_SEND = "campaign_send"


class Entity(StrEnum):
    """The kinds of records the log speaks about."""

    CATEGORY = "category"
    CLIENT = "client"
    GROUP = "group"
    ITEM = "item"
    OFFER = "offer"
    RECIPIENT_GROUP = "recipient_group"
    STAFF = "staff"
    SALE = "sale"
    SETTING = "setting"
    APPROVAL = "approval"
    CASH_DRAWER = "cash_drawer"
    CLOSING = "closing"
    CAMPAIGN = "campaign"


ACTION_LABELS = {
    Action.CREATE: N_("Created"),
    Action.UPDATE: N_("Changed"),
    Action.DELETE: N_("Deleted"),
    Action.MEMBERSHIPS: N_("Categories changed"),
    Action.GROUP: N_("Customer group changed"),
    Action.PRICE: N_("Price changed"),
    Action.DEACTIVATE: N_("Deactivated"),
    Action.REACTIVATE: N_("Reactivated"),
    Action.RESET_PIN: N_("PIN reset"),
    Action.LOCK_OUT: N_("Locked after wrong PINs"),
    Action.APPROVE: N_("Approval given"),
    Action.MANUAL_DISCOUNT: N_("Manual discount"),
    Action.CANCEL: N_("Cancelled"),
    Action.SETTING: N_("Setting changed"),
    Action.FLOAT: N_("Opening float"),
    Action.CASH_IN: N_("Cash in"),
    Action.CASH_OUT: N_("Cash out"),
    Action.CLOSE_DAY: N_("Day closed"),
    Action.IMPORT: N_("Clients imported"),
    Action.ERASE: N_("Personal data erased"),
    Action.BULK_ASSIGN_CATEGORY: N_("Category given to several clients"),
    Action.BULK_REMOVE_CATEGORY: N_("Category taken from several clients"),
    Action.BULK_GROUP: N_("Customer group set for several clients"),
    Action.BULK_RECIPIENTS: N_("Clients added to a recipient group"),
    Action.EXPORT_CLIENTS: N_("Clients exported as CSV"),
    Action.CALL_LIST: N_("Call list created"),
    Action.UNSUBSCRIBE: N_("Marked as unsubscribed from email"),
    Action.MERGE: N_("Client cards merged"),
    Action.CAMPAIGN_SEND: N_("Campaign sending started"),
}

ENTITY_LABELS = {
    Entity.CATEGORY: N_("Category"),
    Entity.CLIENT: N_("Client"),
    Entity.GROUP: N_("Customer group"),
    Entity.ITEM: N_("Catalogue item"),
    Entity.OFFER: N_("Special offer"),
    Entity.RECIPIENT_GROUP: N_("Recipient group"),
    Entity.STAFF: N_("Staff member"),
    Entity.SALE: N_("Sale"),
    Entity.SETTING: N_("Setting"),
    Entity.APPROVAL: N_("Approval"),
    Entity.CASH_DRAWER: N_("Cash drawer"),
    Entity.CLOSING: N_("Daily closing"),
    Entity.CAMPAIGN: N_("Campaign"),
}


def action_label(action: str) -> str:
    """The translated name of ``action`` (unknown actions as written)."""
    label = ACTION_LABELS.get(action)  # type: ignore[call-overload]
    return _(label) if label else action


def entity_label(entity: str) -> str:
    """The translated name of ``entity`` (unknown kinds as written)."""
    label = ENTITY_LABELS.get(entity)  # type: ignore[call-overload]
    return _(label) if label else entity
