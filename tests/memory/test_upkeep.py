"""Memory upkeep with the clock moved: near-duplicates merge, old unused unimportant items sink,
items past the user's retention expire (not importance >= 4), pinned ones are never touched;
the job runs from the schedule (beat and embedded)."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from sqlalchemy import select

from personal_assistant.config import get_settings
from personal_assistant.db.models import Memory, User
from personal_assistant.db.session import session_scope
from personal_assistant.memory import jobs, service
from personal_assistant.workers.schedule import beat_schedule, periodic_jobs
from tests.fixtures.factories import load_user

T0 = datetime.fromisoformat("2027-03-01T10:00:00+00:00")


async def _add(user_ctx, content: str, *, days_ago: float, importance: int = 3, pinned: bool = False) -> None:
    with time_machine.travel(T0 - timedelta(days=days_ago), tick=False):
        async with session_scope() as s:
            await service.add_memory(s, await load_user(s, user_ctx), content=content, importance=importance,
                                     pinned=pinned)


async def _kept(user_ctx) -> dict[str, Memory]:
    async with session_scope() as s:
        rows = (await s.scalars(select(Memory).where(Memory.user_id == user_ctx.id))).all()
        return {m.content: m for m in rows}


async def test_near_duplicates_merge_into_the_more_important_one(make_user):
    user = await make_user()
    await _add(user, "the storage unit code is 5521", days_ago=10, importance=4)
    await _add(user, "storage unit code 5521", days_ago=5, importance=2)
    # Stored before dedupe existed (straight into the table): a pinned exact duplicate stays.
    with time_machine.travel(T0 - timedelta(days=3), tick=False):
        async with session_scope() as s:
            s.add(Memory(user_id=user.id, content="Storage unit: code 5521!", kind="fact", tags=[], importance=3,
                         source="api", use_count=0, pinned=True))
    await _add(user, "my dentist is Dr Okafor", days_ago=3)
    with time_machine.travel(T0, tick=False):
        counts = await jobs.run_upkeep()
    kept = await _kept(user)
    assert counts["merged"] == 1
    assert set(kept) == {"the storage unit code is 5521", "Storage unit: code 5521!", "my dentist is Dr Okafor"}
    assert kept["the storage unit code is 5521"].importance == 4


async def test_old_unused_unimportant_items_sink_and_expire_after_retention(make_user):
    user = await make_user()
    await _add(user, "the cafe on Elm does good scones", days_ago=200, importance=2)
    await _add(user, "I tried bouldering once", days_ago=200, importance=3)
    await _add(user, "I'm allergic to penicillin", days_ago=400, importance=5)
    await _add(user, "old wifi was hunter2", days_ago=400, importance=1, pinned=True)
    await _add(user, "the bins go out on tuesdays", days_ago=2, importance=1)
    with time_machine.travel(T0, tick=False):
        await jobs.run_upkeep()
    kept = await _kept(user)
    assert len(kept) == 5  # no retention set: nothing expires
    assert kept["the cafe on Elm does good scones"].weight < 1.0
    assert kept["I tried bouldering once"].weight == 1.0  # importance 3 keeps its weight
    assert kept["old wifi was hunter2"].weight == 1.0  # pinned
    assert kept["the bins go out on tuesdays"].weight == 1.0  # recent
    # A down-weighted memory ranks below an equally relevant full-weight one.
    await _add(user, "the cafe on Main does good coffee", days_ago=200, importance=2)
    with time_machine.travel(T0, tick=False):
        async with session_scope() as s:
            hits = await service.search_memories(s, await load_user(s, user), "cafe", mark_used=False)
            contents = [h.memory.content for h in hits]
    assert contents.index("the cafe on Main does good coffee") < contents.index("the cafe on Elm does good scones")

    async with session_scope() as s:
        (await s.get(User, user.id)).memory_retention_days = 90
    with time_machine.travel(T0, tick=False):
        counts = await jobs.run_upkeep()
    kept = await _kept(user)
    assert counts["expired"] == 3
    assert set(kept) == {"I'm allergic to penicillin", "old wifi was hunter2", "the bins go out on tuesdays"}


async def test_use_keeps_a_memory_and_own_expiry_is_honoured(make_user):
    user = await make_user()
    async with session_scope() as s:
        (await s.get(User, user.id)).memory_retention_days = 30
    await _add(user, "the gate code is 1984", days_ago=60)
    await _add(user, "the parcel locker is at the Co-op", days_ago=60)
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        async with session_scope() as s:
            u = await load_user(s, user)
            await service.search_memories(s, u, "gate code")  # used yesterday
            await service.add_memory(s, u, content="the plumber comes friday", expires_at=T0 - timedelta(hours=1))
    with time_machine.travel(T0, tick=False):
        await jobs.run_upkeep()
    assert set(await _kept(user)) == {"the gate code is 1984"}


def test_upkeep_is_scheduled_for_beat_and_the_embedded_scheduler():
    settings = get_settings()
    assert "memory.upkeep" in dict(periodic_jobs(settings, with_broker=False))
    assert beat_schedule(settings)["memory.upkeep"]["task"] == "memory.upkeep"
    assert "memory.embed_backlog" in beat_schedule(settings)
