"""Segments, bulk actions on the client list, tasks and call lists (DESIGN §7)."""
