"""Memory embeddings through google-genai (`gemini-embedding-001`, 768 dimensions, normalised
here: the API normalises only the full 3072). RETRIEVAL_DOCUMENT for memories, RETRIEVAL_QUERY
for questions. Calls go through the resilience layer (breaker, retries, timeout).

Documents are embedded by the memory.embed job after the memory commits: read the batch and
commit, call the API with no transaction open, then store each vector in a new transaction only
if the memory still says the same thing. A model change (MEMORY_EMBEDDING_MODEL) re-embeds,
because every vector is stored with the model that made it.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from google import genai
from google.genai import types

from personal_assistant.config import get_settings
from personal_assistant.core import clock, resilience

log = structlog.get_logger("memory.embeddings")
T = TypeVar("T")
_CLIENTS: dict[tuple[str, str | None, float], genai.Client] = {}


def enabled() -> bool:
    settings = get_settings()
    return bool(settings.memory_embeddings and settings.gemini_api_key)


def model_name() -> str:
    return get_settings().memory_embedding_model


def _client() -> genai.Client:
    settings = get_settings()
    base_url = settings.memory_embedding_base_url or settings.gemini_base_url
    key = (settings.gemini_api_key or "", base_url, settings.gemini_timeout_seconds)
    client = _CLIENTS.get(key)
    if client is None:
        # HttpOptions.timeout is in milliseconds (LIBRARY_NOTES §1).
        options = types.HttpOptions(timeout=int(settings.gemini_timeout_seconds * 1000), base_url=base_url)
        client = _CLIENTS[key] = genai.Client(api_key=key[0], http_options=options)
    return client


def normalise(values: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values] if norm else list(values)


async def _guarded(fn: Callable[[], Awaitable[T]], user_id: uuid.UUID | None) -> T:
    return await resilience.guarded("gemini", fn, user_id=user_id)


async def embed(texts: list[str], task_type: str, *, user_id: uuid.UUID | None = None) -> list[list[float]]:
    """One normalised vector per text (a single batchEmbedContents request per batch)."""
    if not texts:
        return []
    settings = get_settings()
    config = types.EmbedContentConfig(task_type=task_type, output_dimensionality=settings.memory_embedding_dimensions)
    out: list[list[float]] = []
    size = max(1, settings.memory_embedding_batch)
    for start in range(0, len(texts), size):
        chunk: list[Any] = list(texts[start : start + size])

        async def call(chunk: list[Any] = chunk) -> types.EmbedContentResponse:
            return await _client().aio.models.embed_content(model=model_name(), contents=chunk, config=config)

        response = await _guarded(call, user_id)
        vectors = [normalise(list(e.values or [])) for e in response.embeddings or []]
        if len(vectors) != len(chunk):
            raise ValueError(f"embedding provider returned {len(vectors)} vectors for {len(chunk)} texts")
        out.extend(vectors)
    return out


async def embed_query(text: str, *, user_id: uuid.UUID | None = None) -> list[float] | None:
    """The question's vector, or None (no provider, or it is unavailable: search is then
    full-text with synonyms). Never call it with a transaction open."""
    if not enabled() or not text.strip():
        return None
    try:
        return (await embed([text[:2000]], "RETRIEVAL_QUERY", user_id=user_id))[0]
    except (resilience.ProviderUnavailable, ValueError, genai.errors.APIError) as exc:
        log.warning("memory.query_embedding_failed", error=type(exc).__name__)
        return None


async def embed_pending(user_id: uuid.UUID, *, rounds: int = 20) -> int:
    """Embed this user's memories that have no vector from the current model; the count stored."""
    from personal_assistant.db.session import session_scope
    from personal_assistant.memory.repository import MemoryRepository

    model = model_name()
    batch = max(1, get_settings().memory_embedding_batch)
    stored = 0
    for _ in range(rounds):
        async with session_scope() as session:
            todo = [(m.id, m.content) for m in await MemoryRepository(session, user_id).needing_embedding(model, batch)]
        if not todo:
            break
        vectors = await embed([content for _, content in todo], "RETRIEVAL_DOCUMENT", user_id=None)
        now = clock.now()
        async with session_scope() as session:
            repo = MemoryRepository(session, user_id)
            for (memory_id, content), vector in zip(todo, vectors, strict=True):
                stored += await repo.store_embedding(memory_id, content, vector, model, now)
        if len(todo) < batch:
            break
    return stored
