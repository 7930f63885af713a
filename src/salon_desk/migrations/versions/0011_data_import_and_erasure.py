"""client imports, their consents, and erased clients

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 12:00:00.000000

``import_runs`` records each client import (file, counts, who); ``imported_consents``
keeps the consents an import file stated, with their date and the source "import";
``client_erasures`` marks clients whose personal data was erased (GDPR Art. 17) while
their sales stay for the legal retention.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "imported_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_imported_consents_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_runs.id"],
            name=op.f("fk_imported_consents_import_run_id_import_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_consents")),
    )
    op.create_index(op.f("ix_imported_consents_client_id"), "imported_consents", ["client_id"], unique=False)
    op.create_index(op.f("ix_imported_consents_import_run_id"), "imported_consents", ["import_run_id"], unique=False)
    op.create_table(
        "client_erasures",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_erasures_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_erasures")),
    )


def downgrade() -> None:
    op.drop_table("client_erasures")
    op.drop_index(op.f("ix_imported_consents_import_run_id"), table_name="imported_consents")
    op.drop_index(op.f("ix_imported_consents_client_id"), table_name="imported_consents")
    op.drop_table("imported_consents")
    op.drop_table("import_runs")
