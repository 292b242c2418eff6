"""Second call of a turn: turn tool results into one short, kind SMS that covers every clause.

Reads the shapes documented in results.py. Every reader is defensive (a missing key or an odd
type gives a plainer sentence, never an exception). One GSM-7 segment (160 characters) is the
aim: several actions in one text use brief forms when the full ones would not fit; lists may use
up to three segments. Wording varies deterministically with the turn id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from personal_assistant.agent.llm.base import ToolCall, ToolResult, TurnContext
from personal_assistant.agent.llm.offline import compose_changes as changes
from personal_assistant.agent.llm.offline import compose_misc as misc
from personal_assistant.agent.llm.offline import compose_planning as planning
from personal_assistant.agent.llm.offline import compose_web as web
from personal_assistant.agent.llm.offline.intent import Reading
from personal_assistant.agent.llm.offline.intents.connectors import CONNECTOR_LABELS
from personal_assistant.agent.llm.offline.reply_kit import Reply, as_dict, item_list, spoken
from personal_assistant.agent.llm.offline.style import SEGMENT, THREE_SEGMENTS, clip, fit, money, when_label

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
    "memory_overview": misc.memory_overview,
    "start_focus": misc.start_focus,
    "end_focus": misc.end_focus,
    "update_settings": misc.update_settings,
    "current_time": misc.current_time,
    "delete_reminder": changes.delete_reminder,
    "update_reminder": changes.update_reminder,
    "reschedule": changes.reschedule,
    "delete_task": changes.delete_task,
    "update_task": changes.update_task,
    "remove_groceries": changes.remove_groceries,
    "delete_expense": changes.delete_expense,
    "update_expense": changes.update_expense,
    "forget_memory": changes.forget_memory,
    "delete_goal": changes.delete_goal,
    "get_settings": lambda r, data: changes.settings_answer(r, data, "all"),
    "web_search": web.web_search,
    "youtube_summary": web.youtube_summary,
}
LIST_TOOLS = {"list_reminders", "list_tasks", "list_goals", "list_groceries", "break_down_task", "recall"}
LIST_TOOLS |= set(CONNECTOR_LABELS)
NEXT_STEP = {
    "complete_task": "Text 'list' to see your tasks.",
    "delete_task": "Text 'list' to see your tasks.",
    "update_task": "Text 'list' to see your tasks.",
    "cancel_reminder": "Text 'reminders' to see what's set.",
    "acknowledge_reminder": "Text 'reminders' to see what's set.",
    "snooze_reminder": "Text 'reminders' to see what's set.",
    "update_reminder": "Text 'reminders' to see what's set.",
    "reschedule": "Text 'reminders' or 'list' to see what's set.",
    "update_settings": "A city name works, like 'Chicago'.",
}


# --- one result ------------------------------------------------------------------------------
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


def compose_one(r: Reply, result: ToolResult) -> str:
    name = result.call.name if result.call else ""
    try:
        if not result.ok:
            return _error(r, result)
        if name in COMPOSERS:
            return COMPOSERS[name](r, as_dict(result.data))
        if name in CONNECTOR_LABELS:
            return misc.connector(r, as_dict(result.data), name)
        return clip(result.summary or "Done.", 150)
    except Exception:  # a payload we did not expect: fall back to the tool's own summary line
        return clip(result.summary or "Done.", 150) if result.ok else "Sorry, that didn't work just now."


# Brief forms, used when several actions share one text.
def _brief(r: Reply, result: ToolResult) -> str | None:
    if not result.ok:
        return None
    data = as_dict(result.data)
    name = result.call.name
    try:
        if name == "create_reminder":
            at = r.at(data, "local_due", "due_at")
            return f"reminder set: {spoken(data.get('text'), 40)}, {when_label(at, r.now) if at else 'soon'}"
        if name == "add_task":
            return f"added '{spoken(data.get('title'), 40)}' to your list"
        if name == "log_expense":
            note = spoken(data.get("note"), 25)
            return f"logged {money(data.get('amount'), data.get('currency') or r.ctx.currency)}" + (
                f" for {note}" if note else "")
        if name == "add_groceries":
            names = [clip(str(n), 20) for n in data.get("added") or data.get("already") or [] if n]
            return f"added {', '.join(names)} to groceries" if names else "grocery list updated"
        if name == "acknowledge_reminder":
            return f"marked '{spoken(data.get('text'), 30)}' done" if data.get("id") else None
        if name == "snooze_reminder":
            return f"snoozed '{spoken(data.get('text'), 30)}'" if data.get("id") else None
        if name == "complete_task":
            return f"checked off '{spoken(data.get('title'), 30)}'"
        if name == "remember":
            return f"saved '{spoken(data.get('content'), 40)}'"
        if name == "check_groceries":
            return f"checked off {', '.join(clip(str(n), 20) for n in data.get('checked') or [])}"
        if name == "cancel_reminder":
            return f"cancelled '{spoken(data.get('text'), 30)}'" if data.get("id") else None
    except Exception:
        return None
    return None


def compose(ctx: TurnContext, results: list[ToolResult]) -> str:
    """The SMS reply for these tool results alone (never raises for odd payloads)."""
    r = Reply(ctx)
    texts = [compose_one(r, result) for result in results]
    limit = SEGMENT
    for result, text in zip(results, texts, strict=True):
        if (result.call and result.call.name in LIST_TOOLS) or len(text) > SEGMENT:
            limit = THREE_SEGMENTS
    if len(texts) > 1:
        joined = " ".join(t for t in texts if t)
        briefs = [_brief(r, result) for result in results]
        if len(joined) > SEGMENT and all(briefs):
            return fit(_sentence(briefs), SEGMENT)
        limit = THREE_SEGMENTS
    return fit(" ".join(t for t in texts if t) or "Done.", limit)


def _sentence(parts: list[str | None]) -> str:
    text = "; ".join(p for p in parts if p)
    return (text[:1].upper() + text[1:] + ".") if text else "Done."


# --- the plan --------------------------------------------------------------------------------
def _key(tool_call: ToolCall) -> str:
    return f"{tool_call.name}:{sorted(tool_call.args.items(), key=lambda kv: kv[0])!r}"


def compose_plan(ctx: TurnContext, plan: Any, results: list[ToolResult]) -> list[str]:
    """One text per clause (in order), from the results of the plan's calls."""
    expected = plan.calls()
    if len(results) != len(expected) or any(
        res.call is None or res.call.name != call.name for res, call in zip(results, expected, strict=False)
    ):
        return [compose(ctx, results)] if results else []
    by_key = {_key(call): result for call, result in zip(expected, results, strict=True)}
    r = Reply(ctx)
    acting = plan.acting()
    texts: list[str] = []
    for part in plan.parts:
        if part in acting:
            own = [by_key[_key(call)] for call in part.calls if _key(call) in by_key]
            texts.append(_compose_reading(r, part, own))
        elif part.action.kind == "answer" and part.action.text:
            texts.append(part.action.text)
    if len(texts) > 1 and len(" ".join(texts)) > SEGMENT:
        briefs = [_brief(r, result) for result in results]
        if all(briefs) and len(briefs) == len(texts):
            return [_sentence(briefs)]
    return texts


