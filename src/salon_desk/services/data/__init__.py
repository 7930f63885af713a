"""Data safety and privacy: backups and restore, client import, export and erasure (DESIGN §8)."""

from __future__ import annotations

from salon_desk.services.data.backups import BackupService

__all__ = ["BackupService"]
