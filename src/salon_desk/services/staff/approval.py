"""A manager's approval, the proof an action above someone's rights was allowed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Approval:
    """A manager's approval of an action above someone's rights, with the reason given."""

    manager_id: int
    manager_name: str
    reason: str
