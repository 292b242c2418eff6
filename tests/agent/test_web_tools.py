"""web_search and youtube_summary through the real turn path (pipeline, Runner, outbox), with the
real ddgs and youtube-transcript-api clients against local fakes (tests/fixtures/fake_web.py)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from sqlalchemy import select

from personal_assistant.agent.llm.base import ToolResult
from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.tools.registry import registry
from personal_assistant.agent.tools.web import video_id
from personal_assistant.core import resilience
from personal_assistant.db.models import Task
from personal_assistant.db.session import session_scope
from tests.agent.scripted import ScriptedProvider, answer, call
from tests.fixtures import fake_gemini as fg
from tests.fixtures.fake_web import hang, respond
from tests.fixtures.turns import text_assistant

VIDEO = "dQw4w9WgXcQ"
LINES = [(0.0, 2.5, "Welcome back to the channel."), (2.5, 3.0, "Today we talk about body doubling."),
         (5.5, 4.0, "It helps people with ADHD start boring tasks."), (9.5, 3.0, "Let's get into it."),
         (600.0, 12.0, "Thanks for watching!")]


def _echo(ctx, results: list[ToolResult]):
    """Answer with what the tools returned, so the test reads the tool's outcome in the reply."""
    return answer(json.dumps([{"tool": r.call.name, "ok": r.ok, "data": r.data} for r in results], default=str))


def _chain(*steps) -> ProviderChain:
    return ProviderChain(None, ScriptedProvider(*steps, _echo, name="scripted"))


def _outcome(reply) -> list[dict]:
    return json.loads(reply.text)


def test_both_tools_are_offered_without_any_account():
    for name in ("web_search", "youtube_summary"):
        tool = registry.get(name)
        assert tool is not None and tool.connector is None and not tool.changes_data


@pytest.mark.parametrize("link", [
    f"https://www.youtube.com/watch?v={VIDEO}",
    f"https://youtube.com/watch?feature=share&v={VIDEO}&t=42",
    f"http://m.youtube.com/watch?v={VIDEO}",
    f"https://music.youtube.com/watch?v={VIDEO}&list=RD",
    f"https://youtu.be/{VIDEO}?si=abc",
    f"youtu.be/{VIDEO}",
    f"https://www.youtube.com/shorts/{VIDEO}",
    f"https://www.youtube.com/embed/{VIDEO}",
    f"https://www.youtube.com/live/{VIDEO}?feature=share",
    f"https://www.youtube-nocookie.com/embed/{VIDEO}",
    f"summarize this https://youtu.be/{VIDEO} please",
    VIDEO,
])
def test_video_id_from_any_link_form(link):
    assert video_id(link) == VIDEO


def test_no_video_id_in_plain_words():
    assert video_id("summarize the video about focus") is None
    assert video_id("https://vimeo.com/123456789") is None


# --- web search ------------------------------------------------------------------------------
async def test_web_search_returns_titles_links_and_snippets(make_user, fake_search):
    fake_search.script(fake_search.answer(
        ("Pomodoro technique - Wikipedia", "https://en.wikipedia.org/wiki/Pomodoro_Technique",
         "The Pomodoro Technique is a time management method."),
        ("Best timers for ADHD", "https://example.org/timers", "Visual timers help with time blindness."),
    ))
    user = await make_user()
    reply = await text_assistant(user, "look up pomodoro", chain=_chain(call("web_search", query="pomodoro timer")))
    [outcome] = _outcome(reply)
    assert outcome["ok"] is True
    assert outcome["data"]["items"][0] == {
        "title": "Pomodoro technique - Wikipedia", "url": "https://en.wikipedia.org/wiki/Pomodoro_Technique",
        "snippet": "The Pomodoro Technique is a time management method."}
    assert len(outcome["data"]["items"]) == 2
    assert fake_search.queries == ["pomodoro timer"]
    assert fake_search.connects[0].startswith("CONNECT html.duckduckgo.com:443")


