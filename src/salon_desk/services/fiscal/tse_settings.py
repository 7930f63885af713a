"""The TSE settings (managers): where the fiskaly TSS is, and its API key and secret in the credential store.

The key and secret go to the system's credential store (``keyring``). Where there is
none, they go into a file in the data folder that only its owner may read
(``services/secret_store.py``), and ``secret_store`` says so, so the settings can tell the manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from salon_desk import paths
from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import AppMeta
from salon_desk.services.staff import audit
from salon_desk.services.staff.audit import Action, Entity
from salon_desk.services.common import Service, store_meta
from salon_desk.services.secret_store import backend, keyring_works, read_json, write_private_json
from salon_desk.services.fiscal.fiskaly import DEFAULT_BASE_URL, FiskalyConfig, FiskalyTse
from salon_desk.services.permissions import Permission
from salon_desk.services.checkout.tse import NoTse, TseAdapter, TseError

KEYRING_SERVICE = "Salon Desk TSE"
KEYS = ("tse_base_url", "tse_tss_id", "tse_client_id")
FILE_NAME = "tse-credentials.json"


@dataclass(frozen=True)
class TseSettings:
    """What the TSE settings page shows and saves; an empty key or secret keeps the stored one."""

    base_url: str = DEFAULT_BASE_URL
    tss_id: str = ""
    client_id: str = ""
    api_key: str = ""
    api_secret: str = ""


def _file() -> Path:
    return paths.home_dir() / FILE_NAME


def secret_store() -> str:
    """'keyring' when the system's credential store is used, else 'file'."""
    return backend()


def store_credentials(tss_id: str, api_key: str, api_secret: str) -> None:
    """Keep the key and secret: the credential store, or an owner-only file."""
    if keyring_works():
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{tss_id}:key", api_key)
        keyring.set_password(KEYRING_SERVICE, f"{tss_id}:secret", api_secret)
        return
    write_private_json(_file(), {"tss_id": tss_id, "api_key": api_key, "api_secret": api_secret})


def load_credentials(tss_id: str) -> tuple[str, str]:
    """The stored key and secret for ``tss_id`` ('' when none)."""
    if keyring_works():
        import keyring

        key = keyring.get_password(KEYRING_SERVICE, f"{tss_id}:key") or ""
        return key, keyring.get_password(KEYRING_SERVICE, f"{tss_id}:secret") or ""
    data = read_json(_file())
    if data.get("tss_id") != tss_id:
        return "", ""
    return data.get("api_key", ""), data.get("api_secret", "")


class TseSettingsService(Service):
    """Load and save the TSE settings, and build the adapter the checkout signs with."""

    def load(self) -> TseSettings:
        """The stored settings, without the key and secret."""
        with self.db.read() as session:
            stored = dict(session.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(KEYS))).all())
        return TseSettings(
            base_url=stored.get("tse_base_url") or DEFAULT_BASE_URL,
            tss_id=stored.get("tse_tss_id", ""),
            client_id=stored.get("tse_client_id", ""),
        )

    def save(self, settings: TseSettings) -> None:
        """Store the settings; the key and secret go to the credential store."""
        self.require(Permission.EDIT_SETTINGS)
        clean = _validated(settings)
        key, secret = settings.api_key.strip(), settings.api_secret.strip()
        if not (key and secret):
            key, secret = load_credentials(clean.tss_id)
            if clean.tss_id and not (key and secret):
                raise ValidationError(_("Please enter the API key and secret of the TSE."), "api_key")
        values = dict(zip(KEYS, (clean.base_url, clean.tss_id, clean.client_id), strict=True))
        with self.transaction(_("The TSE settings")) as session:
            store_meta(session, values)
            audit.record(session, self.actor, Action.SETTING, Entity.SETTING, None, after=values)
        if clean.tss_id:
            store_credentials(clean.tss_id, key, secret)

    def adapter(self, transport: object | None = None) -> TseAdapter:
        """The TSE the checkout signs with: fiskaly when set up, else none."""
        settings = self.load()
        if not settings.tss_id:
            return NoTse()
        key, secret = load_credentials(settings.tss_id)
        config = FiskalyConfig(key, secret, settings.tss_id, settings.client_id, base_url=settings.base_url)
        return FiskalyTse(config, transport)  # type: ignore[arg-type]

    def test_connection(self) -> str:
        """Set the TSE up once: the TSS serial number, or a ValidationError with the TSE's answer.

        The TSS's public key and certificate are kept for the DSFinV-K export's tse.csv.
        """
        self.require(Permission.EDIT_SETTINGS)
        device = self.adapter()
        if not isinstance(device, FiskalyTse):
            raise ValidationError(_("No TSE is set up yet."), "tss_id")
        try:
            details = device.set_up()
        except TseError as exc:
            raise ValidationError(_("The TSE did not answer as expected: {error}").format(error=exc), "tss_id") from exc
        finally:
            device.close()
        with self.transaction(_("The TSE settings")) as session:
            store_meta(session, {"tse_public_key": details.public_key, "tse_certificate": details.certificate})
        return details.serial


def _validated(settings: TseSettings) -> TseSettings:
    base_url = settings.base_url.strip() or DEFAULT_BASE_URL
    if not base_url.startswith(("https://", "http://")):
        raise ValidationError(_("The address must start with https://."), "base_url")
    tss_id, client_id = settings.tss_id.strip(), settings.client_id.strip()
    if tss_id and not client_id:
        raise ValidationError(_("Please enter the client ID of this till."), "client_id")
    return TseSettings(base_url, tss_id, client_id)
