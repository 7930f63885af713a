"""client list sorts by phone and email

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:34:24.792616
"""

from __future__ import annotations

from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index("ix_clients_email_id", ["email", "id"], unique=False)
        batch_op.create_index("ix_clients_phone_id", ["phone", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index("ix_clients_phone_id")
        batch_op.drop_index("ix_clients_email_id")
