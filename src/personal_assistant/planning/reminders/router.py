"""REST for reminders: /api/v1/reminders (+ acknowledge, snooze, cancel actions)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Response

from personal_assistant.core.pagination import Page
from personal_assistant.db.models.planning import Reminder
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.planning.common import local_iso
from personal_assistant.planning.reminders import service
from personal_assistant.planning.reminders.schemas import (
    ReminderCreate,
    ReminderOut,
    ReminderStatus,
    ReminderUpdate,
    SnoozeIn,
)

router = APIRouter(prefix="/api/v1/reminders", tags=["reminders"])


def _out(r: Reminder) -> ReminderOut:
    return ReminderOut(
        id=r.id,
        text=r.text,
        due_at=r.due_at,
        local_due=local_iso(r.due_at, r.timezone) or "",
        timezone=r.timezone,
        recurrence=service.rule_of(r),
        status=ReminderStatus(r.status),
        attempts=r.attempts,
        escalation_minutes=r.escalation_minutes,
        escalation_max=r.escalation_max,
        urgent=r.urgent,
        task_id=r.task_id,
        next_fire_at=r.next_fire_at,
        last_sent_at=r.last_sent_at,
        acknowledged_at=r.acknowledged_at,
        snoozed_until=r.snoozed_until,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


@router.get("", response_model=Page[ReminderOut])
async def list_reminders(
    *,
    status: ReminderStatus | None = None,
    upcoming: bool = Query(False, description="only reminders still to fire, soonest first"),
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[ReminderOut]:
    """List your reminders."""
    items, total = await service.list_reminders(
        session, principal.user_id, status=status, upcoming=upcoming, limit=page.limit, offset=page.offset
    )
    return Page[ReminderOut].of([_out(r) for r in items], total, page)


@router.post("", response_model=ReminderOut, status_code=201)
async def create_reminder(
    body: ReminderCreate,
    principal: PrincipalDep,
    session: SessionDep,
) -> ReminderOut:
    """Create a reminder; `recurrence` (an RRULE) repeats it at the same local time."""
    data = body.model_dump()
    data["rrule"] = data.pop("recurrence")
    return _out(await service.create_reminder(session, principal.user_id, **data))


@router.get("/{reminder_id}", response_model=ReminderOut)
async def get_reminder(
    reminder_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> ReminderOut:
    """Read one reminder."""
    return _out(await service.get_reminder(session, principal.user_id, reminder_id))


@router.patch("/{reminder_id}", response_model=ReminderOut)
async def update_reminder(
    reminder_id: uuid.UUID,
    body: ReminderUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> ReminderOut:
    """Change a reminder; a new time, zone or recurrence reschedules it."""
    changes = body.model_dump(exclude_unset=True)
    if "recurrence" in changes:
        changes["rrule"] = changes.pop("recurrence")
    return _out(await service.update_reminder(session, principal.user_id, reminder_id, changes))


@router.delete("/{reminder_id}", status_code=204)
async def delete_reminder(
    reminder_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> Response:
    """Delete a reminder."""
    await service.delete_reminder(session, principal.user_id, reminder_id)
    return Response(status_code=204)


@router.post("/{reminder_id}/acknowledge", response_model=ReminderOut)
async def acknowledge_reminder(
    reminder_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> ReminderOut:
    """Mark a reminder done; a recurring one moves to its next occurrence."""
    reminder = await service.get_reminder(session, principal.user_id, reminder_id)
    return _out(await service.acknowledge(session, principal.user_id, reminder))


@router.post("/{reminder_id}/snooze", response_model=ReminderOut)
async def snooze_reminder(
    *,
    reminder_id: uuid.UUID,
    body: SnoozeIn | None = None,
    principal: PrincipalDep,
    session: SessionDep,
) -> ReminderOut:
    """Snooze by `minutes` (default 10) or `until` a time, at most 7 days ahead."""
    reminder = await service.get_reminder(session, principal.user_id, reminder_id)
    body = body or SnoozeIn(minutes=None, until=None)
    return _out(await service.snooze(session, principal.user_id, reminder, minutes=body.minutes, until=body.until))


@router.post("/{reminder_id}/cancel", response_model=ReminderOut)
async def cancel_reminder(
    reminder_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
) -> ReminderOut:
    """Cancel a reminder (and all its future occurrences)."""
    reminder = await service.get_reminder(session, principal.user_id, reminder_id)
    return _out(await service.cancel(session, principal.user_id, reminder))
