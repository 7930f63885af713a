"""Where Salon Desk keeps its data, resources and translations."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

from salon_desk import APP_NAME

HOME_ENV = "SALON_DESK_HOME"
DATABASE_URL_ENV = "SALON_DESK_DATABASE_URL"


def home_dir() -> Path:
    """The data folder: ``SALON_DESK_HOME`` or the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    """Folder for automatic and manual database backups."""
    path = home_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bundled(name: str) -> Path:
    """A folder shipped in the wheel, or the top-level folder of a source checkout."""
    packaged = Path(str(resources.files("salon_desk"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def resource_dir() -> Path:
    """Icons, demo data and templates."""
    return _bundled("resources")


def translations_dir() -> Path:
    """Message catalogues (``<lang>/LC_MESSAGES/salon_desk.mo``)."""
    return _bundled("translations")


def icon_path(name: str) -> Path:
    """Path of a bundled category icon by its name."""
    return resource_dir() / "icons" / f"{name}.svg"


def icon_names() -> list[str]:
    """Names of all bundled category icons, sorted."""
    return sorted(p.stem for p in (resource_dir() / "icons").glob("*.svg"))
