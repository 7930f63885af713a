"""client search with the lead words indexed apart

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 14:00:00.000000

``clients.search_text`` becomes "<lead words> | <other words>", with letters and
digits as separate words (see ``salon_desk.textindex``), and is derived anew for every
client. On SQLite the FTS5 index then holds the two parts as two columns, so the client
list can ask for the clients a word finds other than by their last name: a search such
as "sch" (205,000 of 1,000,000 clients) shows its first page from the range of sort
names starting with "sch" plus those few, instead of sorting every hit by name.

The index also gets prefix tables for 4 and 5 characters (phone numbers: "0151" has
as many different completions as there are such numbers) and keeps only the column of
each hit, not its word positions (no phrase search is offered).
"""

from __future__ import annotations

from collections.abc import Iterator

from alembic import op
from sqlalchemy import Connection, text

from salon_desk.textindex import client_search_text, sqlite_search_columns

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 5000
CREATE_INDEX = (
    "CREATE VIRTUAL TABLE client_search USING fts5(lead_words, other_words, content='', "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5', detail=column)"
)
_ADD = "INSERT INTO client_search(rowid, lead_words, other_words) VALUES (new.id, {}, {});".format(
    *sqlite_search_columns("new")
)
_REMOVE = (
    "INSERT INTO client_search(client_search, rowid, lead_words, other_words) VALUES ('delete', old.id, {}, {});"
).format(*sqlite_search_columns("old"))
TRIGGERS = (
    f"CREATE TRIGGER clients_search_ai AFTER INSERT ON clients BEGIN {_ADD} END",
    f"CREATE TRIGGER clients_search_ad AFTER DELETE ON clients BEGIN {_REMOVE} END",
    f"CREATE TRIGGER clients_search_au AFTER UPDATE OF search_text ON clients BEGIN {_REMOVE} {_ADD} END",
)
FILL = "INSERT INTO client_search(rowid, lead_words, other_words) SELECT id, {}, {} FROM clients".format(
    *sqlite_search_columns("clients")
)
TRIGGER_NAMES = ("clients_search_ai", "clients_search_ad", "clients_search_au")


def _drop_index() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS client_search")


def _batches(connection: Connection) -> Iterator[list[dict[str, object]]]:
    """New search texts for every client, a batch at a time, by id."""
    last = 0
    select = text(
        "SELECT id, first_name, last_name, phone, email FROM clients WHERE id > :last ORDER BY id LIMIT :batch"
    )
    while True:
        rows = connection.execute(select, {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        yield [{"id": row[0], "search_text": client_search_text(row[1], row[2], row[3], row[4])} for row in rows]
        last = rows[-1][0]


def upgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _drop_index()  # rebuilt once below instead of row by row
    update = text("UPDATE clients SET search_text = :search_text WHERE id = :id")
    for batch in _batches(connection):
        connection.execute(update, batch)
    if sqlite:
        op.execute(CREATE_INDEX)
        op.execute(FILL)
        for trigger in TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    """Back to the index of revision 0001 over the whole search text (the lead mark is no word)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_index()
    op.execute(
        "CREATE VIRTUAL TABLE client_search USING fts5(search_text, content='clients', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
    )
    op.execute("INSERT INTO client_search(client_search) VALUES ('rebuild')")
    add = "INSERT INTO client_search(rowid, search_text) VALUES (new.id, new.search_text);"
    remove = "INSERT INTO client_search(client_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    op.execute(f"CREATE TRIGGER clients_search_ai AFTER INSERT ON clients BEGIN {add} END")
    op.execute(f"CREATE TRIGGER clients_search_ad AFTER DELETE ON clients BEGIN {remove} END")
    op.execute(f"CREATE TRIGGER clients_search_au AFTER UPDATE OF search_text ON clients BEGIN {remove} {add} END")
