"""Domain errors: each carries a translated message for a salon manager and the field it concerns."""

from __future__ import annotations


class SalonError(Exception):
    """A rule was broken; ``message`` is already translated, ``field`` names the form field or row."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(SalonError):
    """Input that breaks a rule of the form it was typed into."""


class NotFoundError(SalonError):
    """The record no longer exists (deleted at another desk)."""


class ConflictError(SalonError):
    """Another desk saved the same record first; reload before saving again."""


class LockedError(SalonError):
    """Too many wrong attempts; try again later."""


class PermissionDeniedError(SalonError):
    """The signed-in person's role may not do this."""


class StorageError(SalonError):
    """The database could not be read or written (disk full, read-only, locked, server gone); nothing was saved."""
