"""Salted argon2 hashes for PINs and passwords: the secret itself is never stored."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_secret(secret: str) -> str:
    """An argon2id hash of ``secret`` with its own random salt."""
    return _hasher.hash(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    """True when ``secret`` matches ``secret_hash``; False for a wrong secret or a broken hash."""
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not-a-secret")


def waste_verification(secret: str) -> None:
    """Spend the time of one verification, so that a missing record cannot be told apart by timing."""
    verify_secret(_dummy_hash(), secret + "\0")
