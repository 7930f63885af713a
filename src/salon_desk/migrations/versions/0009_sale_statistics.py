"""statistics per category and group: each sale's categories and group, totals per day

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 12:00:00.000000

Each sale keeps the categories and the customer group its client had when it was
sold (``sale_snapshots``, ``sale_categories``), and running totals are kept per day,
category and group (``stat_days``) with the clients who bought something per month
and year (``stat_visitors``, ``stat_periods``).

Older sales did not record that: they are filled in here from the client's current
group and current (unexpired) categories, marked ``backfilled``, and the time and
number are kept in ``app_meta`` (``statistics_backfilled_at``,
``statistics_backfilled_sales``) so that the statistics page can say so. Their day
is the day of ``completed_at`` in the time zone of the machine that migrates (SQLite)
or of the server's session (PostgreSQL). A category discount of an older sale is
taken from its lines. Then the totals are built from the snapshots.

Two indexes serve the members and new clients of a range: clients by (group_id,
created_at) and by created_at, memberships by (category_id, assigned_at).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SOLD_ON = {
    "sqlite": "date(s.completed_at, 'localtime')",
    "postgresql": "CAST(s.completed_at AS DATE)",
}


def upgrade() -> None:
    _create_tables()
    op.create_index("ix_clients_created_at", "clients", ["created_at"], unique=False)
    op.create_index("ix_clients_group_created", "clients", ["group_id", "created_at"], unique=False)
    op.create_index(
        "ix_client_categories_category_assigned", "client_categories", ["category_id", "assigned_at"], unique=False
    )
    _backfill()


def _money(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def _period_keys() -> list[sa.Column]:
    return [
        sa.Column("period_kind", sa.String(length=1), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("dim_kind", sa.String(length=1), nullable=False),
        sa.Column("dim_id", sa.Integer(), nullable=False),
    ]


def _create_tables() -> None:
    op.create_table(
        "sale_snapshots",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("sold_on", sa.Date(), nullable=False),
        sa.Column("sign", sa.SmallInteger(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("group_name", sa.String(length=60), nullable=False),
        sa.Column("backfilled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_sale_snapshots_sale_id_sales")),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale_snapshots")),
    )
    op.create_index(
        "ix_sale_snapshots_day_client", "sale_snapshots", ["sold_on", "client_id", "group_id", "sign"], unique=False
    )
    op.create_table(
        "sale_categories",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        _money("discount"),
        sa.Column("sold_on", sa.Date(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("sign", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_sale_categories_sale_id_sales")),
        sa.PrimaryKeyConstraint("sale_id", "category_id", name=op.f("pk_sale_categories")),
    )
    op.create_index(
        "ix_sale_categories_day", "sale_categories", ["sold_on", "category_id", "client_id", "sign"], unique=False
    )
    op.create_table(
        "stat_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dim_kind", sa.String(length=1), nullable=False),
        sa.Column("dim_id", sa.Integer(), nullable=False),
        sa.Column("sales", sa.Integer(), nullable=False),
        _money("gross"),
        _money("net"),
        _money("discount"),
        _money("category_discount"),
        sa.PrimaryKeyConstraint("day", "dim_kind", "dim_id", name=op.f("pk_stat_days")),
    )
    op.create_table(
        "stat_visitors",
        *_period_keys(),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("sales", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "period_kind", "period", "dim_kind", "dim_id", "client_id", name=op.f("pk_stat_visitors")
        ),
    )
    op.create_table(
        "stat_periods",
        *_period_keys(),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period_kind", "period", "dim_kind", "dim_id", name=op.f("pk_stat_periods")),
    )


def _backfill() -> None:
    connection = op.get_bind()
    sold_on = _SOLD_ON[connection.dialect.name]
    # A cancellation takes the day, client and group of the sale it reverses.
    connection.execute(
        text(
            f"""INSERT INTO sale_snapshots (sale_id, sold_on, sign, client_id, group_id, group_name, backfilled)
            SELECT r.id, {sold_on}, CASE WHEN r.reverses_sale_id IS NULL THEN 1 ELSE -1 END,
                   s.client_id, c.group_id, COALESCE(g.name, ''), :yes
            FROM sales r
            JOIN sales s ON s.id = COALESCE(r.reverses_sale_id, r.id)
            LEFT JOIN clients c ON c.id = s.client_id
            LEFT JOIN customer_groups g ON g.id = c.group_id"""
        ),
        {"yes": True},
    )
    connection.execute(
        text(
            """INSERT INTO sale_categories (sale_id, category_id, name, discount, sold_on, client_id, sign)
            SELECT n.sale_id, k.id, k.name, COALESCE((
                SELECT SUM(l.discount_amount) FROM sale_lines l
                WHERE l.sale_id = n.sale_id AND l.discount_source = 'category' AND l.category_id = k.id), 0),
                n.sold_on, n.client_id, n.sign
            FROM sale_snapshots n
            JOIN client_categories m ON m.client_id = n.client_id
            JOIN categories k ON k.id = m.category_id
            WHERE m.valid_until IS NULL OR m.valid_until >= n.sold_on"""
        )
    )
    count = connection.execute(text("SELECT COUNT(*) FROM sale_snapshots WHERE sign = 1")).scalar_one()
    if count:
        connection.execute(
            text("INSERT INTO app_meta (key, value) VALUES ('statistics_backfilled_at', :at), "
                 "('statistics_backfilled_sales', :n)"),
            {"at": _now(), "n": str(count)},
        )
        from salon_desk.services.statistics.totals import rebuild

        rebuild(connection)


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def downgrade() -> None:
    op.drop_index("ix_client_categories_category_assigned", table_name="client_categories")
    op.drop_index("ix_clients_group_created", table_name="clients")
    op.drop_index("ix_clients_created_at", table_name="clients")
    for table in ("stat_periods", "stat_visitors", "stat_days", "sale_categories", "sale_snapshots"):
        op.drop_table(table)
    op.execute("DELETE FROM app_meta WHERE key IN ('statistics_backfilled_at', 'statistics_backfilled_sales')")
