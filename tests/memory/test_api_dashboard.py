"""Memory over HTTP: pin/unpin and the new fields by the API, hybrid search reporting whether
vectors took part; the agent's context stays within its token budget (the dashboard:
tests/dashboard/test_memories_page.py)."""

from __future__ import annotations

from personal_assistant.agent import core
from personal_assistant.memory import service
from tests.fixtures.factories import load_user


async def test_pin_and_new_fields_by_the_api(client, make_user):
    user = await make_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    made = await client.post("/api/v1/memories", json={"content": "my gym locker is 112", "pinned": True},
                             headers=headers)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["pinned"] is True and body["weight"] == 1.0 and body["embedding_model"] is None
    changed = await client.patch(f"/api/v1/memories/{body['id']}", json={"pinned": False}, headers=headers)
    assert changed.json()["pinned"] is False
    found = await client.get("/api/v1/memories/search", params={"q": "which locker at the gym"}, headers=headers)
    assert found.status_code == 200
    [hit] = found.json()["items"]
    assert hit["semantic"] is False and hit["memory"]["content"] == "my gym locker is 112"


async def test_turn_context_respects_the_token_budget(session, make_user):
    user = await load_user(session, await make_user())
    for n in range(5):
        await service.add_memory(session, user, content=f"locker note {n}: " + "x" * 250)
    context = await core.relevant_memories(session, user, "locker")
    assert 1 <= len(context) < 5
    assert sum(len(c) for c in context) <= core.MEMORY_TOKEN_BUDGET * core.CHARS_PER_TOKEN

