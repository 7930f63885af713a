"""staff, audit log and sales

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:50:35.514837
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipt_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_counter")),
    )
    op.create_table(
        "role_limits",
        sa.Column(
            "role",
            sa.Enum("manager", "front_desk", "cashier", name="role", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("max_manual_discount", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("role", name=op.f("pk_role_limits")),
    )
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum("manager", "front_desk", "cashier", name="role", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_pins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_members")),
        sa.UniqueConstraint("name_key", name=op.f("uq_staff_members_name_key")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["staff_members.id"], name=op.f("fk_audit_log_approved_by_id_staff_members")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_members.id"], name=op.f("fk_audit_log_staff_id_staff_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index("ix_audit_log_at_id", ["at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("client_name", sa.String(length=201), nullable=False),
        sa.Column("group_name", sa.String(length=60), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "payment_method",
            sa.Enum("cash", "card", name="paymentmethod", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("given", sa.Integer(), nullable=True),
        sa.Column("change", sa.Integer(), nullable=True),
        sa.Column("total_gross", sa.Integer(), nullable=False),
        sa.Column("total_net", sa.Integer(), nullable=False),
        sa.Column("total_vat", sa.Integer(), nullable=False),
        sa.Column("total_discount", sa.Integer(), nullable=False),
        sa.Column("reverses_sale_id", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("tse_status", sa.String(length=40), nullable=False),
        sa.Column("tse_serial", sa.String(length=200), nullable=False),
        sa.Column("tse_transaction", sa.String(length=60), nullable=False),
        sa.Column("tse_signature_counter", sa.String(length=60), nullable=False),
        sa.Column("tse_signature", sa.Text(), nullable=False),
        sa.Column("tse_start", sa.String(length=40), nullable=False),
        sa.Column("tse_finish", sa.String(length=40), nullable=False),
        sa.CheckConstraint("number > 0", name=op.f("ck_sales_number_positive")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_sales_client_id_clients"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["reverses_sale_id"], ["sales.id"], name=op.f("fk_sales_reverses_sale_id_sales")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_members.id"], name=op.f("fk_sales_staff_id_staff_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
        sa.UniqueConstraint("number", name=op.f("uq_sales_number")),
        sa.UniqueConstraint("reverses_sale_id", name=op.f("uq_sales_reverses_sale_id")),
    )
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sales_completed_at"), ["completed_at"], unique=False)

    op.create_table(
        "sale_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("item_name", sa.String(length=100), nullable=False),
        sa.Column(
            "item_kind", sa.Enum("service", "product", name="itemkind", native_enum=False, length=20), nullable=False
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("list_price", sa.Integer(), nullable=False),
        sa.Column("base_price", sa.Integer(), nullable=False),
        sa.Column("price_source", sa.String(length=20), nullable=False),
        sa.Column("offer_name", sa.String(length=100), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("discount_percent", sa.Integer(), nullable=False),
        sa.Column("discount_source", sa.String(length=20), nullable=False),
        sa.Column("discount_label", sa.String(length=200), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("category_name", sa.String(length=60), nullable=False),
        sa.Column("manual_by", sa.String(length=100), nullable=False),
        sa.Column("manual_reason", sa.Text(), nullable=False),
        sa.Column("discount_amount", sa.Integer(), nullable=False),
        sa.Column("line_total", sa.Integer(), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalog_items.id"], name=op.f("fk_sale_lines_item_id_catalog_items"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_sale_lines_sale_id_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_lines")),
    )
    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_lines_sale_id"), ["sale_id"], unique=False)

    op.create_table(
        "sale_vat",
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Integer(), nullable=False),
        sa.Column("gross", sa.Integer(), nullable=False),
        sa.Column("vat", sa.Integer(), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_sale_vat_sale_id_sales")),
        sa.PrimaryKeyConstraint("sale_id", "rate", name=op.f("pk_sale_vat")),
    )


def downgrade() -> None:
    op.drop_table("sale_vat")
    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sale_lines_sale_id"))

    op.drop_table("sale_lines")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_completed_at"))
        batch_op.drop_index(batch_op.f("ix_sales_client_id"))

    op.drop_table("sales")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_staff_id"))
        batch_op.drop_index("ix_audit_log_at_id")
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    op.drop_table("staff_members")
    op.drop_table("role_limits")
    op.drop_table("receipt_counter")
