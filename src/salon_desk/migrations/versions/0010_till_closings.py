"""the till's legal day: cash movements, daily closings, TSE outages and aborts

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 12:00:00.000000

Besides the tables, triggers make a closed day unchangeable in the database itself,
whoever writes to it: a closing is never updated or deleted; the sales up to its last
receipt number, their lines, VAT rows and TSE details refuse UPDATE and DELETE (and
new lines); cash movements, outages and aborts taken into a closing refuse changes.
Two columns stay writable on closed sales and one on closed lines, because foreign
keys clear them when a client or a catalogue item is deleted (ON DELETE SET NULL) and
an erased client's name is replaced: ``sales.client_id``, ``sales.client_name`` and
``sale_lines.item_id``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "closings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("first_receipt", sa.Integer(), nullable=False),
        sa.Column("last_receipt", sa.Integer(), nullable=False),
        sa.Column("cash_expected", sa.Integer(), nullable=False),
        sa.Column("cash_counted", sa.Integer(), nullable=False),
        sa.Column("cash_difference", sa.Integer(), nullable=False),
        sa.Column("count_detail", sa.Text(), nullable=False),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.CheckConstraint("number > 0", name=op.f("ck_closings_number_positive")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_members.id"], name=op.f("fk_closings_staff_id_staff_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closings")),
        sa.UniqueConstraint("number", name=op.f("uq_closings_number")),
    )
    op.create_table(
        "cash_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("float", "cash_in", "cash_out", name="cashmovementkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("closing_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_cash_movements_amount_positive")),
        sa.CheckConstraint("number > 0", name=op.f("ck_cash_movements_number_positive")),
        sa.ForeignKeyConstraint(["closing_id"], ["closings.id"], name=op.f("fk_cash_movements_closing_id_closings")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"], name=op.f("fk_cash_movements_staff_id_staff_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movements")),
        sa.UniqueConstraint("number", name=op.f("uq_cash_movements_number")),
    )
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_movements_closing_id"), ["closing_id"], unique=False)

    op.create_table(
        "tse_aborts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("transaction", sa.String(length=60), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("cancelled_on_tse", sa.Boolean(), nullable=False),
        sa.Column("closing_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["closing_id"], ["closings.id"], name=op.f("fk_tse_aborts_closing_id_closings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tse_aborts")),
    )
    with op.batch_alter_table("tse_aborts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tse_aborts_closing_id"), ["closing_id"], unique=False)

    op.create_table(
        "tse_outages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("first_receipt", sa.Integer(), nullable=True),
        sa.Column("last_receipt", sa.Integer(), nullable=True),
        sa.Column("sales", sa.Integer(), nullable=False),
        sa.Column("closing_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["closing_id"], ["closings.id"], name=op.f("fk_tse_outages_closing_id_closings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tse_outages")),
    )
    with op.batch_alter_table("tse_outages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tse_outages_closing_id"), ["closing_id"], unique=False)

    op.create_table(
        "sale_tse",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("qr_code", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("process_type", sa.String(length=40), nullable=False),
        sa.Column("process_data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_sale_tse_sale_id_sales")),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sale_tse")),
    )
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table("sale_tse")
    with op.batch_alter_table("tse_outages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tse_outages_closing_id"))

    op.drop_table("tse_outages")
    with op.batch_alter_table("tse_aborts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tse_aborts_closing_id"))

    op.drop_table("tse_aborts")
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_movements_closing_id"))

    op.drop_table("cash_movements")
    op.drop_table("closings")


# -- a closed day never changes ---------------------------------------------------------

REFUSAL = "a closed day cannot change"
"""The error text of every refusal; the services recognise it (fiscal.closed_day)."""

SALE_COLUMNS = (
    "number", "group_name", "staff_id", "staff_name", "started_at", "completed_at", "payment_method", "given",
    "change", "total_gross", "total_net", "total_vat", "total_discount", "reverses_sale_id", "cancel_reason",
    "tse_status", "tse_serial", "tse_transaction", "tse_signature_counter", "tse_signature", "tse_start",
    "tse_finish",
)  # fmt: skip
LINE_COLUMNS = (
    "sale_id", "position", "item_name", "item_kind", "quantity", "list_price", "base_price", "price_source",
    "offer_name", "unit_price", "discount_percent", "discount_source", "discount_label", "category_id",
    "category_name", "manual_by", "manual_reason", "discount_amount", "line_total", "vat_rate", "why",
)  # fmt: skip
SALE_PARTS = {"sale_lines": LINE_COLUMNS, "sale_vat": (), "sale_tse": ()}
CLOSED_ROWS = ("cash_movements", "tse_outages", "tse_aborts")
LAST_CLOSED = "(SELECT COALESCE(MAX(last_receipt), 0) FROM closings)"


def _of(columns: tuple[str, ...]) -> str:
    return " OF " + ", ".join(f'"{c}"' for c in columns) if columns else ""


def _sqlite_triggers() -> list[str]:
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    number = "(SELECT number FROM sales WHERE id = {row}.sale_id) <= " + LAST_CLOSED
    statements = [
        f"CREATE TRIGGER sales_closed_bu BEFORE UPDATE{_of(SALE_COLUMNS)} ON sales "
        f"WHEN OLD.number <= {LAST_CLOSED} {raise_}",
        f"CREATE TRIGGER sales_closed_bd BEFORE DELETE ON sales WHEN OLD.number <= {LAST_CLOSED} {raise_}",
        f"CREATE TRIGGER closings_closed_bu BEFORE UPDATE ON closings {raise_}",
        f"CREATE TRIGGER closings_closed_bd BEFORE DELETE ON closings {raise_}",
    ]
    for table, columns in SALE_PARTS.items():
        statements += [
            f"CREATE TRIGGER {table}_closed_bi BEFORE INSERT ON {table} WHEN {number.format(row='NEW')} {raise_}",
            f"CREATE TRIGGER {table}_closed_bu BEFORE UPDATE{_of(columns)} ON {table} "
            f"WHEN {number.format(row='OLD')} OR {number.format(row='NEW')} {raise_}",
            f"CREATE TRIGGER {table}_closed_bd BEFORE DELETE ON {table} WHEN {number.format(row='OLD')} {raise_}",
        ]
    for table in CLOSED_ROWS:
        statements += [
            f"CREATE TRIGGER {table}_closed_bu BEFORE UPDATE ON {table} WHEN OLD.closing_id IS NOT NULL {raise_}",
            f"CREATE TRIGGER {table}_closed_bd BEFORE DELETE ON {table} {raise_}",
        ]
    return statements


POSTGRESQL_FUNCTIONS = (
    f"""CREATE FUNCTION fiscal_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$""",
    f"""CREATE FUNCTION fiscal_refuse_closed_sale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.number <= {LAST_CLOSED} THEN RAISE EXCEPTION '{REFUSAL}'; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    f"""CREATE FUNCTION fiscal_refuse_closed_sale_part() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last_closed integer := {LAST_CLOSED};
BEGIN
  IF TG_OP <> 'INSERT' AND (SELECT number FROM sales WHERE id = OLD.sale_id) <= last_closed THEN
    RAISE EXCEPTION '{REFUSAL}';
  END IF;
  IF TG_OP <> 'DELETE' AND (SELECT number FROM sales WHERE id = NEW.sale_id) <= last_closed THEN
    RAISE EXCEPTION '{REFUSAL}';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    f"""CREATE FUNCTION fiscal_refuse_closed_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.closing_id IS NOT NULL THEN RAISE EXCEPTION '{REFUSAL}'; END IF;
  RETURN NEW;
