"""Exactly-once reminder delivery: claim due rows with a lease, record the attempt in the ledger,
send, then move the row on.

Two short transactions per batch:
  1. claim: ``SELECT … FOR UPDATE SKIP LOCKED`` the due rows (several workers can run at once),
     decide per row (send, defer for quiet hours, or missed beyond the catch-up window), set the
     lease (claimed_until/claimed_by) and insert the ledger row of each send FIRST; commit.
  2. send: lock the claimed rows again, send through `send_sms` with the attempt's idempotency key,
     record the outcome in the ledger, advance the row and release the lease; commit.

A worker that dies between or during these leaves leases that expire; the next claim finds the
ledger row already there and the ledger decides: a final outcome (or a stored message with that
key) is never sent again, a "pending" row without a stored message means the send never
committed and it is sent now (send_sms also refuses a key it already stored). Every
cross-user query of the worker lives in this module.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models import PhoneNumber, Reminder, ReminderDelivery, User
from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import (
    REMINDER_DUPLICATES_PREVENTED,
    REMINDER_LATENESS,
    REMINDERS_DUE,
    REMINDERS_MISSED,
    REMINDERS_SENT,
)
from personal_assistant.planning.reminders.service import advance_to_next_occurrence
from personal_assistant.sms.outbound import SendResult, send_sms
from personal_assistant.users.quiet_hours import quiet_period_end

log = structlog.get_logger("reminders.delivery")

DELIVERABLE = ("pending", "snoozed", "sent")
FINAL_OUTCOMES = ("sent", "late", "missed", "suppressed")
# Sends later than this after their scheduled time say "(late)"; beyond the user's catch-up
# window they are not sent at all but marked missed (and listed in the morning check-in).
LATE_AFTER = timedelta(seconds=60)
DELIVERED_STATUSES = ("sent", "queued", "console")
SUPPRESSED_STATUSES = ("suppressed_opt_out", "no_phone")
FAILED_RETRY = timedelta(minutes=1)
ALREADY_SENT = "already_sent"
# Pipelines per process on PostgreSQL (each holds one pooled connection while it works).
DRAIN_CONCURRENCY = 4


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


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


@dataclass
class _Claim:
    reminder_id: uuid.UUID
    key: str
    late: bool
    lateness: float


def idempotency_key(reminder: Reminder) -> str:
    """(reminder, occurrence, attempt); attempts after a snooze carry the snooze time, since a
    snooze resets the attempt counter and its texts must still be sent."""
    key = f"reminder:{reminder.id}:{clock.as_utc(reminder.due_at).isoformat()}:{reminder.attempts}"
    if reminder.snoozed_until is not None:
        # The snooze (which restarts the attempt count) and the nudges after it are new attempts.
        key += f":s{int(clock.as_utc(reminder.snoozed_until).timestamp())}"
    return key


def reminder_text(reminder: Reminder, *, late: bool) -> str:
    """Escalations say they are a nudge; late sends say they are late."""
    if reminder.status == "sent" and reminder.attempts > 0:
        body = f"Still on your list: {reminder.text}"
    else:
        body = f"Reminder: {reminder.text}"
    return body + (" (late)" if late else "")


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
        occurrence = reminder.due_at
        snapshot = (reminder.due_at, reminder.next_fire_at, reminder.attempts, reminder.status)
        if _advance_recurring(reminder, max(now, occurrence)):
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


def _release(reminder: Reminder) -> None:
    reminder.claimed_until = None
    reminder.claimed_by = None


async def _load_users(session: AsyncSession, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not user_ids:
        return {}
    rows = await session.execute(select(User).where(User.id.in_(user_ids)))
    return {user.id: user for user in rows.scalars()}


async def _claim_batch(me: str, limit: int, stats: DeliveryStats) -> tuple[int, list[_Claim]]:
    """Transaction 1: claim due rows, decide, lease, insert ledger rows; commit. Returns the
    number of due rows found and the ones leased for sending."""
    settings = get_settings()
    now = clock.now()
    claims: list[_Claim] = []
    async with session_scope() as session:
        lease_until = now + timedelta(seconds=settings.reminder_lease_seconds)
        # One statement claims the batch: the inner SELECT skips rows another worker holds
        # (PostgreSQL); SQLite serialises writers, so its UPDATE is atomic by itself.
        due = (
            select(Reminder.id)
            .where(
                Reminder.status.in_(DELIVERABLE),
                Reminder.next_fire_at <= now,
                or_(Reminder.claimed_until.is_(None), Reminder.claimed_until < now),
            )
            .order_by(Reminder.next_fire_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(Reminder)
            .where(Reminder.id.in_(due))
            .values(claimed_until=lease_until, claimed_by=me)
            .returning(Reminder)
            .execution_options(synchronize_session=False)
        )
        reminders = list((await session.scalars(stmt)).all())
        if not reminders:
            return 0, []
        stats.claimed += len(reminders)
        stats.batches += 1
        REMINDERS_DUE.inc(len(reminders))
        users = await _load_users(session, {r.user_id for r in reminders})
        keys = {r.id: idempotency_key(r) for r in reminders}
        existing = {
            row.idempotency_key: row
            for row in (
                await session.execute(
                    select(ReminderDelivery).where(ReminderDelivery.idempotency_key.in_(keys.values()))
                )
            ).scalars()
        }
        for reminder in reminders:
            user = users.get(reminder.user_id)
            scheduled = clock.as_utc(reminder.next_fire_at or reminder.due_at)
            overdue = now - scheduled
            catchup = timedelta(minutes=(user.catchup_minutes if user else settings.default_catchup_minutes))
            first_send = reminder.status != "sent"
            key = keys[reminder.id]
            _release(reminder)  # kept below only for the rows this worker will send
            if user is None or not user.is_active:
                # A disabled account gets no texts; its reminders stop instead of looping.
                reminder.next_fire_at = None
                log.info("reminder.user_inactive", reminder_id=str(reminder.id))
                continue
            if overdue > catchup:
                if first_send and key not in existing:
                    session.add(
                        ReminderDelivery(
                            user_id=reminder.user_id,
                            reminder_id=reminder.id,
                            occurrence_at=reminder.due_at,
                            attempt=reminder.attempts,
                            idempotency_key=key,
                            outcome="missed",
                            late_seconds=int(overdue.total_seconds()),
                        )
                    )
                    _mark_missed(reminder, now)
                    stats.missed += 1
                    REMINDERS_MISSED.inc()
                    log.info("reminder.missed", reminder_id=str(reminder.id), user_id=str(reminder.user_id))
                elif not first_send:
                    # A nudge far too late is no longer useful: stop nudging this occurrence.
                    if not _advance_recurring(reminder, now):
                        reminder.next_fire_at = None
                    log.info("reminder.escalation_dropped", reminder_id=str(reminder.id))
                else:
                    await _resume_existing(session, reminder, existing[key], now, stats)
                continue
            if not reminder.urgent:
                quiet_end = _quiet_end(user, now)
                if quiet_end is not None:
                    reminder.next_fire_at = quiet_end
                    stats.deferred += 1
                    log.info("reminder.deferred_quiet_hours", reminder_id=str(reminder.id))
                    continue
            if key not in existing:
                session.add(
                    ReminderDelivery(
                        user_id=reminder.user_id,
                        reminder_id=reminder.id,
                        occurrence_at=reminder.due_at,
                        attempt=reminder.attempts,
                        idempotency_key=key,
                        outcome="pending",
                    )
                )
            reminder.claimed_until = lease_until
            reminder.claimed_by = me
            claims.append(
                _Claim(reminder.id, key, overdue > LATE_AFTER, max(0.0, overdue.total_seconds()))
            )
    return len(reminders), claims


def _quiet_end(user: User, now: datetime) -> datetime | None:
    try:
        return quiet_period_end(user.quiet_hours_start, user.quiet_hours_end, user.timezone or "UTC", now)
    except (KeyError, ValueError):  # an unknown zone must not block delivery: read it as UTC
        return quiet_period_end(user.quiet_hours_start, user.quiet_hours_end, "UTC", now)


async def _resume_existing(
    session: AsyncSession, reminder: Reminder, ledger: ReminderDelivery, now: datetime, stats: DeliveryStats
) -> None:
    """A ledger row exists for an attempt that is too old to send: never send it blindly."""
    if ledger.outcome in FINAL_OUTCOMES:
        stats.duplicates_prevented += 1
        REMINDER_DUPLICATES_PREVENTED.inc()
        _after_send(reminder, now)
    else:
        ledger.outcome = "missed"
        stats.missed += 1
        REMINDERS_MISSED.inc()
        _mark_missed(reminder, now)


async def _primary_phones(session: AsyncSession, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each user's verified primary phone (send_sms's own choice, for a whole batch at once)."""
    rows = await session.execute(
        select(PhoneNumber.user_id, PhoneNumber.e164)
        .where(PhoneNumber.user_id.in_(user_ids), PhoneNumber.verified_at.is_not(None))
        .order_by(PhoneNumber.is_primary.desc(), PhoneNumber.verified_at)
    )
    phones: dict[uuid.UUID, str] = {}
    for user_id, e164 in rows.all():
        phones.setdefault(user_id, e164)
    return phones


