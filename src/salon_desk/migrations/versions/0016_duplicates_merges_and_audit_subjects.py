"""clients gain phone_digits and email_key columns (duplicates by phone or email, indexed); merged cards are
kept in client_merges; audit entries keep the name of their record as it was then

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from salon_desk.textindex import phone_key

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: a batch copy of the table would drop the search index's triggers.
    op.add_column("clients", sa.Column("phone_digits", sa.String(length=40), nullable=False, server_default=""))
    op.add_column("clients", sa.Column("email_key", sa.String(length=254), nullable=False, server_default=""))
    fill_phone_digits(op.get_bind())
    op.execute("UPDATE clients SET email_key = lower(email) WHERE email <> ''")
    op.create_index("ix_clients_phone_digits", "clients", ["phone_digits"])
    op.create_index("ix_clients_email_key", "clients", ["email_key"])
    op.create_table(
        "client_merges",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_merges_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["clients.id"], name=op.f("fk_client_merges_merged_into_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_merges")),
    )
    op.create_index("ix_client_merges_into", "client_merges", ["merged_into_id"])
    op.add_column("audit_log", sa.Column("subject", sa.String(length=201), nullable=False, server_default=""))


def fill_phone_digits(connection: sa.Connection) -> None:
    """Every stored phone number in its one form, a batch of rows at a time (by id)."""
    select = sa.text("SELECT id, phone FROM clients WHERE phone <> '' AND id > :after ORDER BY id LIMIT :n")
    update = sa.text("UPDATE clients SET phone_digits = :digits WHERE id = :id")
    after = 0
    while True:
        rows = connection.execute(select, {"after": after, "n": BATCH}).all()
        if not rows:
            return
        values = [{"id": row[0], "digits": phone_key(row[1])} for row in rows]
        values = [v for v in values if v["digits"]]
        if values:
            connection.execute(update, values)
        after = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("subject")
    op.drop_index("ix_client_merges_into", table_name="client_merges")
    op.drop_table("client_merges")
    op.drop_index("ix_clients_email_key", table_name="clients")
    op.drop_index("ix_clients_phone_digits", table_name="clients")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("email_key")
        batch_op.drop_column("phone_digits")
