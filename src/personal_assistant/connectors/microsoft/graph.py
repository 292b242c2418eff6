"""Microsoft Graph calendar and mail over the shared httpx client (bodies never requested)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from personal_assistant.config import get_settings
from personal_assistant.connectors.base import TokenSet
from personal_assistant.core import resilience


async def _request(tokens: TokenSet, method: str, path: str, *, user_id: Any = None, **kw: Any) -> dict[str, Any]:
    s = get_settings()
    client = resilience.http_client("microsoft", base_url=s.microsoft_graph_base_url.rstrip("/") + "/",
                                    timeout=s.connector_timeout_seconds)
    headers = {"Authorization": f"Bearer {tokens.access_token}", "Prefer": 'outlook.timezone="UTC"'}

    async def call() -> dict[str, Any]:
        response = await client.request(method, path.lstrip("/"), headers=headers, **kw)
        response.raise_for_status()
        return dict(response.json())

    return await resilience.guarded("microsoft", call, user_id=user_id)


def _utc(value: str | None) -> str | None:
    if not value:
        return None
    # Graph answers "2026-12-02T15:00:00.0000000" in the Prefer'd zone (UTC): make it ISO with a zone.
    return datetime.fromisoformat(value[:19]).replace(tzinfo=UTC).isoformat()


def _event(e: dict[str, Any]) -> dict[str, Any]:
    location = (e.get("location") or {}).get("displayName") or None
    return {
        "id": e.get("id"),
        "title": e.get("subject") or "(no title)",
        "start": _utc((e.get("start") or {}).get("dateTime")),
        "end": _utc((e.get("end") or {}).get("dateTime")),
        "all_day": bool(e.get("isAllDay")),
        "location": location,
    }


async def list_events(tokens: TokenSet, start: datetime, end: datetime, *, user_id: Any = None,
                      limit: int = 10) -> list[dict[str, Any]]:
    params = {"startDateTime": start.astimezone(UTC).isoformat(), "endDateTime": end.astimezone(UTC).isoformat(),
              "$orderby": "start/dateTime", "$top": str(limit), "$select": "id,subject,start,end,location,isAllDay"}
    found = await _request(tokens, "GET", "me/calendarView", params=params, user_id=user_id)
    return [_event(e) for e in found.get("value", [])]


async def create_event(tokens: TokenSet, title: str, start: datetime, end: datetime, timezone: str,
                       location: str | None = None, *, user_id: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": title,
        "start": {"dateTime": start.replace(tzinfo=None).isoformat(), "timeZone": timezone},
        "end": {"dateTime": end.replace(tzinfo=None).isoformat(), "timeZone": timezone},
    }
    if location:
        body["location"] = {"displayName": location}
    created = await _request(tokens, "POST", "me/events", json=body, user_id=user_id)
    event = _event(created)
    event["start"] = start.isoformat()
    return event


async def unread(tokens: TokenSet, *, user_id: Any = None, limit: int = 5) -> tuple[int, list[dict[str, str]]]:
    params = {"$filter": "isRead eq false", "$select": "from,subject", "$top": str(limit), "$count": "true"}
    found = await _request(tokens, "GET", "me/mailFolders/inbox/messages", params=params, user_id=user_id)
    out = [
        {"sender": ((m.get("from") or {}).get("emailAddress") or {}).get("name") or "someone",
         "subject": m.get("subject") or "(no subject)"}
        for m in found.get("value", [])
    ]
    return int(found.get("@odata.count") or len(out)), out
