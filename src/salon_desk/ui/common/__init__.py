"""Widgets, forms and models every feature uses, and the data bus."""
