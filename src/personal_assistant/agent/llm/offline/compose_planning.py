"""Reply composers for reminders, tasks, goals, groceries and expenses (shapes in results.py)."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.llm.offline.reply_kit import (
    Reply,
    cap,
    due_label,
    item_list,
    month_day,
    name_list,
    numbered,
    spoken,
)
from personal_assistant.agent.llm.offline.style import (
    THREE_SEGMENTS,
    clip,
    day_label,
    fit,
    join_words,
    money,
    parse_date,
    rrule_label,
    when_label,
)


# --- reminders -------------------------------------------------------------------------------
def create_reminder(r: Reply, data: dict[str, Any]) -> str:
    text = spoken(data.get("text"), 70) or "that"
    at = r.at(data, "local_due", "due_at")
    rule = data.get("rrule")
    if isinstance(rule, str) and rule:
        when = rrule_label(rule, at)
        first = f" Starting {day_label(at.date(), r.now.date())}." if at and (at.date() - r.now.date()).days > 1 else ""
        return r.voice.pick(
            "rem-rec",
            [f"Done! I'll remind you to {text} {when}.{first}", f"Set: {text}, {when}.{first} I've got it."],
        )
    when = when_label(at, r.now) if at else "then"
    return r.voice.pick(
        "rem",
        [
            f"Got it. I'll remind you to {text} {when}.",
            f"Done! I'll text you {when}: {text}.",
            f"You're set: {text}, {when}. One less thing to hold in your head.",
        ],
    )


def list_reminders(r: Reply, data: dict[str, Any]) -> str:
    items = item_list(data)
    if not items:
        return "No reminders coming up. Want one? Try 'remind me to stretch at 3pm'."
    lines = []
    for item in items:
        at = r.at(item, "local_due", "due_at")
        rule = item.get("rrule")
        when = rrule_label(rule, at) if isinstance(rule, str) and rule else (when_label(at, r.now) if at else "")
        lines.append(f"{spoken(item.get('text'), 50)} ({when})" if when else spoken(item.get("text"), 50))
    body, shown = numbered(lines, THREE_SEGMENTS - 60)
    more = f" +{len(items) - shown} more." if shown < len(items) else ""
    return f"Coming up: {body}{more} Reply 'cancel 2' to drop one."


def acknowledge(r: Reply, data: dict[str, Any]) -> str:
    if not data.get("id"):
        return r.voice.pick(
            "ack-none",
            ["Nothing's waiting on you right now. Enjoy the breather!", "All clear, no reminder is waiting on you."],
        )
    text = spoken(data.get("text"), 60)
    cheer = r.voice.pick("ack", ["Nice work!", "Great job!", "Done and done!", "You did it!"])
    nxt = r.when(data, "next_local_due")
    tail = f" See you {nxt}." if nxt else ""
    return f"{cheer} Marked '{text}' done.{tail}" if text else f"{cheer} Marked done.{tail}"


def snooze(r: Reply, data: dict[str, Any]) -> str:
    if not data.get("id"):
        return "There's no reminder to snooze right now. Want a new one? Try 'remind me in 20 min to ...'."
    when = r.when(data, "local_due", "due_at") or "soon"
    text = spoken(data.get("text"), 50)
    if not text:
        return f"Snoozed. I'll nudge you again {when}."
    return r.voice.pick(
        "snooze",
        [f"Snoozed '{text}'. I'll nudge you again {when}.", f"No problem. Back {when}: {text}."],
    )


def cancel(r: Reply, data: dict[str, Any]) -> str:
    candidates = [c for c in data.get("candidates") or [] if isinstance(c, dict)]
    if not data.get("id") and candidates:
        lines = [spoken(c.get("text"), 40) for c in candidates]
        body, _ = numbered(lines, THREE_SEGMENTS - 60)
        return f"Which one? {body} Reply 'cancel 1', 'cancel 2'..."
    if not data.get("id"):
        return "I couldn't find that reminder. Text 'reminders' to see what's set."
    text = spoken(data.get("text"), 70)
    return r.voice.pick("cancel", [f"Cancelled: {text}.", f"Okay, '{text}' is off your plate."])


# --- tasks and goals -------------------------------------------------------------------------


def add_task(r: Reply, data: dict[str, Any]) -> str:
    title = spoken(data.get("title"), 70)
    due = due_label(r, data)
    due_text = f", due {due}" if due else ""
    goal = f" (for {spoken(data.get('goal'), 30)})" if data.get("goal") else ""
    return r.voice.pick(
        "task",
        [
            f"Added: {title}{due_text}{goal}. Stuck? Text 'break down {clip(str(data.get('title') or ''), 30)}'.",
            f"On your list: {title}{due_text}{goal}.",
            f"Got it, {title} is on your list{due_text}{goal}.",
        ],
    )


def list_tasks(r: Reply, data: dict[str, Any]) -> str:
    items = item_list(data)
    if not items:
        return r.voice.pick(
            "tasks-empty",
            ["Your list is clear! Add one with 'add task ...'.", "Nothing on your list. Enjoy it, or text 'todo ...'."],
        )
    lines = []
    for item in items:
        due = due_label(r, item)
        mark = "!" if item.get("priority") == 1 else ""
        lines.append(f"{spoken(item.get('title'), 45)}{mark}{f' ({due})' if due else ''}")
    body, shown = numbered(lines, THREE_SEGMENTS - 70)
    total: int = data["total"] if isinstance(data.get("total"), int) else len(items)
    more = f" +{total - shown} more." if total > shown else ""
    done = " Reply 'done 1' when one's finished." if items[0].get("status") != "done" else ""
    return f"Your list: {body}{more}{done}"


def complete_task(r: Reply, data: dict[str, Any]) -> str:
    title = spoken(data.get("title"), 60)
    cheer = r.voice.pick("done", ["Nice!", "Yes! Great work.", "Boom!", "Love that!"])
    parts = [f"{cheer} Checked off '{title}'." if title else f"{cheer} Checked off."]
    subtasks = [str(s) for s in data.get("open_subtasks") or [] if s]
    if subtasks:
        parts.append(f"{len(subtasks)} step{'s' if len(subtasks) > 1 else ''} of it still open.")
    remaining = data.get("remaining")
    if isinstance(remaining, int):
        if remaining == 0:
            parts.append("That was the last one. Take a real break!")
        elif data.get("next_title"):
            parts.append(f"Next up: {spoken(data.get('next_title'), 40)}.")
        else:
            parts.append(f"{remaining} left. One at a time.")
    return " ".join(parts)


def break_down(r: Reply, data: dict[str, Any]) -> str:
    steps = [clip(str(s), 60) for s in data.get("steps") or [] if s]
    title = spoken(data.get("title"), 40)
    if not steps:
        return f"Added '{title}'. What's the tiniest first step?"
    title = spoken(data.get("title"), 30)
    intro = r.voice.pick("bd", [f"Let's make '{title}' tiny:", f"'{title}', in tiny steps:"])
    # The first steps only, in one text: enough to start, not a wall of words. All are saved,
    # and "more" shows the rest.
    tail = " Reply 'more' for the rest."
    body, shown = numbered(steps, _step_budget(title))
    if shown == 0:
        body, shown = clip(f"1) {steps[0]}", 160 - len(intro) - len(tail) - 1), 1
    if shown >= len(steps):
        return fit(f"{intro} {body} Just step 1 for now!", 160)
    return f"{intro} {body}{tail}"


def _step_budget(spoken_title: str) -> int:
    return 160 - len(f"Let's make '{spoken_title}' tiny:") - len(" Reply 'more' for the rest.") - 1


def break_down_shown(steps: list[str], title: object) -> int:
    """How many steps the first breakdown text showed ("more" shows the others)."""
    _, shown = numbered([clip(s, 60) for s in steps], _step_budget(spoken(title, 30)))
    return max(shown, 1)


def add_goal(r: Reply, data: dict[str, Any]) -> str:
    title = spoken(data.get("title"), 70)
    day = parse_date(data.get("target_date"))
    by = f" by {month_day(day)}" if day else ""
    return r.voice.pick(
        "goal",
        [
            f"New goal: {title}{by}. What's one small step toward it this week?",
            f"Love it! Goal saved: {title}{by}. Want to add a first task for it?",
        ],
    )


def list_goals(r: Reply, data: dict[str, Any]) -> str:
    items = item_list(data)
    if not items:
        return "No goals yet. Try 'new goal: run a 5k by June'."
    lines = []
    for item in items:
        day = parse_date(item.get("target_date"))
        by = f" (by {month_day(day)})" if day else ""
        lines.append(f"{spoken(item.get('title'), 50)}{by}")
    body, shown = numbered(lines, THREE_SEGMENTS - 40)
    more = f" +{len(items) - shown} more." if shown < len(items) else ""
    return f"Your goals: {body}{more}"


# --- groceries -------------------------------------------------------------------------------


def add_groceries(r: Reply, data: dict[str, Any]) -> str:
    added, already = name_list(data.get("added")), name_list(data.get("already"))
    parts = []
    if added:
        parts.append(r.voice.pick("groc", ["Added", "Got it, added", "On the list:"]) + f" {join_words(added)}.")
    if already:
        parts.append(cap(f"{join_words(already)} {'was' if len(already) == 1 else 'were'} already there."))
    if isinstance(data.get("total"), int):
        parts.append(f"{data['total']} item{'s' if data['total'] != 1 else ''} on the list.")
    return " ".join(parts) or "Your grocery list is updated."


def list_groceries(r: Reply, data: dict[str, Any]) -> str:
    items = item_list(data)
    if not items:
        return "Your grocery list is empty. Add with 'add milk and eggs to groceries'."
    names = []
    for item in items:
        qty = item.get("quantity")
        names.append(f"{clip(str(item.get('name') or ''), 30)}{f' ({clip(str(qty), 12)})' if qty else ''}")
    text = f"Groceries ({len(items)}): " + ", ".join(names) + "."
    return fit(text, THREE_SEGMENTS)


def check_groceries(r: Reply, data: dict[str, Any]) -> str:
    checked, missing = name_list(data.get("checked")), name_list(data.get("not_found"))
    parts = []
    if checked:
        parts.append(f"Checked off {join_words(checked)}.")
    if missing:
        parts.append(cap(f"{join_words(missing)} wasn't on the list."))
    remaining = data.get("remaining")
    if isinstance(remaining, int):
        parts.append("That's everything!" if remaining == 0 else f"{remaining} left.")
    return " ".join(parts) or "Grocery list updated."


def clear_groceries(r: Reply, data: dict[str, Any]) -> str:
    count = data.get("cleared")
    n = f"{count} item{'s' if count != 1 else ''}" if isinstance(count, int) else "the list"
    return f"Cleared {n}. Fresh grocery list!"


# --- expenses --------------------------------------------------------------------------------
def log_expense(r: Reply, data: dict[str, Any]) -> str:
    amount = money(data.get("amount"), data.get("currency") or r.ctx.currency)
    note = spoken(data.get("note"), 40)
    category = data.get("category")
    what = f" for {note}" if note else ""
    cat = f" ({category})" if category and category != "other" and str(category) not in note else ""
    tail = f"{amount}{what}{cat}."
    return r.voice.pick("exp", [f"Logged {tail}", f"Got it: {tail}", f"Saved {tail}"])


def expense_summary(r: Reply, data: dict[str, Any]) -> str:
    period = {"day": "Today", "week": "This week", "month": "This month"}.get(str(data.get("period")), "So far")
    currency = data.get("currency") or r.ctx.currency
    total = data.get("total")
    if total in (None, "0", "0.00", 0) or data.get("count") == 0:
        return f"{period}: no spending logged yet."
    by: dict[str, Any] = data["by_category"] if isinstance(data.get("by_category"), dict) else {}
    top = [f"{clip(str(k), 20)} {money(v, currency)}" for k, v in list(by.items())[:4]]
    detail = f" {', '.join(top)}." if top else ""
    return f"{period}: {money(total, currency)} total.{detail}"
