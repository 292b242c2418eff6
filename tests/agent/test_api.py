"""Web chat and the tool list over HTTP, on the real app."""

from __future__ import annotations

from sqlalchemy import select

from personal_assistant.agent.conversation import store_message
from personal_assistant.db.models import Connector, Message
from personal_assistant.db.session import session_scope


async def test_web_chat_stores_both_messages_and_answers(client, make_user):
    user = await make_user()
    response = await client.post("/api/v1/conversation/messages", json={"text": "  hello there  "},
                                 headers=user.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["inbound"]["body"] == "hello there"
    assert body["inbound"]["direction"] == "inbound" and body["inbound"]["channel"] == "web"
    assert body["inbound"]["status"] == "answered"  # as it is now, not as it was stored
    reply = body["reply"]
    assert reply["direction"] == "outbound" and reply["channel"] == "web" and reply["kind"] == "reply"
    assert reply["body"].strip()
    assert reply["answered_by"] == body["provider"]
    assert reply["in_reply_to_id"] == body["inbound"]["id"]

    async with session_scope() as s:
        rows = (await s.execute(select(Message).where(Message.user_id == user.id))).scalars().all()
    assert sorted(m.direction for m in rows) == ["inbound", "outbound"]


async def test_thread_lists_both_channels_newest_last_with_pages(client, make_user):
    user = await make_user()
    async with session_scope() as s:
        await store_message(s, user.id, direction="inbound", body="sms one", channel="sms", status="answered")
    await client.post("/api/v1/conversation/messages", json={"text": "web two"}, headers=user.headers)

    response = await client.get("/api/v1/conversation/messages", headers=user.headers)
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 3
    assert [m["body"] for m in page["items"]][:2] == ["sms one", "web two"]
    assert [m["channel"] for m in page["items"]] == ["sms", "web", "web"]
    assert page["items"][-1]["direction"] == "outbound"

    latest = (await client.get("/api/v1/conversation/messages?limit=1", headers=user.headers)).json()
    assert [m["direction"] for m in latest["items"]] == ["outbound"]
    older = (await client.get("/api/v1/conversation/messages?limit=2&offset=1", headers=user.headers)).json()
    assert [m["body"] for m in older["items"]] == ["sms one", "web two"]


async def test_another_users_thread_is_invisible(client, make_user):
    alice, bob = await make_user(), await make_user()
    await client.post("/api/v1/conversation/messages", json={"text": "secret plans"}, headers=alice.headers)
    page = (await client.get("/api/v1/conversation/messages", headers=bob.headers)).json()
    assert page["items"] == [] and page["total"] == 0


async def test_blank_or_missing_text_is_refused_and_nothing_is_stored(client, make_user):
    user = await make_user()
    for payload in ({"text": "   "}, {}, {"text": "x" * 1601}):
        response = await client.post("/api/v1/conversation/messages", json=payload, headers=user.headers)
        assert response.status_code == 422
        assert "text" in response.json()["error"]["fields"]
    page = (await client.get("/api/v1/conversation/messages", headers=user.headers)).json()
    assert page["total"] == 0


async def test_chat_needs_authentication(client):
    assert (await client.get("/api/v1/conversation/messages")).status_code == 401
    assert (await client.post("/api/v1/conversation/messages", json={"text": "hi"})).status_code == 401
    assert (await client.get("/api/v1/tools")).status_code == 401


async def test_tools_list_unlocks_with_a_connected_account(client, make_user):
    user = await make_user()
    tools = {t["name"]: t for t in (await client.get("/api/v1/tools", headers=user.headers)).json()["items"]}
    assert tools["create_reminder"]["enabled"] is True and tools["create_reminder"]["connector"] is None
    assert tools["create_reminder"]["changes_data"] is True
    calendar = tools["calendar_list_events"]
    assert calendar["enabled"] is False and calendar["connector"] == "google"
    assert calendar["connect_url"] == "https://assistant.test/connections"
    assert tools["notion_search"]["enabled"] is False

    async with session_scope() as s:
        s.add(Connector(user_id=user.id, provider="google", status="connected", scopes=[]))
    tools = {t["name"]: t for t in (await client.get("/api/v1/tools", headers=user.headers)).json()["items"]}
    assert tools["calendar_list_events"]["enabled"] is True
    assert tools["email_triage"]["enabled"] is True
    assert tools["notion_search"]["enabled"] is False

    # A revoked connection locks the tools again; another user's connection never unlocks mine.
    other = await make_user()
    async with session_scope() as s:
        s.add(Connector(user_id=other.id, provider="notion", status="connected", scopes=[]))
        row = (await s.execute(select(Connector).where(Connector.user_id == user.id))).scalar_one()
        row.status = "revoked"
    tools = {t["name"]: t for t in (await client.get("/api/v1/tools", headers=user.headers)).json()["items"]}
    assert tools["calendar_list_events"]["enabled"] is False
    assert tools["notion_search"]["enabled"] is False
