"""Argument models of the base tools: the contract between providers (Gemini sees their JSON
schema; the offline brain emits them) and the tool implementations.

Times are ISO 8601 strings. A time without an offset is in the user's zone.
References ("ref") accept a number from the last list the user was shown ("2") or words of the
title ("renew passport").
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


# reminders
class CreateReminder(Args):
    text: str = Field(min_length=1, max_length=500, description="what to remind about")
    due_at: str = Field(description="first occurrence, ISO 8601 (local time if no offset)")
    rrule: str | None = Field(None, description="RFC 5545 RRULE for a recurring reminder, e.g. FREQ=WEEKLY;BYDAY=MO")
    urgent: bool = Field(False, description="send even during quiet hours")


class ListReminders(Args):
    limit: int = Field(5, ge=1, le=20)
    day: Literal["today", "tomorrow", "week"] | None = Field(None, description="only those due that day/week")


class AcknowledgeReminder(Args):
    reminder_id: str | None = Field(None, description="omit for the reminder the user is most likely answering")


class SnoozeReminder(Args):
    reminder_id: str | None = None
    minutes: int | None = Field(None, ge=1, le=7 * 24 * 60)
    until: str | None = Field(None, description="ISO 8601 time to snooze until")


class CancelReminder(Args):
    reminder_id: str | None = None
    query: str | None = Field(None, description="words of the reminder text, e.g. 'dentist'")


class UpdateReminder(Args):
    reminder_id: str | None = Field(None, description="the reminder's id")
    query: str | None = Field(None, description="words of the reminder text when the id is not known")
    text: str | None = Field(None, min_length=1, max_length=500)
    due_at: str | None = Field(None, description="new time, ISO 8601 (local time if no offset)")
    rrule: str | None = None


class DeleteReminder(Args):
    reminder_id: str = Field(min_length=1, description="the reminder's id (used to undo a reminder just made)")


class Reschedule(Args):
    query: str = Field(min_length=1, max_length=200, description="words of a reminder or task, e.g. 'dentist'")
    due_at: str = Field(description="new time, ISO 8601")
    keep_time: bool = Field(False, description="keep the item's time of day, change only the date")


# tasks and goals
class AddTask(Args):
    title: str = Field(min_length=1, max_length=200)
    due_at: str | None = None
    estimate_minutes: int | None = Field(None, ge=1, le=24 * 60)
    priority: int | None = Field(None, ge=1, le=3, description="1 high, 2 normal, 3 low")
    goal_ref: str | None = Field(None, description="words of a goal title")
    notes: str | None = None
    reuse_open: bool = Field(False, description="an open task with this title gets the due date instead")


class UpdateTask(Args):
    task_id: str | None = None
    ref: str | None = Field(None, description="list number or words of the title")
    title: str | None = Field(None, min_length=1, max_length=200)
    due_at: str | None = Field(None, description="ISO date or time; empty string clears it")
    status: Literal["todo", "doing", "done"] | None = None
    priority: int | None = Field(None, ge=1, le=3)


class DeleteTask(Args):
    task_id: str | None = None
    ref: str | None = Field(None, description="list number or words of the title")


class ListTasks(Args):
    status: Literal["open", "done", "all"] = "open"
    limit: int = Field(10, ge=1, le=30)
    due: Literal["today", "tomorrow", "week"] | None = Field(None, description="only tasks due by then")


class CompleteTask(Args):
    ref: str = Field(min_length=1)


class BreakDownTask(Args):
    title: str = Field(min_length=1, max_length=200)
    steps: list[str] = Field(min_length=1, max_length=8, description="tiny, concrete first steps")


class DeleteGoal(Args):
    goal_id: str = Field(min_length=1)


class AddGoal(Args):
    title: str = Field(min_length=1, max_length=200)
    why: str | None = None
    target_date: str | None = Field(None, description="ISO date")


class ListGoals(Args):
    pass


# groceries
class GroceryEntry(Args):
    name: str = Field(min_length=1, max_length=120)
    quantity: str | None = None


class AddGroceries(Args):
    items: list[GroceryEntry] = Field(min_length=1, max_length=50)


class ListGroceries(Args):
    pass


class CheckGroceries(Args):
    names: list[str] = Field(min_length=1)


class ClearGroceries(Args):
    pass


class RemoveGroceries(Args):
    names: list[str] = Field(min_length=1, description="items to take off the list entirely")


# expenses
class LogExpense(Args):
    amount: str = Field(pattern=r"^\d{1,9}(\.\d{1,2})?$", description="decimal string, e.g. 12.50")
    currency: str | None = Field(None, min_length=3, max_length=3)
    note: str | None = Field(None, max_length=300)
    category: str | None = None
    spent_at: str | None = None


class UpdateExpense(Args):
    expense_id: str = Field(min_length=1)
    amount: str | None = Field(None, pattern=r"^\d{1,9}(\.\d{1,2})?$")
    currency: str | None = Field(None, min_length=3, max_length=3)
    note: str | None = Field(None, max_length=300)
    category: str | None = None


class DeleteExpense(Args):
    expense_id: str = Field(min_length=1)


class ExpenseSummary(Args):
    period: Literal["day", "week", "month"] = "week"
    category: str | None = None


# memory
class Remember(Args):
    content: str = Field(min_length=1, max_length=2000)
    kind: Literal["fact", "preference", "event", "note"] = "fact"
    tags: list[str] = Field(default_factory=list)


class Recall(Args):
    query: str = Field(min_length=1)


class ForgetMemory(Args):
    memory_id: str | None = None
    query: str | None = Field(None, description="words of the memory to delete, e.g. 'locker code'")
    last: bool = Field(False, description="'forget that': the memory saved, changed or recalled last")
    everything_about: str | None = Field(
        None, description="'forget everything about X': delete every memory about X (e.g. 'my sister')"
    )


class MemoryOverview(Args):
    limit: int = Field(5, ge=1, le=20)


# focus
class StartFocus(Args):
    minutes: int = Field(ge=1, le=240)
    label: str | None = None
    task_ref: str | None = None
    midway_checkin: bool = False


class EndFocus(Args):
    outcome: str | None = None


# settings and time
class UpdateSettings(Args):
    timezone: str | None = Field(None, description="IANA zone, e.g. America/Los_Angeles")
    quiet_hours_start: str | None = Field(None, description="HH:MM")
    quiet_hours_end: str | None = Field(None, description="HH:MM")
    morning_checkin: str | None = Field(None, description="HH:MM")
    evening_checkin: str | None = Field(None, description="HH:MM")
    checkins_enabled: bool | None = None
    currency: str | None = Field(None, min_length=3, max_length=3, description="ISO 4217, e.g. EUR")
    escalation_minutes: int | None = Field(None, ge=1, le=240, description="minutes between re-sends")
    escalation_max: int | None = Field(None, ge=0, le=10, description="re-sends of an unanswered reminder")
    day_parts: dict[str, str] | None = Field(
        None, description="the user's own times for morning/afternoon/evening/night, e.g. {'morning': '07:00'}"
    )
    name: str | None = Field(None, max_length=120)


class GetSettings(Args):
    pass


class CurrentTime(Args):
    pass


# connector tools (enabled once the user connects the account)
class ConnectorQuery(Args):
    query: str = Field("", max_length=500, description="the user's words, e.g. 'tomorrow' or 'from my boss'")
