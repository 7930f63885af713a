"""saved segments, tasks, and phone consent on clients

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 12:00:00.000000

``segments`` keeps named client filters (their conditions as JSON); ``tasks`` keeps
to-dos about clients for staff members, the call lists among them. A call list for
advertising leaves out clients without phone consent (UWG §7), so clients get
``phone_consent`` beside the email and SMS consents.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=60), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segments")),
        sa.UniqueConstraint("name_key", name=op.f("uq_segments_name_key")),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_tasks_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"], name=op.f("fk_tasks_staff_id_staff_members"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index("ix_tasks_client_id", "tasks", ["client_id"], unique=False)
    op.create_index("ix_tasks_open_due", "tasks", ["done_at", "due_on", "id"], unique=False)
    op.create_index("ix_tasks_staff_due", "tasks", ["staff_id", "due_on"], unique=False)
    # A plain ADD COLUMN: no batch copy of a million-row clients table on SQLite.
    op.add_column("clients", sa.Column("phone_consent", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("clients", sa.Column("phone_consent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("phone_consent_at")
        batch_op.drop_column("phone_consent")
    op.drop_index("ix_tasks_staff_due", table_name="tasks")
    op.drop_index("ix_tasks_open_due", table_name="tasks")
    op.drop_index("ix_tasks_client_id", table_name="tasks")
    op.drop_table("tasks")
    op.drop_table("segments")
