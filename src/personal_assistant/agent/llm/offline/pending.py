"""Answers to the brain's own questions (ctx.pending).

Two kinds of pending state (stored as JSON between messages):
- a missing slot: {"tool", "args", "missing": "due_at" | "text" | "amount" | ...} (+ "attempts");
- a confirmation: {"tool": "confirm", "missing": "confirm" | "choice", "calls": [{"name", "args"}],
  "options": {"note": [...], "task": [...]}}.

"nevermind" drops either; "yes" runs a confirmation, an option word runs that option, a new time
("no, 6pm") changes the confirmed reminder and runs it; a missing slot is filled by any
reasonable answer. A text that is a request of its own is always handled as one.
"""

from __future__ import annotations

import re
from typing import Any

from personal_assistant.agent.llm.base import Action, ToolCall
from personal_assistant.agent.llm.offline.amounts import find_amount
from personal_assistant.agent.llm.offline.breakdown import breakdown_steps
from personal_assistant.agent.llm.offline.intent import Reading
from personal_assistant.agent.llm.offline.lists import grocery_entries
from personal_assistant.agent.llm.offline.message import Msg, ask, call, say
from personal_assistant.agent.llm.offline.plan import Plan, read_clause, read_whole
from personal_assistant.agent.llm.offline.when import find_when
from personal_assistant.agent.llm.offline.zones import resolve_zone

RE_NEVERMIND = re.compile(
    r"^(?:(?:actually|oh|ok|okay|no|nah|hmm|wait|um|sorry),?\s+)?(?:never ?mind|nvm|nevermind|forget it|"
    r"forget about it|cancel|cancel that|no|nope|nah|skip|skip it|stop|"
    r"scratch that|no thanks|no thank you|don't|do not|not now|leave it|drop it|ignore that|ignore it|no need|"
    r"never mind that|nah forget it|no forget it|actually no|actually never mind|no don't)"
    r"(?:,?\s+(?:then|thanks|thx|actually|for now|please|pls))?$"
)
RE_YES = re.compile(
    r"^(?:yes|y|yep|yup|yeah|ya|yea|sure|ok|okay|k|do it|go ahead|go for it|please|please do|yes please|correct|"
    r"right|that's right|thats right|exactly|sounds good|perfect|great|yes do it|yes thanks|ok thanks|"
    r"yes pls|ye|aye|affirmative|confirm|confirmed|definitely|absolutely|of course|sure thing|why not|"
    r"yes that's it|that's it|thats it|yes exactly|uh huh|mhm|you bet|👍)$"
)
HINTS = {
    ("create_reminder", "due_at"): "Sorry, I didn't catch a time. Try '7pm', 'tomorrow 9am' or 'in 30 min'.",
    ("create_reminder", "text"): "What should the reminder say?",
    ("log_expense", "amount"): "How much was it? Just the number is fine, like 12.50.",
    ("update_settings", "timezone"): "Which city are you near? e.g. 'Chicago' or 'Europe/Berlin'.",
    ("update_settings", "quiet_hours"): "What hours should be quiet? e.g. '10pm to 7am'.",
}
FILLABLE = {
    ("create_reminder", "due_at"), ("create_reminder", "text"), ("log_expense", "amount"),
    ("update_settings", "timezone"), ("update_settings", "quiet_hours"), ("add_groceries", "items"),
    ("add_task", "title"), ("break_down_task", "title"), ("add_goal", "title"), ("remember", "content"),
}  # fmt: skip
WEAK_NEW = ("statement", "unknown", "small_talk", "recall", "personal_fact")


def _tool_calls(raw: Any) -> list[ToolCall]:
    out: list[ToolCall] = []
    for i, item in enumerate(raw if isinstance(raw, list) else [], start=1):
        if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("args"), dict):
            out.append(ToolCall(item["name"], dict(item["args"]), id=f"offline-{i}"))
    return out


def _confirmed(calls: list[ToolCall]) -> Plan:
    return Plan([Reading("confirmed", Action("tools", tool_calls=calls), 0.99)])


def _answer_confirmation(m: Msg, pending: dict[str, Any]) -> Plan | None:
    calls = _tool_calls(pending.get("calls"))
    raw = pending.get("options")
    options = raw if isinstance(raw, dict) else {}
    low = m.low
    if RE_YES.match(low) or (not low and m.emoji and set(m.emoji) <= {"\U0001F44D", "\u2705", "\U0001F44C"}):
        if calls:
            return _confirmed(calls)
        return None
    for word, option_calls in options.items():
        if re.fullmatch(rf"(?:as an? |a |the |save (?:it )?as an? |make it an? |add it as an? |just )?{word}s?"
                        r"(?: it| please| pls| that)?", low):
            chosen = _tool_calls(option_calls)
            if chosen:
                return _confirmed(chosen)
    if calls and calls[0].name in ("create_reminder", "snooze_reminder", "add_task"):
        change = re.sub(r"^(?:no|nope|nah|not quite|close|almost)\b[,. ]*(?:make it |at |it's |its )?", "", low)
        change = re.sub(r"^(?:make it|change it to|at)\s+", "", change)
        when = find_when(change, m.now, day_parts=m.ctx_day_parts) or find_when("at " + change, m.now,
                                                                                 day_parts=m.ctx_day_parts)
        rest = re.sub(r"\b(?:at|on|the|for|instead|please|pls|then)\b", " ", change)
        if when is not None and when.at > m.now and len(re.findall(r"[a-z]{3,}", rest)) <= 2:
            first = calls[0]
            key = "until" if first.name == "snooze_reminder" else "due_at"
            args = {**first.args, key: when.iso}
            if first.name == "add_task" and not when.has_time:
                args[key] = when.date_iso
            return _confirmed([ToolCall(first.name, args, id="offline-1"), *calls[1:]])
    return None


