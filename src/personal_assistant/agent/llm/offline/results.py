"""The JSON shapes the base tools return (`ToolResult.data` when `ok` is True).

This is the contract between the tool implementations (agent/tools/) and every provider that
reads tool results (the offline brain composes its SMS replies from exactly these keys; Gemini
gets them as function responses). Keep it stable: add optional keys, never rename or remove.

Conventions
- Times: `*_at` keys are ISO 8601 in UTC ("2026-03-13T20:00:00+00:00"); `local_*` keys are ISO 8601
  in the user's zone WITH the offset ("2026-03-13T15:00:00-05:00"). A date-only value ("2026-03-13")
  means "that day, no particular time" (a task due all day, a goal's target date).
- `n` is the 1-based position in a list the user is shown; the tool layer stores it as the turn's
  `last_list` ({"kind": "tasks"|"reminders"|"goals"|"groceries", "ids": [...]}) so "done 2" works.
- Amounts are decimal strings with two decimals ("12.50"); currencies ISO 4217 ("USD").
- `ok` False: `data` is a short, user-presentable message ("No open task matches 'taxes'.").

Argument notes the brain relies on (the models themselves are in agent/tools/schemas.py)
- add_task.due_at may be date-only ("2026-03-13") for "by friday": store due_all_day=True.
- create_reminder.due_at always carries the user's offset; rrule has no DTSTART (due_at is the
  first occurrence).
- snooze_reminder with neither minutes nor until: snooze 10 minutes.
- acknowledge/snooze/cancel without reminder_id: the reminder the user is most likely answering
  (the last one sent and still unanswered, in the last hours); none: {"id": None}, nothing done.
- cancel_reminder.query holds words of the reminder ("dentist") or a number from the last
  reminder list ("2"); after a "reminders" list, "done 2"/"cancel 2" carry that reminder's id.
- A failed tool whose message contains "?" ("Which reminder? 1) meds; 2) gym") is sent as is.
- connector tools (calendar_list_events, email_triage, notion_search, web_search,
  youtube_summary) receive {"query": "<the user's words>"}.
- Clarifications: Action.pending is {"tool", "args", "missing"} (+ "attempts" after a re-ask);
  store it as JSON and hand it back as TurnContext.pending with the next message.

Shapes by tool (keys marked optional may be missing or null)
"""

from __future__ import annotations

from typing import TypedDict


# --- reminders -------------------------------------------------------------------------------
class ReminderOut(TypedDict, total=False):
    """create_reminder, snooze_reminder, cancel_reminder, acknowledge_reminder."""

    id: str | None  # None from acknowledge/snooze/cancel: there was nothing to act on
    text: str
    due_at: str  # next occurrence, UTC
    local_due: str  # next occurrence, user's zone with offset
    rrule: str | None
    status: str  # pending|sent|acknowledged|snoozed|cancelled
    # acknowledge_reminder on a recurring reminder: when it comes back (optional)
    next_local_due: str | None


class ReminderItem(TypedDict, total=False):
    n: int
    id: str
    text: str
    local_due: str
    rrule: str | None


class ReminderList(TypedDict):
    """list_reminders (`day`: only those firing before the end of today/tomorrow/this week)."""

    items: list[ReminderItem]


# cancel_reminder with a query matching several reminders cancels none and returns
# {"id": None, "candidates": [ReminderItem, ...]} so the user can pick one.


class ReminderChanged(ReminderOut, total=False):
    """update_reminder; reschedule of a reminder (kind "reminder"). `previous` holds the old
    values of what changed ({"due_at": UTC ISO, "text": ...}), so "undo" can put them back."""

    previous: dict[str, str | None]
    kind: str  # reschedule only: reminder|task


class ReminderDeleted(TypedDict, total=False):
    """delete_reminder (the undo of create_reminder)."""

    id: str
    text: str


# --- tasks and goals -------------------------------------------------------------------------
class TaskOut(TypedDict, total=False):
    """add_task."""

    id: str
    title: str
    due_at: str | None  # UTC, or a date-only string for an all-day due date
    local_due: str | None
    estimate_minutes: int | None
    priority: int  # 1 high, 2 normal, 3 low
    goal: str | None  # title of the goal it was attached to
    status: str  # todo|doing|done
    existing: bool  # add_task with reuse_open: an open task of that title got the due date


class TaskChanged(TaskOut, total=False):
    """update_task; reschedule of a task (kind "task"). `changed` names the fields changed,
    `previous` their old values (for "undo")."""

    changed: list[str]
    previous: dict[str, object]
    kind: str


class TaskDeleted(TypedDict, total=False):
    """delete_task; delete_goal."""

    id: str
    title: str


class TaskItem(TypedDict, total=False):
    n: int
    id: str
    title: str
    status: str  # todo|doing|done
    due_at: str | None
    local_due: str | None
    priority: int


class TaskList(TypedDict, total=False):
    """list_tasks (`due`: only tasks due by the end of today/tomorrow/this week, overdue included)."""

    items: list[TaskItem]
    total: int  # all matching tasks (items is capped by limit)


