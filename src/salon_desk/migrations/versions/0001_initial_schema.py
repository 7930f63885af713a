"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 10:36:25.748432
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "catalog_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.Enum("service", "product", name="itemkind", native_enum=False, length=20), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.Column("no_discounts", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint("price >= 0", name=op.f("ck_catalog_items_price_not_negative")),
        sa.CheckConstraint("vat_rate IN (0, 700, 1900)", name=op.f("ck_catalog_items_vat_rate_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_items")),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.Column("icon", sa.String(length=40), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("discount_percent", sa.Integer(), nullable=True),
        sa.Column(
            "discount_scope",
            sa.Enum("services", "products", "both", name="discountscope", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("applies_to_offers", sa.Boolean(), nullable=False),
        sa.Column("is_template", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "discount_percent IS NULL OR (discount_percent BETWEEN 1 AND 10000)",
            name=op.f("ck_categories_discount_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("name_key", name=op.f("uq_categories_name_key")),
    )
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.create_index(
            "uq_categories_single_default",
            ["is_default"],
            unique=True,
            sqlite_where=sa.text("is_default = 1"),
            postgresql_where=sa.text("is_default"),
        )

    op.create_table(
        "customer_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("self_assignable", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_groups")),
        sa.UniqueConstraint("name_key", name=op.f("uq_customer_groups_name_key")),
    )
    op.create_table(
        "recipient_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_key", sa.String(length=60), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_groups")),
        sa.UniqueConstraint("name_key", name=op.f("uq_recipient_groups_name_key")),
    )
    op.create_table(
        "special_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("offer_price", sa.Integer(), nullable=True),
        sa.Column("percent_off", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "(offer_price IS NULL) <> (percent_off IS NULL)", name=op.f("ck_special_offers_price_or_percent")
        ),
        sa.CheckConstraint("starts_on <= ends_on", name=op.f("ck_special_offers_dates_ordered")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_offers")),
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("email_consent", sa.Boolean(), nullable=False),
        sa.Column("email_consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sms_consent", sa.Boolean(), nullable=False),
        sa.Column("sms_consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("last_visit", sa.Date(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("sort_name", sa.String(length=201), nullable=False),
        sa.Column("category_label", sa.String(length=400), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint("first_name <> '' OR last_name <> ''", name=op.f("ck_clients_has_name")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["customer_groups.id"], name=op.f("fk_clients_group_id_customer_groups"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index("ix_clients_category_label_sort", ["category_label", "sort_name", "id"], unique=False)
        batch_op.create_index("ix_clients_group_sort", ["group_id", "sort_name", "id"], unique=False)
        batch_op.create_index("ix_clients_last_visit", ["last_visit", "id"], unique=False)
        batch_op.create_index("ix_clients_sort_name_id", ["sort_name", "id"], unique=False)

    op.create_table(
        "group_prices",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["customer_groups.id"],
            name=op.f("fk_group_prices_group_id_customer_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalog_items.id"], name=op.f("fk_group_prices_item_id_catalog_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("group_id", "item_id", name=op.f("pk_group_prices")),
    )
    with op.batch_alter_table("group_prices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_prices_item_id"), ["item_id"], unique=False)

    op.create_table(
        "item_group_restrictions",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["customer_groups.id"],
            name=op.f("fk_item_group_restrictions_group_id_customer_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_item_group_restrictions_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "group_id", name=op.f("pk_item_group_restrictions")),
    )
    with op.batch_alter_table("item_group_restrictions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_group_restrictions_group_id"), ["group_id"], unique=False)

    op.create_table(
        "special_offer_items",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_special_offer_items_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["special_offers.id"],
            name=op.f("fk_special_offer_items_offer_id_special_offers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("offer_id", "item_id", name=op.f("pk_special_offer_items")),
    )
    with op.batch_alter_table("special_offer_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_special_offer_items_item_id"), ["item_id"], unique=False)

    op.create_table(
        "client_categories",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.String(length=100), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("proof_note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_client_categories_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_categories_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", "category_id", name=op.f("pk_client_categories")),
    )
    with op.batch_alter_table("client_categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_categories_category_id"), ["category_id"], unique=False)

    op.create_table(
        "group_join_attempts",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_group_join_attempts_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_group_join_attempts")),
    )
    op.create_table(
        "recipient_group_members",
        sa.Column("recipient_group_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_recipient_group_members_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_group_id"],
            ["recipient_groups.id"],
            name=op.f("fk_recipient_group_members_recipient_group_id_recipient_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recipient_group_id", "client_id", name=op.f("pk_recipient_group_members")),
    )
    with op.batch_alter_table("recipient_group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recipient_group_members_client_id"), ["client_id"], unique=False)
    _create_search_index()


# Client search: the services write folded search words into clients.search_text;
# SQLite indexes them with FTS5, PostgreSQL with a GIN index on a 'simple' tsvector.
FTS_TRIGGERS = (
    """CREATE TRIGGER clients_search_ai AFTER INSERT ON clients BEGIN
        INSERT INTO client_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER clients_search_ad AFTER DELETE ON clients BEGIN
        INSERT INTO client_search(client_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER clients_search_au AFTER UPDATE OF search_text ON clients BEGIN
        INSERT INTO client_search(client_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO client_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
)


def _create_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE client_search USING fts5(search_text, content='clients', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
        )
        for trigger in FTS_TRIGGERS:
            op.execute(trigger)
    else:
        op.execute("CREATE INDEX ix_clients_search ON clients USING gin (to_tsvector('simple', search_text))")


def _drop_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("clients_search_ai", "clients_search_ad", "clients_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS client_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_clients_search")


def downgrade() -> None:
    _drop_search_index()
    with op.batch_alter_table("recipient_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipient_group_members_client_id"))

    op.drop_table("recipient_group_members")
    op.drop_table("group_join_attempts")
    with op.batch_alter_table("client_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_categories_category_id"))

    op.drop_table("client_categories")
    with op.batch_alter_table("special_offer_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_special_offer_items_item_id"))

    op.drop_table("special_offer_items")
    with op.batch_alter_table("item_group_restrictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_group_restrictions_group_id"))

    op.drop_table("item_group_restrictions")
    with op.batch_alter_table("group_prices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_prices_item_id"))

    op.drop_table("group_prices")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index("ix_clients_sort_name_id")
        batch_op.drop_index("ix_clients_last_visit")
        batch_op.drop_index("ix_clients_group_sort")
        batch_op.drop_index("ix_clients_category_label_sort")

    op.drop_table("clients")
    op.drop_table("special_offers")
    op.drop_table("recipient_groups")
    op.drop_table("customer_groups")
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_categories_single_default",
            sqlite_where=sa.text("is_default = 1"),
            postgresql_where=sa.text("is_default"),
        )

    op.drop_table("categories")
    op.drop_table("catalog_items")
    op.drop_table("app_meta")
