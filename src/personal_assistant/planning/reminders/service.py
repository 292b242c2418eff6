"""Reminder rules: the user-facing transitions of the reminder state machine.

Delivery (planning/reminders/delivery.py) claims rows with status pending|snoozed|sent whose
next_fire_at is due, sends, and escalates. This module creates reminders and handles what the
user does with them: acknowledge ("done"), snooze, cancel, edit. Recurring reminders move to
their next occurrence with `advance_to_next_occurrence`, which delivery also calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import NotFound, ValidationFailed
from personal_assistant.db.models.planning import REMINDER_STATUSES, Reminder
from personal_assistant.planning.common import (
    Ambiguous,
    UserRef,
    best_matches,
    id_from_last_list,
    load_user,
    parse_when,
    remember_list,
    user_id_of,
    words,
)
from personal_assistant.planning.reminders.recurrence import (
    join_stored,
    next_occurrence,
    split_stored,
    to_local,
    validate_rrule,
)
from personal_assistant.planning.reminders.repository import ACTIVE_STATUSES, DeliveryRepository, ReminderRepository
from personal_assistant.planning.tasks.repository import TaskRepository

LIST_KIND = "reminders"
MAX_SNOOZE = timedelta(days=7)
DEFAULT_SNOOZE_MINUTES = 10
# "done" / "snooze 10" answers the reminder sent within this window.
ANSWER_WINDOW = timedelta(hours=12)
# A one-off due time this far in the past is a mistake, not "now".
PAST_GRACE = timedelta(minutes=1)

# Words people wrap around the reminder's own text: "cancel the dentist reminder".
_FILLER = frozenset({"reminder", "reminders", "remind", "one", "alarm", "cancel", "delete", "stop", "thing", "ping"})

ReminderRef = Reminder | uuid.UUID | str | None


@dataclass
class LedgerEntry:
    """One send (or decision not to send) of a reminder, for "what was already sent"."""

    reminder_id: uuid.UUID
    text: str
    occurrence_at: datetime
    sent_at: datetime | None
    attempt: int
    outcome: str  # pending|sent|late|missed|failed|suppressed
    late_seconds: int
    message_status: str | None


def _repo(session: AsyncSession, user: UserRef) -> ReminderRepository:
    return ReminderRepository(session, user_id_of(user))


def _zone(name: str | None, default: str) -> str:
    zone = (name or default or "UTC").strip()
    if not clock.is_valid_timezone(zone):
        raise ValidationFailed("unknown time zone", fields={"timezone": "not an IANA time zone"})
    return zone


def rule_of(reminder: Reminder) -> str | None:
    """The RRULE of a reminder without its stored anchor (what users and the API see)."""
    return split_stored(reminder.rrule)[0]


def _schedule(reminder: Reminder, due: datetime) -> None:
    reminder.due_at = due
    reminder.next_fire_at = due
    reminder.attempts = 0
    reminder.status = "pending"
    reminder.snoozed_until = None


def _validated_rule(rule: str | None) -> str | None:
    if rule is None or not rule.strip():
        return None
    try:
        return validate_rrule(rule)
    except ValidationFailed as exc:
        # The API calls the field "recurrence"; the tools call it "rrule": name both.
        raise ValidationFailed(exc.message, fields={"recurrence": exc.message, "rrule": exc.message}) from exc


def _first_due(due: datetime, rule: str | None, tz: str, now: datetime) -> datetime:
    """One-off: the time asked for (not in the past). Recurring: that time, or if it has passed,
    the rule's next occurrence (so "every day at 8" set at 9 starts tomorrow)."""
    if due >= now - PAST_GRACE:
        return due
    if rule is None:
        raise ValidationFailed("that time has already passed", fields={"due_at": "in the past"})
    nxt = next_occurrence(rule, to_local(due, tz), tz, now)
    if nxt is None:
        raise ValidationFailed("every occurrence is in the past", fields={"due_at": "no future occurrence"})
    return nxt


async def _check_task(session: AsyncSession, user: UserRef, task_id: uuid.UUID | None) -> None:
    if task_id is not None and await TaskRepository(session, user_id_of(user)).find(task_id) is None:
        raise ValidationFailed("no such task", fields={"task_id": "no such task"})


async def create_reminder(
    session: AsyncSession,
    user: UserRef,
    *,
    text: str,
    due_at: str | datetime,
    timezone: str | None = None,
    rrule: str | None = None,
    urgent: bool = False,
    task_id: uuid.UUID | None = None,
    escalation_minutes: int | None = None,
    escalation_max: int | None = None,
) -> Reminder:
    """Create a reminder. `due_at` (ISO text local to `timezone`, default the user's zone) is the
    first occurrence; `rrule` repeats it on local wall-clock time. Escalation defaults come from
    the user's settings."""
    owner = await load_user(session, user)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("text is required", fields={"text": "required"})
    tz = _zone(timezone, owner.timezone)
    rule = _validated_rule(rrule)
    await _check_task(session, owner, task_id)
    asked = parse_when(due_at, tz, field="due_at")
    due = _first_due(asked, rule, tz, clock.now())
    reminder = Reminder(
        text=text[:500],
        timezone=tz,
        rrule=join_stored(rule, to_local(asked, tz)) if rule else None,
        urgent=urgent,
        task_id=task_id,
        escalation_minutes=escalation_minutes or owner.escalation_minutes,
        escalation_max=owner.escalation_max if escalation_max is None else escalation_max,
    )
    _schedule(reminder, due)
    return await _repo(session, owner).add(reminder)


