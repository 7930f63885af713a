"""Plain enumerations shared by the models, the pricing engine and the services."""

from __future__ import annotations

from enum import StrEnum


class ItemKind(StrEnum):
    """What a catalogue item is: category discounts are scoped by it."""

    SERVICE = "service"
    PRODUCT = "product"


class DiscountScope(StrEnum):
    """Which kinds of catalogue item a category discount applies to."""

    SERVICES = "services"
    PRODUCTS = "products"
    BOTH = "both"

    def covers(self, kind: ItemKind) -> bool:
        """True when a discount of this scope applies to an item of ``kind``."""
        if self is DiscountScope.BOTH:
            return True
        if self is DiscountScope.SERVICES:
            return kind is ItemKind.SERVICE
        return kind is ItemKind.PRODUCT


class Channel(StrEnum):
    """Marketing channels a client can consent to."""

    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
