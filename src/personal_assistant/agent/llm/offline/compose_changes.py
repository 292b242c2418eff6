"""Reply composers for edits, undo and settings questions (tools added for corrections, "undo",
"move X to friday" and "when do you text me at night"). Shapes in results.py."""

from __future__ import annotations

from typing import Any

from personal_assistant.agent.llm.offline.reply_kit import Reply, due_label, hm, item_list, name_list, spoken
from personal_assistant.agent.llm.offline.style import clock, join_words, money, rrule_label, when_label


def _when(r: Reply, data: dict[str, Any]) -> str:
    at = r.at(data, "local_due", "due_at")
    rule = data.get("rrule")
    if isinstance(rule, str) and rule:
        return rrule_label(rule, at)
    return when_label(at, r.now) if at else ""


def delete_reminder(r: Reply, data: dict[str, Any]) -> str:
    text = spoken(data.get("text"), 60)
    return f"Undone: the reminder '{text}' is gone." if text else "Undone: that reminder is gone."


def update_reminder(r: Reply, data: dict[str, Any]) -> str:
    text = spoken(data.get("text"), 60) or "that"
    when = _when(r, data)
    return r.voice.pick("upd-rem", [f"Changed it: I'll remind you to {text} {when}.",
                                     f"Fixed! {text[:1].upper() + text[1:]}, {when}."])


def reschedule(r: Reply, data: dict[str, Any]) -> str:
    if data.get("kind") == "task":
        return update_task(r, data)
    return update_reminder(r, data)


def delete_task(r: Reply, data: dict[str, Any]) -> str:
    title = spoken(data.get("title"), 60)
    return f"Removed '{title}' from your list." if title else "Removed it from your list."


def update_task(r: Reply, data: dict[str, Any]) -> str:
    title = spoken(data.get("title"), 60) or "that task"
    raw = data.get("changed")
    changed = raw if isinstance(raw, list) else []
    if "status" in changed and data.get("status") != "done":
        return f"Reopened '{title}'. It's back on your list."
    if "title" in changed and "due_at" not in changed:
        return f"Renamed it: '{title}'."
    due = due_label(r, data)
    return f"Updated: {title}, due {due}." if due else f"Updated: {title}, no due date."


def remove_groceries(r: Reply, data: dict[str, Any]) -> str:
    removed = name_list(data.get("removed"))
    if not removed:
        return "Those weren't on the grocery list."
    return f"Took {join_words(removed)} off the grocery list."


def delete_expense(r: Reply, data: dict[str, Any]) -> str:
    amount = money(data.get("amount"), data.get("currency") or r.ctx.currency)
    note = spoken(data.get("note"), 40)
    return f"Removed the {amount} expense{f' for {note}' if note else ''}."


def update_expense(r: Reply, data: dict[str, Any]) -> str:
    amount = money(data.get("amount"), data.get("currency") or r.ctx.currency)
    note = spoken(data.get("note"), 40)
    return f"Fixed: {amount}{f' for {note}' if note else ''}."


def forget_memory(r: Reply, data: dict[str, Any]) -> str:
    if "count" in data:
        topic = spoken(data.get("topic") or "that", 40)
        count = int(data.get("count") or 0)
        if not count:
            return f"I had nothing saved about {topic}."
        return f"Forgotten: {count} thing{'s' if count != 1 else ''} about {topic}. All gone, for good."
    if not data.get("id"):
        return "I couldn't find that in your notes. Text 'what do you know about ...' to look."
    content = spoken(data.get("content"), 80)
    return f"Forgotten: {content}." if content else "Forgotten."


def delete_goal(r: Reply, data: dict[str, Any]) -> str:
    title = spoken(data.get("title"), 60)
    return f"Removed the goal '{title}'." if title else "Removed that goal."


def settings_answer(r: Reply, data: dict[str, Any], topic: str) -> str:
    """The answer to a question about the user's own settings ("when do you text me at night")."""
    quiet_start, quiet_end = data.get("quiet_hours_start"), data.get("quiet_hours_end")
    quiet = (f"Quiet hours are {hm(quiet_start)}-{hm(quiet_end)}: I don't text then unless it's urgent."
             if quiet_start and quiet_end else "No quiet hours set. Text 'quiet hours 10pm to 7am' to add them.")
    if data.get("checkins_enabled"):
        morning = hm(data.get("morning_checkin") or "08:30")
        evening = hm(data.get("evening_checkin") or "20:30")
        checkins = f"Check-ins: morning {morning}, evening {evening}."
    else:
        checkins = "Check-ins are off. Text 'morning check-in at 8' to start them."
    minutes, times = data.get("escalation_minutes"), data.get("escalation_max")
    nag = (f"If you don't answer a reminder I re-send it every {minutes} min, up to {times} times."
           if isinstance(times, int) and times > 0 else "I send each reminder once, no repeats.")
    if topic == "quiet":
        return quiet
    if topic == "checkins":
        return f"{checkins} {quiet}" if data.get("checkins_enabled") else checkins
    if topic == "currency":
        return f"Your currency is {data.get('currency') or r.ctx.currency}. Text 'switch to euros' to change it."
    if topic == "timezone":
        return f"Your time zone is {data.get('timezone') or r.ctx.timezone}."
    if topic == "escalation":
        return nag
    zone, currency = data.get("timezone") or r.ctx.timezone, data.get("currency") or r.ctx.currency
    return f"Zone {zone}, {currency}. {checkins} {quiet}"


def agenda(r: Reply, tasks: dict[str, Any], reminders: dict[str, Any], day: str) -> str:
    """'anything due today?': tasks and reminders of that day, in one text (no numbers: two lists)."""
    label = {"today": "today", "tomorrow": "tomorrow", "week": "this week"}.get(day, day)
    titles = [spoken(i.get("title"), 30) for i in item_list(tasks)]
    times = []
    for item in item_list(reminders):
        at = r.at(item, "local_due", "due_at")
        hour = f" at {clock(at)}" if at else ""
        times.append(f"{spoken(item.get('text'), 30)}{hour}")
    if not titles and not times:
        return f"Nothing due {label}. Enjoy the space, or text 'add task ...'."
    parts = []
    if titles:
        parts.append(f"Due {label}: {join_words(titles[:5])}{' +more' if len(titles) > 5 else ''}.")
    if times:
        parts.append(f"Reminders: {join_words(times[:4])}.")
    return " ".join(parts)


def checkin_tasks(r: Reply, datas: list[dict[str, Any]]) -> str:
    titles = [spoken(d.get("title"), 40) for d in datas if d.get("title")]
    if not titles:
        return "Got it."
    due = due_label(r, datas[0])
    if due == "tomorrow":
        return f"Moved to tomorrow: {join_words(titles)}. Rest well tonight."
    body = " ".join(f"{i}) {t}" for i, t in enumerate(titles, 1))
    return r.voice.pick("top3", [f"Got it, today: {body}. Start with the first one!",
                                 f"Your top {len(titles)} for today: {body}. One at a time."])
