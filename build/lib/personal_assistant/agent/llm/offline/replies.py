"""Second call of a turn: turn tool results into one short, kind SMS.

Reads the shapes documented in results.py. Every reader is defensive (a missing key or an odd
type gives a plainer sentence, never an exception). One segment (160 characters) is the aim;
lists may use up to three segments. Wording varies deterministically with the turn id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from personal_assistant.agent.llm.base import ToolResult, TurnContext
from personal_assistant.agent.llm.offline import compose_misc as misc
from personal_assistant.agent.llm.offline import compose_planning as planning
from personal_assistant.agent.llm.offline.reply_kit import Reply, as_dict
from personal_assistant.agent.llm.offline.rules_misc import CONNECTOR_LABELS
from personal_assistant.agent.llm.offline.style import SEGMENT, THREE_SEGMENTS, clip, fit

COMPOSERS: dict[str, Callable[[Reply, dict[str, Any]], str]] = {
    "create_reminder": planning.create_reminder,
    "list_reminders": planning.list_reminders,
    "acknowledge_reminder": planning.acknowledge,
    "snooze_reminder": planning.snooze,
    "cancel_reminder": planning.cancel,
    "add_task": planning.add_task,
    "list_tasks": planning.list_tasks,
    "complete_task": planning.complete_task,
    "break_down_task": planning.break_down,
    "add_goal": planning.add_goal,
    "list_goals": planning.list_goals,
    "add_groceries": planning.add_groceries,
    "list_groceries": planning.list_groceries,
    "check_groceries": planning.check_groceries,
    "clear_groceries": planning.clear_groceries,
    "log_expense": planning.log_expense,
    "expense_summary": planning.expense_summary,
    "remember": misc.remember,
    "recall": misc.recall,
    "start_focus": misc.start_focus,
    "end_focus": misc.end_focus,
    "update_settings": misc.update_settings,
    "current_time": misc.current_time,
}
LIST_TOOLS = {"list_reminders", "list_tasks", "list_goals", "list_groceries", "break_down_task", "recall"}
LIST_TOOLS |= set(CONNECTOR_LABELS)
NEXT_STEP = {
    "complete_task": "Text 'list' to see your tasks.",
    "cancel_reminder": "Text 'reminders' to see what's set.",
    "acknowledge_reminder": "Text 'reminders' to see what's set.",
    "snooze_reminder": "Text 'reminders' to see what's set.",
    "update_settings": "A city name works, like 'Chicago'.",
}


def _error(r: Reply, result: ToolResult) -> str:
    name = result.call.name if result.call else ""
    message = result.data if isinstance(result.data, str) else None
    if message and len(message) <= 300 and "Traceback" not in message and "Error(" not in message:
        base = message.strip()
        if "?" in base:
            return base  # the tool asks the user to pick ("Which reminder? 1) ... 2) ...")
        base = base.rstrip(".") + "."
    else:
        base = r.voice.pick("err", ["Sorry, that didn't work just now.", "Hmm, I couldn't do that one right now."])
    tip = NEXT_STEP.get(name, "Mind trying again in a minute?")
    return f"{base} {tip}"


def compose(ctx: TurnContext, results: list[ToolResult]) -> str:
    """The SMS reply for this turn's tool results (never raises for odd payloads)."""
    r = Reply(ctx)
    texts: list[str] = []
    limit = SEGMENT
    for result in results:
        name = result.call.name if result.call else ""
        try:
            if not result.ok:
                text = _error(r, result)
                limit = THREE_SEGMENTS if len(text) > SEGMENT else limit
            elif name in COMPOSERS:
                text = COMPOSERS[name](r, as_dict(result.data))
            elif name in CONNECTOR_LABELS:
                text = misc.connector(r, as_dict(result.data), name)
            else:
                text = clip(result.summary or "Done.", 150)
        except Exception:  # a payload we did not expect: fall back to the tool's own summary line
            text = clip(result.summary or "Done.", 150) if result.ok else "Sorry, that didn't work just now."
        if name in LIST_TOOLS:
            limit = THREE_SEGMENTS
        texts.append(text)
    if len(texts) > 1:
        limit = THREE_SEGMENTS
    return fit(" ".join(t for t in texts if t) or "Done.", limit)