def _compose_reading(r: Reply, part: Reading, results: list[ToolResult]) -> str:
    datas = [as_dict(res.data) for res in results if res.ok]
    try:
        if part.intent == "checkin_reply" and len(datas) == len(results):
            return changes.checkin_tasks(r, datas)
        if part.intent == "agenda" and len(results) == 2 and all(res.ok for res in results):
            day = str(results[0].call.args.get("due") or "today")
            return changes.agenda(r, datas[0], datas[1], day)
        if part.intent == "show_settings" and datas:
            return changes.settings_answer(r, datas[0], str(part.detail.get("topic") or "all"))
        if part.intent == "list_groceries" and datas and part.detail.get("item"):
            return _grocery_question(r, datas[0], str(part.detail["item"]))
    except Exception:  # odd payload: the plain composers below still answer
        texts = []
    texts = [compose_one(r, res) for res in results]
    if len(texts) > 1:
        joined = " ".join(texts)
        briefs = [_brief(r, res) for res in results]
        if len(joined) > SEGMENT and all(briefs):
            return _sentence(briefs)
        return joined
    return texts[0] if texts else "Done."


def _grocery_question(r: Reply, data: dict[str, Any], item: str) -> str:
    names = [str(i.get("name") or "") for i in item_list(data)]
    wanted = item.lower().rstrip("s")
    if any(wanted in n.lower() for n in names):
        return f"Yes, {clip(item, 30)} is on the list ({len(names)} item{'s' if len(names) != 1 else ''} in all)."
    return f"{clip(item, 30)[:1].upper() + clip(item, 30)[1:]} isn't on the list. Want it? Text 'add {clip(item, 30)}'."


def join(ctx: TurnContext, texts: list[str], *, question: bool = False) -> str:
    parts = [t.strip() for t in texts if t and t.strip()]
    text = " ".join(parts) or "Done."
    many_lines = any(t.startswith(("Your list:", "Coming up:", "Groceries (", "Your goals:", "Here's what")) or
                     "1) " in t for t in parts)
    return fit(text, THREE_SEGMENTS if many_lines or len(text) > SEGMENT and len(parts) > 1 else SEGMENT)


# --- questions ---------------------------------------------------------------------------------
def describe(r: Reply, tool_call: ToolCall, reading: Reading) -> str:
    """What a call would do, in words ("Remind you to ring the garage today at 5pm")."""
    args = tool_call.args
    name = tool_call.name
    if name == "create_reminder":
        at = r.at(args, "due_at")
        return f"Remind you to {spoken(args.get('text'), 60)} {when_label(at, r.now) if at else ''}".rstrip()
    if name == "add_task":
        return f"Add '{spoken(args.get('title'), 60)}' to your list"
    if name == "log_expense":
        note = spoken(args.get("note"), 40)
        return f"Log {money(args.get('amount'), args.get('currency') or r.ctx.currency)}" + (
            f" for {note}" if note else "")
    if name == "add_groceries":
        names = [str(i.get("name")) for i in args.get("items") or [] if isinstance(i, dict)]
        return f"Add {', '.join(names)} to groceries"
    if name == "snooze_reminder":
        return "Snooze that reminder 10 min"
    if name == "remember":
        return f"Save '{spoken(args.get('content'), 60)}'"
    return reading.summary or "Do that"


def question(ctx: TurnContext, reading: Reading) -> tuple[str, dict[str, Any] | None]:
    """The one question of this reply: the clarification, or a confirmation of an unsure reading."""
    if reading.action.kind == "clarify":
        return reading.action.text or "Could you say a bit more?", reading.action.pending
    r = Reply(ctx)
    said = "; ".join(describe(r, c, reading) for c in reading.calls)
    text = f"{said}? Reply yes, or tell me what to change."
    pending = {
        "tool": "confirm",
        "args": {},
        "missing": "confirm",
        "calls": [{"name": c.name, "args": c.args} for c in reading.calls],
    }
    return fit(text, SEGMENT), pending
