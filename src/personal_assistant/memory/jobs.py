"""Memory background jobs (Celery tasks and the embedded scheduler run the same functions):
embed a user's new memories after the commit, catch up on any left behind (provider down, model
changed), and the upkeep pass (memory/upkeep.py)."""

from __future__ import annotations

import uuid

import structlog
from google.genai import errors as genai_errors

from personal_assistant.core import resilience
from personal_assistant.memory import embeddings, upkeep
from personal_assistant.workers.jobs import job

log = structlog.get_logger("memory.jobs")
BACKLOG_USERS = 50


@job("memory.embed")
async def embed_user_memories(user_id: str) -> int:
    """Embed one user's memories without a current vector (deferred by memory/service.py)."""
    if not embeddings.enabled():
        return 0
    try:
        stored = await embeddings.embed_pending(uuid.UUID(user_id))
    except resilience.ProviderUnavailable as exc:
        # Nothing lost: the rows stay without a vector and memory.embed_backlog tries again.
        log.warning("memory.embed_deferred", user_id=user_id, reason=exc.reason)
        return 0
    except genai_errors.APIError as exc:
        # Not transient (a bad key or model name): search keeps working on full-text; say why.
        log.error("memory.embed_refused", user_id=user_id, status=exc.code)
        return 0
    log.info("memory.embedded", user_id=user_id, count=stored)
    return stored


@job("memory.embed_backlog")
async def embed_backlog() -> int:
    """Periodic: users with memories lacking a vector from the current model (a model change
    re-embeds everyone, a few users per run)."""
    if not embeddings.enabled():
        return 0
    from personal_assistant.db.session import session_scope
    from personal_assistant.memory.repository import users_needing_embedding

    async with session_scope() as session:
        users = await users_needing_embedding(session, embeddings.model_name(), BACKLOG_USERS)
    total = 0
    for user_id in users:
        total += await embed_user_memories(str(user_id))
    return total


@job("memory.upkeep")
async def run_upkeep() -> dict[str, int]:
    """Periodic: merge near-duplicates, lower the weight of old unused items, expire past retention."""
    counts = await upkeep.run_all()
    log.info("memory.upkeep", **counts)
    return counts
