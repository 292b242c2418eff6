"""Run Alembic programmatically (CLI `assistant migrate`, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

# The repository root in a checkout; the working directory in the Docker image (/app).
_CHECKOUT = Path(__file__).resolve().parents[3]
ROOT = _CHECKOUT if (_CHECKOUT / "migrations").is_dir() else Path.cwd()

# Objects created by hand-written migrations (full-text search) that the models do not describe.
MANAGED_OUTSIDE_MODELS = ("memories_fts", "ix_memories_search")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(MANAGED_OUTSIDE_MODELS)


def alembic_config(database_url: str | None = None) -> Config:
    ini = ROOT / "alembic.ini"
    config = Config(str(ini)) if ini.exists() else Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["skip_logging"] = True
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade(revision: str = "head", database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), revision)