def _record(
    reminder: Reminder, entry: ReminderDelivery, claim: _Claim, result: SendResult, at: datetime, stats: DeliveryStats
) -> None:
    """Ledger outcome and the row's next state after one send attempt."""
    if getattr(result, "duplicate", False) and result.status in DELIVERED_STATUSES:
        # A text with this key is already stored: the key decides, nothing was sent again.
        stats.duplicates_prevented += 1
        if entry.outcome not in FINAL_OUTCOMES:
            entry.outcome = "sent"
        if result.message is not None:
            entry.message_id = result.message.id
        _after_send(reminder, at)
    elif result.status in DELIVERED_STATUSES:
        lateness = max(0.0, (at - clock.as_utc(reminder.next_fire_at or at)).total_seconds())
        entry.outcome = "late" if claim.late else "sent"
        entry.late_seconds = int(lateness)
        entry.sent_at = at
        entry.message_id = result.message.id if result.message is not None else None
        stats.sent += 1
        stats.late += int(claim.late)
        stats.lateness.append(lateness)
        _after_send(reminder, at)
    elif result.status == "deferred_quiet_hours":
        entry.outcome = "deferred"
        reminder.next_fire_at = result.retry_at or at + FAILED_RETRY
        stats.deferred += 1
    elif result.status in SUPPRESSED_STATUSES:
        # Opted out or no phone: recorded, and not retried in a loop.
        entry.outcome = "suppressed"
        stats.suppressed += 1
        if not _advance_recurring(reminder, at):
            reminder.next_fire_at = None
    else:
        entry.outcome = "failed"
        stats.failed += 1
        reminder.attempts += 1
        reminder.next_fire_at = at + FAILED_RETRY if reminder.attempts <= reminder.escalation_max else None
    log.info(
        "reminder.delivery",
        reminder_id=str(reminder.id),
        user_id=str(reminder.user_id),
        outcome=entry.outcome,
        attempt=entry.attempt,
    )