END $$""",
)
POSTGRESQL_FUNCTION_NAMES = (
    "fiscal_refuse",
    "fiscal_refuse_closed_sale",
    "fiscal_refuse_closed_sale_part",
    "fiscal_refuse_closed_row",
)


def _postgresql_triggers() -> list[str]:
    row = "FOR EACH ROW EXECUTE FUNCTION"
    statements = [
        *POSTGRESQL_FUNCTIONS,
        f"CREATE TRIGGER sales_closed_bu BEFORE UPDATE{_of(SALE_COLUMNS)} ON sales {row} fiscal_refuse_closed_sale()",
        f"CREATE TRIGGER sales_closed_bd BEFORE DELETE ON sales {row} fiscal_refuse_closed_sale()",
        f"CREATE TRIGGER closings_closed BEFORE UPDATE OR DELETE ON closings {row} fiscal_refuse()",
    ]
    for table, columns in SALE_PARTS.items():
        statements += [
            f"CREATE TRIGGER {table}_closed_biu BEFORE INSERT OR UPDATE{_of(columns)} ON {table} "
            f"{row} fiscal_refuse_closed_sale_part()",
            f"CREATE TRIGGER {table}_closed_bd BEFORE DELETE ON {table} {row} fiscal_refuse_closed_sale_part()",
        ]
    for table in CLOSED_ROWS:
        statements.append(
            f"CREATE TRIGGER {table}_closed BEFORE UPDATE OR DELETE ON {table} {row} fiscal_refuse_closed_row()"
        )
    return statements


def create_triggers() -> None:
    """The triggers that keep a closed day as it was closed."""
    dialect = op.get_bind().dialect.name
    for statement in _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers():
        op.execute(statement)


def drop_triggers() -> None:
    """Drop the triggers (and, on PostgreSQL, their functions); the tables go with the downgrade."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
        return
    for statement in _postgresql_triggers():
        if statement.startswith("CREATE TRIGGER"):
            name, table = statement.split()[2], statement.split(" ON ")[1].split()[0]
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for name in POSTGRESQL_FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
