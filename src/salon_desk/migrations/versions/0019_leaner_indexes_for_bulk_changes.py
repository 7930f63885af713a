"""Leaner indexes for bulk changes: grouped clients only, one category index, the rare run-log outcomes only

Moving 100,000 clients into a group wrote two entries per client into
ix_clients_group_created; each new membership wrote ix_client_categories_category_id,
whose column ix_client_categories_category_assigned already leads; each "done" line of
the run log (nearly all of them, 100,000 per rule on a bulk change) wrote
ix_automation_runs_outcome, which only the filter by another outcome needs.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_GROUPED = sa.text("group_id IS NOT NULL")
_NOT_DONE = sa.text("outcome <> 'done'")


def upgrade() -> None:
    # the statistics count new clients per group (group_id IN (...)), never those without one
    op.drop_index("ix_clients_group_created", table_name="clients")
    op.create_index(
        "ix_clients_group_created", "clients", ["group_id", "created_at"], unique=False,
        sqlite_where=_GROUPED, postgresql_where=_GROUPED,
    )  # fmt: skip
    op.drop_index("ix_client_categories_category_id", table_name="client_categories")
    op.drop_index("ix_automation_runs_outcome", table_name="automation_runs")
    op.create_index(
        "ix_automation_runs_outcome", "automation_runs", ["outcome", "id"], unique=False,
        sqlite_where=_NOT_DONE, postgresql_where=_NOT_DONE,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_automation_runs_outcome", table_name="automation_runs")
    op.create_index("ix_automation_runs_outcome", "automation_runs", ["outcome", "id"], unique=False)
    op.create_index("ix_client_categories_category_id", "client_categories", ["category_id"], unique=False)
    op.drop_index("ix_clients_group_created", table_name="clients")
    op.create_index("ix_clients_group_created", "clients", ["group_id", "created_at"], unique=False)
