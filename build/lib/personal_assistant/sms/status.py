"""Delivery-status callbacks: a message's status only ever moves forward.

queued -> sending -> sent -> delivered (-> read). failed, undelivered and canceled are terminal and
keep their error code; delivered is final too. Callbacks arrive twice or out of order: a "sent"
after "delivered" changes nothing, and each update is one conditional UPDATE, so two callbacks
racing cannot move the status backwards either.

The callback URL carries our message id (?m=<id>): a callback for a text whose send outcome was
never recorded (its sender died after Twilio accepted it) records it as sent (sms/outbox.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.observability.metrics import SMS_OUTBOUND
from personal_assistant.sms import repository as repo

log = structlog.get_logger("sms.status")

# Position along the delivery path; a status may replace only statuses of a lower rank.
# "sending" is also our own state while the REST call is in flight.
RANK = {"accepted": 0, "scheduled": 0, "queued": 1, "sending": 2, "sent": 3, "delivered": 4, "read": 5}
FAILURES = frozenset({"failed", "undelivered", "canceled"})
# Terminal: nothing replaces them.
TERMINAL = FAILURES | {"delivered", "read"}


@dataclass
class StatusUpdate:
    applied: bool
    status: str | None  # the message's status afterwards (None: unknown MessageSid)


def _predecessors(new_status: str) -> tuple[str, ...]:
    if new_status in FAILURES:
        # Delivery failures end any non-terminal state (and "send_failed"/"console" never get callbacks).
        return tuple(s for s in RANK if s not in TERMINAL)
    rank = RANK[new_status]
    return tuple(s for s, r in RANK.items() if r < rank)


async def apply_status_callback(
    session: AsyncSession,
    *,
    message_sid: str,
    status: str,
    error_code: str | None = None,
    message_id: str | None = None,
) -> StatusUpdate:
    """Record a delivery status reported by Twilio for one of our outbound messages."""
    status = (status or "").strip().lower()
    if status not in RANK and status not in FAILURES:
        log.info("sms.status_ignored", message_sid=message_sid, status=status[:16])
        return StatusUpdate(False, None)
    if message_id:
        from personal_assistant.sms.outbox import adopt_from_callback

        await adopt_from_callback(session, message_id, message_sid)
    code = error_code if status in FAILURES and error_code else None
    changed = await repo.advance_status(
        session, message_sid, status, _predecessors(status), error_code=code, now=clock.now()
    )
    current = await repo.message_status_by_sid(session, message_sid)
    if current is None:
        log.info("sms.status_unknown_message", message_sid=message_sid, status=status)
    if changed:
        SMS_OUTBOUND.labels("callback", status).inc()
    log.info("sms.status", message_sid=message_sid, status=status, applied=bool(changed), error_code=code)
    return StatusUpdate(bool(changed), current[1] if current else None)
