"""memory v2: embeddings with their model, pinning, weight, the turn a memory came from, retention

memories: embedding_model / embedded_at (a model change re-embeds), pinned, weight (lowered by
upkeep for old unused low-importance items), turn_id (the inbound text whose turn stored it).
users: memory_retention_days (NULL = keep forever).

PostgreSQL full-text: a stored generated column memories.content_tsv (to_tsvector('english',
content)) with its GIN index ix_memories_tsv replaces 0002's expression index: ranking then reads
the stored vector instead of re-parsing every matching row's text (the cost that dominated at
10,000 memories for one user).

Vectors: on PostgreSQL with the pgvector extension available and permitted (CREATE EXTENSION
needs a superuser), a vector(768) column memories.embedding_vec with an HNSW cosine index
(ix_memories_embedding_hnsw). Without it the migration says so in its log and the floats stay in
the JSON column memories.embedding (exact cosine scan over one user's memories). SQLite always
keeps the JSON column. Both objects are managed outside the models (db/migrations.py).

Revision ID: 0008
Revises: 0007
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
DIMENSIONS = 768


def _pgvector() -> None:
    bind = op.get_bind()
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first()
    if available is None:
        message = ("pgvector is NOT available on this PostgreSQL server: memory embeddings are stored as JSON "
                   "floats and vector search is an exact scan per user (install pgvector and re-run 0008 for HNSW)")
        log.warning(message)
        print(f"WARNING: {message}")
        return
    try:
        with bind.begin_nested():  # a refused CREATE EXTENSION must not abort the migration
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
    except sa.exc.DBAPIError as exc:
        message = ("pgvector is available but CREATE EXTENSION vector was refused (it needs a superuser): memory "
                   f"embeddings are stored as JSON floats ({type(exc.orig).__name__})")
        log.warning(message)
        print(f"WARNING: {message}")
        return
    op.execute(f"ALTER TABLE memories ADD COLUMN IF NOT EXISTS embedding_vec vector({DIMENSIONS})")
    # Kept in the row (3 KB fits a page), not TOASTed: the per-user exact scan reads it directly.
    op.execute("ALTER TABLE memories ALTER COLUMN embedding_vec SET STORAGE PLAIN")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_memories_embedding_hnsw ON memories "
        "USING hnsw (embedding_vec vector_cosine_ops)"
    )
    log.info("pgvector enabled: memories.embedding_vec vector(%s) with an HNSW index", DIMENSIONS)


def upgrade() -> None:
    # Plain ADD COLUMN (no batch mode): on SQLite a batch rebuild would drop the FTS triggers of 0002.
    op.add_column("memories", sa.Column("embedding_model", sa.String(64), nullable=True))
    op.add_column("memories", sa.Column("embedded_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("memories", sa.Column("pinned", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("memories", sa.Column("weight", sa.Float(), nullable=False, server_default="1.0"))
    op.add_column("memories", sa.Column("turn_id", sa.Uuid(), nullable=True))
    op.add_column("users", sa.Column("memory_retention_days", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE memories ADD COLUMN IF NOT EXISTS content_tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', content)) STORED"
        )
        op.execute("CREATE INDEX IF NOT EXISTS ix_memories_tsv ON memories USING gin (content_tsv)")
        op.execute("DROP INDEX IF EXISTS ix_memories_search")
        _pgvector()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_memories_search ON memories USING gin (to_tsvector('english', content))")
        op.execute("DROP INDEX IF EXISTS ix_memories_tsv")
        op.execute("ALTER TABLE memories DROP COLUMN IF EXISTS content_tsv")
        op.execute("DROP INDEX IF EXISTS ix_memories_embedding_hnsw")
        op.execute("ALTER TABLE memories DROP COLUMN IF EXISTS embedding_vec")
    for column in ("turn_id", "weight", "pinned", "embedded_at", "embedding_model"):
        op.drop_column("memories", column)
    op.drop_column("users", "memory_retention_days")
