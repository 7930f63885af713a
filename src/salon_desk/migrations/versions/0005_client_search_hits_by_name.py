"""client search hits sorted by name from an index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 12:10:00.000000

A search that finds many clients sorts its hits by name: reading each hit's
``sort_name`` from this index on (id, sort_name) instead of the table row halves that
(85 instead of 180 ms for the 205,000 clients "sch" finds among 1,000,000 on SQLite).
"""

from __future__ import annotations

from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index("ix_clients_id_sort_name", ["id", "sort_name"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index("ix_clients_id_sort_name")
