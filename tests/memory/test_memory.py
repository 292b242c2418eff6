"""Memory: full-text recall (question words stripped), ranking by relevance, importance and
recency, use marking, edits kept in the index."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.memory import service
from tests.fixtures.factories import load_user

T0 = datetime.fromisoformat("2026-06-01T10:00:00+00:00")


async def test_question_finds_the_fact(session, make_user):
    user = await load_user(session, await make_user())
    await service.add_memory(session, user, content="my locker code is 4312")
    await service.add_memory(session, user, content="I prefer texts after 9am", kind="preference")
    await service.add_memory(session, user, content="Sam's birthday is March 3", kind="event")
    hits = await service.search_memories(session, user, "what's my locker code?")
    assert [h.memory.content for h in hits] == ["my locker code is 4312"]
    assert hits[0].memory.use_count == 1 and hits[0].memory.last_used_at is not None
    stems = await service.search_memories(session, user, "birthdays")
    assert [h.memory.content for h in stems] == ["Sam's birthday is March 3"]


async def test_ranking_relevance_then_importance_and_recency(session, make_user):
    user = await load_user(session, await make_user())
    with time_machine.travel(T0 - timedelta(days=200), tick=False):
        old = await service.add_memory(session, user, content="dentist is Dr Lee on Main St", importance=3)
    with time_machine.travel(T0, tick=False):
        new = await service.add_memory(session, user, content="new dentist is Dr Park", importance=3)
        vital = await service.add_memory(session, user, content="dentist allergy: no latex gloves", importance=5)
        await service.add_memory(session, user, content="likes jazz", importance=5)
        hits = await service.search_memories(session, user, "dentist")
    contents = [h.memory.content for h in hits]
    assert contents[0] == vital.content  # as relevant, more important
    assert contents.index(new.content) < contents.index(old.content)  # as relevant, newer
    assert "likes jazz" not in contents
    assert hits[0].score > hits[-1].score


async def test_users_memories_are_separate_and_edits_reindex(session, make_user):
    alice = await load_user(session, await make_user())
    bob = await load_user(session, await make_user())
    mem = await service.add_memory(session, alice, content="wifi password is hunter2")
    assert await service.search_memories(session, bob, "wifi password") == []
    await service.update_memory(session, alice, mem.id, {"content": "gate buzzer code is 8080"})
    assert await service.search_memories(session, alice, "wifi") == []
    assert [h.memory.id for h in await service.search_memories(session, alice, "buzzer code")] == [mem.id]
    await service.delete_memory(session, alice, mem.id)
    assert await service.search_memories(session, alice, "buzzer") == []
    with pytest.raises(NotFound):
        await service.get_memory(session, bob, mem.id)


async def test_typo_falls_back_to_fuzzy_match_and_duplicates_merge(session, make_user):
    user = await load_user(session, await make_user())
    first = await service.add_memory(session, user, content="favourite coffee is oat flat white", importance=2)
    again = await service.add_memory(session, user, content="favourite coffee is oat flat white", importance=4)
    assert again.id == first.id and again.importance == 4
    hits = await service.search_memories(session, user, "favorite cofee")
    assert [h.memory.id for h in hits] == [first.id]
    with pytest.raises(ValidationFailed):
        await service.search_memories(session, user, "  ")
