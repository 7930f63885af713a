"""Segments, bulk actions, tasks and call lists on screen (DESIGN §7)."""
