"""Where Salon Desk keeps its data, resources and translations."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

from salon_desk import APP_NAME

HOME_ENV = "SALON_DESK_HOME"
DATABASE_URL_ENV = "SALON_DESK_DATABASE_URL"


def private_dir(path: Path) -> Path:
    """Create ``path`` if needed and make it the owner's alone (0700 on POSIX): it holds personal data."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        try:
            path.chmod(0o700)
        except OSError:  # a folder of someone else's (a shared NAS folder): its owner decides
            pass
    return path


def make_private(path: Path) -> None:
    """Make an existing file readable and writable by its owner only (0600 on POSIX)."""
    if os.name == "posix" and path.exists():
        try:
            path.chmod(0o600)
        except OSError:
            pass


def create_private(path: Path) -> None:
    """Create ``path`` empty and owner-only unless it exists; an existing one is made owner-only."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    make_private(path)


def home_dir() -> Path:
    """The data folder: ``SALON_DESK_HOME`` or the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return private_dir(path)


def backup_dir() -> Path:
    """Folder for automatic and manual database backups."""
    return private_dir(home_dir() / "backups")


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
