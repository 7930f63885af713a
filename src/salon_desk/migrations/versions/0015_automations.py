"""automation rules, their run log, and the marks of the daily runs

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 10:00:00.000000

``automation_rules`` keeps the rules (event, filter and actions as JSON); ``automation_runs``
is the run log; ``automation_days`` holds one row per day whose daily events ran, so that
of several desks only the first runs them (its primary key refuses the second).
The shipped templates are created at first start, in the UI language, like the template
categories.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "automation_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("event_param", sa.Integer(), nullable=True),
        sa.Column("filter", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("template", sa.String(length=30), nullable=True),
        sa.Column("needs", sa.String(length=30), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automation_rules")),
    )
    op.create_table(
        "automation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("rule_name", sa.String(length=80), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["automation_rules.id"],
            name=op.f("fk_automation_runs_rule_id_automation_rules"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_automation_runs_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automation_runs")),
    )
    op.create_index("ix_automation_runs_rule", "automation_runs", ["rule_id", "id"])
    op.create_index("ix_automation_runs_outcome", "automation_runs", ["outcome", "id"])
    op.create_index(op.f("ix_automation_runs_client_id"), "automation_runs", ["client_id"])
    op.create_table(
        "automation_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_automation_days")),
    )


def downgrade() -> None:
    op.drop_table("automation_days")
    op.drop_index(op.f("ix_automation_runs_client_id"), table_name="automation_runs")
    op.drop_index("ix_automation_runs_outcome", table_name="automation_runs")
    op.drop_index("ix_automation_runs_rule", table_name="automation_runs")
    op.drop_table("automation_runs")
    op.drop_table("automation_rules")
