"""Calendar, Gmail and YouTube Data calls through google-api-python-client. Blocking: each call
runs in the resilience layer's worker threads, with its own service object (httplib2 is not
thread-safe) and an httplib2 timeout. Email bodies are never requested (metadata only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import google_auth_httplib2
import httplib2
from googleapiclient.discovery import build

from personal_assistant.config import get_settings
from personal_assistant.connectors.base import TokenSet
from personal_assistant.connectors.google.connector import credentials
from personal_assistant.core import resilience


def _service(name: str, version: str, tokens: TokenSet) -> Any:
    s = get_settings()
    http = google_auth_httplib2.AuthorizedHttp(
        credentials(tokens), http=httplib2.Http(timeout=s.connector_timeout_seconds)
    )
    options = None
    if s.google_api_base_url:
        # api_endpoint replaces rootUrl + servicePath: Calendar's method paths are relative to
        # calendar/v3/, Gmail's and YouTube's carry their own prefix (LIBRARY_NOTES §5).
        base = s.google_api_base_url.rstrip("/")
        options = {"api_endpoint": f"{base}/calendar/v3/" if name == "calendar" else f"{base}/"}
    return build(name, version, http=http, client_options=options, cache_discovery=False, static_discovery=True)


async def _run(fn: Any, user_id: Any) -> Any:
    return await resilience.guarded_sync("google", fn, user_id=user_id)


async def list_events(tokens: TokenSet, start: datetime, end: datetime, *, user_id: Any = None,
                      limit: int = 10) -> list[dict[str, Any]]:
    def call() -> Any:
        return _service("calendar", "v3", tokens).events().list(
            calendarId="primary", timeMin=start.isoformat(), timeMax=end.isoformat(),
            singleEvents=True, orderBy="startTime", maxResults=limit,
        ).execute()

    found = await _run(call, user_id)
    return [_event(e) for e in found.get("items", [])]


def _event(e: dict[str, Any]) -> dict[str, Any]:
    start = e.get("start", {})
    return {
        "id": e.get("id"),
        "title": e.get("summary") or "(no title)",
        "start": start.get("dateTime") or start.get("date"),
        "end": e.get("end", {}).get("dateTime") or e.get("end", {}).get("date"),
        "all_day": "date" in start and "dateTime" not in start,
        "location": e.get("location"),
    }


async def create_event(tokens: TokenSet, title: str, start: datetime, end: datetime, timezone: str,
                       location: str | None = None, *, user_id: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": title,
        "start": {"dateTime": start.isoformat(), "timeZone": timezone},
        "end": {"dateTime": end.isoformat(), "timeZone": timezone},
    }
    if location:
        body["location"] = location

    def call() -> Any:
        return _service("calendar", "v3", tokens).events().insert(calendarId="primary", body=body).execute()

    return _event(await _run(call, user_id))


async def free_busy(tokens: TokenSet, start: datetime, end: datetime, *, user_id: Any = None) -> list[dict[str, str]]:
    body = {"timeMin": start.isoformat(), "timeMax": end.isoformat(), "items": [{"id": "primary"}]}

    def call() -> Any:
        return _service("calendar", "v3", tokens).freebusy().query(body=body).execute()

    found = await _run(call, user_id)
    return list(found.get("calendars", {}).get("primary", {}).get("busy", []))


async def unread(tokens: TokenSet, *, user_id: Any = None, limit: int = 5) -> tuple[int, list[dict[str, str]]]:
    """(unread count, [{sender, subject}] of the newest few). Headers only, never bodies."""

    def call() -> tuple[int, list[dict[str, str]]]:
        gmail = _service("gmail", "v1", tokens)
        listed = gmail.users().messages().list(userId="me", q="is:unread in:inbox", maxResults=max(1, limit)).execute()
        out = []
        for ref in listed.get("messages", [])[:limit]:
            msg = gmail.users().messages().get(
                userId="me", id=ref["id"], format="metadata", metadataHeaders=["From", "Subject"]
            ).execute()
            headers = {h["name"].lower(): h["value"] for h in msg.get("payload", {}).get("headers", [])}
            out.append({"sender": _name(headers.get("from", "")), "subject": headers.get("subject", "(no subject)")})
        return int(listed.get("resultSizeEstimate") or len(out)), out

    result: tuple[int, list[dict[str, str]]] = await _run(call, user_id)
    return result


def _name(sender: str) -> str:
    """'Boss <boss@work.test>' -> 'Boss'."""
    name = sender.split("<")[0].strip().strip('"')
    return name or sender.strip("<>")


async def youtube_search(tokens: TokenSet, query: str, *, user_id: Any = None, limit: int = 5) -> list[dict[str, str]]:
    def call() -> Any:
        return _service("youtube", "v3", tokens).search().list(
            part="snippet", q=query, type="video", maxResults=limit
        ).execute()

    found = await _run(call, user_id)
    return [
        {
            "title": item["snippet"]["title"],
            "channel": item["snippet"].get("channelTitle", ""),
            "url": f"https://youtu.be/{item['id']['videoId']}",
        }
        for item in found.get("items", [])
        if item.get("id", {}).get("videoId")
    ]
