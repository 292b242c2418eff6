"""Embeddings through the real google-genai client against a local fake server: computed by the
memory.embed job after the commit (batched, normalised, stored with the model), retried on
transient errors, re-embedded on a model change or an edit; hybrid search finds what full-text
alone misses; vector search never crosses users (both databases)."""

from __future__ import annotations

import asyncio
import math

from sqlalchemy import select

from personal_assistant.db.models import Memory
from personal_assistant.db.session import session_scope
from personal_assistant.memory import embeddings, jobs, service
from personal_assistant.memory.repository import MemoryRepository
from personal_assistant.workers import enqueue
from tests.fixtures.factories import load_user

FACTS = ("parked on level 3 near the lifts", "the storage unit code is 5521", "my dentist is Dr Okafor")


async def _settle() -> None:
    """Let the in-process jobs deferred by the commits finish."""
    for _ in range(50):
        if not enqueue.RUNNING:
            return
        await asyncio.wait(set(enqueue.RUNNING), timeout=10)


async def _store(user_ctx, *facts: str) -> None:
    async with session_scope() as s:
        user = await load_user(s, user_ctx)
        for fact in facts:
            await service.add_memory(s, user, content=fact)
    await _settle()


async def _rows(user_ctx) -> list[Memory]:
    async with session_scope() as s:
        return list((await s.scalars(select(Memory).where(Memory.user_id == user_ctx.id))).all())


async def _search(user_ctx, question: str, *, vector: bool) -> list[str]:
    query_vector = await embeddings.embed_query(question, user_id=user_ctx.id) if vector else None
    async with session_scope() as s:
        user = await load_user(s, user_ctx)
        hits = await service.search_memories(s, user, question, limit=3, mark_used=False, query_vector=query_vector)
        return [h.memory.content for h in hits]


async def test_memories_are_embedded_after_the_commit_in_one_batch(fake_embeddings, make_user):
    user = await make_user()
    async with session_scope() as s:
        row = await load_user(s, user)
        for fact in FACTS:
            await service.add_memory(s, row, content=fact)
        assert fake_embeddings.requests == []  # nothing leaves inside the transaction
    await _settle()
    rows = await _rows(user)
    assert {m.embedding_model for m in rows} == {"gemini-embedding-001"}
    for memory in rows:
        assert memory.embedding is not None and len(memory.embedding) == 768
        assert math.isclose(math.sqrt(sum(v * v for v in memory.embedding)), 1.0, rel_tol=1e-6)
        assert memory.embedded_at is not None
    documents = [r for r in fake_embeddings.requests if r["task_type"] == "RETRIEVAL_DOCUMENT"]
    assert documents and documents[0]["dims"] == 768 and documents[0]["model"] == "gemini-embedding-001"
    assert sorted(fake_embeddings.texts("RETRIEVAL_DOCUMENT")) == sorted(FACTS)


async def test_hybrid_finds_what_full_text_misses(fake_embeddings, make_user):
    user = await make_user()
    await _store(user, *FACTS, "I bank with Monzo")
    # "automobile" is in neither the memory nor the synonym table: only the vectors know it.
    assert "parked on level 3 near the lifts" not in await _search(user, "where's the automobile", vector=False)
    found = await _search(user, "where's the automobile", vector=True)
    assert found[0] == "parked on level 3 near the lifts"
    assert fake_embeddings.texts("RETRIEVAL_QUERY") == ["where's the automobile"]
    # Full-text matches still lead when they are right.
    assert (await _search(user, "storage unit code", vector=True))[0] == "the storage unit code is 5521"


async def test_vector_search_never_crosses_users(fake_embeddings, make_user):
    alice, bob = await make_user(), await make_user()
    await _store(alice, "parked on level 3 near the lifts", "the storage unit code is 5521")
    await _store(bob, "my dentist is Dr Okafor")
    vector = await embeddings.embed_query("where is the car parked", user_id=bob.id)
    assert vector is not None
    bob_ids = {m.id for m in await _rows(bob)}
    async with session_scope() as s:
        near = await MemoryRepository(s, bob.id).vector_search(vector, embeddings.model_name(), limit=50)
    assert near and {mid for mid, _ in near} <= bob_ids
    assert "parked on level 3 near the lifts" not in await _search(bob, "where is the car parked", vector=True)
    assert (await _search(alice, "where is the car parked", vector=True))[0] == "parked on level 3 near the lifts"


async def test_transient_errors_are_retried_and_a_down_provider_loses_nothing(fake_embeddings, make_user):
    user = await make_user()
    fake_embeddings.fail_next(503, 2)
    await _store(user, "the storage unit code is 5521")
    assert (await _rows(user))[0].embedding_model == "gemini-embedding-001"  # third attempt worked
    fake_embeddings.fail_next(503, 30)
    await _store(user, "my dentist is Dr Okafor")
    pending = [m for m in await _rows(user) if m.embedding_model is None]
    assert [m.content for m in pending] == ["my dentist is Dr Okafor"]
    # Search still answers (full-text) while the provider is down.
    assert await embeddings.embed_query("dentist", user_id=user.id) is None
    assert await _search(user, "dentist", vector=False) == ["my dentist is Dr Okafor"]
    fake_embeddings.failures.clear()
    from personal_assistant.core import resilience

    resilience.reset()
    await jobs.embed_backlog()
    assert all(m.embedding_model for m in await _rows(user))


async def test_a_model_change_or_an_edit_re_embeds(fake_embeddings, make_user, settings_env):
    user = await make_user()
    await _store(user, "parked on level 3 near the lifts")
    settings_env(MEMORY_EMBEDDING_MODEL="gemini-embedding-002")
    before = len(fake_embeddings.requests)
    assert await jobs.embed_backlog() == 1
    rows = await _rows(user)
    assert rows[0].embedding_model == "gemini-embedding-002"
    assert fake_embeddings.requests[before]["model"] == "gemini-embedding-002"
    async with session_scope() as s:
        await service.update_memory(s, await load_user(s, user), rows[0].id, {"content": "parked on level 5"})
    await _settle()
    assert fake_embeddings.texts("RETRIEVAL_DOCUMENT")[-1] == "parked on level 5"
    assert (await _rows(user))[0].embedding_model == "gemini-embedding-002"


async def test_a_text_recalls_by_the_questions_vector(fake_embeddings, make_user):
    """The recall tool of a real turn embeds the question (with no transaction open) and finds a
    memory that full-text with synonyms alone misses."""
    from tests.fixtures.turns import text_assistant

    user = await make_user()
    await _store(user, *FACTS)
    reply = await text_assistant(user, "what did I tell you about the automobile?")
    assert "level 3" in reply.text, reply.text
    questions = fake_embeddings.texts("RETRIEVAL_QUERY")
    assert questions and all("automobile" in q for q in questions)
    # Without the vector, the same question finds nothing about the car.
    assert "parked on level 3 near the lifts" not in await _search(user, questions[0], vector=False)
