"""Sync jobs: pull each connected person's upcoming calendar events and unread mail count.

Every CALENDAR_SYNC_MINUTES (Celery beat or the embedded scheduler), per connected Google or
Microsoft account, with no transaction open across the provider call:
- events starting within the next SYNC_HORIZON get a reminder `lead` minutes before (the
  person's event_lead_minutes, default CALENDAR_REMINDER_LEAD_MINUTES); an event with a location
  gets a "leave now" wording. Idempotent: event_reminders remembers (provider, event id + start),
  so a re-sync makes no second reminder (a moved event gets one for its new time).
- the unread count is stored on the connector (settings.unread_count) for the morning check-in.
A provider that fails marks nothing but last_error; a grant gone for good goes through health.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from personal_assistant.config import get_settings
from personal_assistant.connectors import oauth
from personal_assistant.connectors.base import ReconnectRequired, TokenSet
from personal_assistant.connectors.repository import ConnectorRepository, connected_accounts
from personal_assistant.core import clock, resilience
from personal_assistant.core.errors import NotFound
from personal_assistant.db.models import Connector, EventReminder, User
from personal_assistant.db.session import session_scope
from personal_assistant.workers.jobs import job

log = structlog.get_logger("connectors.sync")
SYNC_HORIZON = timedelta(hours=6)
CALENDAR_PROVIDERS = ("google", "microsoft")
PAGE = 200


async def _fetch(provider: str, tokens: TokenSet, user_id: uuid.UUID, start: datetime,
                 end: datetime) -> tuple[list[dict[str, Any]], int | None]:
    if provider == "google":
        from personal_assistant.connectors.google import api

        events = await api.list_events(tokens, start, end, user_id=user_id, limit=25)
        count, _ = await api.unread(tokens, user_id=user_id, limit=0)
    else:
        from personal_assistant.connectors.microsoft import graph

        events = await graph.list_events(tokens, start, end, user_id=user_id, limit=25)
        count, _ = await graph.unread(tokens, user_id=user_id, limit=1)
    return events, count


def reminder_text(event: dict[str, Any], starts: datetime, tz: str) -> str:
    at = starts.astimezone(ZoneInfo(tz)).strftime("%I:%M%p").lstrip("0").lower()
    title = str(event.get("title") or "your event")[:80]
    if event.get("location"):
        return f"Leave now for {title} at {str(event['location'])[:60]} (starts {at})."
    return f"{title} starts at {at}."


async def sync_account(user_id: uuid.UUID, provider: str, now: datetime | None = None) -> int:
    """Sync one account; returns how many reminders it created."""
    now = now or clock.now()
    try:
        tokens = await oauth.fresh_tokens(user_id, provider)
        events, unread = await _fetch(provider, tokens, user_id, now, now + SYNC_HORIZON)
    except (NotFound, ReconnectRequired):
        return 0
    except resilience.ProviderUnavailable as exc:
        async with session_scope() as session:
            account = await ConnectorRepository(session, user_id).for_provider(provider)
            if account is not None:
                account.last_error = f"sync: {exc.reason}"
        return 0
    created = 0
    async with session_scope() as session:
        user = await session.get(User, user_id)
        account = await ConnectorRepository(session, user_id).for_provider(provider)
        if user is None or account is None:
            return 0
        account.last_sync_at = now
        account.last_error = None
        if unread is not None:
            account.settings = {**(account.settings or {}), "unread_count": unread, "unread_at": now.isoformat()}
        lead = timedelta(minutes=user.event_lead_minutes or get_settings().calendar_reminder_lead_minutes)
        for event in events:
            created += await _remind(session, user, provider, event, lead, now)
    return created


async def _remind(session: Any, user: User, provider: str, event: dict[str, Any], lead: timedelta,
                  now: datetime) -> int:
    from personal_assistant.planning.reminders import service as reminders

    if event.get("all_day") or not event.get("start") or "T" not in str(event["start"]):
        return 0
    starts = datetime.fromisoformat(str(event["start"]).replace("Z", "+00:00"))
    fire = starts - lead
    if starts <= now:
        return 0
    key = f"{event.get('id')}@{clock.as_utc(starts).isoformat()}"[:255]
    seen = await session.execute(
        select(EventReminder.id).where(
            EventReminder.user_id == user.id, EventReminder.provider == provider, EventReminder.event_key == key
        )
    )
    if seen.first() is not None:
        return 0
    async with session.begin_nested():  # two syncs racing: the unique key keeps one
        try:
            reminder = await reminders.create_reminder(
                session, user, text=reminder_text(event, starts, user.timezone),
                due_at=max(fire, now + timedelta(seconds=5)), timezone=user.timezone,
            )
            session.add(EventReminder(user_id=user.id, provider=provider, event_key=key,
                                      reminder_id=reminder.id, starts_at=starts))
            await session.flush()
        except IntegrityError:
            return 0
    return 1


@job("connectors.sync")
async def sync_all() -> dict[str, int]:
    """Every few minutes: each connected calendar account, one at a time (per-user rate limits
    and the breaker live in the resilience layer)."""
    counts = {"accounts": 0, "reminders": 0}
    after: uuid.UUID | None = None
    while True:
        async with session_scope() as session:
            page = await connected_accounts(session, CALENDAR_PROVIDERS, PAGE, after)
        for _account_id, user_id, provider in page:
            try:
                counts["reminders"] += await sync_account(user_id, provider)
                counts["accounts"] += 1
            except Exception:
                log.exception("connectors.sync_failed", user_id=str(user_id), provider=provider)
        if len(page) < PAGE:
            break
        after = page[-1][0]
    return counts


@job("connectors.health")
async def send_pending_health_texts() -> int:
    from personal_assistant.connectors.health import notify_pending

    return await notify_pending()


async def unread_counts(session: Any, user_id: uuid.UUID) -> dict[str, int]:
    """The last synced unread counts per provider (for the morning check-in; no network)."""
    stmt = select(Connector.provider, Connector.settings).where(
        Connector.user_id == user_id, Connector.status == "connected", Connector.provider.in_(CALENDAR_PROVIDERS)
    )
    out = {}
    for provider, settings in (await session.execute(stmt)).all():
        if isinstance(settings, dict) and isinstance(settings.get("unread_count"), int):
            out[provider] = settings["unread_count"]
    return out
