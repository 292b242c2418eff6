"""Context intents: what the assistant just said and what the last turn changed.

- a reply to the morning check-in ("1. email Sam 2. laundry 3. call the dentist") creates the
  tasks it lists (due today; an open task of the same name is reused, not doubled); a reply to the
  evening check-in that carries things over moves them to tomorrow;
- "undo" reverts the last turn's changes;
- corrections ("wait, I meant thursday", "actually the 12th", "not friday, saturday", "I said
  evening", "make it 8:15") edit the item just made, never make another;
- follow-ups ("and a lemon", "plus 3 for the coffee", "push it to 8:15", "and friday too") amend
  or extend the last action.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from personal_assistant.agent.llm.base import TurnContext
from personal_assistant.agent.llm.offline.amounts import find_amount
from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex, last_action
from personal_assistant.agent.llm.offline.lists import grocery_entries, split_items
from personal_assistant.agent.llm.offline.message import Msg, call, calls, say
from personal_assistant.agent.llm.offline.style import parse_iso
from personal_assistant.agent.llm.offline.when import When, find_when, local_dt

FRESH = timedelta(hours=6)  # a correction or "undo" refers to a change at most this old
_LDN = "Europe/London"


# --- what the last turn did -------------------------------------------------------------------
def _fresh_actions(ctx: TurnContext) -> list[dict[str, Any]]:
    if not last_action(ctx):
        return []
    state = ctx.last_action or {}
    at = parse_iso(state.get("at"), ctx.local_now.tzinfo) if isinstance(state.get("at"), str) else None  # type: ignore[arg-type]
    if at is not None and ctx.local_now - at > FRESH:
        return []
    return [a for a in state.get("actions", []) if isinstance(a, dict) and isinstance(a.get("tool"), str)]


def _last(ctx: TurnContext, *tools: str) -> dict[str, Any] | None:
    """The most recent action of the last turn among `tools` (with a result id), or None."""
    for action in reversed(_fresh_actions(ctx)):
        if action["tool"] in tools and isinstance(action.get("result"), dict):
            return action
    return None


def _rid(action: dict[str, Any]) -> str | None:
    result = action.get("result") or {}
    value = result.get("id") if isinstance(result, dict) else None
    return str(value) if value else None


# --- undo ---------------------------------------------------------------------------------------
RE_UNDO = re.compile(
    r"^(?:(?:no|nope|oops|whoops|wait|ugh|argh|sorry),?\s+)*"
    r"(?:undo|undo (?:that|it|this|the last one|that one|this one)|"
    r"take (?:that|it) back|"
    r"scratch that|revert(?: that| it)?|reverse that|that was (?:a mistake|wrong|not what i meant)|"
    r"(?:delete|remove|cancel) (?:that|what you just (?:did|made|added)|the last one)|wrong one|not that|"
    r"that's wrong|thats wrong|no undo|i didn't mean that|didn't mean to|my bad,? undo)"
    r"(?:\s*[,.!]\s*(?:wrong|my bad|mistake|oops|sorry|not what i meant|typo|i meant something else)[\w ]{0,30})?$"
)
_REVERSE = {
    "create_reminder": lambda a, r: ("delete_reminder", {"reminder_id": r}),
    "add_task": lambda a, r: ("delete_task", {"task_id": r}),
    "log_expense": lambda a, r: ("delete_expense", {"expense_id": r}),
    "remember": lambda a, r: ("forget_memory", {"memory_id": r}),
    "add_goal": lambda a, r: ("delete_goal", {"goal_id": r}),
    "complete_task": lambda a, r: ("update_task", {"task_id": r, "status": "todo"}),
    "start_focus": lambda a, r: ("end_focus", {}),
}


def _reverse(action: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    tool, result = action["tool"], action.get("result")
    if not isinstance(result, dict):
        return None
    if tool == "add_groceries":
        added = [str(n) for n in result.get("added") or [] if n]
        return ("remove_groceries", {"names": added}) if added else None
    if tool in ("update_settings", "update_reminder", "update_task", "reschedule", "update_expense"):
        previous = result.get("previous")
        if not isinstance(previous, dict) or not previous:
            return None
        key = {"update_reminder": "reminder_id", "reschedule": None, "update_task": "task_id",
               "update_expense": "expense_id", "update_settings": None}[tool]
        if tool == "reschedule":
            kind = result.get("kind")
            if kind == "task":
                return "update_task", {"task_id": _rid(action), **previous}
            return "update_reminder", {"reminder_id": _rid(action), **previous}
        if tool == "update_settings":  # a setting that was empty is cleared again
            previous = {k: ({} if k == "day_parts" else "") if v is None else v for k, v in previous.items()}
        return tool, ({key: _rid(action)} if key else {}) | previous
    rid = _rid(action)
    maker = _REVERSE.get(tool)
    return maker(action, rid) if maker and rid else None


def undo(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    actions = _fresh_actions(m.ctx)
    if not actions:
        return None
    reversed_calls = [r for r in (_reverse(a) for a in reversed(actions)) if r is not None]
    if not reversed_calls:
        if all(a["tool"].startswith(("delete_", "remove_", "forget_")) for a in actions):
            return Reading("undo", say("Nothing left to undo. The last change was already an undo."), 0.95)
        link = f"{m.ctx.dashboard_url.rstrip('/')}"
        return Reading("undo", say(f"I can't undo that one by text, sorry. You can fix it on the dashboard: {link}"),
                       0.9)
    return Reading("undo", calls(*reversed_calls), 0.95)


# --- corrections and follow-ups ------------------------------------------------------------------
RE_CORRECTION = re.compile(
    r"^(?:(?:wait|no|nope|sorry|oops|whoops|oh|hmm|ugh|argh|actually|correction|my bad|err|er|um),?\s+)*"
    r"(?:i meant|i mean|meant|i said|i wanted|i want|it should be|should be|should've been|should have been|"
    r"it's|its|it is|change (?:it|that) to|make (?:it|that)|actually|no,?|not)\s*,?\s*(?P<new>.+)$"
)
RE_X_NOT_Y = re.compile(r"^(?:(?:sorry|no|oops|wait|nope),?\s+)?(?P<new>.+?),?\s+not\s+(?P<old>[^,]+)$")
RE_PREFIXED = re.compile(r"^(?:(?:wait|no|nope|sorry|oops|whoops|actually|correction|my bad),?\s+)+(?P<new>.+)$")
RE_NOT_X_Y = re.compile(
    r"^(?:no,?\s+|wait,?\s+|sorry,?\s+)?not (?P<old>.+?),?\s+(?:but\s+|it's\s+|its\s+)?(?P<new>.+)$"
)
RE_PUSH = re.compile(
    r"^(?:(?:can you|could you|please|pls)\s+)?(?:push|move|change|shift|bump|make|set|put|switch|reschedule)\s+"
    r"(?:it|that|this|the reminder|the task|that one|this one)\s+(?:back\s+)?(?:(?:to|till|until|for|at|by)\b)?\s*"
    r"(?P<new>.+)$"
)
RE_ALSO_TIME = re.compile(r"^(?:and |also |plus )?(?P<new>.+?)\s+(?:too|as well|also)$")


def _merged_time(old_iso: Any, when: When, m: Msg, *, nearest: bool = True) -> datetime:
    """The corrected time: a new date keeps the old time of day, a new time keeps the old date."""
    zone = m.now.tzinfo
    old = parse_iso(old_iso, zone) if isinstance(old_iso, str) else None  # type: ignore[arg-type]
    if old is None:
        return when.at
    if when.by_weekday and not when.has_time and nearest:
        # "not friday, saturday": the Saturday nearest the item's own date, not the next one
        best = min((old.date() + timedelta(days=d) for d in range(-3, 4)
                    if (old.date() + timedelta(days=d)).weekday() == when.at.weekday()),
                   key=lambda day: abs((day - old.date()).days))
        at = local_dt(best, old.hour, old.minute, when.at.tzinfo)  # type: ignore[arg-type]
        return at if at > m.now else local_dt(when.at.date(), old.hour, old.minute, when.at.tzinfo)  # type: ignore[arg-type]
    if when.has_date and not when.has_time:
        return local_dt(when.at.date(), old.hour, old.minute, when.at.tzinfo)  # type: ignore[arg-type]
    if when.has_time and not when.has_date:
        at = local_dt(old.date(), when.at.hour, when.at.minute, when.at.tzinfo)  # type: ignore[arg-type]
        return at if at > m.now else when.at
    return when.at


def _retime(m: Msg, new: str, *, min_conf: float = 0.9, nearest: bool = True) -> Reading | None:
    """Move the reminder / task / snooze the last turn made to the time in `new`."""
    target = _last(m.ctx, "create_reminder", "add_task", "snooze_reminder", "update_reminder", "reschedule")
    if target is None:
        return None
    when = find_when(new, m.now, day_parts=m.ctx_day_parts) or find_when("at " + new, m.now,
                                                                          day_parts=m.ctx_day_parts)
    if when is None or when.rrule:
        return None
    rest = re.sub(r"[\s,.!]+", " ", new.lower())
    for a, b in sorted(when.spans, reverse=True):
        rest = rest[:a] + " " + rest[b:]
    if len(re.findall(r"[a-z]{3,}", re.sub(r"\b(?:at|on|the|for|instead|please|pls|then|it|one)\b", " ", rest))) > 1:
        return None  # more than a time: something new, not a correction
    result = target.get("result") or {}
    rid = _rid(target)
    if target["tool"] == "add_task":
        due = result.get("due_at")
        at = _merged_time(due, when, m, nearest=nearest) if isinstance(due, str) and len(due) > 10 else when.at
        value = at.isoformat() if (when.has_time or (isinstance(due, str) and len(due) > 10)) else when.date_iso
        return Reading("correction", call("update_task", task_id=rid, due_at=value), min_conf)
    if target["tool"] == "snooze_reminder":
        return Reading("correction", call("snooze_reminder", reminder_id=rid, until=when.at.isoformat()), min_conf)
    at = _merged_time(result.get("local_due") or result.get("due_at"), when, m, nearest=nearest)
    if at <= m.now:
        return None
    if target["tool"] == "reschedule" and result.get("kind") == "task":
        return Reading("correction", call("update_task", task_id=rid, due_at=at.isoformat()), min_conf)
    return Reading("correction", call("update_reminder", reminder_id=rid, due_at=at.isoformat()), min_conf)


def _regrocery(m: Msg, old: str | None, new: str) -> Reading | None:
    target = _last(m.ctx, "add_groceries")
    if target is None:
        return None
    added = [str(n) for n in (target.get("result") or {}).get("added") or []]
    entries = grocery_entries(new)
    if not entries or not added:
        return None
    drop = [n for n in added if old and n.lower() in old.lower()] if old else (added if len(added) == 1 else [])
    if not drop:
        return None
    return Reading("correction", calls(("remove_groceries", {"names": drop}), ("add_groceries", {"items": entries})),
                   0.9)


def _reamount(m: Msg, new: str) -> Reading | None:
    target = _last(m.ctx, "log_expense")
    if target is None:
        return None
    money = find_amount(new, m.ctx.currency, allow_bare=True)
    if money is None or len(re.findall(r"[a-z]{3,}", new.lower())) > 2:
        return None
    return Reading("correction", call("update_expense", expense_id=_rid(target), amount=money.amount,
                                      currency=money.currency if money.explicit_currency else None), 0.9)


def _retext(m: Msg, new: str) -> Reading | None:
    """'I meant call dad': the words of the reminder or task just made."""
    target = _last(m.ctx, "create_reminder", "add_task")
    if target is None or not re.match(r"^(?:wait,?\s+|sorry,?\s+|no,?\s+|oops,?\s+)*(?:i meant|i mean|i said|meant)\b",
                                      m.low):
        return None
    words = re.sub(r"(?i)^(?:to|that|it was|it's)\s+", "", new).strip(" .!\"'")
    if not words or len(words) > 200 or find_when(words, m.now) is not None:
        return None
    if target["tool"] == "add_task":
        return Reading("correction", call("update_task", task_id=_rid(target), title=words), 0.85)
    return Reading("correction", call("update_reminder", reminder_id=_rid(target), text=words), 0.85)


def correction(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    if not _fresh_actions(m.ctx):
        return None
    not_x = RE_NOT_X_Y.match(m.low)
    if not_x:
        new = m.own(not_x.start("new"), not_x.end("new"))
        return (_retime(m, m.norm[not_x.start("new"):not_x.end("new")]) or
                _regrocery(m, not_x.group("old"), new))
    pushed = RE_PUSH.match(m.low)
    if pushed:  # "move it to monday": the next monday, as a new plan rather than a fix
        return _retime(m, m.norm[pushed.start("new") : pushed.end("new")], nearest=False)
    x_not_y = RE_X_NOT_Y.match(m.low)
    if x_not_y and not x_not_y.group("new").startswith("not "):
        found = (_retime(m, m.norm[x_not_y.start("new"):x_not_y.end("new")]) or
                 _regrocery(m, x_not_y.group("old"), m.own(x_not_y.start("new"), x_not_y.end("new"))))
        if found is not None:
            return found
    fix = RE_CORRECTION.match(m.low) or RE_PREFIXED.match(m.low)
    if not fix:
        return None
    norm_new = m.norm[fix.start("new") : fix.end("new")]
    new = m.own(fix.start("new"), fix.end("new"))
    return _retime(m, norm_new) or _reamount(m, norm_new) or _regrocery(m, None, new) or _retext(m, new)


RE_MORE_GROCERIES = re.compile(r"^(?:and|plus|also|oh and|and also)?\s*(?P<items>.+?)(?:\s+(?:too|as well|also))?$")


def follow_up(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    """'and a lemon' after groceries, 'plus 3 for the coffee' after an expense, 'and friday too'
    after a reminder: the same kind of thing again."""
    if not _fresh_actions(m.ctx):
        return None
    joined = m.joiner is not None or bool(re.search(r"\b(?:too|as well)$", m.low))
    if not joined:
        return None
    last = _fresh_actions(m.ctx)[-1]
    tool = last["tool"]
    if tool == "add_groceries":
        found = RE_MORE_GROCERIES.match(m.low)
        entries = grocery_entries(m.own(found.start("items"), found.end("items"))) if found else []
        if entries and all(len((e["name"] or "").split()) <= 4 for e in entries):
            return Reading("follow_up", call("add_groceries", items=entries), 0.9)
    if tool == "log_expense":
        money = find_amount(m.norm, m.ctx.currency, allow_bare=True)
        if money is not None:
            note: str | None = m.own_without(0, len(m.norm), [money.span])
            note = re.sub(r"(?i)^(?:for|on|at)\s+|\s+(?:too|as well)$", "", note or "").strip() or None
            note = re.sub(r"(?i)^(?:for|on|at)\s+", "", note or "").strip() or None
            note = re.sub(r"(?i)^(?:a|an|the|some|my)\s+(?=\S)", "", note or "").strip() or None
            return Reading("follow_up", call("log_expense", amount=money.amount, currency=money.currency,
                                             note=note), 0.9)
    if tool == "create_reminder":
        result = last.get("result") or {}
        text = result.get("text") if isinstance(result, dict) else None
        also = RE_ALSO_TIME.match(m.low)
        when = find_when(m.norm, m.now, day_parts=m.ctx_day_parts)
        if text and when is not None and also:
            at = _merged_time(result.get("local_due"), when, m)
            if at > m.now:
                return Reading("follow_up", call("create_reminder", text=str(text), due_at=at.isoformat()), 0.88)
    return None


def push(m: Msg, match: re.Match[str] | None) -> Reading | None:
    if match is None:
        return None
    return _retime(m, m.norm[match.start("new") : match.end("new")], nearest=False)


# --- "more" after a breakdown -----------------------------------------------------------------
RE_MORE = re.compile(
    r"^(?:ok(?:ay)?,?\s+|done,?\s+|and\s+)?(?:more|more steps|more please|next|next step|next one|next steps|"
    r"then what|and then|then|what|the rest|rest|what else|what now|keep going|go on|what's next|whats next)$"
)


def more_steps(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    """'more' after a breakdown: the steps that did not fit in the first text."""
    target = _last(m.ctx, "break_down_task")
    if target is None:
        return None
    steps = [str(s) for s in (target.get("result") or {}).get("steps") or [] if s]
    from personal_assistant.agent.llm.offline.compose_planning import break_down_shown

    rest = steps[break_down_shown(steps, (target.get("result") or {}).get("title")):]
    if not rest:
        return Reading("more", say("That's all the steps! Text 'done 1' as you finish them."), 0.95)
    start = len(steps) - len(rest) + 1
    pieces: list[str] = []
    used = len("Next: ") + len(" (+9 more saved in your list)")
    for i, step in enumerate(rest, start):
        piece = f"{i}) {step}"
        if pieces and used + len(piece) + 1 > 160:
            break
        pieces.append(piece)
        used += len(piece) + 1
    left = len(rest) - len(pieces)
    tail = f" (+{left} more saved in your list)" if left else " One at a time!"
    return Reading("more", say(f"Next: {' '.join(pieces)}{tail}"), 0.95)


# --- check-ins -----------------------------------------------------------------------------------
RE_NUMBERED = re.compile(r"(?:^|\s)(?:\d{1,2}|[a-c])\s?[.)\]:-]\s*")
RE_NOT_A_LIST = re.compile(
    r"^(?:no|nope|nah|not sure|idk|dunno|nothing|nothing much|not much|none|no idea|ugh|eh|meh|later|skip|"
    r"no plans|nothing planned|day off|rest|resting|just rest|sleep|not today|survive|get through|just get through|"
    r"chill|relax|good|great|fine|ok|okay|same as yesterday|dunno yet)\b"
)
RE_CARRY = re.compile(
    r"^(?:(?:please\s+)?(?:carry over|carry|move|push|bump|roll over|shift)\s+(?P<items>.+?)(?:\s+(?:over|to tomorrow|"
    r"till tomorrow|to tmrw))?|(?P<items2>.+?)\s+(?:to|till|for) tomorrow|tomorrow:?\s+(?P<items3>.+))$"
)


def _items(m: Msg, text: str) -> list[str]:
    if RE_NUMBERED.search(text):
        parts = [p for p in RE_NUMBERED.split(" " + text) if p and p.strip()]
    else:
        parts = split_items(text)
    out = []
    for part in parts:
        part = re.sub(r"(?i)^(?:and|then|also|plus)\s+", "", part.strip(" ,.;:-"))
        part = re.sub(r"(?i)\s+(?:today|for today|this morning|first|tmrw|tomorrow)$", "", part).strip(" ,.;:-")
        if part:
            out.append(part)
    return out


def morning_list(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    """The answer to "what are your top 3 for today?": one task per item, due today."""
    if "?" in m.text or m.count > 1:
        return None
    if RE_NOT_A_LIST.match(m.low):
        return Reading("checkin_reply", say(m.voice.pick("light-day", [
            "That counts as a plan. Be gentle with yourself today. Text me if something comes up.",
            "Okay, a light day. If one thing comes to mind, text it and I'll hold it for you.",
        ])), 0.9)
    from personal_assistant.agent.llm.offline.intents.talk import support

    if support(m, None) is not None:
        return None
    raw = m.own(0, len(m.norm))
    items = _items(m, raw)
    if not items or len(items) > 8 or any(len(i.split()) > 10 for i in items):
        return None
    today = m.now.date().isoformat()
    pairs = [("add_task", {"title": item[:200], "due_at": today, "reuse_open": True}) for item in items]
    return Reading("checkin_reply", calls(*pairs), 0.9 if len(items) > 1 or len(raw.split()) <= 6 else 0.8)


def evening_carry(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    """The answer to "anything to carry over to tomorrow?": those tasks move to tomorrow."""
    found = RE_CARRY.match(m.low)
    if not found:
        return None
    group = next(g for g in ("items", "items2", "items3") if found.group(g))
    items = _items(m, m.own(found.start(group), found.end(group)))
    if not items or len(items) > 8:
        return None
    tomorrow = (m.now.date() + timedelta(days=1)).isoformat()
    pairs = [("add_task", {"title": item[:200], "due_at": tomorrow, "reuse_open": True}) for item in items]
    return Reading("checkin_reply", calls(*pairs), 0.9)


UNDO = Intent(
    "undo",
    undo,
    patterns=(RE_UNDO,),
    priority=97,
    needs="last_action",
    summary="'undo', 'scratch that': reverts what the last message changed",
    examples=(
        ex("undo", "undo", ("delete_reminder", {"reminder_id": "R9"}), context="created_reminder"),
        ex("scratch that", "undo", ("delete_task", {"task_id": "T9"}), context="added_task"),
        ex("oops undo", "undo", ("remove_groceries", {"names": ["milk", "eggs"]}), context="added_groceries"),
        ex("take that back", "undo", ("delete_expense", {"expense_id": "E9"}), context="logged_expense"),
        ex("undo that", "undo", ("delete_reminder", {"reminder_id": "R9"}), context="created_reminder"),
        ex("undo", "undo", ("delete_task", {"task_id": "T9"}), context="added_task", tz=_LDN),
        ex("no undo", "undo", ("delete_expense", {"expense_id": "E9"}), context="logged_expense"),
        ex("that was a mistake", "undo", ("remove_groceries", {"names": ["milk", "eggs"]}),
           context="added_groceries"),
        ex("delete that", "undo", ("delete_reminder", {"reminder_id": "R9"}), context="created_reminder"),
        ex("wrong one", "undo", ("delete_task", {"task_id": "T9"}), context="added_task"),
        ex("revert that", "undo", ("delete_expense", {"expense_id": "E9"}), context="logged_expense"),
        ex("i didn't mean that", "undo", ("delete_reminder", {"reminder_id": "R9"}), context="created_reminder"),
        ex("cancel that", "undo", ("delete_task", {"task_id": "T9"}), context="added_task"),
        ex("remove what you just added", "undo", ("remove_groceries", {"names": ["milk", "eggs"]}),
           context="added_groceries"),
        ex("ugh scratch that", "undo", ("delete_reminder", {"reminder_id": "R9"}), context="created_reminder"),
        ex("undo the last one", "undo", ("delete_expense", {"expense_id": "E9"}), context="logged_expense"),
        ex("whoops undo", "undo", ("delete_task", {"task_id": "T9"}), context="added_task"),
    ),
)

CORRECTION = Intent(
    "correction",
    correction,
    priority=96,
    needs="last_action",
    summary="'wait, I meant thursday', 'actually the 12th', 'not friday, saturday': edits the item just made",
    examples=(
        ex("wait, I meant thursday", "correction", ("update_reminder", {"reminder_id": "R9",
                                                                        "due_at": "2026-03-12 17:00"}),
           context="created_reminder"),
        ex("actually the 12th", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-12 17:00"}),
           context="created_reminder"),
        ex("not friday, saturday", "correction", ("update_reminder", {"reminder_id": "R9",
                                                                      "due_at": "2026-03-14 17:00"}),
           context="created_reminder"),
        ex("I said evening", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 18:00"}),
           context="created_reminder"),
        ex("make it 8:15", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 20:15"}),
           context="created_reminder"),
        ex("actually it was 12", "correction", ("update_expense", {"expense_id": "E9", "amount": "12.00"}),
           context="logged_expense"),
        ex("not eggs, lemons", "correction", ("remove_groceries", {"names": ["eggs"]}),
           ("add_groceries", {"items": [{"name": "lemons"}]}), context="added_groceries"),
        ex("sorry I meant call dad", "correction", ("update_reminder", {"reminder_id": "R9", "text": "call dad"}),
           context="created_reminder"),
        ex("actually monday", "correction", ("update_task", {"task_id": "T9", "due_at": "2026-03-09"}),
           context="added_task"),
        ex("sorry, 6pm not 5", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 18:00"}),
           context="created_reminder"),
        ex("no, 7:30", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 19:30"}),
           context="created_reminder"),
        ex("oops I meant the 14th", "correction", ("update_reminder", {"reminder_id": "R9",
                                                                       "due_at": "2026-03-14 17:00"}),
           context="created_reminder", tz=_LDN),
        ex("wait no, tomorrow", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-08 17:00"}),
           context="created_reminder"),
        ex("it should be 4pm", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 16:00"}),
           context="created_reminder"),
        ex("actually make it morning", "correction", ("update_reminder", {"reminder_id": "R9",
                                                                          "due_at": "2026-03-13 09:00"}),
           context="created_reminder"),
        ex("i meant wednesday", "correction", ("update_task", {"task_id": "T9", "due_at": "2026-03-11"}),
           context="added_task"),
        ex("no it was 8.50", "correction", ("update_expense", {"expense_id": "E9", "amount": "8.50"}),
           context="logged_expense"),
        ex("wait i meant £12", "correction", ("update_expense", {"expense_id": "E9", "amount": "12.00"}),
           context="logged_expense", tz=_LDN),
        ex("not thursday, friday", "correction", ("update_task", {"task_id": "T9", "due_at": "2026-03-13"}),
           context="added_task"),
        ex("not milk, almond milk", "correction", ("remove_groceries", {"names": ["milk"]}),
           ("add_groceries", {"items": [{"name": "almond milk"}]}), context="added_groceries"),
        ex("I meant call grandma", "correction", ("update_reminder", {"reminder_id": "R9", "text": "call grandma"}),
           context="created_reminder"),
    ),
)

PUSH = Intent(
    "push",
    push,
    patterns=(RE_PUSH,),
    priority=95,
    needs="last_action",
    summary="'push it to 8:15', 'move it to friday' after making or snoozing something",
    examples=(
        ex("push it to 8:15", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 20:15"}),
           context="created_reminder"),
        ex("move it to monday", "correction", ("update_reminder", {"reminder_id": "R9",
                                                                   "due_at": "2026-03-09 17:00"}),
           context="created_reminder"),
        ex("push it back to 6", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 18:00"}),
           context="created_reminder"),
        ex("can you move it to tomorrow", "correction", ("update_reminder", {"reminder_id": "R9",
                                                                             "due_at": "2026-03-08 17:00"}),
           context="created_reminder"),
        ex("change it to 9am", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 09:00"}),
           context="created_reminder", tz=_LDN),
        ex("make that 7pm", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 19:00"}),
           context="created_reminder"),
        ex("move it to friday", "correction", ("update_task", {"task_id": "T9", "due_at": "2026-03-13"}),
           context="added_task"),
        ex("bump it to next week", "correction", ("update_task", {"task_id": "T9", "due_at": "2026-03-09"}),
           context="added_task"),
        ex("push it to the weekend", "correction", ("update_task", {"task_id": "T9", "due_at": "2026-03-08"}),
           context="added_task"),
        ex("set it for 8:45", "correction", ("update_reminder", {"reminder_id": "R9", "due_at": "2026-03-13 20:45"}),
           context="created_reminder"),
    ),
)

FOLLOW_UP = Intent(
    "follow_up",
    follow_up,
    priority=94,
    needs="last_action",
    summary="'and a lemon', 'plus 3 for the coffee', 'and friday too': more of the same",
    examples=(
        ex("and a lemon", "follow_up", ("add_groceries", {"items": [{"name": "lemon"}]}), context="added_groceries"),
        ex("plus 3 for the coffee", "follow_up", ("log_expense", {"amount": "3.00", "note": "coffee"}),
           context="logged_expense"),
        ex("and saturday too", "follow_up", ("create_reminder", {"text": "call mom", "due_at": "2026-03-14 17:00"}),
           context="created_reminder"),
        ex("also bananas", "follow_up", ("add_groceries", {"items": [{"name": "bananas"}]}),
           context="added_groceries"),
        ex("and bread too", "follow_up", ("add_groceries", {"items": [{"name": "bread"}]}), context="added_groceries"),
        ex("plus coffee and filters", "follow_up", ("add_groceries", {"items": [{"name": "coffee"},
                                                                                 {"name": "filters"}]}),
           context="added_groceries"),
        ex("and 2 lemons", "follow_up", ("add_groceries", {"items": [{"name": "lemons", "quantity": "2"}]}),
           context="added_groceries", tz=_LDN),
        ex("oh and some cheese", "follow_up", ("add_groceries", {"items": [{"name": "cheese"}]}),
           context="added_groceries"),
        ex("and 4 for parking", "follow_up", ("log_expense", {"amount": "4.00", "note": "parking"}),
           context="logged_expense"),
        ex("plus $2.50 tip", "follow_up", ("log_expense", {"amount": "2.50", "note": "tip"}),
           context="logged_expense"),
        ex("and tomorrow too", "follow_up", ("create_reminder", {"text": "call mom", "due_at": "2026-03-08 17:00"}),
           context="created_reminder"),
        ex("and sunday as well", "follow_up", ("create_reminder", {"text": "call mom", "due_at": "2026-03-15 17:00"}),
           context="created_reminder"),
        ex("also 7 for snacks", "follow_up", ("log_expense", {"amount": "7.00", "note": "snacks"}),
           context="logged_expense", tz=_LDN),
    ),
)

CHECKIN_MORNING = Intent(
    "checkin_reply",
    morning_list,
    priority=93,
    needs="checkin_morning",
    summary="the answer to the morning 'top 3' creates those tasks for today",
    examples=(
        ex("1. email Sam 2. laundry 3. call the dentist", "checkin_reply",
           ("add_task", {"title": "email Sam", "due_at": "2026-03-07"}), ("add_task", {"title": "laundry"}),
           ("add_task", {"title": "call the dentist"}), context="checkin_morning"),
        ex("email sam, laundry and call the dentist", "checkin_reply", ("add_task", {"title": "email sam"}),
           ("add_task", {"title": "laundry"}), ("add_task", {"title": "call the dentist"}), context="checkin_morning"),
        ex("just the tax forms today", "checkin_reply", ("add_task", {"title": "the tax forms"}),
           context="checkin_morning", tz=_LDN),
        ex("gym, groceries, finish slides", "checkin_reply", ("add_task", {"title": "gym"}),
           ("add_task", {"title": "groceries"}), ("add_task", {"title": "finish slides"}), context="checkin_morning"),
        ex("1) pay rent\n2) call the vet\n3) laundry", "checkin_reply", ("add_task", {"title": "pay rent"}),
           ("add_task", {"title": "call the vet"}), ("add_task", {"title": "laundry"}), context="checkin_morning"),
        ex("finish the report and email Priya", "checkin_reply", ("add_task", {"title": "finish the report"}),
           ("add_task", {"title": "email Priya"}), context="checkin_morning"),
        ex("taxes", "checkin_reply", ("add_task", {"title": "taxes", "due_at": "2026-03-07"}),
           context="checkin_morning", tz="Australia/Sydney"),
        ex("clean kitchen; book dentist; walk", "checkin_reply", ("add_task", {"title": "clean kitchen"}),
           ("add_task", {"title": "book dentist"}), ("add_task", {"title": "walk"}), context="checkin_morning"),
        ex("a. invoices b. call mum c. tidy desk", "checkin_reply", ("add_task", {"title": "invoices"}),
           ("add_task", {"title": "call mum"}), ("add_task", {"title": "tidy desk"}), context="checkin_morning",
           tz=_LDN),
        ex("meal prep and the bank", "checkin_reply", ("add_task", {"title": "meal prep"}),
           ("add_task", {"title": "the bank"}), context="checkin_morning"),
        ex("get the passport photos done", "checkin_reply", ("add_task", {"title": "get the passport photos done"}),
           context="checkin_morning"),
    ),
)

CHECKIN_EVENING = Intent(
    "checkin_carry",
    evening_carry,
    priority=93,
    needs="checkin_evening",
    summary="the answer to the evening 'anything to carry over?' moves those tasks to tomorrow",
    examples=(
        ex("carry over laundry and taxes", "checkin_reply", ("add_task", {"title": "laundry", "due_at": "2026-03-08"}),
           ("add_task", {"title": "taxes", "due_at": "2026-03-08"}), context="checkin_evening"),
        ex("move the report to tomorrow", "checkin_reply", ("add_task", {"title": "the report",
                                                                         "due_at": "2026-03-08"}),
           context="checkin_evening"),
        ex("carry over the laundry", "checkin_reply", ("add_task", {"title": "the laundry", "due_at": "2026-03-08"}),
           context="checkin_evening"),
        ex("push taxes to tomorrow", "checkin_reply", ("add_task", {"title": "taxes", "due_at": "2026-03-08"}),
           context="checkin_evening", tz=_LDN),
        ex("tomorrow: email Jo, pay rent", "checkin_reply", ("add_task", {"title": "email Jo"}),
           ("add_task", {"title": "pay rent"}), context="checkin_evening"),
        ex("roll over the slides and the budget", "checkin_reply", ("add_task", {"title": "the slides"}),
           ("add_task", {"title": "the budget"}), context="checkin_evening"),
        ex("carry the dishes over", "checkin_reply", ("add_task", {"title": "the dishes", "due_at": "2026-03-08"}),
           context="checkin_evening"),
        ex("bump the vet call to tomorrow", "checkin_reply", ("add_task", {"title": "the vet call"}),
           context="checkin_evening"),
    ),
)

MORE = Intent(
    "more",
    more_steps,
    patterns=(RE_MORE,),
    priority=97,
    needs="last_action",
    summary="'more' after a breakdown: the next tiny steps",
    examples=(
        ex("more", "more", expect="answer", says="Next", context="broke_down"),
        ex("ok next", "more", expect="answer", says="3)", context="broke_down"),
        ex("next step", "more", expect="answer", says="Next", context="broke_down"),
        ex("the rest", "more", expect="answer", says="Next", context="broke_down"),
        ex("and then?", "more", expect="answer", says="Next", context="broke_down"),
        ex("more please", "more", expect="answer", says="Next", context="broke_down"),
        ex("next", "more", expect="answer", says="Next", context="broke_down"),
        ex("done, next", "more", expect="answer", says="Next", context="broke_down"),
        ex("what's next", "more", expect="answer", says="Next", context="broke_down"),
        ex("keep going", "more", expect="answer", says="Next", context="broke_down"),
        ex("more steps", "more", expect="answer", says="Next", context="broke_down"),
        ex("ok more", "more", expect="answer", says="Next", context="broke_down"),
        ex("then what", "more", expect="answer", says="Next", context="broke_down"),
        ex("go on", "more", expect="answer", says="Next", context="broke_down"),
        ex("what else", "more", expect="answer", says="Next", context="broke_down"),
    ),
)

# Tried on the whole message before it is split into clauses.
WHOLE = (UNDO, MORE, CORRECTION, PUSH, FOLLOW_UP, CHECKIN_MORNING, CHECKIN_EVENING)
INTENTS = WHOLE
