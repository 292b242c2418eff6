"""Focus-session nudges: the optional mid-way check-in and the end text, each sent once."""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog

from personal_assistant.core import clock
from personal_assistant.db.models import FocusSession
from personal_assistant.db.session import session_scope
from personal_assistant.planning.focus.repository import DueFocusRepository
from personal_assistant.sms.outbox import Claimed, claimed_of, queue_text, send_claimed
from personal_assistant.workers.jobs import job

log = structlog.get_logger("focus.jobs")
BATCH = 100
# Outcomes after which this nudge is done (sent, or never to be sent).
DONE = ("suppressed_opt_out", "no_phone")


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
    """Queue the due mid-way and end texts (rows locked with SKIP LOCKED; the *_sent_at columns
    set in the same transaction and the outbox's idempotency keys keep each text single), then
    send them after the commit."""
    now = clock.now()
    counts = {"midway": 0, "end": 0}
    to_send: list[Claimed] = []
    async with session_scope() as session:
        for focus, user in await DueFocusRepository(session).lock_due(now, BATCH):
            ended = clock.as_utc(focus.ends_at) <= now
            if not ended and midway_at(focus) > now:
                continue
            kind = "end" if ended else "midway"
            body = end_text(focus) if ended else midway_text(focus)
            queued = await queue_text(session, user, body, "focus", idempotency_key=f"focus:{focus.id}:{kind}",
                                      ref_id=focus.id, dispatch="caller")
            if queued.status not in DONE and not queued.stored:
                continue  # deferred for quiet hours: the next run tries again
            if queued.stored and not queued.duplicate:
                to_send.append(claimed_of(queued.message))  # type: ignore[arg-type]
            if ended:
                focus.end_sent_at = now
                if focus.midway_sent_at is None and focus.midway_checkin:
                    focus.midway_sent_at = now  # past the middle: the end text replaces it
            else:
                focus.midway_sent_at = now
            counts[kind] += 1
            log.info("focus.nudge", focus_id=str(focus.id), user_id=str(focus.user_id), kind=kind,
                     status=queued.status)
    await send_claimed(to_send)
    return counts
