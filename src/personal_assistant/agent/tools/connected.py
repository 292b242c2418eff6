"""Tools that need a connected account (progressive activation).

For a user without the account they are "unavailable" (GET /api/v1/tools says how to connect;
a request for them is answered with the dashboard link). Each tool ends the call's transaction
before it talks to the provider (oauth.fresh_tokens reads the tokens in its own short one), then
calls the provider through the resilience layer. A provider that fails or hangs fails this tool
only, with a short message: the reply still goes out.

Results share one shape for the offline composer: {"items": [{title, start/local_start, sender,
url}], "summary": "..."}; email results carry counts, senders and subjects, never bodies.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import Field

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.connectors import oauth
from personal_assistant.connectors.base import ReconnectRequired, TokenSet
from personal_assistant.connectors.registry import get_connector
from personal_assistant.core import resilience
from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.planning.common import local_iso, parse_when

T = TypeVar("T")


# --- arguments ---------------------------------------------------------------------------------
class CreateEvent(schemas.Args):
    title: str = Field(min_length=1, max_length=200, description="what the event is, e.g. 'Dentist'")
    start: str = Field(description="start, ISO 8601 (local time if no offset)")
    duration_minutes: int = Field(60, ge=5, le=24 * 60, description="length in minutes")
    location: str | None = Field(None, max_length=200, description="where, if said")


class FreeBusy(schemas.Args):
    day: str = Field("today", max_length=100, description="the day to check, e.g. 'tomorrow' or '2026-12-04'")


class NotionPage(schemas.Args):
    title: str = Field(min_length=1, max_length=200, description="the page title")
    content: str = Field("", max_length=5000, description="the note's text")


# --- the shared call path ----------------------------------------------------------------------
async def _with_tokens(ctx: ToolContext, provider: str, call: Callable[[TokenSet], Awaitable[T]]) -> T:
    label = get_connector(provider).label
    if ctx.session.in_transaction():
        await ctx.session.commit()  # no transaction waits on the provider
    try:
        tokens = await oauth.fresh_tokens(ctx.user_id, provider)
        return await call(tokens)
    except NotFound as exc:
        raise ToolFailed(f"Connect {label} first: {oauth.dashboard_link(provider)}") from exc
    except ReconnectRequired as exc:
        raise ToolFailed(f"Your {label} connection needs a refresh. Reconnect here: "
                         f"{oauth.dashboard_link(provider)}") from exc
    except resilience.ProviderUnavailable as exc:
        raise ToolFailed(f"{label} isn't answering right now, so I couldn't check. Try again in a bit") from exc


def _zone(ctx: ToolContext) -> ZoneInfo:
    return ZoneInfo(ctx.timezone)


RE_DAYS = re.compile(r"\b(?:this|next)\s+week\b|\bweek\b")


def day_range(query: str, ctx: ToolContext) -> tuple[datetime, datetime, str]:
    """The span a calendar question asks about: today (the rest of it), tomorrow, a week, a
    named day; by default the next 24 hours."""
    from personal_assistant.agent.llm.offline.when import find_when

    now = ctx.local_now.astimezone(_zone(ctx))
    low = (query or "").lower()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if RE_DAYS.search(low):
        return now, midnight + timedelta(days=7), "this week"
    if "today" in low or "tonight" in low:
        return now, midnight + timedelta(days=1), "today"
    when = find_when(low, now) if low.strip() else None
    if when is not None and when.has_date:
        start = when.at.replace(hour=0, minute=0, second=0, microsecond=0)
        label = "tomorrow" if start.date() == (midnight + timedelta(days=1)).date() else start.strftime("%A")
        return max(start, now), start + timedelta(days=1), label
    return now, now + timedelta(hours=24), "the next 24 hours"


def _items(events: list[dict[str, Any]], tz: str) -> list[dict[str, Any]]:
    out = []
    for e in events:
        start = e.get("start")
        local = None
        if start and "T" in str(start):
            local = local_iso(datetime.fromisoformat(str(start).replace("Z", "+00:00")), tz)
        out.append({"title": e["title"], "start": start, "local_start": local, "location": e.get("location"),
                    "all_day": e.get("all_day", False)})
    return out


def _event_window(ctx: ToolContext, args: CreateEvent) -> tuple[datetime, datetime]:
    try:
        start = parse_when(args.start, ctx.timezone, field="start").astimezone(_zone(ctx))
    except ValidationFailed as exc:
        raise ToolFailed("I couldn't tell when that is. What day and time?") from exc
    return start, start + timedelta(minutes=args.duration_minutes)


def _created(event: dict[str, Any], start: datetime) -> dict[str, Any]:
    when = f"{start.strftime('%a %b')} {start.day} at {start.strftime('%I:%M %p').lstrip('0')}"
    where = f" at {event['location']}" if event.get("location") else ""
    return {"id": event.get("id"), "title": event["title"], "local_start": start.isoformat(),
            "summary": f"Added '{event['title']}' to your calendar: {when}{where}."}


def _triage(count: int, mails: list[dict[str, str]], label: str) -> dict[str, Any]:
    if count == 0:
        return {"count": 0, "items": [], "summary": f"No unread email in your {label} inbox. Nice."}
    senders = ", ".join(dict.fromkeys(m["sender"] for m in mails))
    lines = "; ".join(f"{m['sender']}: {m['subject'][:50]}" for m in mails[:3])
    items = [{"title": m["subject"], "sender": m["sender"]} for m in mails]
    return {"count": count, "senders": senders, "items": items,
            "summary": f"{count} unread. Newest: {lines}"}


# --- Google --------------------------------------------------------------------------------
@registry.tool(
    "calendar_list_events",
    "List upcoming events from the user's Google Calendar (e.g. today, tomorrow, this week).",
    schemas.ConnectorQuery,
    connector="google",
)
async def calendar_list_events(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    from personal_assistant.connectors.google import api

    start, end, label = day_range(args.query, ctx)
    events = await _with_tokens(ctx, "google", lambda t: api.list_events(t, start, end, user_id=ctx.user_id))
    return {"range": label, "items": _items(events, ctx.timezone)}


@registry.tool(
    "calendar_create_event",
    "Add an event to the user's Google Calendar.",
    CreateEvent,
    connector="google",
    changes_data=True,
)
async def calendar_create_event(ctx: ToolContext, args: CreateEvent) -> dict[str, Any]:
    from personal_assistant.connectors.google import api

    start, end = _event_window(ctx, args)
    event = await _with_tokens(ctx, "google", lambda t: api.create_event(
        t, args.title, start, end, ctx.timezone, args.location, user_id=ctx.user_id))
    return _created(event, start)


@registry.tool(
    "calendar_free_busy",
    "When the user is busy on a given day, from their Google Calendar's free/busy.",
    FreeBusy,
    connector="google",
)
async def calendar_free_busy(ctx: ToolContext, args: FreeBusy) -> dict[str, Any]:
    from personal_assistant.connectors.google import api

    start, end, label = day_range(args.day, ctx)
    busy = await _with_tokens(ctx, "google", lambda t: api.free_busy(t, start, end, user_id=ctx.user_id))
    if not busy:
        return {"range": label, "busy": [], "summary": f"You're free {label}."}
    spans = [f"{_hm(b['start'], ctx)}-{_hm(b['end'], ctx)}" for b in busy]
    return {"range": label, "busy": busy, "summary": f"Busy {label}: {', '.join(spans)}. Free otherwise."}


def _hm(value: str, ctx: ToolContext) -> str:
    at = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(_zone(ctx))
    return at.strftime("%I:%M%p").lstrip("0").lower()


@registry.tool(
    "email_triage",
    "Summarize the user's unread Gmail: how many, from whom, subjects.",
    schemas.ConnectorQuery,
    connector="google",
)
async def email_triage(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    from personal_assistant.connectors.google import api

    count, mails = await _with_tokens(ctx, "google", lambda t: api.unread(t, user_id=ctx.user_id))
    return _triage(count, mails, "Gmail")


@registry.tool(
    "youtube_search",
    "Search YouTube videos for the user.",
    schemas.ConnectorQuery,
    connector="google",
)
async def youtube_search(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    from personal_assistant.connectors.google import api

    if not args.query.strip():
        raise ToolFailed("What should I search YouTube for?")
    videos = await _with_tokens(ctx, "google", lambda t: api.youtube_search(t, args.query, user_id=ctx.user_id))
    return {"items": [{"title": f"{v['title']} ({v['channel']})", "url": v["url"]} for v in videos]}


# --- Microsoft -----------------------------------------------------------------------------
@registry.tool(
    "outlook_calendar_list_events",
    "List upcoming events from the user's Outlook (Microsoft 365) calendar.",
    schemas.ConnectorQuery,
    connector="microsoft",
)
async def outlook_calendar_list_events(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    from personal_assistant.connectors.microsoft import graph

    start, end, label = day_range(args.query, ctx)
    events = await _with_tokens(ctx, "microsoft", lambda t: graph.list_events(t, start, end, user_id=ctx.user_id))
    return {"range": label, "items": _items(events, ctx.timezone)}


@registry.tool(
    "outlook_calendar_create_event",
    "Add an event to the user's Outlook (Microsoft 365) calendar.",
    CreateEvent,
    connector="microsoft",
    changes_data=True,
)
async def outlook_calendar_create_event(ctx: ToolContext, args: CreateEvent) -> dict[str, Any]:
    from personal_assistant.connectors.microsoft import graph

    start, end = _event_window(ctx, args)
    event = await _with_tokens(ctx, "microsoft", lambda t: graph.create_event(
        t, args.title, start, end, ctx.timezone, args.location, user_id=ctx.user_id))
    return _created(event, start)


@registry.tool(
    "outlook_email_triage",
    "Summarize the user's unread Outlook mail: how many, from whom, subjects.",
    schemas.ConnectorQuery,
    connector="microsoft",
)
async def outlook_email_triage(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    from personal_assistant.connectors.microsoft import graph

    count, mails = await _with_tokens(ctx, "microsoft", lambda t: graph.unread(t, user_id=ctx.user_id))
    return _triage(count, mails, "Outlook")


# --- Notion --------------------------------------------------------------------------------
@registry.tool(
    "notion_search",
    "Search the user's Notion pages.",
    schemas.ConnectorQuery,
    connector="notion",
)
async def notion_search(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    from personal_assistant.connectors.notion import api

    pages = await _with_tokens(ctx, "notion", lambda t: api.search(t, args.query, user_id=ctx.user_id))
    return {"items": pages}


@registry.tool(
    "notion_create_page",
    "Save a note as a new Notion page under the page the user chose when connecting.",
    NotionPage,
    connector="notion",
    changes_data=True,
)
async def notion_create_page(ctx: ToolContext, args: NotionPage) -> dict[str, Any]:
    from personal_assistant.connectors.notion import api

    async def create(tokens: TokenSet) -> dict[str, str]:
        parent = tokens.settings.get("parent_page_id")
        if not parent:
            raise ToolFailed(f"Pick a Notion page for your notes first: {oauth.dashboard_link('notion')}")
        return await api.create_page(tokens, parent, args.title, args.content, user_id=ctx.user_id)

    page = await _with_tokens(ctx, "notion", create)
    return {**page, "summary": f"Saved to Notion: {page['title']} {page['url']}".strip()}

