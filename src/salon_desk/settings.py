"""Settings every layer needs (language, database URL), kept as JSON in the data folder."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from salon_desk import paths
from salon_desk.paths import home_dir

log = logging.getLogger(__name__)
FILE_NAME = "settings.json"


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
        return cls(**{k: str(v) for k, v in raw.items() if k in known} if isinstance(raw, dict) else {})

    def save(self) -> None:
        """Write the settings atomically."""
        target = self.path()
        tmp = target.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        paths.create_private(tmp)
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(target)