async def test_a_hanging_search_engine_fails_that_tool_only_and_the_reply_arrives(make_user, fake_search,
                                                                                  settings_env):
    settings_env(AGENT_TOOL_TIMEOUT_SECONDS="3")  # the tool's deadline is 2 s, ddgs' request timeout 1 s
    fake_search.http.default = hang()
    user = await make_user()
    started = time.monotonic()
    reply = await text_assistant(user, "look that up and add a task", chain=_chain(
        call("web_search", query="body doubling"), call("add_task", title="try body doubling")))
    elapsed = time.monotonic() - started
    search, task = _outcome(reply)
    assert search["ok"] is False and "taking too long" in search["data"]
    assert task["ok"] is True  # the other tool of the turn was not affected
    assert elapsed < 6
    async with session_scope() as s:
        assert (await s.execute(select(Task.title).where(Task.user_id == user.id))).scalars().all() == [
            "try body doubling"]


async def test_a_failing_search_engine_answers_no_results_and_never_fails_the_turn(make_user, fake_search):
    fake_search.http.default = respond(500, "oops", content_type="text/html")
    user = await make_user()
    reply = await text_assistant(user, "search the web for x", chain=_chain(call("web_search", query="x")))
    [outcome] = _outcome(reply)
    # ddgs reads a non-200 answer as "no results": the tool says it found nothing.
    assert outcome == {"tool": "web_search", "ok": True, "data": {"query": "x", "items": []}}


async def test_search_failures_open_the_web_breaker_and_later_searches_are_short_circuited(
        make_user, fake_search, settings_env):
    settings_env(AGENT_TOOL_TIMEOUT_SECONDS="3", PROVIDER_BREAKER_THRESHOLD="1")
    fake_search.http.default = hang()
    user = await make_user()
    first = _outcome(await text_assistant(user, "a", chain=_chain(call("web_search", query="a"))))[0]
    assert first["ok"] is False  # timed out (or its retry met the breaker the timeout opened)
    assert await resilience.default_guard().state("web") == "opened"
    await asyncio.sleep(1.5)  # the abandoned attempt's thread has made its request by now
    seen = len(fake_search.http.requests)
    started = time.monotonic()
    second = _outcome(await text_assistant(user, "b", chain=_chain(call("web_search", query="b"))))[0]
    assert second["ok"] is False and "isn't answering" in second["data"]
    assert len(fake_search.http.requests) == seen and time.monotonic() - started < 1.5  # not even tried


# --- YouTube ---------------------------------------------------------------------------------
async def test_youtube_summary_without_gemini_gives_the_first_lines_and_the_length(make_user, fake_youtube):
    fake_youtube.serve(VIDEO, LINES)
    user = await make_user()
    reply = await text_assistant(user, "summarize", chain=_chain(
        call("youtube_summary", query=f"https://youtu.be/{VIDEO}")))
    [outcome] = _outcome(reply)
    assert outcome["ok"] is True
    data = outcome["data"]
    assert data["summarized_by"] == "transcript"
    assert data["summary"].startswith("Welcome back to the channel. Today we talk about body doubling.")
    assert (data["duration"], data["duration_seconds"], data["language"]) == ("10:12", 612, "en")
    assert fake_youtube.video_requests() == ["/watch", "/youtubei/v1/player", "/api/timedtext"]


async def test_youtube_summary_with_gemini_configured_is_written_by_gemini(make_user, fake_youtube, fake_gemini):
    fake_youtube.serve(VIDEO, LINES)
    fake_gemini.script(fg.text("Body doubling helps people with ADHD start boring tasks."))
    user = await make_user()
    reply = await text_assistant(user, "summarize", chain=_chain(
        call("youtube_summary", query=f"https://www.youtube.com/watch?v={VIDEO}")))
    data = _outcome(reply)[0]["data"]
    assert data["summarized_by"] == "gemini"
    assert data["summary"] == "Body doubling helps people with ADHD start boring tasks."
    sent = json.dumps(fake_gemini.requests[0])
    assert "Today we talk about body doubling." in sent and "Summarize this video transcript" in sent


async def test_a_failing_gemini_falls_back_to_the_first_lines(make_user, fake_youtube, fake_gemini):
    fake_youtube.serve(VIDEO, LINES)
    fake_gemini.default = fg.error(500)
    user = await make_user()
    reply = await text_assistant(user, "summarize", chain=_chain(call("youtube_summary", query=VIDEO)))
    data = _outcome(reply)[0]["data"]
    assert data["summarized_by"] == "transcript" and data["summary"].startswith("Welcome back")