class CompletedTask(TypedDict, total=False):
    """complete_task."""

    id: str
    title: str
    open_subtasks: list[str]  # titles of subtasks still open (a parent was completed)
    remaining: int  # open tasks left overall
    next_title: str | None  # the next open task (by due date / priority), optional


class BreakDownOut(TypedDict, total=False):
    """break_down_task: the parent task (found by title words or created) and its new subtasks."""

    id: str
    title: str
    steps: list[str]


class GoalOut(TypedDict, total=False):
    """add_goal."""

    id: str
    title: str
    target_date: str | None  # ISO date


class GoalItem(TypedDict, total=False):
    n: int
    id: str
    title: str
    target_date: str | None
    open_tasks: int


class GoalList(TypedDict):
    """list_goals."""

    items: list[GoalItem]


# --- groceries -------------------------------------------------------------------------------
class GroceryItem(TypedDict, total=False):
    name: str
    quantity: str | None


class GroceriesAdded(TypedDict, total=False):
    """add_groceries."""

    added: list[str]  # names newly added
    already: list[str]  # names that were already on the list (optional)
    total: int  # unchecked items on the list now


class GroceryList(TypedDict):
    """list_groceries (unchecked items only)."""

    items: list[GroceryItem]


class GroceriesChecked(TypedDict, total=False):
    """check_groceries."""

    checked: list[str]
    not_found: list[str]
    remaining: int


class GroceriesCleared(TypedDict):
    """clear_groceries."""

    cleared: int


class GroceriesRemoved(TypedDict, total=False):
    """remove_groceries: names deleted from the list, names that were not on it."""

    removed: list[str]
    not_found: list[str]


# --- expenses --------------------------------------------------------------------------------
class ExpenseOut(TypedDict, total=False):
    """log_expense."""

    id: str
    amount: str
    currency: str
    category: str
    note: str | None
    spent_at: str


class ExpenseChanged(ExpenseOut, total=False):
    """update_expense (delete_expense returns an ExpenseOut): old values of what changed."""

    previous: dict[str, str | None]


class ExpenseSummaryOut(TypedDict, total=False):
    """expense_summary. by_category maps category -> amount string, largest first."""

    period: str  # day|week|month
    total: str
    currency: str
    by_category: dict[str, str]
    count: int


# --- memory ----------------------------------------------------------------------------------
class MemoryOut(TypedDict, total=False):
    """remember (outcome created|updated|unchanged, previous: the replaced content);
    forget_memory (id None: nothing matched; no outcome/previous)."""

    id: str
    content: str
    kind: str
    outcome: str
    previous: str | None


class MemoriesForgotten(TypedDict):
    """forget_memory with everything_about: how many went (id: the first, None if none)."""

    id: str | None
    count: int
    topic: str
    contents: list[str]


class MemoryItem(TypedDict, total=False):
    content: str
    kind: str
    created_at: str


class MemoryList(TypedDict):
    """recall: best match first (may be empty)."""

    items: list[MemoryItem]


class MemoryOverviewOut(TypedDict):
    """memory_overview: how many memories, the main ones first."""

    total: int
    items: list[MemoryItem]


# --- focus -----------------------------------------------------------------------------------
class FocusOut(TypedDict, total=False):
    """start_focus."""

    id: str
    minutes: int
    label: str | None
    ends_at: str
    local_end: str
    midway_checkin: bool


class FocusEnded(TypedDict, total=False):
    """end_focus. id None: no session was running."""

    id: str | None
    label: str | None
    minutes: int  # minutes actually focused
    planned_minutes: int


# --- settings and time -----------------------------------------------------------------------
class SettingsOut(TypedDict, total=False):
    """update_settings: the settings after the change, plus which fields changed; get_settings."""

    timezone: str
    quiet_hours_start: str | None  # HH:MM
    quiet_hours_end: str | None
    morning_checkin: str | None
    evening_checkin: str | None
    checkins_enabled: bool
    currency: str
    escalation_minutes: int  # minutes between re-sends of an unanswered reminder
    escalation_max: int  # how many re-sends (0: none)
    day_parts: dict[str, str] | None  # the user's own times for morning/afternoon/evening/night
    name: str | None
    changed: list[str]  # update_settings only
    previous: dict[str, object]  # update_settings only: old values of what changed


class TimeOut(TypedDict):
    """current_time."""

    local_time: str  # ISO with offset
    timezone: str


# --- connector tools (shapes the offline brain can read; richer keys are fine) ---------------
class ConnectorItem(TypedDict, total=False):
    title: str  # event title, email subject, page title, result title
    local_start: str | None  # calendar events
    sender: str | None  # email
    url: str | None
    snippet: str | None


class ConnectorOut(TypedDict, total=False):
    """calendar_list_events, email_triage, notion_search, web_search, youtube_summary."""

    items: list[ConnectorItem]
    title: str | None  # youtube_summary: the video title
    summary: str | None  # youtube_summary / email_triage: a short summary
