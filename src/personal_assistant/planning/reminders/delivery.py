"""Exactly-once reminder delivery: one short transaction per batch decides and queues, then the
texts are sent with no transaction open.

1. One transaction: lock the due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
   workers split the work; SQLite has one writer), decide per row (send, defer for quiet hours,
   or missed beyond the user's catch-up window), queue each text in the outbox with the attempt's
   idempotency key "reminder:<id>:<occurrence>:<attempt>[:s<snooze>]", record the attempt in
   the ledger and move the row on (escalation, next occurrence); commit.
2. After the commit the queued texts go to the transport (sms/outbox.py), outside any
   transaction.

A worker that dies after 1 leaves queued texts whose lease expires: the outbox's sweep sends or
reconciles them. A worker that dies during 1 commits nothing: the rows are due again. The key is
unique on messages, so an attempt is never queued twice, whoever tries.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import Reminder, ReminderDelivery, User
from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import (
    REMINDER_DUPLICATES_PREVENTED,
    REMINDER_LATENESS,
    REMINDERS_DUE,
    REMINDERS_MISSED,
    REMINDERS_SENT,
)
from personal_assistant.planning.reminders.repository import DueReminderRepository
from personal_assistant.planning.reminders.service import advance_to_next_occurrence
from personal_assistant.sms.outbox import Claimed, claimed_of, queue_text, quiet_until, send_claimed
from personal_assistant.sms.segments import GSM7_SINGLE

log = structlog.get_logger("reminders.delivery")

FINAL_OUTCOMES = ("sent", "late", "missed", "suppressed")
# Sends later than this after their scheduled time say "(late)"; beyond the user's catch-up
# window they are not sent at all but marked missed (and listed in the morning check-in).
LATE_AFTER = timedelta(seconds=60)
SUPPRESSED_STATUSES = ("suppressed_opt_out", "no_phone")
# A reminder whose delivery raised is tried again this much later.
POISON_RETRY = timedelta(minutes=1)
# Pipelines per process on PostgreSQL (each holds one pooled connection while it works).
DRAIN_CONCURRENCY = 4


@dataclass
class DeliveryStats:
    claimed: int = 0
    sent: int = 0
    late: int = 0
    missed: int = 0
    deferred: int = 0
    suppressed: int = 0
    failed: int = 0
    duplicates_prevented: int = 0
    batches: int = 0
    lateness: list[float] = field(default_factory=list)

    def add(self, other: DeliveryStats) -> None:
        for name in ("claimed", "sent", "late", "missed", "deferred", "suppressed", "failed",
                     "duplicates_prevented", "batches"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.lateness.extend(other.lateness)


def idempotency_key(reminder: Reminder) -> str:
    """(reminder, occurrence, attempt); attempts after a snooze carry the snooze time, since a
    snooze resets the attempt counter and its texts must still be sent."""
    key = f"reminder:{reminder.id}:{clock.as_utc(reminder.due_at).isoformat()}:{reminder.attempts}"
    if reminder.snoozed_until is not None:
        key += f":s{int(clock.as_utc(reminder.snoozed_until).timestamp())}"
    return key


# A reminder's replies, spelled so that no one texts a bare "cancel": carriers (and Twilio) take
# that for an opt-out from every text (sms/keywords.py).
REPLY_HINT = "Reply done, snooze 10, or cancel it."
URGENT_HINT = "Reply done or snooze 10."


def reminder_text(reminder: Reminder, *, late: bool) -> str:
    """The reminder's text, with how to answer it. Escalations say they are a nudge, late sends
    say they are late. Kept to one GSM-7 segment when it can be (the reminder's own words are
    shortened, never the way to answer)."""
    if reminder.urgent:
        head, hint = "Urgent", URGENT_HINT
    elif reminder.status == "sent" and reminder.attempts > 0:
        head, hint = "Still on your list", REPLY_HINT
    else:
        head, hint = ("Reminder (late)" if late else "Reminder"), REPLY_HINT
    what = reminder.text.strip().rstrip(".")
    room = GSM7_SINGLE - len(f"{head}: . {hint}")
    if len(what) > room and room > 20:
        what = what[: room - 3].rsplit(" ", 1)[0] + "..."
    return f"{head}: {what}. {hint}"


def _advance_recurring(reminder: Reminder, after: datetime) -> bool:
    """Move a recurring reminder to its next occurrence after `after` (the planning service's
    rule, on local wall-clock time). False when it has none (one-off, or the rule is exhausted)."""
    if not reminder.rrule:
        return False
    return advance_to_next_occurrence(reminder, after)


def _after_send(reminder: Reminder, now: datetime) -> None:
    """attempts += 1; escalate while attempts <= escalation_max (and, for a recurring reminder,
    only before its next occurrence); otherwise a recurring reminder moves on."""
    reminder.attempts += 1
    reminder.status = "sent"
    reminder.last_sent_at = now
    escalate_at = now + timedelta(minutes=max(1, reminder.escalation_minutes))
    wants_escalation = reminder.attempts <= reminder.escalation_max
    if reminder.rrule:
        snapshot = (reminder.due_at, reminder.next_fire_at, reminder.attempts, reminder.status)
        if _advance_recurring(reminder, max(now, reminder.due_at)):
            if wants_escalation and escalate_at < reminder.due_at:
                # Keep nudging about this occurrence; the next one is computed again later.
                reminder.due_at, _, reminder.attempts, reminder.status = snapshot
                reminder.next_fire_at = escalate_at
            return
        reminder.due_at, reminder.next_fire_at, reminder.attempts, reminder.status = snapshot
    reminder.next_fire_at = escalate_at if wants_escalation else None


def _mark_missed(reminder: Reminder, now: datetime) -> None:
    if _advance_recurring(reminder, now):
        return
    reminder.status = "missed"
    reminder.next_fire_at = None


def _stop_or_advance(reminder: Reminder, now: datetime) -> None:
    if not _advance_recurring(reminder, now):
        reminder.next_fire_at = None


@dataclass
class _Batch:
    """What one batch transaction decided, applied to the counters after it committed."""

    stats: DeliveryStats = field(default_factory=DeliveryStats)
    to_send: list[Claimed] = field(default_factory=list)


def _ledger(session: AsyncSession, existing: dict[str, ReminderDelivery], reminder: Reminder, key: str,
            outcome: str, *, late_seconds: int = 0, message_id: uuid.UUID | None = None,
            sent_at: datetime | None = None) -> None:
    entry = existing.get(key)
    if entry is None:
        entry = ReminderDelivery(user_id=reminder.user_id, reminder_id=reminder.id, occurrence_at=reminder.due_at,
                                 attempt=reminder.attempts, idempotency_key=key)
        session.add(entry)
        existing[key] = entry
    entry.outcome, entry.late_seconds = outcome, late_seconds
    entry.message_id, entry.sent_at = message_id or entry.message_id, sent_at or entry.sent_at


async def _decide(session: AsyncSession, reminder: Reminder, user: User | None, phone: str | None,
                  from_number: str | None, existing: dict[str, ReminderDelivery], now: datetime,
                  batch: _Batch) -> None:
    settings = get_settings()
    stats = batch.stats
    key = idempotency_key(reminder)
    if user is None or not user.is_active:
        reminder.next_fire_at = None  # a disabled account gets no texts; its reminders stop
        log.info("reminder.user_inactive", reminder_id=str(reminder.id))
        return
    scheduled = clock.as_utc(reminder.next_fire_at or reminder.due_at)
    overdue = now - scheduled
    first_send = reminder.status != "sent"
    if overdue > timedelta(minutes=user.catchup_minutes or settings.default_catchup_minutes):
        if not first_send:  # a nudge far too late is no longer useful
            _stop_or_advance(reminder, now)
            log.info("reminder.escalation_dropped", reminder_id=str(reminder.id))
        elif key in existing and existing[key].outcome in FINAL_OUTCOMES:
            stats.duplicates_prevented += 1
            _after_send(reminder, now)
        else:
            _ledger(session, existing, reminder, key, "missed", late_seconds=int(overdue.total_seconds()))
            _mark_missed(reminder, now)
            stats.missed += 1
            log.info("reminder.missed", reminder_id=str(reminder.id), user_id=str(reminder.user_id))
        return
    if not reminder.urgent:
        quiet_end = quiet_until(user, now)
        if quiet_end is not None:
            reminder.next_fire_at = quiet_end
            stats.deferred += 1
            log.info("reminder.deferred_quiet_hours", reminder_id=str(reminder.id))
            return
    late = overdue > LATE_AFTER
    queued = await queue_text(
        session, user, reminder_text(reminder, late=late), "urgent_reminder" if reminder.urgent else "reminder",
        to_number=phone, from_number=from_number, idempotency_key=key, ref_id=reminder.id, dispatch="caller",
    )
    if queued.duplicate:  # this attempt was queued before: the key decides, nothing twice
        outcome = "duplicate"
        stats.duplicates_prevented += 1
        _ledger(session, existing, reminder, key, existing[key].outcome if key in existing else "sent",
                message_id=queued.message.id if queued.message else None)
        _after_send(reminder, now)
    elif queued.stored:
        assert queued.message is not None
        outcome = "late" if late else "sent"
        lateness = max(0.0, overdue.total_seconds())
        _ledger(session, existing, reminder, key, outcome, late_seconds=int(lateness),
                message_id=queued.message.id, sent_at=now)
        batch.to_send.append(claimed_of(queued.message))
        stats.sent += 1
        stats.late += int(late)
        stats.lateness.append(lateness)
        _after_send(reminder, now)
    elif queued.status in SUPPRESSED_STATUSES:  # opted out or no phone: recorded, not retried in a loop
        outcome = "suppressed"
        _ledger(session, existing, reminder, key, outcome)
        stats.suppressed += 1
        _stop_or_advance(reminder, now)
    else:  # quiet hours began between the check above and now
        outcome = "deferred"
        reminder.next_fire_at = queued.retry_at or now + timedelta(minutes=1)
        stats.deferred += 1
    log.info("reminder.delivery", reminder_id=str(reminder.id), user_id=str(reminder.user_id),
             outcome=outcome, attempt=reminder.attempts)


async def queue_due_batch(limit: int) -> _Batch | None:
    """Transaction 1 of a batch: lock the due rows, decide, queue the texts, move the rows on;
    commit. None when nothing is due."""
    batch = _Batch()
    async with session_scope() as session:
        now = clock.now()
        due = DueReminderRepository(session)
        reminders = await due.lock_due(now, limit)
        if not reminders:
            return None
        user_ids = {r.user_id for r in reminders}
        users = await due.users(user_ids)
        phones = await due.primary_phones(user_ids)
        numbers = await due.sending_numbers(user_ids)
        existing = await due.ledger({idempotency_key(r) for r in reminders})
        for reminder in reminders:
            from_number = numbers.get(reminder.user_id) or get_settings().twilio_shared_number
            await _decide(session, reminder, users.get(reminder.user_id), phones.get(reminder.user_id),
                          from_number, existing, now, batch)
        batch.stats.claimed, batch.stats.batches = len(reminders), 1
    return batch


async def _deliver_batch(limit: int, total: DeliveryStats) -> int:
    """One batch: decide and queue (committed), then send with no transaction open. Returns the
    rows it took."""
    batch = await queue_due_batch(limit)
    if batch is None:
        return 0
    _count(batch.stats)
    total.add(batch.stats)
    statuses = await send_claimed(batch.to_send)
    total.failed += sum(1 for s in statuses if s == "failed")
    return batch.stats.claimed


def _count(stats: DeliveryStats) -> None:
    REMINDERS_DUE.inc(stats.claimed)
    for lateness in stats.lateness:
        REMINDER_LATENESS.observe(lateness)
    if stats.sent - stats.late:
        REMINDERS_SENT.labels(late="false").inc(stats.sent - stats.late)
    if stats.late:
        REMINDERS_SENT.labels(late="true").inc(stats.late)
    if stats.missed:
        REMINDERS_MISSED.inc(stats.missed)
    if stats.duplicates_prevented:
        REMINDER_DUPLICATES_PREVENTED.inc(stats.duplicates_prevented)


async def _drain(limit: int, max_seconds: float | None, stats: DeliveryStats) -> None:
    started = time.monotonic()
    while True:
        try:
            if await _deliver_batch(limit, stats) == 0:
                break
        except Exception:
            # Nothing of the batch committed; its rows are due again. Go row by row so one bad
            # row cannot hold back the others.
            log.exception("reminder.batch_failed")
            if not await _deliver_one_by_one(limit, stats):
                break
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            break


async def _deliver_one_by_one(limit: int, stats: DeliveryStats) -> bool:
    """Batches of one until `limit` rows were tried. A row that fails on its own is put back by
    POISON_RETRY, so it cannot block the rows due after it; False when nothing more is due."""
    for _ in range(limit):
        try:
            if await _deliver_batch(1, stats) == 0:
                return False
        except Exception:
            stats.failed += 1
            log.exception("reminder.send_failed")
            async with session_scope() as session:
                postponed = await DueReminderRepository(session).postpone_first_due(clock.now(), POISON_RETRY)
            log.warning("reminder.postponed_after_failure", reminder_id=str(postponed) if postponed else None)
    return True


async def deliver_due_reminders(
    *,
    batch_size: int | None = None,
    max_seconds: float | None = None,
    concurrency: int | None = None,
) -> DeliveryStats:
    """Send every reminder that is due, batch by batch, until none is left (or `max_seconds`
    have passed, so a periodic task never runs forever). Safe to run in several processes.

    On PostgreSQL a process drains with `concurrency` pipelines at once (each its own
    connection; SKIP LOCKED keeps their batches apart). SQLite has one writer: one pipeline."""
    settings = get_settings()
    limit = batch_size or settings.reminder_batch_size
    if concurrency is None:
        concurrency = 1 if settings.is_sqlite else DRAIN_CONCURRENCY
    stats = DeliveryStats()
    await asyncio.gather(*(_drain(limit, max_seconds, stats) for _ in range(max(1, concurrency))))
    return stats
