"""Daily check-ins: a morning "what are your top 3 today?" (with the reminders missed while the
service was down) and an evening review, at each user's own local times.

Only users who enabled check-ins get them; quiet hours and opt-out are respected. A check-in is
sent at most once per local day: its message carries the idempotency key
``checkin:<user>:<local date>:<morning|evening>`` (unique on messages), which is also the marker
the job looks for.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import User
from personal_assistant.db.session import session_scope
from personal_assistant.planning.reminders.repository import DeliveryRepository
from personal_assistant.planning.tasks.repository import TaskRepository
from personal_assistant.sms.outbox import Claimed, claimed_of, queue_text, quiet_until, send_claimed
from personal_assistant.sms.repository import MessageRepository
from personal_assistant.users.repository import CheckinUserRepository
from personal_assistant.workers.jobs import job

log = structlog.get_logger("checkins")
MAX_MISSED_LISTED = 5


def checkin_key(user_id, day: date, kind: str) -> str:
    return f"checkin:{user_id}:{day.isoformat()}:{kind}"


def _due_kind(user: User, local_now: datetime) -> tuple[str, date] | None:
    """Which check-in (if any) is due now: its local time has passed today, by less than the
    user's catch-up window (so a restart still sends this morning's, but not yesterday's)."""
    settings = get_settings()
    window = timedelta(minutes=max(1, user.catchup_minutes))
    for kind, chosen, default in (
        ("evening", user.evening_checkin_time, settings.default_evening_checkin),
        ("morning", user.morning_checkin_time, settings.default_morning_checkin),
    ):
        at: time = chosen or default
        scheduled = datetime.combine(local_now.date(), at, tzinfo=local_now.tzinfo)
        if scheduled <= local_now < scheduled + window:
            return kind, local_now.date()
    return None


async def morning_text(session: AsyncSession, user: User, now: datetime) -> str:
    body = "Good morning! What are your top 3 for today? Reply with them and I'll keep track."
    missed = await DeliveryRepository(session, user.id).missed_texts_since(now - timedelta(hours=24))
    if missed:
        shown = "; ".join(missed[:MAX_MISSED_LISTED])
        more = f" (+{len(missed) - MAX_MISSED_LISTED} more)" if len(missed) > MAX_MISSED_LISTED else ""
        body += f" While I was offline these reminders were missed: {shown}{more}."
    from personal_assistant.connectors.sync import unread_counts

    unread = sum((await unread_counts(session, user.id)).values())
    if unread:
        body += f" You have {unread} unread email{'s' if unread != 1 else ''}."
    return body


async def evening_text(session: AsyncSession, user: User, local_now: datetime) -> str:
    start = clock.as_utc(datetime.combine(local_now.date(), time(0), tzinfo=local_now.tzinfo))
    done = await TaskRepository(session, user.id).completed_since(start)
    win = f"You finished {done} task{'s' if done != 1 else ''} today. " if done else ""
    return f"Evening check-in: how did today go? {win}Anything to carry over to tomorrow?"


async def _queue_for_user(session: AsyncSession, user: User, now: datetime) -> tuple[str, Claimed | None] | None:
    """Queue the check-in due now for this user, if any: (kind, the text to send after commit)."""
    try:
        local_now = now.astimezone(ZoneInfo(user.timezone))
    except (KeyError, ValueError):
        return None
    due = _due_kind(user, local_now)
    if due is None:
        return None
    kind, day = due
    key = checkin_key(user.id, day, kind)
    if await MessageRepository(session, user.id).by_idempotency_key(key) is not None:
        return None
    if quiet_until(user, now) is not None:
        return None
    body = await morning_text(session, user, now) if kind == "morning" else await evening_text(session, user, local_now)
    queued = await queue_text(session, user, body, "checkin", idempotency_key=key, dispatch="caller")
    log.info("checkin.queued", user_id=str(user.id), kind=kind, status=queued.status)
    if not queued.stored or queued.duplicate:
        return None
    return kind, claimed_of(queued.message)  # type: ignore[arg-type]


@job("checkins.run")
async def run_checkins() -> dict[str, int]:
    """Every minute: send the morning/evening check-ins that are due, at most once a day each."""
    now = clock.now()
    counts = {"morning": 0, "evening": 0}
    async with session_scope() as session:
        user_ids = await CheckinUserRepository(session).enabled_user_ids()
    for user_id in user_ids:
        # One transaction per user: a failure (e.g. another worker queued the same check-in, so
        # the unique key refused ours) must not block the others.
        try:
            async with session_scope() as session:
                user = await session.get(User, user_id)
                queued = await _queue_for_user(session, user, now) if user is not None else None
        except Exception:
            log.exception("checkin.failed", user_id=str(user_id))
            continue
        if queued is not None:
            kind, claimed = queued
            await send_claimed([claimed] if claimed else [])
            counts[kind] += 1
    return counts
