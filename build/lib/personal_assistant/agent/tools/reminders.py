"""Reminder tools: create, list, acknowledge ("done"), snooze, cancel. Shapes: offline/results.py."""

from __future__ import annotations

from typing import Any, cast

from personal_assistant.agent.tools import schemas
from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.core.errors import NotFound
from personal_assistant.db.models.planning import Reminder
from personal_assistant.planning.common import Ambiguous, local_iso, remember_list, utc_iso
from personal_assistant.planning.reminders import service as reminders


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
    """The reminder a reply refers to: by id/number/words, else the last one sent, else the next due."""
    if reminder_id:
        try:
            return await reminders.resolve_reminder_ref(ctx.session, ctx.user, reminder_id)
        except Ambiguous as exc:
            raise ToolFailed(_which_one(exc.candidates)) from exc
        except NotFound as exc:
            raise ToolFailed(f"I couldn't find a reminder matching '{reminder_id}'.") from exc
    reminder = await reminders.most_likely_reminder(ctx.session, ctx.user)
    if reminder is None:
        upcoming, _ = await reminders.list_reminders(ctx.session, ctx.user, upcoming=True, limit=1)
        reminder = upcoming[0] if upcoming else None
    return reminder


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
    items = await reminders.list_upcoming_for_sms(ctx.session, ctx.user, limit=args.limit)
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
