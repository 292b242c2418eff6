"""Reply composers for the account-free tools: web_search and youtube_summary (shapes in
agent/tools/web.py; results.py ConnectorOut). Defensive like every composer: odd payloads give a
plainer sentence, never an exception."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.llm.offline.reply_kit import Reply, item_list, numbered
from personal_assistant.agent.llm.offline.style import SEGMENT, THREE_SEGMENTS, clip, fit

RESULTS_SHOWN = 3  # links are long: three results fill the three segments a list may use


def web_search(r: Reply, data: dict[str, Any]) -> str:
    query = clip(str(data.get("query") or ""), 40)
    items = item_list(data)[:RESULTS_SHOWN]
    if not items:
        about = f" for '{query}'" if query else ""
        return f"I didn't find anything{about}. Try other words?"
    lines = []
    for item in items:
        title = clip(str(item.get("title") or item.get("snippet") or "a result"), 60)
        url = str(item.get("url") or "")
        lines.append(f"{title} {url}".strip())
    head = f"Top results for '{query}': " if query else "Top results: "
    body, shown = numbered(lines, THREE_SEGMENTS - len(head))
    if shown == 0:  # one very long link: the titles alone
        body, _ = numbered([clip(str(i.get("title") or "a result"), 60) for i in items], THREE_SEGMENTS - len(head))
    return head + body


def youtube_summary(r: Reply, data: dict[str, Any]) -> str:
    """One segment (the reply's usual size): the length first, so a long summary never cuts it."""
    summary = " ".join(str(data.get("summary") or "").split())
    length = str(data.get("duration") or "").strip()
    title = clip(str(data["title"]), 50) + ": " if data.get("title") else ""
    if not summary:
        return f"I read that video{f' ({length})' if length else ''} but couldn't summarize it."
    if data.get("summarized_by") == "transcript":
        head = f"{title}A {length} video. It opens: \"" if length else f"{title}It opens: \""
        return head + fit(summary, SEGMENT - len(head) - 1) + '"'
    tail = f" ({length})" if length else ""
    return title + fit(summary, SEGMENT - len(title) - len(tail)) + tail