def advance_to_next_occurrence(reminder: Reminder, after: datetime) -> bool:
    """Move a recurring reminder to its first occurrence strictly after `after`: due_at and
    next_fire_at = that occurrence, attempts 0, status pending. Returns False (and marks the
    reminder done, nothing left to fire) when it is one-off or its rule is exhausted.
    Synchronous and database-free: delivery calls it inside its own transaction."""
    rule, anchor = split_stored(reminder.rrule)
    nxt = None
    if rule:
        anchor = anchor or to_local(reminder.due_at, reminder.timezone)
        nxt = next_occurrence(rule, anchor, reminder.timezone, clock.as_utc(after))
    if nxt is None:
        reminder.status = "done"
        reminder.next_fire_at = None
        return False
    _schedule(reminder, nxt)
    return True


async def get_reminder(session: AsyncSession, user: UserRef, reminder_id: uuid.UUID | str) -> Reminder:
    return await _repo(session, user).get(reminder_id)


async def list_reminders(
    session: AsyncSession,
    user: UserRef,
    *,
    status: str | None = None,
    upcoming: bool = False,
    limit: int | None = 50,
    offset: int = 0,
    fires_before: datetime | None = None,
) -> tuple[list[Reminder], int]:
    """Reminders by status; `upcoming` keeps the ones still to fire (pending, sent, snoozed),
    soonest first; `fires_before` only those whose next firing is before that instant."""
    where = []
    if fires_before is not None:
        where.append(func.coalesce(Reminder.next_fire_at, Reminder.due_at) < fires_before)
    if status:
        if status not in REMINDER_STATUSES:
            raise ValidationFailed("unknown status", fields={"status": f"one of {', '.join(REMINDER_STATUSES)}"})
        where.append(Reminder.status == status)
    if upcoming:
        where.append(Reminder.status.in_(ACTIVE_STATUSES))
    order = [Reminder.due_at] if upcoming else [Reminder.due_at.desc()]
    repo = _repo(session, user)
    return await repo.list(*where, order_by=order, limit=limit, offset=offset), await repo.count(*where)


async def list_upcoming_for_sms(
    session: AsyncSession, user: UserRef, *, limit: int = 5, fires_before: datetime | None = None
) -> list[Reminder]:
    """Upcoming reminders as shown by SMS; the order is stored for "cancel 2"."""
    items, _ = await list_reminders(session, user, upcoming=True, limit=limit, fires_before=fires_before)
    await remember_list(session, user_id_of(user), LIST_KIND, [r.id for r in items])
    return items


async def most_likely_reminder(session: AsyncSession, user: UserRef) -> Reminder | None:
    """The reminder a bare "done" / "snooze 10" answers: the one most recently sent (still
    unanswered) within the last 12 hours; None if there is none (then ask which)."""
    return await _repo(session, user).last_sent_since(clock.now() - ANSWER_WINDOW)


async def find_reminders(session: AsyncSession, user: UserRef, query: str) -> list[Reminder]:
    """Active reminders whose text matches the words of `query` ("the dentist one"), best first."""
    active = await _repo(session, user).active()
    wanted = " ".join(w for w in words(query) if w not in _FILLER) or query
    return best_matches(wanted, active, key=lambda r: r.text, threshold=0.7)


async def resolve_reminder_ref(session: AsyncSession, user: UserRef, ref: ReminderRef) -> Reminder:
    """A reminder from an object, an id, a number of the last list shown, words of its text, or
    nothing (the one the user is most likely answering). NotFound or Ambiguous otherwise."""
    if isinstance(ref, Reminder):
        return ref
    repo = _repo(session, user)
    if isinstance(ref, uuid.UUID):
        return await repo.get(ref)
    text = (ref or "").strip().lstrip("#")
    if not text:
        found = await most_likely_reminder(session, user)
        if found is None:
            raise NotFound("recently sent reminder")
        return found
    if text.isdigit():
        rid = await id_from_last_list(session, user_id_of(user), LIST_KIND, int(text))
        found = await repo.find(rid) if rid else None
        if found is None:
            raise NotFound(f"reminder {text} of the last list")
        return found
    try:
        return await repo.get(uuid.UUID(text))
    except ValueError:
        pass
    matches = await find_reminders(session, user, text)
    if not matches:
        raise NotFound("reminder")
    if len(matches) > 1:
        raise Ambiguous("reminder", matches)
    return matches[0]


