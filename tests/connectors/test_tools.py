"""The connector tools through the real pipeline (tests/fixtures/turns.py text_assistant): the
offline brain picks the tool, the tool calls the fake provider with the real client library."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import AgentStep
from tests.fixtures.turns import text_assistant


def _event(title: str, start, location: str | None = None) -> dict:
    event = {"id": title, "summary": title, "start": {"dateTime": start.isoformat()},
             "end": {"dateTime": (start + timedelta(hours=1)).isoformat()}}
    if location:
        event["location"] = location
    return event


async def test_unconnected_calendar_request_gets_the_dashboard_link(make_user):
    user = await make_user()
    reply = await text_assistant(user, "what's on my calendar tomorrow")
    assert "/connections" in reply.text


async def test_google_calendar_list(make_user, fake_providers, connect_user):
    user = await make_user()
    await connect_user(user, "google")
    fake_providers.events["google"].append(_event("Standup", clock.now() + timedelta(hours=3)))
    reply = await text_assistant(user, "what's on my calendar")
    assert "Standup" in reply.text


async def test_google_calendar_create(make_user, fake_providers, connect_user):
    user = await make_user()
    await connect_user(user, "google")
    reply = await text_assistant(user, "put dentist on my calendar friday at 3")
    assert "Dentist" in reply.text, reply.text
    created = fake_providers.events["google"][-1]
    assert created["summary"] == "Dentist"
    assert "T15:00:00" in created["start"]["dateTime"]


async def test_gmail_triage_shows_senders_and_subjects_never_bodies(make_user, fake_providers, connect_user,
                                                                    session, caplog):
    user = await make_user()
    await connect_user(user, "google")
    reply = await text_assistant(user, "any important emails?")
    assert "2 unread" in reply.text and "Boss" in reply.text and "Quarterly report" in reply.text
    assert "SECRET BODY TEXT" not in reply.text
    assert "SECRET BODY TEXT" not in caplog.text
    steps = (await session.execute(select(AgentStep))).scalars().all()
    assert all("SECRET BODY TEXT" not in str(s.result) + str(s.result_summary) for s in steps)


async def test_outlook_calendar_and_mail(make_user, fake_providers, connect_user):
    user = await make_user()
    await connect_user(user, "microsoft")
    fake_providers.events["microsoft"].append({
        "id": "e1", "subject": "1:1 with Dana",
        "start": {"dateTime": (clock.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.0000000")},
        "end": {"dateTime": (clock.now() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S.0000000")}})
    assert "Dana" in (await text_assistant(user, "what's on my calendar")).text
    assert "Boss" in (await text_assistant(user, "check my email")).text
    reply = await text_assistant(user, "add lunch with sam to my calendar tomorrow at noon")
    assert "Lunch with sam" in reply.text, reply.text
    assert fake_providers.events["microsoft"][-1]["subject"] == "Lunch with sam"


async def test_notion_save_and_search(make_user, fake_providers, connect_user):
    user = await make_user()
    await connect_user(user, "notion")
    reply = await text_assistant(user, "save to notion: bike helmet sizes to compare")
    assert "Saved to Notion" in reply.text, reply.text
    page = fake_providers.created_pages[-1]
    assert page["parent"] == {"page_id": "page-inbox"}  # the page shared at consent
    assert page["title"].startswith("bike helmet")
    reply = await text_assistant(user, "search notion for helmet")
    assert "helmet" in reply.text.lower()


async def test_youtube_search_tool(make_user, fake_providers, connect_user, session):
    from personal_assistant.agent.tools.registry import TurnScope, registry
    from personal_assistant.db.models import User

    user = await make_user()
    await connect_user(user, "google")
    row = await session.get(User, user.id)
    scope = TurnScope(row, user.id, "sms", clock.now(), "UTC")
    tool = registry.get("youtube_search")
    assert tool is not None
    ctx = await scope.context(session)
    out = await tool.impl(ctx, tool.args_model(query="breathing exercises"))
    assert out["items"][0]["url"] == "https://youtu.be/vid123"


@pytest.mark.parametrize("mode", ["500", "hang"])
async def test_a_failing_provider_degrades_that_tool_only(mode, make_user, fake_providers, connect_user,
                                                          settings_env):
    settings_env(AGENT_TOOL_TIMEOUT_SECONDS="3", PROVIDER_DEADLINE_SECONDS="2.5")
    user = await make_user()
    await connect_user(user, "google")
    fake_providers.fail["google"] = mode
    started = time.monotonic()
    reply = await text_assistant(user, "what's on my calendar")
    assert reply.text  # the reply still arrives
    assert "Google" in reply.text or "took too long" in reply.text or "couldn't" in reply.text
    assert time.monotonic() - started < 15
    # another feature still works in the next text
    assert "milk" in (await text_assistant(user, "add milk to my grocery list")).text.lower()
