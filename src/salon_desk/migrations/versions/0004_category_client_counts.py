"""category client counts kept by triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 11:50:00.000000

``categories.client_count`` is the number of memberships of the category, kept by
triggers on ``client_categories`` so that every writer keeps it exact: the ORM, the
set-based INSERT … SELECT of "assign uncategorised", foreign-key cascades when a client
or a category is deleted, and the benchmark generator's executemany. The categories page
reads the column instead of counting 1.35 million memberships on every visit.

The triggers update the column directly, past the ORM: ``version`` and ``updated_at``
stay as they are, so an editor opened before a membership change still saves.

SQLite: row triggers. PostgreSQL: statement triggers with transition tables, one
UPDATE per statement and category however many rows it wrote (row triggers would
update one category row a million times in one transaction). The category rows a
statement touches stay locked until its transaction ends, so concurrent membership
writes to the same category wait for each other.

A later migration that recreates ``client_categories`` or ``categories`` in batch mode
on SQLite must drop these triggers first and create them again afterwards
(``drop_count_triggers`` / ``create_count_triggers`` below show how), and mind that
dropping ``categories`` with foreign keys on deletes every membership by cascade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER client_categories_count_ai AFTER INSERT ON client_categories BEGIN
        UPDATE categories SET client_count = client_count + 1 WHERE id = new.category_id;
    END""",
    """CREATE TRIGGER client_categories_count_ad AFTER DELETE ON client_categories BEGIN
        UPDATE categories SET client_count = client_count - 1 WHERE id = old.category_id;
    END""",
    """CREATE TRIGGER client_categories_count_au AFTER UPDATE OF category_id ON client_categories
        WHEN old.category_id IS NOT new.category_id BEGIN
        UPDATE categories SET client_count = client_count - 1 WHERE id = old.category_id;
        UPDATE categories SET client_count = client_count + 1 WHERE id = new.category_id;
    END""",
)
SQLITE_TRIGGER_NAMES = ("client_categories_count_ai", "client_categories_count_ad", "client_categories_count_au")

# One function for the three statement triggers: it adds up the statement's rows per
# category (+1 for a new row, -1 for an old one) and updates each category once, in id
# order, so that two statements touching the same categories cannot deadlock each other.
# An UPDATE that leaves category_id alone sums to zero and writes nothing.
POSTGRESQL_FUNCTION = """
CREATE FUNCTION category_client_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids integer[];
    deltas bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(category_id ORDER BY category_id), array_agg(n ORDER BY category_id) INTO ids, deltas
        FROM (SELECT category_id, count(*) AS n FROM new_rows GROUP BY category_id) AS added;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(category_id ORDER BY category_id), array_agg(-n ORDER BY category_id) INTO ids, deltas
        FROM (SELECT category_id, count(*) AS n FROM old_rows GROUP BY category_id) AS removed;
    ELSE
        SELECT array_agg(category_id ORDER BY category_id), array_agg(n ORDER BY category_id) INTO ids, deltas
        FROM (
            SELECT category_id, sum(delta) AS n FROM (
                SELECT category_id, 1 AS delta FROM new_rows
                UNION ALL
                SELECT category_id, -1 FROM old_rows
            ) AS changed GROUP BY category_id HAVING sum(delta) <> 0
        ) AS moved;
    END IF;
    FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
        UPDATE categories SET client_count = client_count + deltas[i] WHERE id = ids[i];
    END LOOP;
    RETURN NULL;
END
$$
"""
POSTGRESQL_TRIGGERS = (
    """CREATE TRIGGER client_categories_count_ai AFTER INSERT ON client_categories
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION category_client_counts()""",
    """CREATE TRIGGER client_categories_count_ad AFTER DELETE ON client_categories
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION category_client_counts()""",
    # Transition tables do not go with a column list (UPDATE OF category_id): every UPDATE
    # statement fires, and one that moves no membership changes no count.
    """CREATE TRIGGER client_categories_count_au AFTER UPDATE ON client_categories
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION category_client_counts()""",
)

COUNT_EXISTING = """UPDATE categories SET client_count = (
    SELECT count(*) FROM client_categories WHERE client_categories.category_id = categories.id
)"""


def create_count_triggers() -> None:
    """The triggers that keep categories.client_count, for this database's dialect."""
    if op.get_bind().dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
    else:
        op.execute(POSTGRESQL_FUNCTION)
        for trigger in POSTGRESQL_TRIGGERS:
            op.execute(trigger)


def drop_count_triggers() -> None:
    """Remove what ``create_count_triggers`` made."""
    for name in SQLITE_TRIGGER_NAMES:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON client_categories")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS category_client_counts()")


def upgrade() -> None:
    # Plain ALTER TABLE, not batch mode: recreating categories on SQLite would drop the
    # old table, and with foreign keys on that cascades to every membership.
    op.add_column("categories", sa.Column("client_count", sa.Integer(), server_default="0", nullable=False))
    op.execute(COUNT_EXISTING)
    create_count_triggers()


def downgrade() -> None:
    drop_count_triggers()
    op.drop_column("categories", "client_count")  # SQLite 3.35 and later drop a column in place
