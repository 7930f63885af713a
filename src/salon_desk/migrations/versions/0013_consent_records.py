"""consent records per channel; clients gain the §7(3) UWG flag, unsubscribe and failing-address marks

Today's consent flags become records with source "migration", dated when the consent was
given (or now, where that was not kept); imported consents keep their own date and wording.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch operation would copy the clients table on SQLite and lose its search triggers.
    op.add_column("clients", sa.Column("email_existing_customer", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("clients", sa.Column("email_unsubscribed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("clients", sa.Column("email_failing_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_consent_records_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    op.create_index("ix_consent_records_client", "consent_records", ["client_id", "recorded_at", "id"])
    _records_from_flags()


def _records_from_flags() -> None:
    """One "migration" record per consent flag that is set today (imports keep their wording)."""
    for channel in ("email", "sms", "phone"):
        op.execute(
            sa.text(
                "INSERT INTO consent_records"
                " (client_id, channel, granted, kind, source, wording, recorded_by, recorded_at)"
                " SELECT c.id, :channel, :yes, 'consent',"
                " CASE WHEN i.id IS NULL THEN 'migration' ELSE 'import' END,"
                " COALESCE(i.wording, ''), '',"
                f" COALESCE(i.given_at, c.{channel}_consent_at, CURRENT_TIMESTAMP)"
                " FROM clients c"
                " LEFT JOIN imported_consents i ON i.id = ("
                "   SELECT MAX(x.id) FROM imported_consents x WHERE x.client_id = c.id AND x.channel = :channel)"
                f" WHERE c.{channel}_consent = :yes"
            ).bindparams(channel=channel, yes=True)
        )


def downgrade() -> None:
    op.drop_index("ix_consent_records_client", table_name="consent_records")
    op.drop_table("consent_records")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("email_failing_at")
        batch_op.drop_column("email_unsubscribed_at")
        batch_op.drop_column("email_existing_customer")

