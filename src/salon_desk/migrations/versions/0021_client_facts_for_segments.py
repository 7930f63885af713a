"""client_facts: what segments ask of a card, in a narrow row kept by triggers; a category's members by index

Counting a segment over 1,000,000 clients read every candidate's whole card (names,
notes, search words, several hundred MB in all): 0.4–1.3 s. ``client_facts`` holds only
what the conditions compare, one row of about 60 bytes per open card, and triggers keep
it on every change of a card: inserted with the card, rewritten when one of its columns
changes, deleted with the card or when the card is merged into another.

A category's members were read through (category_id, assigned_at), which holds neither
the client nor the end of validity, so every member's row was read as well;
ix_client_categories_category_members holds both. Likewise a segment's visits and revenue
in a period read every sale of the period from the table (about 3 µs a sale);
ix_sales_client_time, which replaces ix_sales_client_id, holds what they compare, in the
order of the clients they are grouped by.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from salon_desk.migrations.statistics import analyze

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_WATCHED = (  # on SQLite: the group has a trigger of its own
    "last_visit, birthday, created_at, postal_code, city, email, phone, email_consent, sms_consent, phone_consent"
)
_NAMES = (
    "client_id", "group_id", "last_visit", "birthday_key", "created_at", "postal_code", "city_key",
    "has_email", "has_phone", "email_consent", "sms_consent", "phone_consent",
)  # fmt: skip
_COLUMNS = ", ".join(_NAMES)


def _values(row: str, sqlite: bool) -> list[str]:
    """The facts of ``row`` (``new``, a table alias), in _NAMES' order."""
    if sqlite:
        birthday = f"CAST(strftime('%m%d', {row}.birthday) AS INTEGER)"
    else:
        birthday = f"CAST(EXTRACT(MONTH FROM {row}.birthday) * 100 + EXTRACT(DAY FROM {row}.birthday) AS INTEGER)"
    return [
        f"{row}.id", f"{row}.group_id", f"{row}.last_visit", birthday, f"{row}.created_at", f"{row}.postal_code",
        f"lower(trim({row}.city))", f"{row}.email <> ''", f"{row}.phone <> ''",
        f"{row}.email_consent", f"{row}.sms_consent", f"{row}.phone_consent",
    ]  # fmt: skip


def _assignments(row: str, sqlite: bool) -> str:
    """``name = value`` for every fact but the client's id."""
    return ", ".join(f"{name} = {value}" for name, value in zip(_NAMES[1:], _values(row, sqlite)[1:], strict=True))


def _sqlite_triggers() -> tuple[str, ...]:
    return (
        f"""CREATE TRIGGER clients_facts_ai AFTER INSERT ON clients BEGIN
            INSERT INTO client_facts ({_COLUMNS}) VALUES ({", ".join(_values("new", True))});
        END""",
        f"""CREATE TRIGGER clients_facts_au AFTER UPDATE OF {_WATCHED} ON clients BEGIN
            UPDATE client_facts SET {_assignments("new", True)} WHERE client_id = new.id;
        END""",
        # a bulk change of groups moves 100,000 clients: the group alone, and only where it changed
        """CREATE TRIGGER clients_facts_group_au AFTER UPDATE OF group_id ON clients
            WHEN old.group_id IS NOT new.group_id BEGIN
            UPDATE client_facts SET group_id = new.group_id WHERE client_id = new.id;
        END""",
        """CREATE TRIGGER clients_facts_ad AFTER DELETE ON clients BEGIN
            DELETE FROM client_facts WHERE client_id = old.id;
        END""",
        """CREATE TRIGGER client_merges_facts_ai AFTER INSERT ON client_merges BEGIN
            DELETE FROM client_facts WHERE client_id = new.client_id;
        END""",
    )


# PostgreSQL: once per statement, over its rows (a bulk change of 100,000 groups is one
# UPDATE of the facts). An UPDATE trigger with transition tables cannot name columns, so it
# runs on every update of clients and rewrites only the rows whose facts changed.
def _postgresql_function() -> str:
    changed = " OR ".join(
        f"f.{name} IS DISTINCT FROM {value}" for name, value in zip(_NAMES[1:], _values("n", False)[1:], strict=True)
    )
    return f"""
CREATE FUNCTION client_facts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO client_facts ({_COLUMNS}) SELECT {", ".join(_values("n", False))} FROM new_rows AS n;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE client_facts AS f SET {_assignments("n", False)}
        FROM new_rows AS n WHERE f.client_id = n.id AND ({changed});
    ELSE
        DELETE FROM client_facts AS f USING old_rows AS o WHERE f.client_id = o.id;
    END IF;
    RETURN NULL;
END
$$
"""


POSTGRESQL_MERGE_FUNCTION = """
CREATE FUNCTION client_facts_merged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM client_facts AS f USING new_rows AS m WHERE f.client_id = m.client_id;
    RETURN NULL;
END
$$
"""
POSTGRESQL_TRIGGERS = (
    """CREATE TRIGGER clients_facts_ai AFTER INSERT ON clients
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_facts_keep()""",
    """CREATE TRIGGER clients_facts_au AFTER UPDATE ON clients
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_facts_keep()""",
    """CREATE TRIGGER clients_facts_ad AFTER DELETE ON clients
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION client_facts_keep()""",
    """CREATE TRIGGER client_merges_facts_ai AFTER INSERT ON client_merges
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_facts_merged()""",
)
_TRIGGERS = (("clients_facts_ai", "clients"), ("clients_facts_au", "clients"), ("clients_facts_group_au", "clients"),
             ("clients_facts_ad", "clients"), ("client_merges_facts_ai", "client_merges"))  # fmt: skip


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "client_facts",
        sa.Column("client_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("last_visit", sa.Date(), nullable=True),
        sa.Column("birthday_key", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("city_key", sa.String(length=100), nullable=False),
        sa.Column("has_email", sa.Boolean(), nullable=False),
        sa.Column("has_phone", sa.Boolean(), nullable=False),
        sa.Column("email_consent", sa.Boolean(), nullable=False),
        sa.Column("sms_consent", sa.Boolean(), nullable=False),
        sa.Column("phone_consent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_facts")),
    )
    op.execute(
        f"INSERT INTO client_facts ({_COLUMNS}) SELECT {', '.join(_values('c', sqlite))} FROM clients AS c "
        "WHERE NOT EXISTS (SELECT 1 FROM client_merges AS m WHERE m.client_id = c.id) ORDER BY c.id"
    )
    if sqlite:
        for trigger in _sqlite_triggers():
            op.execute(trigger)
    else:
        op.execute(_postgresql_function())
        op.execute(POSTGRESQL_MERGE_FUNCTION)
        for trigger in POSTGRESQL_TRIGGERS:
            op.execute(trigger)
    op.create_index(
        "ix_client_categories_category_members", "client_categories", ["category_id", "client_id", "valid_until"]
    )
    op.drop_index("ix_sales_client_id", table_name="sales")
    op.create_index("ix_sales_client_time", "sales", ["client_id", "completed_at", "total_gross", "reverses_sale_id"])
    analyze("client_facts", "ix_client_categories_category_members", "ix_sales_client_time")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_sales_client_time", table_name="sales")
    op.create_index("ix_sales_client_id", "sales", ["client_id"])
    op.drop_index("ix_client_categories_category_members", table_name="client_categories")
    for name, table in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else f" ON {table}"))
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS client_facts_keep()")
        op.execute("DROP FUNCTION IF EXISTS client_facts_merged()")
    op.drop_table("client_facts")
