"""Memory by text, through the real pipeline and the offline brain: a new value for the same
subject updates (and the reply says so), "what do you know about me", "forget that",
"forget everything about X" (deleted from the table, the full-text index and the vectors)."""

from __future__ import annotations

from sqlalchemy import select, text

from personal_assistant.db.models import Memory
from personal_assistant.db.session import session_scope
from personal_assistant.memory import service
from tests.fixtures.factories import load_user
from tests.fixtures.turns import text_assistant


async def _memories(user_ctx) -> list[Memory]:
    async with session_scope() as s:
        return list((await s.scalars(select(Memory).where(Memory.user_id == user_ctx.id))).all())


async def test_a_new_value_updates_the_memory_and_says_so(make_user):
    user = await make_user()
    first = await text_assistant(user, "my locker is 112")
    assert "112" in first.text
    second = await text_assistant(user, "my locker is 118")
    rows = await _memories(user)
    assert [m.content for m in rows] == ["my locker is 118"]
    assert "Updated" in second.text and "118" in second.text and "112" in second.text
    # The turn it came from is kept (the dashboard shows it).
    assert rows[0].turn_id == second.turn_id
    again = await text_assistant(user, "my locker is 118")
    assert "already" in again.text.lower()
    assert len(await _memories(user)) == 1


async def test_different_subjects_stay_apart(session, make_user):
    user = await load_user(session, await make_user())
    await service.add_memory(session, user, content="my gym locker is 112")
    stored = await service.store_memory(session, user, content="my work locker is 7")
    assert stored.outcome == "created"
    assert {m.content for m in (await service.list_memories(session, user))[0]} == {
        "my gym locker is 112", "my work locker is 7"}


async def test_what_do_you_know_about_me(make_user):
    user = await make_user()
    empty = await text_assistant(user, "what do you know about me")
    assert "anything saved" in empty.text
    await text_assistant(user, "remember my dentist is Dr. Okafor")
    await text_assistant(user, "remember the spare key is under the blue pot")
    reply = await text_assistant(user, "what do you know about me?")
    assert "2 things" in reply.text and "Okafor" in reply.text and "blue pot" in reply.text


async def test_forget_that_deletes_the_last_memory(make_user):
    user = await make_user()
    await text_assistant(user, "remember my shoe size is 9")
    await text_assistant(user, "remember the bins go out on tuesdays")
    reply = await text_assistant(user, "forget that")
    assert "Forgotten" in reply.text and "bins" in reply.text
    assert [m.content for m in await _memories(user)] == ["my shoe size is 9"]


async def test_forget_everything_about_a_topic_deletes_everywhere(make_user):
    user = await make_user()
    for fact in ("my sister Leah lives in Leeds", "my sister's phone is 07700 900321", "my shoe size is 9"):
        await text_assistant(user, f"remember {fact}")
    async with session_scope() as s:
        ids = [m.id for m in await _memories(user) if "sister" in m.content]
        # A stored vector goes with the row.
        for memory in await _memories(user):
            await s.execute(
                text("UPDATE memories SET embedding = :e, embedding_model = 'm' WHERE id = :id"),
                {"e": "[1.0, 0.0]", "id": memory.id if s.bind.dialect.name == "postgresql" else memory.id.hex},
            )
    reply = await text_assistant(user, "forget everything about my sister")
    assert "2 things" in reply.text
    assert [m.content for m in await _memories(user)] == ["my shoe size is 9"]
    async with session_scope() as s:
        left = (await s.execute(select(Memory.id).where(Memory.id.in_(ids)))).all()
        assert left == []
        if s.bind.dialect.name == "sqlite":
            fts = (await s.execute(text("SELECT count(*) FROM memories_fts WHERE content LIKE '%sister%'"))).scalar()
            assert fts == 0
        user_row = await load_user(s, user)
        assert await service.search_memories(s, user_row, "sister") == []


async def test_another_fact_about_the_same_subject_is_kept_apart(session, make_user):
    user = await load_user(session, await make_user())
    await service.add_memory(session, user, content="my bike is a blue Trek")
    other = await service.store_memory(session, user, content="my bike is locked at the back of the office")
    assert other.outcome == "created"
    newer = await service.store_memory(session, user, content="my dentist is Dr. Okafor")
    changed = await service.store_memory(session, user, content="my dentist is Dr. Patel")
    assert (changed.outcome, changed.previous, changed.memory.id) == ("updated", "my dentist is Dr. Okafor",
                                                                       newer.memory.id)
