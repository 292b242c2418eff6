"""First call of a turn: what does the message ask for? Ordered rules, then a friendly fallback.

Rules are tried in order; the first that returns an Action wins. "Strong" rules start something
new (a message matching one abandons an open clarification); "weak" ones (a bare "ok", a question
we can only answer from memory, "thing at 5pm") never override a pending question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from personal_assistant.agent.llm.base import Action, TurnContext
from personal_assistant.agent.llm.offline import rules_misc as misc
from personal_assistant.agent.llm.offline import rules_planning as planning
from personal_assistant.agent.llm.offline import rules_reminders as reminders
from personal_assistant.agent.llm.offline.amounts import find_amount
from personal_assistant.agent.llm.offline.breakdown import breakdown_steps
from personal_assistant.agent.llm.offline.lists import grocery_entries
from personal_assistant.agent.llm.offline.message import Msg, ask, call, say
from personal_assistant.agent.llm.offline.when import find_when
from personal_assistant.agent.llm.offline.zones import resolve_zone
from personal_assistant.agent.tools import schemas

Rule = Callable[[Msg], Action | None]
TOOL_MODELS: dict[str, type[BaseModel]] = {
    re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower(): cls
    for cls in vars(schemas).values()
    if isinstance(cls, type) and issubclass(cls, schemas.Args) and cls is not schemas.Args
}

RULES: list[tuple[str, Rule, bool]] = [
    ("small_talk", misc.small_talk, True),
    ("end_focus", misc.end_focus, True),
    ("snooze", reminders.snooze, True),
    ("acknowledge", reminders.acknowledge, False),
    ("current_time", misc.current_time, True),
    ("settings", misc.settings, True),
    ("list_reminders", reminders.list_reminders, True),
    ("expense_summary", planning.expense_summary, True),
    ("clear_groceries", planning.clear_groceries, True),
    ("list_groceries", planning.list_groceries, True),
    ("add_groceries", planning.add_groceries, True),
    ("list_goals", planning.list_goals, True),
    ("add_goal", planning.add_goal, True),
    ("breakdown", planning.breakdown, True),
    ("feelings", misc.feelings, True),
    ("list_tasks", planning.list_tasks, True),
    ("add_task", planning.add_task, True),
    ("connectors", misc.connectors, True),
    ("complete_task", planning.complete_task, True),
    ("check_groceries", planning.check_groceries, True),
    ("start_focus", misc.start_focus, True),
    ("remember", misc.remember, True),
    ("cancel_reminder", reminders.cancel, True),
    ("create_reminder", reminders.create, True),
    ("log_expense", planning.log_expense, True),
    ("recall", misc.recall, False),
    ("implicit_reminder", reminders.implicit, False),
    ("errand", planning.errand, False),
]


def match(m: Msg, *, strong_only: bool = False) -> tuple[str, Action] | None:
    if not m.low and not m.text:
        return None
    for name, rule, strong in RULES:
        if strong_only and not strong:
            continue
        action = rule(m)
        if action is not None:
            return name, action
    return None


def interpret(ctx: TurnContext) -> Action:
    """The Action for the first call of a turn (no tool results yet), valid for the Runner."""
    m = Msg.of(ctx)
    return _checked(m, _interpret(m, ctx))


def _checked(m: Msg, action: Action) -> Action:
    """Tool calls pass their argument models (unknown keys are dropped), else a plain answer."""
    for tool_call in action.tool_calls:
        model = TOOL_MODELS.get(tool_call.name)
        if model is None:
            continue
        args = {k: v for k, v in tool_call.args.items() if k in model.model_fields}
        try:
            model.model_validate(args)
        except ValidationError:
            return say("Sorry, I couldn't quite get that. Could you say it another way?")
        tool_call.args = args
    return action


def _interpret(m: Msg, ctx: TurnContext) -> Action:
    if not m.text:
        return say("I'm here! " + misc.CAPABILITIES)
    if ctx.pending:
        resumed = resume(m, ctx.pending)
        if resumed is not None:
            return resumed
    found = match(m)
    if found is not None:
        return found[1]
    return misc.unknown(m)


# --- clarifications --------------------------------------------------------------------------
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


def resume(m: Msg, pending: dict[str, Any]) -> Action | None:
    """Complete the open question with this message, or None to treat the message as new."""
    tool = str(pending.get("tool") or "")
    missing = str(pending.get("missing") or "")
    args = dict(pending.get("args") or {}) if isinstance(pending.get("args"), dict) else {}
    if misc.RE_NEVERMIND.match(m.low):
        return say(m.voice.pick("dropped", ["No problem, I dropped it.", "Okay, skipped. I'm here when you need me."]))
    strong = match(m, strong_only=True)
    if strong is not None:
        action = strong[1]
        calls = action.tool_calls
        if action.kind == "tools" and len(calls) == 1 and calls[0].name == tool:
            # Same tool ("$84.20" after "How much was it?"): the new words win, the rest is kept.
            calls[0].args = {**args, **calls[0].args}
            return action
        return None  # something new: the old question is abandoned
    if (tool, missing) not in FILLABLE:
        return None  # a question we do not know how to complete: read the message on its own
    filled = _fill(m, tool, missing, args)
    if filled is not None:
        return filled
    previous = pending.get("attempts")
    attempts = (previous if isinstance(previous, int) else 0) + 1
    if attempts >= 2:
        return None  # asked twice already: answer the message on its own merits
    hint = HINTS.get((tool, missing), "Sorry, I didn't catch that. Could you say it another way?")
    return ask(hint, tool, args, missing, attempts=attempts)


def _fill(m: Msg, tool: str, missing: str, args: dict[str, Any]) -> Action | None:
    if tool == "create_reminder" and missing == "due_at" and args.get("text"):
        when = find_when(m.norm, m.now)
        if when is None and re.fullmatch(r"\d{1,2}(?:[:.]\d{2})?", m.low):
            when = find_when("at " + m.low, m.now)
        if when is not None and (when.has_time or when.rrule or when.at.date() > m.now.date()):
            args.update(due_at=when.iso, rrule=when.rrule)
            return call("create_reminder", **args)
        return None
    if tool == "create_reminder" and missing == "text" and args.get("due_at"):
        text = reminders.reminder_text(m.norm)
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
        hours = misc.fill_quiet_hours(m.norm)
        return call("update_settings", **hours) if hours else None
    if tool == "add_groceries" and missing == "items":
        entries = grocery_entries(m.norm)
        return call("add_groceries", items=entries) if entries else None
    if tool == "add_task" and missing == "title":
        task = planning.task_args(m, m.norm)
        for key, value in args.items():
            if task.get(key) is None:
                task[key] = value  # keep what the first message already said (a due date, a goal)
        return call("add_task", **task) if task.get("title") else None
    if tool == "break_down_task" and missing == "title":
        title = re.sub(r"(?i)^(?:the|my)\s+", "", m.norm).strip(" .!?")[:200]
        return call("break_down_task", title=title, steps=breakdown_steps(title)) if title else None
    if tool in ("add_goal", "remember") and missing in ("title", "content"):
        return call(tool, **{**args, missing: m.norm[: 200 if tool == "add_goal" else 2000]})
    return None
