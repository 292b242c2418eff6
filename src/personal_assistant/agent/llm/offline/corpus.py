"""Running the intents' example corpus through the whole brain (tests and bench/understanding.py).

Every example is read at Saturday 2026-03-07 14:30 in its own time zone (New York by default:
the day before the US clock change, so "tomorrow" there is already on daylight time), in the
context it names (a reminder just fired, the morning check-in, a reminder just created...).
Expected times are local wall clock ("2026-03-08 09:00") or a date ("2026-03-13"); symbolic ids
(R1, R9, T9, E9) stand for the ids of the context. Each example is also tried in messier forms
(leading filler, "pls", an emoji) that must read the same.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from personal_assistant.agent.llm.base import RecentText, ToolSpec, TurnContext
from personal_assistant.agent.llm.offline.intent import Example, Intent
from personal_assistant.agent.llm.offline.intents import ALL, BY_NAME
from personal_assistant.agent.llm.offline.intents.web import TOOLS as ACCOUNT_FREE_TOOLS

IDS = {name: str(uuid.UUID(int=n)) for name, n in (("R1", 101), ("R9", 109), ("T9", 209), ("E9", 309), ("G9", 409),
                                                     ("M9", 509))}
USER = uuid.UUID(int=1)


def reference_now(tz: str) -> datetime:
    return datetime(2026, 3, 7, 14, 30, tzinfo=ZoneInfo(tz))


def _action(tool: str, args: dict[str, Any], result: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {"turn_id": str(uuid.UUID(int=77)), "at": (now - timedelta(minutes=1)).isoformat(),
            "actions": [{"tool": tool, "args": args, "result": result}]}


def context_kwargs(name: str | None, now: datetime) -> dict[str, Any]:
    """The TurnContext fields of a named context."""
    if name is None:
        return {}
    sent = (now - timedelta(minutes=2)).astimezone(ZoneInfo("UTC"))
    friday = datetime(2026, 3, 13, 17, 0, tzinfo=now.tzinfo)
    if name == "reminder_sent":
        return {"last_outbound": RecentText("reminder", "Reminder: take your meds. Reply done, snooze 10, or "
                                            "'cancel meds'", sent, uuid.UUID(IDS["R1"]), "reminder:x:1")}
    if name == "escalation":
        return {"last_outbound": RecentText("reminder", "Still on your list: take your meds. Reply done or snooze 10",
                                            sent, uuid.UUID(IDS["R1"]), "reminder:x:1:2")}
    if name == "checkin_morning":
        return {"last_outbound": RecentText("checkin", "Good morning! What are your top 3 for today? Reply with them "
                                            "and I'll keep track.", sent, None, f"checkin:{USER}:2026-03-07:morning")}
    if name == "checkin_evening":
        return {"last_outbound": RecentText("checkin", "Evening check-in: how did today go? Anything to carry over "
                                            "to tomorrow?", sent, None, f"checkin:{USER}:2026-03-07:evening")}
    if name == "created_reminder":
        result: dict[str, Any] = {"id": IDS["R9"], "text": "call mom",
                                  "due_at": friday.astimezone(ZoneInfo("UTC")).isoformat(),
                  "local_due": friday.isoformat(), "rrule": None, "status": "pending"}
        return {"last_action": _action("create_reminder", {"text": "call mom", "due_at": friday.isoformat()},
                                       result, now)}
    if name == "added_task":
        result = {"id": IDS["T9"], "title": "renew passport", "due_at": "2026-03-13", "local_due": "2026-03-13"}
        return {"last_action": _action("add_task", {"title": "renew passport", "due_at": "2026-03-13"}, result, now)}
    if name == "added_groceries":
        result = {"added": ["milk", "eggs"], "already": [], "total": 2}
        return {"last_action": _action("add_groceries", {"items": [{"name": "milk"}, {"name": "eggs"}]}, result,
                                       now)}
    if name == "logged_expense":
        result = {"id": IDS["E9"], "amount": "10.00", "currency": "USD", "note": "lunch", "category": "food"}
        return {"last_action": _action("log_expense", {"amount": "10.00", "note": "lunch"}, result, now)}
    if name == "broke_down":
        from personal_assistant.agent.llm.offline.breakdown import breakdown_steps

        steps = breakdown_steps("clean my room")
        result = {"id": IDS["T9"], "title": "clean my room", "steps": steps}
        return {"last_action": _action("break_down_task", {"title": "clean my room", "steps": steps}, result, now)}
    if name == "asked_when":
        return {"pending": {"tool": "create_reminder", "args": {"text": "call the garage"}, "missing": "due_at"}}
    if name == "asked_confirm":
        due = datetime(2026, 3, 7, 17, 0, tzinfo=now.tzinfo).isoformat()
        return {"pending": {"tool": "confirm", "args": {}, "missing": "confirm",
                            "calls": [{"name": "create_reminder", "args": {"text": "ring the garage", "due_at": due}}]}}
    raise KeyError(name)


def make_context(text: str, tz: str = "America/New_York", context: str | None = None, *,
                 now: datetime | None = None, turn: int = 7, **extra: Any) -> TurnContext:
    now = now or reference_now(tz)
    fields: dict[str, Any] = {
        "turn_id": uuid.UUID(int=turn), "user_id": USER, "text": text, "channel": "sms", "local_now": now,
        "timezone": tz, "currency": {"Europe/London": "GBP", "Europe/Berlin": "EUR", "Asia/Kolkata": "INR",
                                     "Australia/Sydney": "AUD"}.get(tz, "USD"),
        "user_name": "Sam", "history": [], "memories": [], "pending": None, "last_list": None,
        # The tools every user has (no account needed); connector tools are not connected.
        "tools": [ToolSpec(name, name, {"type": "object"}, None, False) for name in ACCOUNT_FREE_TOOLS],
        "unavailable_tools": {},
        "dashboard_url": "https://app.example.com", "country": "US",
    }
    fields.update(context_kwargs(context, now))
    fields.update(extra)
    return TurnContext(**fields)


def variants(example: Example) -> list[str]:
    """The example as typed, plus messier spellings that must read the same."""
    text = example.text
    out = [text]
    words = text.split()
    if any(ch.isalpha() for ch in text):
        out.append(text + " \U0001F64F")
    talky = example.intent in ("small_talk", "help", "unknown")
    if len(words) > 2 and not talky:
        out.append("hmm ok so " + text)
        out.append(text.rstrip("?!.") + " pls")
        out.append("so like " + text.rstrip("?!.") + " thx \U0001F605")
    return out


def _local(value: Any, tz: str) -> str | None:
    if not isinstance(value, str):
        return None
    if len(value) == 10:
        return value
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    local = at.astimezone(ZoneInfo(tz))
    if at.utcoffset() != local.utcoffset():
        return f"wrong offset {at.utcoffset()} for {tz}"
    return local.strftime("%Y-%m-%d %H:%M")


def _same(expected: Any, actual: Any, key: str, tz: str) -> bool:
    if expected is ...:
        return actual is None
    if isinstance(expected, str) and expected in IDS:
        return actual == IDS[expected]
    if key in ("due_at", "until", "spent_at") and isinstance(expected, str):
        return _local(actual, tz) == expected
    if key == "items" and isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return False
        return all(isinstance(a, dict) and all(a.get(k) == v for k, v in e.items())
                   for e, a in zip(expected, actual, strict=True))
    return actual == expected


def check(example: Example, text: str | None = None, *, owner: Intent | None = None) -> str | None:
    """None when `text` (default: the example's) reads as the example says, else why not."""
    from personal_assistant.agent.llm.offline.brain import interpret
    from personal_assistant.agent.llm.offline.plan import plan_turn

    ctx = make_context(text or example.text, example.tz, example.context)
    plan = plan_turn(ctx)
    action = interpret(ctx)
    intents = [p.intent for p in plan.parts]
    if example.intent not in intents[:1] and not (example.intent == "checkin_reply" and intents == ["checkin_reply"]):
        return f"read as {intents}, not {example.intent}"
    if example.kind is not None:
        if action.kind != example.kind:
            return f"{action.kind} instead of {example.kind}: {action.text or action.tool_calls}"
        if example.says and example.says.lower() not in (action.text or "").lower():
            return f"reply lacks '{example.says}': {action.text}"
        return None
    wanted = list(example.calls)
    if action.kind != "tools":
        return f"{action.kind}: {action.text}"
    got = action.tool_calls
    if len(got) != len(wanted):
        return f"{len(got)} calls instead of {len(wanted)}: {[(c.name, c.args) for c in got]}"
    for (tool, slots), actual in zip(wanted, got, strict=True):
        name = tool or (owner.tool if owner is not None else None) or BY_NAME[example.intent].tool
        if actual.name != name:
            return f"called {actual.name} instead of {name}"
        for key, value in slots.items():
            if not _same(value, actual.args.get(key), key, example.tz):
                return f"{name}.{key} = {actual.args.get(key)!r}, expected {value!r}"
    return None


def all_examples() -> list[tuple[Intent, Example]]:
    return [(intent, example) for intent in ALL for example in intent.examples]
