"""The sweep: what a crash, a dead worker, a lost broker message or a restart left behind is
picked up again. Runs from beat / the embedded scheduler every SWEEP_EVERY_SECONDS, when a worker
starts, and when `assistant serve` starts in the embedded mode (its in-process jobs died with the
last process, so it re-drives at once instead of after the delay).

1. Inbound texts still waiting for their turn REDRIVE_AFTER_SECONDS after they arrived (or whose
   deferral ended): their users' pipelines run again (agent/pipeline.py). Texts older than
   INBOUND_MAX_AGE_HOURS are marked expired instead: answering "remind me at 9" a day late would
   do harm.
2. Outbox texts pending whose retry time came, or whose dispatch job never ran: dispatched.
3. Outbox texts still dispatching after their lease (the sender died mid-send): uncertain, then
   reconciled with the provider (sms/outbox.py), never re-sent blindly.
Everything here is idempotent, so two sweeps at once (two replicas starting) are harmless.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

import structlog

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import SMS_OUTBOX_BACKLOG, SMS_TURNS_REDRIVEN
from personal_assistant.sms import outbox
from personal_assistant.sms import repository as repo
from personal_assistant.workers.enqueue import send_now

log = structlog.get_logger("sms.sweep")

BATCH = 500
# A pending text with no retry time is normally dispatched within milliseconds of its commit.
LOST_DISPATCH_AFTER = timedelta(seconds=10)


@dataclass
class SweepStats:
    users_redriven: int = 0
    expired: int = 0
    dispatched: int = 0
    uncertain: int = 0
    reconciled: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def sweep(*, redrive_after: float | None = None) -> SweepStats:
    """One pass. `redrive_after` overrides REDRIVE_AFTER_SECONDS (0 at an embedded start-up)."""
    settings = get_settings()
    now = clock.now()
    stats = SweepStats()
    delay = settings.redrive_after_seconds if redrive_after is None else redrive_after
    async with session_scope() as session:
        turns = repo.PendingTurnRepository(session)
        stats.expired = await turns.expire_older_than(now - timedelta(hours=settings.inbound_max_age_hours))
        users = await turns.users_waiting(now, now - timedelta(seconds=delay), BATCH)
        outbox_rows = repo.OutboxRepository(session)
        lost = await outbox_rows.expire_leases(now)
        pending = await outbox_rows.due_pending(now, now - min(LOST_DISPATCH_AFTER, timedelta(seconds=delay)), BATCH)
        uncertain = await outbox_rows.uncertain_ids(BATCH)
    if stats.expired:
        log.warning("sms.inbound_expired", count=stats.expired)
    stats.users_redriven, stats.dispatched, stats.uncertain = len(users), len(pending), len(lost)
    if users:
        SMS_TURNS_REDRIVEN.inc(len(users))
        log.info("sms.sweep_redrive", users=len(users))
    for user_id in users:
        send_now("sms.process_inbound", user_id=str(user_id))
    for message_id in pending:
        send_now("sms.dispatch", message_id=str(message_id))
    for message_id in uncertain:
        decided = await outbox.reconcile(message_id)
        if decided is not None:
            stats.reconciled += 1
        if decided == outbox.PENDING:  # never reached the provider: send it now
            await outbox.dispatch(message_id)
    async with session_scope() as session:
        backlog = await repo.OutboxRepository(session).backlog()
    for status in outbox.OUTBOX_STATES:
        SMS_OUTBOX_BACKLOG.labels(status).set(backlog.get(status, 0))
    return stats
