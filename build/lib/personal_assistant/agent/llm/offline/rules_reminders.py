"""Reminder intents: create (one-off or recurring), acknowledge, snooze, cancel, list."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.message import Msg, ask, call
from personal_assistant.agent.llm.offline.when import find_when, strip_spans
from personal_assistant.agent.llm.offline.when_words import parse_duration

ACK = re.compile(
    r"^(?:done|done done|all done|did it|i did it|did that|i did|got it|finished|completed|complete|ok|okay|k|kk|"
    r"yes|yep|yup|yeah|ya|sure|ack|on it|will do|doing it|doing it now|taken|took it|took them|i took it|"
    r"i took them|took my \w+|handled|sorted|check|checked|done it|its done|it's done|yes done|ok done|"
    r"done already|already did it|already done|i'm done|im done|i am done|all good|did|done now)$"
)
ACK_SYMBOLS = re.compile(r"^[\U0001F44D\U0001F44C\U0001F64C\u2705\u2714\u2611\uFE0F\U0001F3FB-\U0001F3FF\s!.+]+$")
TRIGGER = re.compile(
    r"(?:^|\b)(?:can you |could you |would you |will you |pls |please )?"
    r"(?:set (?:me )?(?:a |an )?(?:reminder|alarm)(?: for me)?|(?:add |create |new )(?:a )?reminder|remind me|"
    r"rmd me|rmnd me|remindme|remember to|"
    r"reminder|ping me|nudge me|text me|alert me|do not let me forget|don'?t let me forget|don'?t forget|"
    r"make sure i)\b(?:\s*(?:to|about|that|of|for|re|:|-))*\s*",
    re.IGNORECASE,
)
RE_REMIND_QUESTION = re.compile(r"^(?:can you )?remind me (what|where|when|who|which|how)\b")
RE_SNOOZE = re.compile(
    r"^(?:snooze|snz|zzz+|later|not now|not yet|in a bit|in a sec|give me|remind me later|remind me again|"
    r"again later|ask me later|push it|push it back|delay it|delay)\b(?:\s+(?:it|that|this|me|for|by))*\s*(?P<rest>.*)$"
)
RE_CANCEL = re.compile(
    r"^(?:cancel|delete|remove|stop|turn off|kill|drop|nix|scrap|get rid of|never mind|nevermind)\b\s*(?P<rest>.*)$"
)
RE_STOP_REMINDING = re.compile(
    r"^(?:stop reminding me|don'?t remind me|no more reminders?|quit reminding me)\b(?:\s*(?:about|to|of|for))?\s*"
    r"(?P<rest>.*?)(?:\s+any ?more)?$"
)
RE_LIST = re.compile(
    r"^(?:(?:show|list|see|check|view|what are|what's|whats|what is|any|read)\s+)?(?:me\s+)?(?:my\s+|all\s+|the\s+)?"
    r"(?:upcoming\s+|next\s+)?reminders?(?:\s+(?:list|coming up|for today|today|tomorrow|this week|please))?"
    r"|what reminders do i have.*|what (?:am i|are you) (?:being )?remind(?:ed|ing me) (?:about|of).*|"
    r"what(?:'s| is) coming up"
)


def acknowledge(m: Msg) -> Action | None:
    if ACK.match(m.low) or (m.text and ACK_SYMBOLS.match(m.text)):
        return call("acknowledge_reminder")
    return None


def _reminder_ids(m: Msg) -> list[str]:
    last = m.ctx.last_list or {}
    if last.get("kind") == "reminders" and isinstance(last.get("ids"), list):
        return [str(i) for i in last["ids"]]
    return []


def _position(m: Msg, ref: str) -> str | None:
    """A reminder id for "2" when the user was just shown a reminder list."""
    ids = _reminder_ids(m)
    if ref.isdigit() and 1 <= int(ref) <= len(ids):
        return ids[int(ref) - 1]
    return None


def snooze(m: Msg) -> Action | None:
    match = RE_SNOOZE.match(m.low)
    if not match:
        return None
    rest = match.group("rest").strip()
    if not rest:
        return call("snooze_reminder")
    until = re.match(r"^(?:until|till|til|'til|to)\s+(.+)$", rest)
    if until:
        target = until.group(1)
        when = find_when(target, m.now) or find_when("at " + target, m.now)
        if when is not None and when.at > m.now:
            return call("snooze_reminder", until=when.iso)
    delta = parse_duration(rest)
    if delta is not None:
        minutes = max(1, min(7 * 24 * 60, round(delta.total_seconds() / 60)))
        return call("snooze_reminder", minutes=minutes)
    when = find_when(rest, m.now)
    if when is not None and when.at > m.now:
        return call("snooze_reminder", until=when.iso)
    return call("snooze_reminder")


def cancel(m: Msg) -> Action | None:
    stop = RE_STOP_REMINDING.match(m.low)
    match = stop or RE_CANCEL.match(m.low)
    if not match:
        return None
    if not stop and m.low in ("stop", "never mind", "nevermind"):
        return None  # carrier keyword / nothing pending: not a cancel request
    rest = match.group("rest").strip()
    rest = re.sub(r"^(?:the|my|that|this|it|a)\b\s*", "", rest)
    rest = re.sub(r"\b(?:reminders?|alarms?)\b", " ", rest)
    rest = re.sub(r"^\s*(?:for|about|to|of|re|called|named|#)\b\s*|\s+(?:one|please)$", "", rest.strip())
    rest = re.sub(r"\s+", " ", rest).strip(" #:")
    rest = re.sub(r"^(?:the|my|a|an)\s+", "", rest)
    if rest in ("", "it", "that", "this", "one", "the last one", "last one"):
        return call("cancel_reminder")
    reminder_id = _position(m, rest)
    if reminder_id is not None:
        return call("cancel_reminder", reminder_id=reminder_id)
    return call("cancel_reminder", query=rest[:200])


def list_reminders(m: Msg) -> Action | None:
    if RE_LIST.fullmatch(m.low):
        return call("list_reminders")
    return None


def reminder_text(text: str) -> str:
    out = TRIGGER.sub(" ", text, count=1)
    out = re.sub(r"(?i)\b(?:urgent(?:ly)?|important)\b[:!]?", " ", out)
    out = re.sub(r"\s+", " ", out).strip(" ,.;:-!")
    for _ in range(3):
        out = re.sub(r"(?i)^(?:to|about|that|of|me to|and|every|each|on)\s+", "", out).strip()
    out = re.sub(r"(?i)\s+(?:at|on|by|in|for|please|pls)$", "", out).strip()
    return out[:500]


def create(m: Msg) -> Action | None:
    if RE_REMIND_QUESTION.match(m.low):
        return None
    if not TRIGGER.search(m.low) or re.match(r"^(?:what|show|list|any)\b", m.low):
        return None
    urgent = bool(re.search(r"\b(?:urgent(?:ly)?|important)\b", m.low)) or None
    when = find_when(m.norm, m.now)
    rest = strip_spans(m.norm, when.spans) if when else m.norm
    text = reminder_text(rest)
    if not text or text.lower() in ("it", "this", "that", "again", "later", "me"):
        again = bool(re.search(r"\b(?:again|later|it|this|that)\b", m.low))
        if again or _last_outbound_was_reminder(m):
            if when is not None and when.at > m.now:
                return call("snooze_reminder", until=when.iso)
            return call("snooze_reminder")
        args = {"due_at": when.iso, "rrule": when.rrule, "urgent": urgent} if when else {"urgent": urgent}
        return ask(
            m.voice.pick("ask-text", ["What should I remind you about?", "Sure! What's the reminder for?"]),
            "create_reminder",
            args,
            "text",
        )
    if when is None or (not when.has_time and not when.rrule and when.at.date() <= m.now.date()):
        question = m.voice.pick(
            "ask-when",
            [
                "When should I remind you?",
                "When should I remind you? (e.g. 7pm, in 20 min)",
                "Sure! When should I remind you?",
            ],
        )
        return ask(question, "create_reminder", {"text": text, "urgent": urgent}, "due_at")
    return call("create_reminder", text=text, due_at=when.iso, rrule=when.rrule, urgent=urgent)


def implicit(m: Msg) -> Action | None:
    """'dentist friday at 3', 'call mom at 7pm': a thing plus an explicit time reads as a reminder."""
    if "?" in m.text or re.match(r"^(?:what|when|where|who|how|why|is|are|do|does|did|can|could|should)\b", m.low):
        return None
    when = find_when(m.norm, m.now)
    if when is None:
        return None
    text = reminder_text(strip_spans(m.norm, when.spans))
    if len(re.findall(r"[A-Za-z]{2,}", text)) == 0 or len(text) > 200:
        return None
    if not when.has_time and not when.rrule:
        # "pay electric bill friday": a dated to-do rather than a timed nudge
        return call("add_task", title=text[:200], due_at=when.date_iso)
    return call("create_reminder", text=text, due_at=when.iso, rrule=when.rrule)


def _last_outbound_was_reminder(m: Msg) -> bool:
    for direction, body in reversed(m.ctx.history or []):
        if direction in ("out", "outbound"):
            return "remind" in (body or "").lower()
    return False
