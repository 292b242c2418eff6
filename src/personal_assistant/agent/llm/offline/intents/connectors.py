"""Connector intents: calendar, email, Notion, web search, YouTube (the link when not connected)."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.intent import Intent, ex
from personal_assistant.agent.llm.offline.message import Msg, ask, call, say

CONNECTOR_LABELS = {
    "calendar_list_events": "your calendar (Google or Microsoft)",
    "outlook_calendar_list_events": "your calendar (Google or Microsoft)",
    "calendar_free_busy": "your calendar (Google or Microsoft)",
    "email_triage": "your email (Gmail or Outlook)",
    "outlook_email_triage": "your email (Gmail or Outlook)",
    "notion_search": "Notion",
    "youtube_search": "YouTube",
    "calendar_create_event": "your calendar (Google or Microsoft)",
    "outlook_calendar_create_event": "your calendar (Google or Microsoft)",
    "notion_create_page": "Notion",
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
# "save to notion: ...", "add to notion ...", "note in notion that ..."
RE_NOTION_SAVE = re.compile(
    r"^(?:please\s+)?(?:save|add|put|write|note|jot|send)(?:\s+(?:this|that|it|a note))?"
    r"\s+(?:to|in|into|on)\s+(?:my\s+)?notion\s*(?:that\s+)?[:,-]?\s*(.+)$"
)
# The same request, Google first, then Microsoft: whichever the person connected.
ALTERNATIVES = {
    "calendar_list_events": ("calendar_list_events", "outlook_calendar_list_events"),
    "email_triage": ("email_triage", "outlook_email_triage"),
    "calendar_create_event": ("calendar_create_event", "outlook_calendar_create_event"),
}


def pick(m: Msg, tool: str) -> str | None:
    """The connected tool for a request (Google's or Microsoft's), or None."""
    for name in ALTERNATIVES.get(tool, (tool,)):
        if m.has_tool(name):
            return name
    return None


def connect_link(m: Msg, label: str) -> Action:
    link = f"{m.ctx.dashboard_url.rstrip('/')}/connections"
    text = m.voice.pick(
        "connect",
        [f"I can help with {label} once it's connected: {link}", f"To use {label}, connect it here: {link}"],
    )
    return say(text)
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
    elif RE_NOTION_SAVE.match(low):
        found = RE_NOTION_SAVE.match(low)
        assert found is not None
        note = m.own(found.start(1), found.end(1)).strip()
        if not note:
            return None
        if not m.has_tool("notion_create_page"):
            return connect_link(m, "Notion")
        title = note.split(". ")[0][:80]
        return call("notion_create_page", title=title, content=note)
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
    chosen = pick(m, tool)
    if chosen is not None:
        return call(chosen, query=query[:500])
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

RE_CALENDAR_ADD = re.compile(
    r"^(?:please\s+)?(?:put|add|schedule|book|pop|stick)\s+(.+?)\s+(?:on|to|in|into)\s+(?:my\s+)?"
    r"(?:google\s+|outlook\s+)?(?:calendar|cal|agenda)\b\s*(.*)$"
)


def calendar_add(m: Msg, _match: re.Match[str] | None) -> Action | None:
    """"put dentist on my calendar friday at 3" -> an event (not a reminder) when a calendar is connected."""
    from personal_assistant.agent.llm.offline.when import find_when

    found = RE_CALENDAR_ADD.match(m.low)
    if not found:
        return None
    when = find_when(m.low, m.now, day_parts=m.ctx_day_parts)
    tool = pick(m, "calendar_create_event")
    if tool is None:
        return connect_link(m, "your calendar (Google or Microsoft)")
    title = m.own_without(found.start(1), found.end(1), list(when.spans) if when else [])
    if not title:
        return None
    if when is None or not when.has_time:
        return ask(f"What time should I put {title} on your calendar?", tool, {"title": title}, "start")
    return call(tool, title=title[:1].upper() + title[1:], start=when.at.replace(tzinfo=None).isoformat())


CALENDAR_ADD = Intent(
    "calendar_add",
    calendar_add,
    priority=96,  # above create_reminder: "put X on my calendar" is an event
    summary="put something on the connected calendar (or the page to connect it)",
    examples=(
        ex("put dentist on my calendar friday at 3", "calendar_add", expect="answer", says="connections"),
        ex("add lunch with sam to my calendar tomorrow at noon", "calendar_add", expect="answer",
           says="connections"),
        ex("put the team call on my calendar monday at 10am", "calendar_add", expect="answer", says="connections"),
        ex("schedule haircut on my calendar saturday at 11", "calendar_add", expect="answer", says="connections"),
        ex("add yoga to my calendar tonight at 7", "calendar_add", expect="answer", says="connections"),
        ex("book vet appointment in my calendar next tuesday at 4pm", "calendar_add", expect="answer",
           says="connections"),
        ex("put mom's birthday dinner on my calendar sunday at 6", "calendar_add", expect="answer",
           says="connections"),
        ex("add parent teacher meeting to my google calendar thursday at 5:30", "calendar_add", expect="answer",
           says="connections"),
    ),
)

INTENTS = (CALENDAR_ADD, CONNECTORS)
