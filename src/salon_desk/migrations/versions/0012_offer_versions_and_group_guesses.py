"""special offers carry a version; wrong group passwords are counted per group too

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
    op.create_table(
        "group_password_guesses",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["customer_groups.id"], name=op.f("fk_group_password_guesses_group_id_customer_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_group_password_guesses")),
    )


def downgrade() -> None:
    op.drop_table("group_password_guesses")
    with op.batch_alter_table("special_offers", schema=None) as batch_op:
        batch_op.drop_column("version")