async def test_disabled_transcripts_get_a_clear_reply(make_user, fake_youtube):
    fake_youtube.serve(VIDEO, LINES, captions=False)
    user = await make_user()
    reply = await text_assistant(user, "summarize", chain=_chain(call("youtube_summary", query=f"youtu.be/{VIDEO}")))
    [outcome] = _outcome(reply)
    assert outcome["ok"] is False and "no transcript" in outcome["data"]


async def test_an_unavailable_video_gets_a_clear_reply(make_user, fake_youtube):
    fake_youtube.serve(VIDEO, LINES, captions=False, status="ERROR", reason="This video is unavailable")
    user = await make_user()
    reply = await text_assistant(user, "summarize", chain=_chain(call("youtube_summary", query=f"youtu.be/{VIDEO}")))
    [outcome] = _outcome(reply)
    assert outcome["ok"] is False and "couldn't open that video" in outcome["data"]


async def test_youtube_500s_are_retried_then_degrade_that_tool_only(make_user, fake_youtube):
    fake_youtube.fail_everything(respond(503, "unavailable", content_type="text/html"))
    user = await make_user()
    reply = await text_assistant(user, "summarize and add a task", chain=_chain(
        call("youtube_summary", query=f"youtu.be/{VIDEO}"), call("add_task", title="watch it later")))
    video, task = _outcome(reply)
    assert video["ok"] is False and "isn't answering" in video["data"]
    assert task["ok"] is True
    assert fake_youtube.video_requests() == ["/watch", "/watch"]  # two attempts, then it gave up


async def test_a_hanging_youtube_times_out_and_the_reply_arrives(make_user, fake_youtube, settings_env):
    settings_env(AGENT_TOOL_TIMEOUT_SECONDS="3")
    fake_youtube.fail_everything(hang())
    user = await make_user()
    started = time.monotonic()
    reply = await text_assistant(user, "summarize", chain=_chain(call("youtube_summary", query=VIDEO)))
    [outcome] = _outcome(reply)
    assert outcome["ok"] is False and "taking too long" in outcome["data"]
    assert time.monotonic() - started < 5


async def test_a_link_without_a_video_asks_for_one(make_user, fake_youtube):
    user = await make_user()
    reply = await text_assistant(user, "summarize", chain=_chain(call("youtube_summary", query="that video")))
    [outcome] = _outcome(reply)
    assert outcome["ok"] is False and "YouTube link" in outcome["data"]
    assert fake_youtube.requests == []


# --- the offline brain, end to end -----------------------------------------------------------
async def test_look_up_is_answered_by_the_offline_brain_with_results(make_user, fake_search):
    fake_search.script(fake_search.answer(
        ("Descaling a kettle with vinegar", "https://example.org/kettle", "Half vinegar, half water."),
    ))
    user = await make_user()
    reply = await text_assistant(user, "look up how to descale a kettle")
    assert reply.provider == "offline"
    assert reply.text == "Top results for 'how to descale a kettle': 1) Descaling a kettle with vinegar " \
                         "https://example.org/kettle"
    assert fake_search.queries == ["how to descale a kettle"]


async def test_summarize_a_link_is_answered_by_the_offline_brain(make_user, fake_youtube):
    fake_youtube.serve(VIDEO, LINES)
    user = await make_user()
    reply = await text_assistant(user, f"what's this video about https://youtu.be/{VIDEO}")
    assert reply.provider == "offline"
    assert reply.text.startswith('A 10:12 video. It opens: "Welcome back to the channel. Today we talk')
    assert reply.text.endswith('"') and len(reply.text) <= 160


async def test_a_hanging_youtube_still_gets_a_kind_offline_reply(make_user, fake_youtube, settings_env):
    settings_env(AGENT_TOOL_TIMEOUT_SECONDS="3")
    fake_youtube.fail_everything(hang())
    user = await make_user()
    reply = await text_assistant(user, f"summarize https://youtu.be/{VIDEO}")
    assert reply.provider == "offline" and "taking too long" in reply.text
