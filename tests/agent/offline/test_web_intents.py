"""The offline brain's web intents (offline/intents/web.py) and its replies for their tools."""

from __future__ import annotations

import pytest

from personal_assistant.agent.llm.base import ToolCall, ToolResult
from personal_assistant.agent.llm.offline.replies import compose
from personal_assistant.agent.llm.offline.style import THREE_SEGMENTS
from tests.agent.offline.conftest import make_ctx
from tests.agent.offline.helpers import check, plan

FREE = ("web_search", "youtube_summary")


@pytest.mark.parametrize(("text", "expected"), [
    ("look up how to descale a kettle", ("web_search", {"query": "how to descale a kettle"})),
    ("Google best running shoes for flat feet", ("web_search", {"query": "best running shoes for flat feet"})),
    ("search the web for ADHD coaching near me", ("web_search", {"query": "ADHD coaching near me"})),
    ("summarize https://www.youtube.com/watch?v=dQw4w9WgXcQ",
     ("youtube_summary", {"query": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"})),
    ("what's this video about https://youtu.be/dQw4w9WgXcQ?si=x1",
     ("youtube_summary", {"query": "https://youtu.be/dQw4w9WgXcQ?si=x1"})),
    ("https://youtu.be/dQw4w9WgXcQ", ("youtube_summary", {"query": "https://youtu.be/dQw4w9WgXcQ"})),
])
def test_requests_call_the_tools(text, expected):
    check(plan(make_ctx(text, tools=FREE)), expected)


@pytest.mark.parametrize(("text", "tool"), [
    ("search notion for meeting notes", "notion_search"),
    ("remind me to watch https://youtu.be/dQw4w9WgXcQ tonight", "create_reminder"),
    ("look up my reminders", None),
])
def test_own_things_are_not_web_searches(text, tool):
    action = plan(make_ctx(text, tools=(*FREE, "notion_search")))
    names = [c.name for c in action.tool_calls]
    assert "web_search" not in names and "youtube_summary" not in names
    if tool:
        assert names == [tool]


def test_a_video_request_without_a_link_asks_for_it():
    action = plan(make_ctx("summarize this youtube video", tools=FREE))
    assert action.kind == "answer" and "YouTube link" in action.text


def _reply(name: str, data) -> str:
    return compose(make_ctx("x"), [ToolResult(ToolCall(name, {}), True, data, "ok")])


def test_search_results_reply_with_titles_and_links():
    text = _reply("web_search", {"query": "descale a kettle", "items": [
        {"title": "How to descale a kettle", "url": "https://example.org/kettle", "snippet": "Use vinegar."},
        {"title": "Citric acid works", "url": "https://example.org/citric", "snippet": "Or citric acid."},
        {"title": "Third", "url": "https://example.org/3", "snippet": ""},
        {"title": "Fourth", "url": "https://example.org/4", "snippet": ""}]})
    assert text.startswith("Top results for 'descale a kettle': 1) How to descale a kettle https://example.org/kettle")
    assert "3) Third" in text and "Fourth" not in text and len(text) <= THREE_SEGMENTS


def test_no_search_results_says_so():
    text = _reply("web_search", {"query": "xyzzy", "items": []})
    assert text == "I didn't find anything for 'xyzzy'. Try other words?"


def test_video_replies_say_who_summarized_and_the_length():
    by_gemini = _reply("youtube_summary", {"summary": "Body doubling helps you start.", "summarized_by": "gemini",
                                           "duration": "10:12"})
    assert by_gemini == "Body doubling helps you start. (10:12)"
    opening = _reply("youtube_summary", {"summary": "Welcome back. Today: body doubling.",
                                         "summarized_by": "transcript", "duration": "10:12"})
    assert opening == 'A 10:12 video. It opens: "Welcome back. Today: body doubling."'
    long = _reply("youtube_summary", {"summary": "word " * 80, "summarized_by": "gemini", "duration": "1:02:03"})
    assert len(long) <= 160 and long.endswith("... (1:02:03)")


def test_a_failed_video_tool_message_is_sent_as_is():
    result = ToolResult(ToolCall("youtube_summary", {}), False,
                        "That video has no transcript (its captions are off), so I can't summarize it.", "error")
    assert "no transcript" in compose(make_ctx("x"), [result])
