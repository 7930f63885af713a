"""Migration 0013 turns today's consent flags into consent records (DESIGN §7 "Consent records")."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from salon_desk.db import Database


def test_consent_flags_become_records_dated_when_given(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = database._alembic_config()
    command.upgrade(config, "0012")
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clients (id, first_name, last_name, phone, email, street, postal_code, city,"
                " notes, email_consent, email_consent_at, sms_consent, phone_consent, search_text, sort_name,"
                " category_label, version, created_at, updated_at)"
                " VALUES (1, 'Anna', 'Ötzi', '0171', 'a@example.org', '', '', '', '', 1,"
                " '2025-03-01 10:00:00', 0, 1, '', '', '', 1, '2025-01-01', '2025-01-01'),"
                " (2, 'Bernd', 'Bär', '', '', '', '', '', '', 0, NULL, 0, 0, '', '', '', 1,"
                " '2025-01-01', '2025-01-01')"
            )
        )
    command.upgrade(config, "0013")
    with database.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT client_id, channel, granted, kind, source, recorded_at FROM consent_records ORDER BY channel")
        ).all()
    database.dispose()
    assert [(r.client_id, r.channel, bool(r.granted), r.kind, r.source) for r in rows] == [
        (1, "email", True, "consent", "migration"),
        (1, "phone", True, "consent", "migration"),
    ]
    assert str(rows[0].recorded_at).startswith("2025-03-01 10:00:00")
