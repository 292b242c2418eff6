"""Tools that need a connected account (progressive activation).

They are declared here so the registry knows them: for a user without the account they are
"unavailable" (GET /api/v1/tools says how to connect; a request for them is answered with the
dashboard link). calendar_list_events and email_triage are declared on Google (Calendar, Gmail);
Microsoft 365 variants come with the Microsoft connector. The account clients themselves belong
to the connectors package; until it provides them, a connected user gets a kind "not yet".
web_search and youtube_summary (no account needed) are left to the connectors package too.
"""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry

NOT_YET = "I can see your {what} is connected, but I can't read it yet. That's coming soon!"


@registry.tool(
    "calendar_list_events",
    "List upcoming events from the user's Google Calendar (e.g. today, tomorrow, this week).",
    schemas.ConnectorQuery,
    connector="google",
)
async def calendar_list_events(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    raise ToolFailed(NOT_YET.format(what="calendar"))


@registry.tool(
    "email_triage",
    "Summarize the user's unread Gmail and say which emails need attention.",
    schemas.ConnectorQuery,
    connector="google",
)
async def email_triage(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    raise ToolFailed(NOT_YET.format(what="email"))


@registry.tool(
    "notion_search",
    "Search the user's Notion pages.",
    schemas.ConnectorQuery,
    connector="notion",
)
async def notion_search(ctx: ToolContext, args: schemas.ConnectorQuery) -> dict[str, Any]:
    raise ToolFailed(NOT_YET.format(what="Notion"))
