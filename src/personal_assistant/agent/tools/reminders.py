"""Reminder tools: create, list, acknowledge ("done"), snooze, cancel. Shapes: offline/results.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.core import clock
from personal_assistant.core.errors import NotFound
from personal_assistant.db.models.planning import Reminder
from personal_assistant.planning.common import Ambiguous, local_iso, remember_list, utc_iso
from personal_assistant.planning.reminders import service as reminders
from personal_assistant.planning.tasks import service as tasks


def _next_fire(reminder: Reminder):
    # A snoozed reminder comes back at its snooze time, not at the occurrence it belongs to.
    return reminder.next_fire_at or reminder.due_at


def reminder_out(reminder: Reminder, tz: str) -> dict[str, Any]:
    when = _next_fire(reminder)
    return {
        "id": str(reminder.id),
        "text": reminder.text,
        "due_at": utc_iso(when),
        "local_due": local_iso(when, reminder.timezone or tz),
        "rrule": reminders.rule_of(reminder),
        "status": reminder.status,
    }


def reminder_item(n: int, reminder: Reminder, tz: str) -> dict[str, Any]:
    return {
        "n": n,
        "id": str(reminder.id),
        "text": reminder.text,
        "local_due": local_iso(_next_fire(reminder), reminder.timezone or tz),
        "rrule": reminders.rule_of(reminder),
    }


async def _answered_reminder(ctx: ToolContext, reminder_id: str | None) -> Reminder | None:
    """The reminder a reply refers to: by id/number/words, else the one sent last (and still
    unanswered) in the last hours. Never a reminder that has not gone out yet: a bare "done" or
    "cancel that" must not silently act on tomorrow's reminder."""
    if reminder_id:
        try:
            return await reminders.resolve_reminder_ref(ctx.session, ctx.user, reminder_id)
        except Ambiguous as exc:
            raise ToolFailed(_which_one(exc.candidates)) from exc
        except NotFound as exc:
            raise ToolFailed(f"I couldn't find a reminder matching '{reminder_id}'.") from exc
    return await reminders.most_likely_reminder(ctx.session, ctx.user)