async def _send_batch(me: str, claims: list[_Claim], total: DeliveryStats) -> None:
    """Transaction 2: send each claimed row once, record, advance, release; commit. Counters
    and metrics are only taken once the transaction has committed."""
    if not claims:
        return
    stats = DeliveryStats()
    by_id = {c.reminder_id: c for c in claims}
    async with session_scope() as session:
        now = clock.now()
        reminders = list(
            (
                await session.execute(
                    select(Reminder)
                    .where(Reminder.id.in_(by_id), Reminder.claimed_by == me)
                    .order_by(Reminder.id)
                    .with_for_update()
                )
            ).scalars()
        )
        keys = [by_id[r.id].key for r in reminders]
        ledger = {
            row.idempotency_key: row
            for row in (
                await session.execute(
                    select(ReminderDelivery)
                    .where(ReminderDelivery.idempotency_key.in_(keys))
                    .with_for_update()
                )
            ).scalars()
        }
        user_ids = {r.user_id for r in reminders}
        users = await _load_users(session, user_ids)
        phones = await _primary_phones(session, user_ids)
        # Row changes are applied after all sends, so they reach the database in one batched
        # flush at commit instead of riding along with every send's own flushes.
        outcomes: list[tuple[Reminder, ReminderDelivery, _Claim, SendResult | str | None, datetime]] = []
        for reminder in reminders:
            claim = by_id[reminder.id]
            entry = ledger.get(claim.key)
            still_due = (
                reminder.status in DELIVERABLE
                and reminder.next_fire_at is not None
                and clock.as_utc(reminder.next_fire_at) <= now
                and idempotency_key(reminder) == claim.key
            )
            if entry is None or not still_due:
                # Acknowledged, snoozed or cancelled since the claim: nothing to send.
                if entry is not None and entry.outcome == "pending":
                    outcomes.append((reminder, entry, claim, None, now))
                continue
            if entry.outcome in FINAL_OUTCOMES:
                outcomes.append((reminder, entry, claim, ALREADY_SENT, now))
                continue
            phone = phones.get(reminder.user_id)
            if phone is None:
                result: SendResult | str | None = SendResult("no_phone")
            else:
                result = await send_sms(
                    session,
                    users[reminder.user_id],
                    reminder_text(reminder, late=claim.late),
                    "urgent_reminder" if reminder.urgent else "reminder",
                    to_number=phone,
                    idempotency_key=claim.key,
                )
            outcomes.append((reminder, entry, claim, result, clock.now()))
        for reminder, entry, claim, result, at in outcomes:
            if result is None:
                entry.outcome = "skipped"
            elif result == ALREADY_SENT:
                # The ledger already holds a final outcome for this attempt: never send again.
                stats.duplicates_prevented += 1
                _after_send(reminder, at)
            elif isinstance(result, SendResult):
                _record(reminder, entry, claim, result, at, stats)
        for reminder in reminders:
            _release(reminder)
    total.add(stats)
    for lateness in stats.lateness:
        REMINDER_LATENESS.observe(lateness)
    if stats.sent - stats.late:
        REMINDERS_SENT.labels(late="false").inc(stats.sent - stats.late)
    if stats.late:
        REMINDERS_SENT.labels(late="true").inc(stats.late)
    if stats.duplicates_prevented:
        REMINDER_DUPLICATES_PREVENTED.inc(stats.duplicates_prevented)


