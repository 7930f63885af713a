"""The run log names the clients of a set-based line in a table of pairs

A bulk change to 100,000 clients with five rules wrote 500,000 run-log lines, each with
its texts and three index entries. A set-based run now writes one line per action and
outcome, and its clients once as (line, client) pairs, which ``client_set`` of every line
acting on them names. The lines written before stay as they are: one per client.

Also the statistics of the two indexes migration 0019 made anew, where SQLite keeps
statistics: without them its planner sorted the clients of a group by the (group,
creation date) index.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from salon_desk.migrations.statistics import analyze

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("automation_runs", sa.Column("client_set", sa.Integer(), nullable=True))
    op.create_table(
        "automation_run_clients",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_automation_run_clients_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["automation_runs.id"], name=op.f("fk_automation_run_clients_run_id_automation_runs"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("run_id", "client_id", name=op.f("pk_automation_run_clients")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_automation_run_clients_client_id"), "automation_run_clients", ["client_id"], unique=False
    )
    analyze("ix_clients_group_created", "ix_automation_runs_outcome")


def downgrade() -> None:
    # the set-based lines become one line per client again
    op.execute(
        "INSERT INTO automation_runs (at, rule_id, rule_name, client_id, event, action, outcome, detail)"
        " SELECT r.at, r.rule_id, r.rule_name, p.client_id, r.event, r.action, r.outcome, r.detail"
        " FROM automation_runs r JOIN automation_run_clients p ON p.run_id = r.client_set ORDER BY r.id, p.client_id"
    )
    op.drop_index(op.f("ix_automation_run_clients_client_id"), table_name="automation_run_clients")
    op.drop_table("automation_run_clients")
    op.execute("DELETE FROM automation_runs WHERE client_set IS NOT NULL")
    op.drop_column("automation_runs", "client_set")
