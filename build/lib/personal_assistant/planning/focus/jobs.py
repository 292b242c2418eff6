"""Focus-session nudges: the optional mid-way check-in and the end text, each sent once."""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from sqlalchemy import or_, select

from personal_assistant.core import clock
from personal_assistant.db.models import FocusSession, User
from personal_assistant.db.session import session_scope
from personal_assistant.sms.outbound import send_sms
from personal_assistant.workers.jobs import job

log = structlog.get_logger("focus.jobs")
BATCH = 100
DONE = ("sent", "queued", "console", "suppressed_opt_out", "no_phone")


def midway_at(focus: FocusSession) -> datetime:
    return clock.as_utc(focus.started_at) + timedelta(minutes=focus.minutes / 2)


def _label(focus: FocusSession) -> str:
    return f" on {focus.label}" if focus.label else ""


def midway_text(focus: FocusSession) -> str:
    left = max(1, round(focus.minutes / 2))
    return f"Halfway there{_label(focus)}. About {left} min to go - keep going, you've got this."


def end_text(focus: FocusSession) -> str:
    return (
        f"Time's up{_label(focus)}! {focus.minutes} min of focus done. How did it go? "
        "Reply 'done' if you finished, or 'focus 10' for another round."
    )


@job("focus.nudges")
async def send_focus_nudges() -> dict[str, int]:
    """Send due mid-way and end texts. The *_sent_at columns (set in the same transaction as the
    send, on rows locked with SKIP LOCKED) and the idempotency keys keep each text single."""
    now = clock.now()
    counts = {"midway": 0, "end": 0}
    async with session_scope() as session:
        rows = (
            await session.execute(
                select(FocusSession)
                .where(
                    FocusSession.status == "active",
                    FocusSession.end_sent_at.is_(None),
                    FocusSession.started_at <= now,
                    or_(
                        FocusSession.ends_at <= now,
                        (FocusSession.midway_checkin.is_(True)) & FocusSession.midway_sent_at.is_(None),
                    ),
                )
                .order_by(FocusSession.ends_at)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        ).scalars()
        for focus in list(rows):
            ended = clock.as_utc(focus.ends_at) <= now
            if not ended and midway_at(focus) > now:
                continue
            user = await session.get(User, focus.user_id)
            if user is None:
                continue
            kind = "end" if ended else "midway"
            body = end_text(focus) if ended else midway_text(focus)
            result = await send_sms(session, user, body, "focus", idempotency_key=f"focus:{focus.id}:{kind}")
            if result.status not in DONE:
                continue  # deferred or failed: the next run tries again
            if ended:
                focus.end_sent_at = now
                if focus.midway_sent_at is None and focus.midway_checkin:
                    focus.midway_sent_at = now  # past the middle: the end text replaces it
            else:
                focus.midway_sent_at = now
            counts[kind] += 1
            log.info("focus.nudge", focus_id=str(focus.id), user_id=str(focus.user_id), kind=kind,
                     status=result.status)
    return counts
