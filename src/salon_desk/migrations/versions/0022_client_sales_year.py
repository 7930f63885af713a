"""client_sales_year: each client's visits and revenue in the last year, kept by triggers on sales

A segment on the sales of the last year grouped every sale of the period per client (about
1.2 s for 5,000,000 sales). This table holds the result per client; ``sales_year_window``
says which year it counts. The application counts the year when a day begins
(``services/clients/sales_year.py``); between, the triggers add each new sale of a client
and take back a reversed sale of the window. Until the first count the window is empty and
the triggers do nothing.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_SINCE = "(SELECT since FROM sales_year_window WHERE id = 1)"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER sales_year_ai AFTER INSERT ON sales
        WHEN new.client_id IS NOT NULL AND new.reverses_sale_id IS NULL AND new.completed_at >= {_SINCE} BEGIN
        INSERT INTO client_sales_year (client_id, visits, revenue) VALUES (new.client_id, 1, new.total_gross)
            ON CONFLICT (client_id) DO UPDATE SET visits = visits + 1, revenue = revenue + excluded.revenue;
    END""",
    f"""CREATE TRIGGER sales_year_reversal_ai AFTER INSERT ON sales
        WHEN new.reverses_sale_id IS NOT NULL BEGIN
        UPDATE client_sales_year
            SET visits = visits - 1, revenue = revenue - (SELECT o.total_gross FROM sales AS o WHERE o.id = new.reverses_sale_id)
            WHERE client_id = (SELECT o.client_id FROM sales AS o
                               WHERE o.id = new.reverses_sale_id AND o.completed_at >= {_SINCE});
    END""",
)

# PostgreSQL: the window's row is read FOR SHARE, so a sale waits while the year is counted anew
# (which holds that row's lock) and is then added to the new count.
POSTGRESQL_FUNCTION = """
CREATE FUNCTION client_sales_year_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    window_start timestamptz;
    original sales%ROWTYPE;
BEGIN
    SELECT w.since INTO window_start FROM sales_year_window AS w WHERE w.id = 1 FOR SHARE;
    IF window_start IS NULL THEN
        RETURN NULL;
    END IF;
    IF NEW.reverses_sale_id IS NULL THEN
        IF NEW.client_id IS NOT NULL AND NEW.completed_at >= window_start THEN
            INSERT INTO client_sales_year AS y (client_id, visits, revenue) VALUES (NEW.client_id, 1, NEW.total_gross)
                ON CONFLICT (client_id) DO UPDATE SET visits = y.visits + 1, revenue = y.revenue + EXCLUDED.revenue;
        END IF;
    ELSE
        SELECT * INTO original FROM sales AS o WHERE o.id = NEW.reverses_sale_id;
        IF original.client_id IS NOT NULL AND original.completed_at >= window_start THEN
            UPDATE client_sales_year SET visits = visits - 1, revenue = revenue - original.total_gross
                WHERE client_id = original.client_id;
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""
POSTGRESQL_TRIGGER = """CREATE TRIGGER sales_year_ai AFTER INSERT ON sales
    FOR EACH ROW EXECUTE FUNCTION client_sales_year_keep()"""


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "client_sales_year",
        sa.Column("client_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_sales_year")),
    )
    op.create_table(
        "sales_year_window",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_year_window")),
    )
    op.execute("INSERT INTO sales_year_window (id, day, since) VALUES (1, NULL, NULL)")
    if sqlite:
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
    else:
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS sales_year_ai")
        op.execute("DROP TRIGGER IF EXISTS sales_year_reversal_ai")
    else:
        op.execute("DROP TRIGGER IF EXISTS sales_year_ai ON sales")
        op.execute("DROP FUNCTION IF EXISTS client_sales_year_keep()")
    op.drop_table("sales_year_window")
    op.drop_table("client_sales_year")