def day_end(ctx: ToolContext, day: str) -> datetime:
    """The instant (UTC) ending "today", "tomorrow" or "this week" in the user's zone."""
    local = ctx.local_now.astimezone(clock.zone(ctx.timezone))
    days = {"today": 1, "tomorrow": 2}.get(day, 7 - local.weekday())
    end = (local + timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    return clock.as_utc(end)


def _which_one(candidates: list[Any]) -> str:
    names = "; ".join(f"{i}) {c.text}" for i, c in enumerate(candidates[:5], start=1))
    return f"Which reminder? {names}"


@registry.tool(
    "create_reminder",
    "Create a reminder (one-off or recurring) that is texted to the user at the time given.",
    schemas.CreateReminder,
    changes_data=True,
)
async def create_reminder(ctx: ToolContext, args: schemas.CreateReminder) -> dict[str, Any]:
    reminder = await reminders.create_reminder(
        ctx.session, ctx.user, text=args.text, due_at=args.due_at, rrule=args.rrule, urgent=args.urgent
    )
    return reminder_out(reminder, ctx.timezone)


@registry.tool("list_reminders", "List the user's upcoming reminders, soonest first, numbered.", schemas.ListReminders)
async def list_reminders(ctx: ToolContext, args: schemas.ListReminders) -> dict[str, Any]:
    before = day_end(ctx, args.day) if args.day else None
    items = await reminders.list_upcoming_for_sms(ctx.session, ctx.user, limit=args.limit, fires_before=before)
    return {"items": [reminder_item(n, r, ctx.timezone) for n, r in enumerate(items, start=1)]}


@registry.tool(
    "acknowledge_reminder",
    "Mark a reminder done (the user replied 'done'); a recurring one moves to its next time.",
    schemas.AcknowledgeReminder,
    changes_data=True,
)
async def acknowledge_reminder(ctx: ToolContext, args: schemas.AcknowledgeReminder) -> dict[str, Any]:
    reminder = await _answered_reminder(ctx, args.reminder_id)
    if reminder is None:
        return {"id": None}
    reminder = await reminders.acknowledge(ctx.session, ctx.user, reminder)
    out = reminder_out(reminder, ctx.timezone)
    if reminder.rrule and reminder.status == "pending":
        out["next_local_due"] = out["local_due"]
    return out


@registry.tool(
    "snooze_reminder",
    "Snooze a reminder by some minutes (default 10) or until a time.",
    schemas.SnoozeReminder,
    changes_data=True,
)
async def snooze_reminder(ctx: ToolContext, args: schemas.SnoozeReminder) -> dict[str, Any]:
    reminder = await _answered_reminder(ctx, args.reminder_id)
    if reminder is None:
        return {"id": None}
    reminder = await reminders.snooze(ctx.session, ctx.user, reminder, minutes=args.minutes, until=args.until)
    return reminder_out(reminder, ctx.timezone)


@registry.tool(
    "cancel_reminder",
    "Cancel a reminder for good, by id, list number, or words of its text (e.g. 'dentist').",
    schemas.CancelReminder,
    changes_data=True,
)
async def cancel_reminder(ctx: ToolContext, args: schemas.CancelReminder) -> dict[str, Any]:
    ref = args.reminder_id or args.query
    if ref:
        try:
            reminder = await reminders.resolve_reminder_ref(ctx.session, ctx.user, ref)
        except Ambiguous as exc:
            candidates = cast(list[Reminder], exc.candidates)
            # Numbered so the next message can say "cancel 2".
            await remember_list(ctx.session, ctx.user_id, reminders.LIST_KIND, [r.id for r in candidates])
            return {
                "id": None,
                "candidates": [reminder_item(n, r, ctx.timezone) for n, r in enumerate(candidates, start=1)],
            }
        except NotFound as exc:
            raise ToolFailed(f"I couldn't find a reminder matching '{ref}'.") from exc
    else:
        answered = await _answered_reminder(ctx, None)
        if answered is None:
            return {"id": None}
        reminder = answered
    reminder = await reminders.cancel(ctx.session, ctx.user, reminder)
    return reminder_out(reminder, ctx.timezone)


async def _reminder_by(ctx: ToolContext, reminder_id: str | None, query: str | None) -> Reminder:
    ref = reminder_id or query
    try:
        return await reminders.resolve_reminder_ref(ctx.session, ctx.user, ref)
    except Ambiguous as exc:
        raise ToolFailed(_which_one(exc.candidates)) from exc
    except NotFound as exc:
        raise ToolFailed(f"I couldn't find a reminder matching '{query}'." if query else
                         "I couldn't find that reminder any more.") from exc


@registry.tool(
    "update_reminder",
    "Change a reminder's text, time or rule (by id, or words of its text); used for corrections.",
    schemas.UpdateReminder,
    changes_data=True,
)
async def update_reminder(ctx: ToolContext, args: schemas.UpdateReminder) -> dict[str, Any]:
    reminder = await _reminder_by(ctx, args.reminder_id, args.query)
    previous = {"text": reminder.text, "due_at": utc_iso(_next_fire(reminder))}
    changes = {k: v for k, v in {"text": args.text, "due_at": args.due_at}.items() if v is not None}
    if args.rrule is not None:
        changes["rrule"] = args.rrule
    reminder = await reminders.update_reminder(ctx.session, ctx.user, reminder.id, changes)
    return {**reminder_out(reminder, ctx.timezone), "previous": {k: v for k, v in previous.items() if k in changes}}


@registry.tool(
    "delete_reminder",
    "Delete a reminder entirely (by id): the undo of a reminder just created.",
    schemas.DeleteReminder,
    changes_data=True,
)
async def delete_reminder(ctx: ToolContext, args: schemas.DeleteReminder) -> dict[str, Any]:
    reminder = await _reminder_by(ctx, args.reminder_id, None)
    out = {"id": str(reminder.id), "text": reminder.text}
    await reminders.delete_reminder(ctx.session, ctx.user, reminder.id)
    return out


@registry.tool(
    "reschedule",
    "Move a reminder or, if no reminder matches, an open task to a new time ('move the dentist to friday').",
    schemas.Reschedule,
    changes_data=True,
)
async def reschedule(ctx: ToolContext, args: schemas.Reschedule) -> dict[str, Any]:
    zone = clock.zone(ctx.timezone)
    target = datetime.fromisoformat(args.due_at.replace("Z", "+00:00"))
    if target.tzinfo is None:
        target = target.replace(tzinfo=zone)
    try:
        reminder = await reminders.resolve_reminder_ref(ctx.session, ctx.user, args.query)
    except Ambiguous as exc:
        raise ToolFailed(_which_one(exc.candidates)) from exc
    except NotFound:
        reminder = None
    if reminder is not None:
        old = _next_fire(reminder)
        due = target
        if args.keep_time:
            old_local = clock.as_utc(old).astimezone(zone)
            due = target.astimezone(zone).replace(hour=old_local.hour, minute=old_local.minute)
        changed = await reminders.update_reminder(ctx.session, ctx.user, reminder.id, {"due_at": due.isoformat()})
        return {**reminder_out(changed, ctx.timezone), "kind": "reminder", "previous": {"due_at": utc_iso(old)}}
    try:
        task = await tasks.resolve_task_ref(ctx.session, ctx.user, args.query)
    except Ambiguous as exc:
        shown = "; ".join(f"{i}) {getattr(t, 'title', t)}" for i, t in enumerate(exc.candidates[:5], 1))
        raise ToolFailed("Which one? " + shown) from exc
    except NotFound as exc:
        raise ToolFailed(f"I couldn't find a reminder or task matching '{args.query}'.") from exc
    from personal_assistant.agent.tools.tasks import task_out

    old_due = task.due_at
    value = target.date().isoformat() if args.keep_time and (task.due_all_day or task.due_at is None) \
        else target.isoformat()
    changed_task = await tasks.update_task(ctx.session, ctx.user, task.id, {"due_at": value})
    return {**task_out(changed_task, ctx.timezone), "kind": "task", "changed": ["due_at"],
            "previous": {"due_at": utc_iso(old_due) if old_due else None}}
