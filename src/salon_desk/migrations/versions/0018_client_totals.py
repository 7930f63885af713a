"""client_totals: the number of clients, kept by triggers (the whole list's count without reading an index)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER clients_total_ai AFTER INSERT ON clients BEGIN
        UPDATE client_totals SET clients = clients + 1 WHERE id = 1;
    END""",
    """CREATE TRIGGER clients_total_ad AFTER DELETE ON clients BEGIN
        UPDATE client_totals SET clients = clients - 1 WHERE id = 1;
    END""",
)
# PostgreSQL: once per statement, with the statement's rows counted (a bulk import adds
# 20,000 clients in one UPDATE of the total).
POSTGRESQL_FUNCTION = """
CREATE FUNCTION client_totals_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE client_totals SET clients = clients + (SELECT count(*) FROM new_rows) WHERE id = 1;
    ELSE
        UPDATE client_totals SET clients = clients - (SELECT count(*) FROM old_rows) WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$
"""
POSTGRESQL_TRIGGERS = (
    """CREATE TRIGGER clients_total_ai AFTER INSERT ON clients
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_totals_count()""",
    """CREATE TRIGGER clients_total_ad AFTER DELETE ON clients
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION client_totals_count()""",
)


def upgrade() -> None:
    op.create_table(
        "client_totals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_totals")),
    )
    op.execute("INSERT INTO client_totals (id, clients) SELECT 1, count(*) FROM clients")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
    else:
        op.execute(POSTGRESQL_FUNCTION)
        for trigger in POSTGRESQL_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name in ("clients_total_ai", "clients_total_ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else " ON clients"))
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS client_totals_count()")
    op.drop_table("client_totals")
