"""Passwords and API keys: the system's credential store (``keyring``), else a file only its owner may read.

Used by the TSE settings (fiscal) and the SMTP settings (marketing). A secret never goes
into the database, the audit log, the log or an error message; callers keep it that way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from salon_desk import paths


def keyring_works() -> bool:
    """True when a real credential store is there (keyring's "fail" backend counts as none)."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # noqa: BLE001 - any broken backend counts as none
        return False


def backend() -> str:
    """'keyring' when the system's credential store is used, else 'file'."""
    return "keyring" if keyring_works() else "file"


def write_private_json(target: Path, data: dict[str, str]) -> None:
    """Write ``data`` into ``target``, readable and writable by its owner only (0600)."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.chmod(target, 0o600)


def read_json(target: Path) -> dict[str, str]:
    """The file's JSON object, or {} when it is missing or damaged."""
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


class SecretStore:
    """Secrets of one kind: entries of ``service`` in the credential store, or the owner-only ``file_name``."""

    def __init__(self, service: str, file_name: str) -> None:
        self.service = service
        self.file_name = file_name

    @property
    def file(self) -> Path:
        """The fallback file in the data folder."""
        return paths.home_dir() / self.file_name

    def set(self, account: str, secret: str) -> None:
        """Keep ``secret`` for ``account``."""
        if keyring_works():
            import keyring

            keyring.set_password(self.service, account, secret)
            return
        data = read_json(self.file)
        data[account] = secret
        write_private_json(self.file, data)

    def get(self, account: str) -> str:
        """The secret kept for ``account`` ('' when none)."""
        if keyring_works():
            import keyring

            return keyring.get_password(self.service, account) or ""
        return read_json(self.file).get(account, "")