def resume(m: Msg, pending: dict[str, Any]) -> Plan | None:
    """Complete the open question with this message, or None to read the message on its own."""
    tool = str(pending.get("tool") or "")
    missing = str(pending.get("missing") or "")
    args = dict(pending.get("args") or {}) if isinstance(pending.get("args"), dict) else {}
    if RE_NEVERMIND.match(m.low):
        text = m.voice.pick("dropped", ["No problem, I dropped it.", "Okay, skipped. I'm here when you need me."])
        return Plan([Reading("nevermind", say(text), 0.95)])
    if tool == "confirm":
        answered = _answer_confirmation(m, pending)
        if answered is not None:
            return answered
        return None  # anything else is a message of its own; the question lapses
    whole = read_whole(m)
    if whole is not None:
        return None
    strong = read_clause(m, strong_only=True)
    if strong is not None and strong.intent not in WEAK_NEW:
        calls = strong.calls
        if len(calls) == 1 and calls[0].name == tool and strong.action.kind == "tools":
            # Same tool ("$84.20" after "How much was it?"): the new words win, the rest is kept.
            calls[0].args = {**args, **calls[0].args}
        return None if not (len(calls) == 1 and calls[0].name == tool) else Plan([strong])
    if (tool, missing) not in FILLABLE:
        return None  # a question we do not know how to complete: read the message on its own
    filled = _fill(m, tool, missing, args)
    if filled is not None:
        return Plan([Reading("answer", filled, 0.95)])
    previous = pending.get("attempts")
    attempts = (previous if isinstance(previous, int) else 0) + 1
    if attempts >= 2:
        return None  # asked twice already: answer the message on its own merits
    hint = HINTS.get((tool, missing), "Sorry, I didn't catch that. Could you say it another way?")
    return Plan([Reading("clarify", ask(hint, tool, args, missing, attempts=attempts), 0.9)])


def _fill(m: Msg, tool: str, missing: str, args: dict[str, Any]) -> Action | None:
    from personal_assistant.agent.llm.offline.intents.reminders import tidy_text
    from personal_assistant.agent.llm.offline.intents.settings import fill_quiet_hours
    from personal_assistant.agent.llm.offline.intents.tasks import task_args

    parts = m.ctx_day_parts
    if tool == "create_reminder" and missing == "due_at" and args.get("text"):
        when = find_when(m.norm, m.now, day_parts=parts)
        bare = re.fullmatch(r"(?:at |around |by |about )?(\d{1,2}(?:[:.]\d{2})?)(?:ish| or so)?", m.low)
        if when is None and bare:
            when = find_when("at " + bare.group(1), m.now, day_parts=parts)  # the next sensible occurrence
        if when is not None and not when.has_time and not when.rrule and when.at.date() > m.now.date():
            when = find_when(m.norm + " morning", m.now, day_parts=parts) or when
        if when is not None and (when.has_time or when.rrule or when.at.date() > m.now.date()):
            args.update(due_at=when.iso, rrule=when.rrule)
            return call("create_reminder", **args)
        return None
    if tool == "create_reminder" and missing == "text" and args.get("due_at"):
        when = find_when(m.norm, m.now, day_parts=parts)
        text = tidy_text(m.own_without(0, len(m.norm), when.spans if when else ()))
        return call("create_reminder", **{**args, "text": text}) if text else None
    if tool == "log_expense" and missing == "amount":
        money = find_amount(m.norm, m.ctx.currency, allow_bare=True)
        if money is None:
            return None
        return call("log_expense", **{**args, "amount": money.amount, "currency": money.currency})
    if tool == "update_settings" and missing == "timezone":
        zone = resolve_zone(m.norm)
        return call("update_settings", timezone=zone) if zone else None
    if tool == "update_settings" and missing == "quiet_hours":
        hours = fill_quiet_hours(m.norm)
        return call("update_settings", **hours) if hours else None
    if tool == "add_groceries" and missing == "items":
        entries = grocery_entries(m.own(0, len(m.norm)))
        return call("add_groceries", items=entries) if entries else None
    if tool == "add_task" and missing == "title":
        task = task_args(m, 0, len(m.norm))
        for key, value in args.items():
            if task.get(key) is None:
                task[key] = value  # keep what the first message already said (a due date, a goal)
        return call("add_task", **task) if task.get("title") else None
    if tool == "break_down_task" and missing == "title":
        title = re.sub(r"(?i)^(?:the|my)\s+", "", m.own(0, len(m.norm))).strip(" .!?")[:200]
        return call("break_down_task", title=title, steps=breakdown_steps(title)) if title else None
    if tool in ("add_goal", "remember") and missing in ("title", "content"):
        content = m.own(0, len(m.norm))
        return call(tool, **{**args, missing: content[: 200 if tool == "add_goal" else 2000]})
    return None
