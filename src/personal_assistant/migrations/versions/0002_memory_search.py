"""memory full-text search

PostgreSQL: a GIN expression index on to_tsvector('english', content) (ix_memories_search).
SQLite: an FTS5 table memories_fts (porter stemming, keyed by memory id) kept in sync by
triggers. Both are excluded from model drift checks (db/migrations.py MANAGED_OUTSIDE_MODELS).

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A standalone FTS5 table keyed by the memory id (not by rowid: a UUID-keyed table's rowids may
# change on VACUUM, which would silently break an external-content index).
SQLITE_UP = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5(
        content, memory_id UNINDEXED, tokenize='porter unicode61')""",
    """CREATE TRIGGER IF NOT EXISTS memories_fts_ai AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts(content, memory_id) VALUES (new.content, new.id);
    END""",
    """CREATE TRIGGER IF NOT EXISTS memories_fts_ad AFTER DELETE ON memories BEGIN
        DELETE FROM memories_fts WHERE memory_id = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS memories_fts_au AFTER UPDATE OF content ON memories BEGIN
        DELETE FROM memories_fts WHERE memory_id = old.id;
        INSERT INTO memories_fts(content, memory_id) VALUES (new.content, new.id);
    END""",
    # Rows that existed before this migration.
    "INSERT INTO memories_fts(content, memory_id) SELECT content, id FROM memories",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS memories_fts_au",
    "DROP TRIGGER IF EXISTS memories_fts_ad",
    "DROP TRIGGER IF EXISTS memories_fts_ai",
    "DROP TABLE IF EXISTS memories_fts",
]
PG_UP = [
    "CREATE INDEX IF NOT EXISTS ix_memories_search ON memories USING gin (to_tsvector('english', content))",
]
PG_DOWN = ["DROP INDEX IF EXISTS ix_memories_search"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _run(PG_UP)
    elif dialect == "sqlite":
        _run(SQLITE_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _run(PG_DOWN)
    elif dialect == "sqlite":
        _run(SQLITE_DOWN)
