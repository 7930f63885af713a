"""special offers carry a version: a stale save is refused like every other record

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("special_offers", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("special_offers", schema=None) as batch_op:
        batch_op.drop_column("version")
