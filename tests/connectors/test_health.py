"""Connection health: a refresh refused for good marks the connector and texts the person once."""

from __future__ import annotations

from datetime import time as dtime
from datetime import timedelta

import pytest
from sqlalchemy import select

from personal_assistant.connectors import health, oauth
from personal_assistant.connectors.base import ReconnectRequired
from personal_assistant.core import clock
from personal_assistant.db.models import Connector, Message, User
from tests.fixtures.turns import text_assistant


async def _expire(session, user_id, fake) -> Connector:
    account = (await session.execute(select(Connector).where(Connector.user_id == user_id))).scalar_one()
    fake.dead_refresh_tokens.add(oauth.unseal(account).refresh_token or "")
    account.expires_at = clock.now() - timedelta(minutes=1)
    await session.commit()
    return account


async def _health_texts(session, user_id) -> list[Message]:
    stmt = select(Message).where(Message.user_id == user_id, Message.kind == health.KIND)
    return list((await session.execute(stmt)).scalars())


async def test_invalid_grant_marks_needs_reconnect_and_texts_once(make_user, fake_providers, connect_user, session):
    user = await make_user()
    await connect_user(user, "google")
    account = await _expire(session, user.id, fake_providers)
    with pytest.raises(ReconnectRequired):
        await oauth.fresh_tokens(user.id, "google")
    await session.refresh(account)
    assert account.status == "needs_reconnect"
    assert "invalid_grant" in (account.last_error or "")
    texts = await _health_texts(session, user.id)
    assert len(texts) == 1
    assert "/connections#google" in texts[0].body and "Google" in texts[0].body
    # the person asks again: the tool answers with the link, and no second text goes out
    reply = await text_assistant(user, "what's on my calendar")
    assert "/connections" in reply.text
    await health.mark_broken(user.id, "google", "invalid_grant")  # a second failure the same day
    assert len(await _health_texts(session, user.id)) == 1
    assert await health.notify_pending() == 0


async def test_the_health_text_waits_for_quiet_hours_to_end(make_user, fake_providers, connect_user, session):
    user = await make_user()
    await connect_user(user, "google")
    row = await session.get(User, user.id)
    now = clock.now()
    row.quiet_hours_start = dtime(0, 0)
    row.quiet_hours_end = dtime(23, 59)
    await session.commit()
    await _expire(session, user.id, fake_providers)
    with pytest.raises(ReconnectRequired):
        await oauth.fresh_tokens(user.id, "google")
    assert await _health_texts(session, user.id) == []
    row.quiet_hours_start = row.quiet_hours_end = None
    await session.commit()
    assert await health.notify_pending() == 1
    assert await health.notify_pending() == 0
    assert len(await _health_texts(session, user.id)) == 1
    assert now


async def test_the_dashboard_api_shows_needs_reconnect(client, make_user, fake_providers, connect_user, session):
    user = await make_user()
    await connect_user(user, "google")
    await _expire(session, user.id, fake_providers)
    with pytest.raises(ReconnectRequired):
        await oauth.fresh_tokens(user.id, "google")
    page = (await client.get("/api/v1/connectors", params={"limit": 200}, headers=user.headers)).json()
    listed = {c["provider"]: c for c in page["items"]}
    assert listed["google"]["status"] == "needs_reconnect"
    page = (await client.get("/api/v1/tools", params={"limit": 200}, headers=user.headers)).json()
    tools = {t["name"]: t for t in page["items"]}
    assert tools["calendar_list_events"]["enabled"] is False
    # reconnecting clears it
    await connect_user(user, "google")
    page = (await client.get("/api/v1/connectors", params={"limit": 200}, headers=user.headers)).json()
    listed = {c["provider"]: c for c in page["items"]}
    assert listed["google"]["status"] == "connected" and listed["google"]["last_error"] is None


async def test_microsoft_refresh_rotates_and_persists_the_cache(make_user, fake_providers, connect_user, session):
    fake_providers.expires_in = 60  # under msal's 5-minute margin: every silent call refreshes
    user = await make_user()
    await connect_user(user, "microsoft")
    account = (await session.execute(select(Connector))).scalar_one()
    before = account.token_cache_encrypted
    await session.commit()
    tokens = await oauth.fresh_tokens(user.id, "microsoft")
    assert tokens.access_token and fake_providers.refreshes == 1
    await session.refresh(account)
    assert account.token_cache_encrypted != before  # the rotated refresh token is kept
    assert await oauth.fresh_tokens(user.id, "microsoft")  # and works for the next refresh
    assert fake_providers.refreshes == 2


async def test_microsoft_invalid_grant_through_silent_with_error(make_user, fake_providers, connect_user, session):
    fake_providers.expires_in = 60
    user = await make_user()
    await connect_user(user, "microsoft")
    fake_providers.dead_refresh_tokens.update(fake_providers.refresh)
    with pytest.raises(ReconnectRequired):
        await oauth.fresh_tokens(user.id, "microsoft")
    account = (await session.execute(select(Connector))).scalar_one()
    assert account.status == "needs_reconnect"
    texts = await _health_texts(session, user.id)
    assert len(texts) == 1 and "Microsoft 365" in texts[0].body
