"""Run Alembic programmatically (CLI `assistant migrate`, tests).

The migrations ship inside the package (`personal_assistant/migrations`), so an installed product
migrates from any directory; the checkout's `migrations/` is a symlink to the same folder, for
developers running `alembic` with `alembic.ini`.
"""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config

SCRIPT_LOCATION = str(files("personal_assistant") / "migrations")

# Objects created by hand-written migrations (full-text search) that the models do not describe.
MANAGED_OUTSIDE_MODELS = (
    "memories_fts", "ix_memories_search", "embedding_vec", "ix_memories_embedding_hnsw", "content_tsv",
    "ix_memories_tsv",
)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(MANAGED_OUTSIDE_MODELS)


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["skip_logging"] = True
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade(revision: str = "head", database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), revision)
