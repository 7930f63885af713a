"""Salon Desk: client cards, client categories, customer groups and a till for salons."""

__version__ = "0.1.0"
APP_NAME = "SalonDesk"