async def _drain(me: str, limit: int, max_seconds: float | None, stats: DeliveryStats) -> None:
    started = time.monotonic()
    while True:
        found, claims = await _claim_batch(me, limit, stats)
        if found == 0:
            break
        if claims:
            try:
                await _send_batch(me, claims, stats)
            except Exception:
                # One bad row must not stop the others: retry them one by one. A row that still
                # fails keeps its lease until it expires; the ledger prevents a double send.
                log.exception("reminder.batch_failed", size=len(claims))
                await _send_one_by_one(me, claims, stats)
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            break


async def deliver_due_reminders(
    *,
    batch_size: int | None = None,
    max_seconds: float | None = None,
    worker: str | None = None,
    concurrency: int | None = None,
) -> DeliveryStats:
    """Send every reminder that is due, batch by batch, until none is left (or `max_seconds`
    have passed, so a periodic task never runs forever). Safe to run in several processes.

    On PostgreSQL a process drains with `concurrency` pipelines at once (each its own
    connection; SKIP LOCKED keeps their batches apart), since a send mostly waits on database
    round trips. SQLite has one writer, so one pipeline."""
    settings = get_settings()
    limit = batch_size or settings.reminder_batch_size
    me = worker or worker_id()
    if concurrency is None:
        concurrency = 1 if settings.is_sqlite else DRAIN_CONCURRENCY
    stats = DeliveryStats()
    if concurrency <= 1:
        await _drain(me, limit, max_seconds, stats)
        return stats
    await asyncio.gather(*(_drain(f"{me}/{i}", limit, max_seconds, stats) for i in range(concurrency)))
    return stats


async def _send_one_by_one(me: str, claims: list[_Claim], stats: DeliveryStats) -> None:
    for claim in claims:
        try:
            await _send_batch(me, [claim], stats)
        except Exception:
            stats.failed += 1
            log.exception("reminder.send_failed", reminder_id=str(claim.reminder_id))
