"""A PostgreSQL password is kept in the credential store (or an owner-only file), never in settings.json."""

from __future__ import annotations

import json
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend

from salon_desk import db as dbmod
from salon_desk.services import secret_store
from salon_desk.settings import Settings

URL = "postgresql+psycopg://salon:geh%C3%A9im@db.example:5432/salondesk"


class MemoryKeyring(KeyringBackend):
    """A credential store in memory, standing in for the system's."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SALON_DESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SALON_DESK_DATABASE_URL", raising=False)
    (tmp_path / "home").mkdir()


def test_with_a_credential_store_the_password_goes_there(monkeypatch):
    store = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(store)
    try:
        Settings(database_url=URL).save()
        written = Settings.path().read_text(encoding="utf-8")
        assert "geh" not in written and "salon@db.example:5432/salondesk" in written
        assert list(store.secrets.values()) == ["gehéim"]
        assert dbmod.default_url() == URL  # the app connects with the password put back
    finally:
        keyring.set_keyring(previous)


def test_without_a_store_it_goes_to_a_file_only_the_owner_reads(monkeypatch):
    monkeypatch.setattr(secret_store, "keyring_works", lambda: False)
    Settings(database_url=URL).save()
    assert "geh" not in Settings.path().read_text(encoding="utf-8")
    kept = Settings.path().parent / "database-passwords.json"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "gehéim" in json.loads(kept.read_text(encoding="utf-8")).values()
    assert dbmod.default_url() == URL


def test_a_password_left_in_an_older_settings_file_is_moved_out_on_reading(monkeypatch):
    monkeypatch.setattr(secret_store, "keyring_works", lambda: False)
    Settings.path().write_text(json.dumps({"database_url": URL}), encoding="utf-8")
    assert Settings.load().database_url == "postgresql+psycopg://salon@db.example:5432/salondesk"
    assert "geh" not in Settings.path().read_text(encoding="utf-8")
    assert dbmod.default_url() == URL


def test_addresses_without_a_password_and_sqlite_stay_as_they_are(monkeypatch):
    monkeypatch.setattr(secret_store, "keyring_works", lambda: False)
    for url in ("postgresql+psycopg://salon@db/salondesk", "sqlite:////tmp/x.sqlite3", "not a url"):
        Settings(database_url=url).save()
        assert Settings.load().database_url == url
        assert dbmod.default_url() == url
