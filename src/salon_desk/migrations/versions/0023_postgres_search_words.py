"""PostgreSQL: client_search_words, each search word of a client in a B-tree, for counts and pages that stop early

The GIN index of the search words builds the bitmap of every client a prefix finds before
a ``LIMIT`` applies: counting up to 20,001 hits of "jür" took 65 ms, of "+49 17" 114 ms,
among 1,000,000 clients. In a B-tree of (word, client) the words a prefix finds lie
together, so a capped count reads at most a few times the cap of entries (6–10 ms), as
SQLite's FTS5 prefix index does. Each entry also holds the client's sort name, so the
first page of a narrow search is sorted from these entries alone, without the table.

A row per word: ``other`` tells the lead words (false) from the other words (true) of the
search text, "<lead words> | <other words>" (``salon_desk.textindex``). Triggers keep the
rows once per statement, like client_facts (0021): a card's words are written with it,
rewritten when its search text or sort name changes, and deleted with it. A merged card
has no search words, so it has no rows. SQLite searches its FTS5 table; it gets nothing here.

The GIN index of the other words (0017) served the first pages of name searches; the rows
with ``other`` true serve them now, and the index is dropped.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

WORDS_FUNCTION = """
CREATE FUNCTION client_search_words_of(search_text text) RETURNS TABLE (other boolean, word text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 10 AS $$
    SELECT DISTINCT part.other, part.word COLLATE "C" FROM (
        SELECT false AS other, unnest(string_to_array(split_part(search_text, '|', 1), ' ')) AS word
        UNION ALL
        SELECT true, unnest(string_to_array(split_part(search_text, '|', 2), ' '))
    ) AS part WHERE part.word <> ''
$$
"""
"""The (other, word) pairs of a search text: its words before the mark, then after it."""

FILL = (
    "INSERT INTO client_search_words (other, word, client_id, sort_name)"
    " SELECT w.other, w.word, {row}.id, {row}.sort_name"
    " FROM {rows} AS {row}, client_search_words_of({row}.search_text) AS w"
)

# An UPDATE trigger with transition tables cannot name columns: it runs on every update of
# clients and rewrites the words of the rows whose search text or sort name changed only.
# Those are taken one by one, each word by its key: asked for the words of many rows at
# once, the planner read the whole table (3 s for 1,000 renamed cards, where their rows
# take 0.1 s), and a card's words are about ten (ROWS 10 above).
_DROP_WORDS = """DELETE FROM client_search_words AS s USING client_search_words_of(card.search_text) AS w
                WHERE s.other = w.other AND s.word = w.word AND s.client_id = card.id;"""
KEEP_FUNCTION = f"""
CREATE FUNCTION client_search_words_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    card record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        {FILL.format(rows="new_rows", row="n")};
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        FOR card IN SELECT o.id, o.search_text FROM old_rows AS o LOOP
            {_DROP_WORDS}
        END LOOP;
        RETURN NULL;
    END IF;
    FOR card IN
        SELECT o.id, o.search_text, n.search_text AS new_text, n.sort_name
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (n.search_text, n.sort_name) IS DISTINCT FROM (o.search_text, o.sort_name)
    LOOP
        {_DROP_WORDS}
        INSERT INTO client_search_words (other, word, client_id, sort_name)
            SELECT w.other, w.word, card.id, card.sort_name FROM client_search_words_of(card.new_text) AS w;
    END LOOP;
    RETURN NULL;
END
$$
"""
OTHER_WORDS = "to_tsvector('simple', split_part(search_text, '|', 2))"
"""The expression migration 0017 indexed."""
TRIGGERS = (
    """CREATE TRIGGER clients_search_words_ai AFTER INSERT ON clients
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION client_search_words_keep()""",
    """CREATE TRIGGER clients_search_words_au AFTER UPDATE ON clients
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION client_search_words_keep()""",
    """CREATE TRIGGER clients_search_words_ad AFTER DELETE ON clients
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION client_search_words_keep()""",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # the words are compared byte by byte ("C"): a prefix's words are the range [prefix, next prefix)
    op.execute(
        """CREATE TABLE client_search_words (
            other boolean NOT NULL,
            word text COLLATE "C" NOT NULL,
            client_id integer NOT NULL,
            sort_name varchar(201) NOT NULL
        )"""
    )
    op.execute(WORDS_FUNCTION)
    op.execute(FILL.format(rows="clients", row="c"))  # the key after the rows: one sort instead of 8 inserts a card
    op.execute(
        "ALTER TABLE client_search_words ADD CONSTRAINT pk_client_search_words"
        " PRIMARY KEY (other, word, client_id) INCLUDE (sort_name)"
    )
    # Its reads are short. The planner, misled by prefixes common among lead words and rare among the
    # others ("sch"), planned parallel workers, whose start (5–7 ms) took longer than the read itself.
    op.execute("ALTER TABLE client_search_words SET (parallel_workers = 0)")
    op.execute(KEEP_FUNCTION)
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("DROP INDEX IF EXISTS ix_clients_search_other")
    op.execute("ANALYZE client_search_words")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in ("clients_search_words_ai", "clients_search_words_au", "clients_search_words_ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON clients")
    op.execute("DROP FUNCTION IF EXISTS client_search_words_keep()")
    op.execute("DROP TABLE IF EXISTS client_search_words")
    op.execute("DROP FUNCTION IF EXISTS client_search_words_of(text)")
    op.execute(f"CREATE INDEX ix_clients_search_other ON clients USING gin ({OTHER_WORDS})")
