"""PostgreSQL: a GIN index on the other search words (after the lead words), for first pages of name searches

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 22:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The search text is "<lead words> | <other words>" (salon_desk.textindex); SQLite's FTS5 index keeps
# the two parts in columns of their own since 0006. This is PostgreSQL's index of the second part.
OTHER_WORDS = "to_tsvector('simple', split_part(search_text, '|', 2))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_clients_search_other ON clients USING gin ({OTHER_WORDS})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_clients_search_other")
