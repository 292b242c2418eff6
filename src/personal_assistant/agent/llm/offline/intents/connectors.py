"""Connector intents: calendar, email, Notion, web search, YouTube (the link when not connected)."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.intent import Intent, ex
from personal_assistant.agent.llm.offline.message import Msg, call, say

CONNECTOR_LABELS = {
    "calendar_list_events": "your calendar (Google or Microsoft)",
    "email_triage": "your email (Gmail or Outlook)",
    "notion_search": "Notion",
    "web_search": "web search",
    "youtube_summary": "YouTube",
}
RE_CALENDAR = re.compile(
    r"\b(?:calendar|schedule|agenda)\b|\bam i (?:free|busy|booked)\b|\bwhat meetings\b|\bany meetings\b"
    r"|\bmy meetings\b|\bnext meeting\b|\bdo i have (?:any )?(?:meetings|appointments|events)\b"
)
RE_EMAIL = re.compile(
    r"\b(?:check|read|triage|summari[sz]e|scan|any|new|important|unread|urgent)\b.*\b(?:e-?mails?|inbox|mail|gmail|outlook)\b"
    r"|^(?:my\s+)?(?:e-?mails?|inbox)$"
)
RE_NOTION = re.compile(r"\bnotion\b")
RE_NOTION_QUERY = re.compile(
    r"\b(?:for|about)\s+(.+)$|^(?:search|find|look up|lookup)\s+(?:in\s+|my\s+)?notion\s+(?:for\s+|about\s+)?(.+)$"
)
RE_WEB = re.compile(
    r"^(?:search|google|look up|lookup|search the web|web search|search online|search the internet|bing|ddg)"
    r"(?:\s+(?:the web|online|the internet))?\s*(?:for|about)?\s*:?\s*(.+)$"
)
RE_YOUTUBE = re.compile(r"(?:https?://)?(?:www\.|m\.)?(?:youtube\.com/\S+|youtu\.be/\S+)|\byoutube\b|\bvideo\b")


def connectors(m: Msg, _match: re.Match[str] | None) -> Action | None:
    low = m.low
    if re.search(r"\bremind|\badd task|\btodo\b", low):
        return None
    tool, query = None, m.norm
    if RE_YOUTUBE.search(low) and (re.search(r"youtu", low) or re.search(r"\bsummar|\bwatch|\btl;?dr", low)):
        tool = "youtube_summary"
        url = re.search(r"(?:https?://)?(?:www\.|m\.)?(?:youtube\.com/\S+|youtu\.be/\S+)", m.text)
        query = url.group(0) if url else m.norm
    elif RE_NOTION.search(low):
        tool = "notion_search"
        found = RE_NOTION_QUERY.search(low)
        if found:
            group = 1 if found.group(1) else 2
            query = m.norm[found.start(group) : found.end(group)]
    elif RE_EMAIL.search(low):
        tool = "email_triage"
    elif RE_CALENDAR.search(low) and not re.search(r"\b(?:add|put|create|schedule a|book)\b", low):
        tool = "calendar_list_events"
    else:
        web = RE_WEB.match(low)
        if web and not re.search(r"\bmy\b", low[:20]):
            tool = "web_search"
            query = m.norm[web.start(1) : web.end(1)]
    if tool is None:
        return None
    query = query.strip(" ?!.") or m.norm
    if m.has_tool(tool):
        return call(tool, query=query[:500])
    connector = m.ctx.unavailable_tools.get(tool)
    link = f"{m.ctx.dashboard_url.rstrip('/')}/connections"
    label = CONNECTOR_LABELS[tool]
    if connector or tool != "web_search":
        text = m.voice.pick(
            "connect",
            [f"I can help with {label} once it's connected: {link}", f"To use {label}, connect it here: {link}"],
        )
        return say(text)
    return say(f"Web search isn't available right now. You can check {link} for what's connected.")


CONNECTORS = Intent(
    "connectors",
    connectors,
    priority=83,
    summary="calendar, email, Notion, web search, YouTube (or the page to connect them)",
    examples=(
        ex("what's on my calendar", "connectors", expect="answer", says="connections"),
        ex("check my email", "connectors", expect="answer", says="connections"),
        ex("am I free tomorrow afternoon?", "connectors", expect="answer", says="connections"),
        ex("search notion for meeting notes", "connectors", expect="answer", says="connections"),
        ex("any important emails?", "connectors", expect="answer", says="connections"),
        ex("what meetings do I have", "connectors", expect="answer", says="connections"),
        ex("my inbox", "connectors", expect="answer", says="connections"),
        ex("whats on my calendar tomorrow", "connectors", expect="answer", says="connections"),
        ex("do I have any meetings today", "connectors", expect="answer", says="connections"),
        ex("check notion for the trip plan", "connectors", expect="answer", says="connections"),
        ex("any new mail", "connectors", expect="answer", says="connections"),
        ex("what's my schedule like", "connectors", expect="answer", says="connections"),
        ex("next meeting?", "connectors", expect="answer", says="connections"),
        ex("triage my inbox", "connectors", expect="answer", says="connections"),
    ),
)

INTENTS = (CONNECTORS,)
