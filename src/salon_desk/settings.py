"""Settings every layer needs (language, database URL), kept as JSON in the data folder.

A PostgreSQL password never goes into the file: it is kept in the system's credential store
(or, where there is none, in a file only its owner may read), under the address without it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from salon_desk import paths
from salon_desk.paths import home_dir

if TYPE_CHECKING:
    from salon_desk.services.secret_store import SecretStore

log = logging.getLogger(__name__)
FILE_NAME = "settings.json"
PASSWORDS = ("salon-desk-database", "database-passwords.json")  # credential-store service, fallback file


@dataclass
class Settings:
    """User-editable settings; empty strings mean 'use the default'."""

    language: str = ""
    database_url: str = ""
    backup_folder: str = ""  # a chosen folder for the automatic backups (USB stick, NAS); '' is the data folder's

    @classmethod
    def path(cls) -> Path:
        """Where the settings live."""
        return home_dir() / FILE_NAME

    @classmethod
    def load(cls) -> Settings:
        """Read the settings; a missing or damaged file gives the defaults (and is logged)."""
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable settings file %s: %s", cls.path(), exc)
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls(**{k: str(v) for k, v in raw.items() if k in known} if isinstance(raw, dict) else {})
        if _split_password(settings.database_url)[1]:  # written by an older version: move it out of the file
            try:
                settings.save()
            except OSError as exc:
                log.warning("could not move the database password out of %s: %s", cls.path(), exc)
        return settings

    def save(self) -> None:
        """Write the settings atomically; a password in the database URL goes to the credential store."""
        self.database_url = _keep_password(self.database_url)
        target = self.path()
        tmp = target.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        paths.create_private(tmp)
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(target)


def _password_store() -> SecretStore:
    from salon_desk.services.secret_store import SecretStore

    return SecretStore(*PASSWORDS)


def _split_password(url: str) -> tuple[str, str]:
    """The URL without its password, and the password ('' when it has none or is no URL)."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url, ""
    if not parsed.password:
        return url, ""
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False), str(parsed.password)


def _keep_password(url: str) -> str:
    """Store the URL's password (if any) under the URL without it; return that URL."""
    bare, password = _split_password(url)
    if password:
        _password_store().set(bare, password)
    return bare


def with_password(url: str) -> str:
    """The stored URL with the password kept for it put back (as it was typed in Settings)."""
    bare, password = _split_password(url)
    if password or not url.startswith("postgres"):
        return url
    stored = _password_store().get(bare)
    if not stored:
        return url
    from sqlalchemy.engine import make_url

    return make_url(bare).set(password=stored).render_as_string(hide_password=False)