def _must_be_open(reminder: Reminder, action: str) -> None:
    if reminder.status in ("cancelled", "done"):
        raise ValidationFailed(f"cannot {action} a {reminder.status} reminder", fields={"status": reminder.status})


async def acknowledge(session: AsyncSession, user: UserRef, ref: ReminderRef = None) -> Reminder:
    """ "Done": a one-off reminder becomes acknowledged and stops; a recurring one records the
    acknowledgement and moves to its next occurrence (or done when its rule is exhausted)."""
    reminder = await resolve_reminder_ref(session, user, ref)
    _must_be_open(reminder, "acknowledge")
    now = clock.now()
    reminder.acknowledged_at = now
    if reminder.rrule:
        # Past the occurrence being answered (an early "done" skips it too).
        advance_to_next_occurrence(reminder, max(now, clock.as_utc(reminder.due_at)))
    else:
        reminder.status = "acknowledged"
        reminder.next_fire_at = None
        reminder.snoozed_until = None
    await session.flush()
    return reminder


async def snooze(
    session: AsyncSession,
    user: UserRef,
    ref: ReminderRef = None,
    *,
    minutes: int | None = None,
    until: str | datetime | None = None,
) -> Reminder:
    """Fire again later: after `minutes` (default 10) or at `until` (ISO, user's zone if no
    offset). Must be in the future and at most 7 days away. Resets the escalation count."""
    reminder = await resolve_reminder_ref(session, user, ref)
    _must_be_open(reminder, "snooze")
    now = clock.now()
    if until is not None and until != "":
        tz = reminder.timezone or (await load_user(session, user)).timezone
        when = parse_when(until, tz, field="until")
        field = "until"
    else:
        if minutes is not None and not 1 <= minutes <= MAX_SNOOZE.total_seconds() // 60:
            raise ValidationFailed("snooze between 1 minute and 7 days", fields={"minutes": "1 to 10080"})
        when = now + timedelta(minutes=minutes or DEFAULT_SNOOZE_MINUTES)
        field = "minutes"
    if when <= now:
        raise ValidationFailed("that time has already passed", fields={field: "must be in the future"})
    if when - now > MAX_SNOOZE:
        raise ValidationFailed("snooze at most 7 days", fields={field: "at most 7 days ahead"})
    reminder.status = "snoozed"
    reminder.snoozed_until = when
    reminder.next_fire_at = when
    reminder.attempts = 0
    await session.flush()
    return reminder


async def cancel(session: AsyncSession, user: UserRef, ref: ReminderRef) -> Reminder:
    """Stop a reminder for good (all future occurrences)."""
    reminder = await resolve_reminder_ref(session, user, ref)
    reminder.status = "cancelled"
    reminder.next_fire_at = None
    reminder.snoozed_until = None
    await session.flush()
    return reminder


async def update_reminder(
    session: AsyncSession, user: UserRef, reminder_id: uuid.UUID | str, changes: dict[str, Any]
) -> Reminder:
    """Partial update. A new due time, zone or rule reschedules the reminder from scratch."""
    reminder = await get_reminder(session, user, reminder_id)
    if "text" in changes:
        if not (changes["text"] or "").strip():
            raise ValidationFailed("text is required", fields={"text": "required"})
        reminder.text = changes["text"].strip()[:500]
    for key in ("urgent", "escalation_minutes", "escalation_max"):
        if changes.get(key) is not None:
            setattr(reminder, key, changes[key])
    if "task_id" in changes:
        await _check_task(session, user, changes["task_id"])
        reminder.task_id = changes["task_id"]
    if {"due_at", "timezone", "rrule"} & {k for k, v in changes.items() if v is not None or k == "rrule"}:
        old_rule, anchor = split_stored(reminder.rrule)
        tz = _zone(changes.get("timezone"), reminder.timezone)
        rule = _validated_rule(changes["rrule"]) if "rrule" in changes else old_rule
        if changes.get("due_at"):
            asked = parse_when(changes["due_at"], tz, field="due_at")
        elif anchor is not None and tz == reminder.timezone:
            asked = parse_when(anchor, tz)
        else:
            asked = clock.as_utc(reminder.due_at)
        due = _first_due(asked, rule, tz, clock.now())
        reminder.timezone = tz
        reminder.rrule = join_stored(rule, to_local(asked, tz)) if rule else None
        _schedule(reminder, due)
    await session.flush()
    return reminder


async def delete_reminder(session: AsyncSession, user: UserRef, reminder_id: uuid.UUID | str) -> None:
    """Delete a reminder and its delivery history."""
    repo = _repo(session, user)
    await repo.delete(await repo.get(reminder_id))


async def delivery_ledger(session: AsyncSession, user: UserRef, *, limit: int = 50) -> list[LedgerEntry]:
    """The latest reminder deliveries (sent, late, missed, suppressed...), newest first."""
    rows = await DeliveryRepository(session, user_id_of(user)).recent_with_reminder(limit)
    return [
        LedgerEntry(d.reminder_id, text, d.occurrence_at, d.sent_at, d.attempt, d.outcome, d.late_seconds, status)
        for d, text, status in rows
    ]
