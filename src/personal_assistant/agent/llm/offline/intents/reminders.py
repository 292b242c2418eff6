"""Reminder intents: create (one-off, recurring, implicit), replies to a fired reminder, done,
snooze, cancel, list."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex
from personal_assistant.agent.llm.offline.message import Msg, ask, call, calls
from personal_assistant.agent.llm.offline.statements import is_statement
from personal_assistant.agent.llm.offline.style import clip, second_person
from personal_assistant.agent.llm.offline.when import When, find_when
from personal_assistant.agent.llm.offline.when_words import parse_duration

NY, LDN, SYD, LA, KOL, BER = (
    "America/New_York", "Europe/London", "Australia/Sydney", "America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin"
)  # fmt: skip

TRIGGER = (
    r"(?:set (?:me )?(?:a |an )?(?:reminder|alarm)(?: for me)?|(?:add |create |make |new )(?:a )?reminder|remind me|"
    r"remindme|remember to|reminder|ping me|nudge me|text me|message me|alert me|do not let me forget|"
    r"don'?t let me forget|don'?t forget|make sure i|can you remind me|remind)\b(?:\s*(?:to|about|that|of|for|re)\b|"
    r"\s*[:\-])*"
)
RE_TRIGGER_START = re.compile(r"^(?:can you |could you |would you |will you |please )?" + TRIGGER + r"\s*")
RE_TRIGGER_ANY = re.compile(r"(?:^|\b)" + TRIGGER + r"\s*")
RE_REMIND_QUESTION = re.compile(r"^(?:can you )?remind me (what|where|when(?! (?:i|we)\b)|who|which|how)\b")
# "remind me when I get home": we cannot see where people are, so we ask for a time instead.
RE_WHEN_I = re.compile(r"\bwhen (?:i|we)(?:'m| am| get| arrive| leave| finish| wake| am done| get back| get up)"
                       r"(?: \w+){0,3}?(?= to |$)")

# --- replies to a reminder ------------------------------------------------------------------
_IT = r"(?:it|them|em|'em|that|this|those|this one|that one|the \w+(?: \w+)?|my \w+(?: \w+)?|her|him|mom|dad)"
_WHEN_DONE = r"(?:already|earlier|just now|now|too|a while ago|an hour ago|this morning|yesterday|before|thanks)"
RE_ACK_WORDS = (
    r"done|done done|all done|all good|all set|did it|did that|i did it|i did|i did that|got it|finished|completed|"
    r"complete|done it|its done|it's done|that's done|thats done|yes done|ok done|done already|already did it|"
    r"already done|i'm done|i am done|done now|on it|will do|doing it|doing it now|sorted|handled|taken|check|"
    r"checked|ticked off|tick|yes i did|yep did it|yup done|dealt with|dealt with it|good to go|took care of it|"
    r"all done with (?:that|it|this)|done with (?:that|it|this)|i'm doing it|im doing it|doing it right now|"
    r"on it now|going now|i'm on it|im on it|"
    r"taken care of|i took care of it|it's taken care of|mission accomplished|nailed it|boom|yay|success"
)
RE_ACK_VERB = (
    r"(?:i\s+)?(?:just\s+|already\s+|finally\s+)?(?:did|took|handled|sorted|finished|completed|paid|called|sent|fed|"
    r"watered|emailed|texted|booked|ate|drank|cleaned|washed|walked|checked|fixed|submitted|mailed|posted|"
    r"picked up|dropped off|moved|bought|got|grabbed|rang|made|filed|ordered|renewed|returned|scheduled|"
    r"packed|charged|put out|took out|brought in|signed|cancelled|canceled|done)"
    rf"(?:\s+{_IT})?(?:\s+{_WHEN_DONE})*"
)
RE_ACK = re.compile(
    rf"^(?:(?:yes|yep|yup|yeah|yess+|ok|okay|all good|all set|got it|ugh|ugh fine|fine|oops|omg|forgot|i forgot|"
    rf"phew|finally|oh)\s*,?\s*)*"
    rf"(?:{RE_ACK_WORDS}|{RE_ACK_VERB})(?:\s*,?\s*(?:{RE_ACK_WORDS}|thanks|thank you))?$"
)
RE_ACK_BARE = re.compile(r"^(?:yes|yep|yup|yeah|ya|ok|okay|sure|k|kk|cool|great|perfect|thanks|thank you|ty|"
                         r"nice|awesome|sweet|good|yes thanks|ok thanks|will do thanks)$")
ACK_EMOJI = frozenset("\U0001F44D\U0001F44C\U0001F64C\u2705\u2714\u2611\U0001F4AA\U0001F389\U0001F44F\U0001F60A")
RE_SNOOZE_REPLY = re.compile(
    r"^(?:not yet|not now|not right now|later|maybe later|in a bit|in a sec|in a second|in a minute|one sec|"
    r"one second|a second|one minute|hold on|"
    r"busy|i'm busy|im busy|can't right now|cant right now|can't now|not yet later|not yet, later|soon|wait|"
    r"give me a (?:sec|minute|bit|few)|snooze|snz|zzz+|again later|"
    r"ask me later|remind me later|remind me again(?: later)?|push it|push it back|delay|delay it|later pls|"
    r"not yet,? (?:later|soon|in a bit))\b"
    r"(?P<rest>\s*,?\s*.*)$"
)
RE_SNOOZE_FOR = re.compile(
    r"^(?:(?:snooze|snz|delay|push(?: it)?(?: back)?|remind me(?: again)?|give me|ping me(?: again)?|"
    r"try me again|check back|ask me again|again|not yet,?)\s+)?(?:(?:it|that|me)\s+)?(?:for|by|in|another)?\s*"
    r"(?P<d>\d{1,3}\s*(?:more\s*)?(?:min(?:ute)?s?|m|hours?|h|hrs?)?|an? hour|half an hour|a few min(?:utes)?|"
    r"a couple (?:of )?(?:min(?:ute)?s|hours))(?:\s+more)?(?:\s+(?:please|pls))?$"
)
RE_SNOOZE_UNTIL = re.compile(
    r"^(?:(?:snooze|push(?: it)?(?: back)?|move(?: it)?|delay(?: it)?|remind me(?: again)?|do it|ask me|ping me"
    r"|later|not yet,?|not now,?)\s+)?(?:(?:it|that)\s+)?(?:(?:until|till|til|to|at|for|after)\b)?\s*(?P<t>.+)$"
)
RE_CANCEL_REPLY = re.compile(
    r"^(?:(?:no|nah|nope),?\s+)?(?:cancel(?: it| that(?: one)?| this(?: one)?| the reminder)?|"
    r"delete(?: it| this| that)?|"
    r"remove(?: it| this| that)?|stop(?: it| this| that| reminding me(?: about (?:it|this|that))?)?|"
    r"(?:i\s+)?(?:don't|do not|dont) need (?:it|this|that|this one|that one|the reminder|this reminder|that reminder|"
    r"to any more)"
    r"(?: any more| now| anymore| today)?|(?:it's|its|that's|thats|that one's|that ones|this one's|it is|that is)?\s*"
    r"(?:not needed|no longer needed|not necessary|irrelevant|not relevant|not happening|off)"
    r"(?: any more| now| anymore| today)?|"
    r"no longer need (?:it|this|that)|forget (?:it|about it|that one)|(?:it's|its) cancelled|it got cancelled|"
    r"that's cancelled|not (?:doing|going to do) (?:it|that|this)(?: any more| anymore)?|drop it|scrap it|kill it|"
    r"stop (?:bugging|nagging|pinging|texting|reminding|asking) me(?: about (?:it|this|that)(?: one)?)?|no need"
    r"(?: any more| anymore| now| for (?:it|this|that))?|"
    r"(?:the )?(?:appointment|meeting|thing|plan|class|event)(?:'s| is| was| got)? (?:cancelled|canceled|off|"
    r"moved))$"
)
RE_SKIP_REPLY = re.compile(r"^(?:skip|skip it|skip this one|skip today|skip this time|not today|pass)$")
RE_NO_REPLY = re.compile(r"^(?:no|nope|nah|not really|no not yet)$")


def _ack_emoji(m: Msg) -> bool:
    text = m.text.replace("\ufe0f", "").strip()
    emoji = [e for e in m.emoji if e not in ("\ufe0f",)]
    return bool(emoji) and not m.low and all(e in ACK_EMOJI or "\U0001F3FB" <= e <= "\U0001F3FF" for e in emoji) \
        and bool(text)


def _snooze_args(m: Msg, rest: str) -> dict[str, object] | None:
    """{"minutes": n} or {"until": iso} for the words after a snooze, or None when unreadable."""
    rest = rest.strip(" ,.")
    rest = re.sub(r"^(?:please|pls|,)\s*", "", rest)
    if not rest or re.fullmatch(r"(?:later|soon|in a bit|in a sec|for now|then|now|right now|please|pls|ok|"
                                r"sorry|thanks|haha|lol)(?:\s*,?\s*(?:later|soon|please|pls|sorry|thanks))*", rest):
        return {}
    for_ = RE_SNOOZE_FOR.match(rest)
    if for_:
        delta = parse_duration(re.sub(r"\bmore\b", "", for_.group("d")))
        if delta is None and "few" in for_.group("d"):
            delta = parse_duration("5 min")
        if delta is not None:
            return {"minutes": max(1, min(7 * 24 * 60, round(delta.total_seconds() / 60)))}
    whole = find_when(rest, m.now, day_parts=m.ctx_day_parts)
    if whole is not None and whole.at > m.now and (whole.has_time or whole.rrule is None):
        if not whole.has_time:
            whole = find_when(rest + " morning", m.now, day_parts=m.ctx_day_parts) or whole
        return {"until": whole.iso}
    until = RE_SNOOZE_UNTIL.match(rest)
    if until:
        target = until.group("t")
        when = find_when(target, m.now, day_parts=m.ctx_day_parts) or find_when("at " + target, m.now,
                                                                                 day_parts=m.ctx_day_parts)
        if when is not None and when.at > m.now:
            if not when.has_time and not when.rrule:
                when = find_when(target + " morning", m.now, day_parts=m.ctx_day_parts) or when
            return {"until": when.iso}
    return None


def _only_time(m: Msg) -> bool:
    when = find_when(m.norm, m.now, day_parts=m.ctx_day_parts)
    if when is None:
        return False
    rest = m.low
    for a, b in sorted(when.spans, reverse=True):
        rest = rest[:a] + " " + rest[b:]
    return not re.search(r"[a-z]{3,}", re.sub(r"\b(?:at|on|the|for|please|pls|then|ok|maybe|instead)\b", " ", rest))


def reply_to_reminder(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    """Whatever the wording, a reply right after a reminder fired is about THAT reminder."""
    last = m.ctx.last_outbound
    rid = str(last.ref_id) if last is not None and last.ref_id is not None else None
    low = m.low
    parts = [p.strip() for p in re.split(r"[,;.]|\bbut\b", low) if p.strip()]
    several = len(parts) > 1
    if RE_ACK.match(low) or RE_ACK_BARE.match(low) or _ack_emoji(m) or (
            several and any(RE_ACK.match(p) for p in parts)):
        return Reading("reminder_reply", call("acknowledge_reminder", reminder_id=rid), 0.95)
    if RE_SKIP_REPLY.match(low) or (several and any(RE_SKIP_REPLY.match(p) for p in parts)):
        # "skip it": this time only (a recurring reminder comes back next time)
        return Reading("reminder_reply", call("acknowledge_reminder", reminder_id=rid), 0.9)
    if RE_CANCEL_REPLY.match(low) or (several and any(RE_CANCEL_REPLY.match(p) for p in parts)):
        return Reading("reminder_reply", call("cancel_reminder", reminder_id=rid), 0.92)
    snooze = RE_SNOOZE_REPLY.match(low)
    rest = snooze.group("rest") if snooze else low
    args = _snooze_args(m, rest)
    if snooze and args is not None:
        return Reading("reminder_reply", call("snooze_reminder", reminder_id=rid, **args), 0.93)
    if args and (RE_SNOOZE_FOR.match(low) or re.match(
            r"^(?:until|till|til|after|at|push it to|move it to|remind me(?: again)?|ping me|text me|ask me|try me"
            r"(?: again)?)\b", low)):
        return Reading("reminder_reply", call("snooze_reminder", reminder_id=rid, **args), 0.9)
    if args and args.get("until") and _only_time(m):
        return Reading("reminder_reply", call("snooze_reminder", reminder_id=rid, **args), 0.9)  # "tonight"
    if RE_NO_REPLY.match(low):
        return Reading("reminder_reply", call("snooze_reminder", reminder_id=rid), 0.7,
                       summary="Snooze it 10 min")
    return None


# --- without context ----------------------------------------------------------------------------
RE_SNOOZE = re.compile(
    r"^(?:snooze|snz|zzz+|later|not now|not yet|in a bit|in a sec|give me|remind me later|remind me again|"
    r"again later|ask me later|push it back|push it|push back|delay it|delay)\b(?:\s+(?:it|that|this|me|for|by|back))*"
    r"\s*(?P<rest>.*)$"
)
RE_CANCEL = re.compile(
    r"^(?:cancel|delete|remove|stop|turn off|kill|drop|nix|scrap|get rid of)\b\s*(?P<rest>.*)$"
)
RE_STOP_REMINDING = re.compile(
    r"^(?:stop reminding me|don'?t remind me|no more reminders?|quit reminding me)\b(?:\s*(?:about|to|of|for))?\s*"
    r"(?P<rest>.*?)(?:\s+any ?more)?$"
)
RE_LIST = re.compile(
    r"^(?:(?:show|list|see|check|view|what are|what's|whats|what is|any|read|tell me|give me)\s+)?(?:me\s+)?"
    r"(?:my\s+|all\s+|the\s+|all my\s+|all of my\s+)?(?:upcoming\s+|next\s+|current\s+|active\s+)?reminders?"
    r"(?:\s+(?:list|coming up|for today|for tomorrow|for tonight|for this week|today|tonight|tomorrow|this week|"
    r"please|i have|i've got|set|do i have))?"
    r"|(?:what|which) reminders (?:do i have|have i got|are (?:set|there|on|coming up)).*"
    r"|(?:do i have|have i got|are there) any reminders.*|what (?:am i|are you) (?:being )?remind(?:ed|ing me) "
    r"(?:about|of).*|what(?:'s| is) coming up.*|what have you got (?:for me|coming up).*|how many reminders.*"
)
RE_AGENDA = re.compile(
    r"^(?:is there |are there |have i got |do i have )?(?:anything|something|stuff|things|much) (?:due|on|planned|"
    r"scheduled|happening|coming up)(?: for)? (?P<day>today|tonight|tomorrow|this week)"
    r"|^what(?:'s| is| do i have)(?: on| due| planned| happening)? (?:for )?(?P<day2>today|tonight|tomorrow|this week)"
    r"|^what(?:'s| is) (?:on|due|planned) (?:for )?(?:today|tonight|tomorrow|this week)"
    r"|^what do i have (?:on |due |going on )?(?:today|tonight|tomorrow|this week)"
    r"|^what(?:'s| is) (?:my )?(?:day|week) look(?:ing)? like|^what am i (?:supposed|meant) to (?:do|be doing)"
    r"(?: today| now)?|^(?:my )?agenda(?: for)?(?: today| tomorrow)?|^(?:plan|schedule) for (?:today|tomorrow)"
)


def acknowledge(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    if RE_ACK.match(m.low) or _ack_emoji(m):
        return Reading("acknowledge_reminder", call("acknowledge_reminder"), 0.9)
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


def snooze(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    rest = match.group("rest").strip()
    if m.low.startswith("remind me") and re.search(r"\b(?:to|about|that)\s+[a-z]", rest):
        return None  # "remind me later tonight to text Sam": a new reminder
    if not rest:
        return call("snooze_reminder")
    args = _snooze_args(m, rest)
    if args is None:
        args = _snooze_args(m, "for " + rest) or {}
    return call("snooze_reminder", **args)


def cancel(m: Msg, _match: re.Match[str] | None) -> Action | None:
    stop = RE_STOP_REMINDING.match(m.low)
    match = stop or RE_CANCEL.match(m.low)
    if not match:
        return None
    if not stop and m.low in ("stop", "never mind", "nevermind"):
        return None  # carrier keyword / nothing pending: not a cancel request
    rest = match.group("rest").strip()
    if re.match(r"(?:texting|messaging|bugging|pinging|nagging|nudging|sending)\b", rest):
        return None  # "stop texting me after 9" is about settings
    if re.search(r"\b(?:tasks?|to-?dos?|to do list|from (?:my |the )?(?:list|groceries|grocery|shopping))\b", rest):
        return None  # "delete the dentist task": the verb is delete, the noun says tasks
    if re.search(r"\b(?:focus|timer|session|pomodoro|check-?ins?|quiet hours|goal)\b", rest):
        return None
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


def list_reminders(m: Msg, _match: re.Match[str] | None) -> Action | None:
    day = None
    if re.search(r"\btoday|tonight\b", m.low):
        day = "today"
    elif re.search(r"\btomorrow\b", m.low):
        day = "tomorrow"
    return call("list_reminders", day=day)


def agenda(m: Msg, match: re.Match[str] | None) -> Action | None:
    day = "today"
    if re.search(r"\btomorrow\b", m.low):
        day = "tomorrow"
    elif re.search(r"\bweek\b", m.low):
        day = "week"
    return calls(("list_tasks", {"due": day}), ("list_reminders", {"day": day}))


# --- create ----------------------------------------------------------------------------------
def tidy_text(text: str) -> str:
    """Reminder text from the words left once the command and the time phrase are cut out."""
    out = re.sub(r"(?i)\b(?:urgent(?:ly)?|important)\b[:!]?", " ", text)
    out = re.sub(r"\s+", " ", out).strip(" ,.;:-!")
    for _ in range(3):
        out = re.sub(r"(?i)^(?:to|2|about|abt|bout|that|of|me to|and|every|each|on|for|re|:)\s+", "", out).strip(" ,:-")
    out = re.sub(r"(?i)\s+(?:at|on|by|for|please|pls|plz|from now|around|about)$", "", out).strip(" ,.;:-")
    out = re.sub(r"(?i)\b(?:pls|plz)\b\s*|^please\s+", "", out).strip(" ,.;:-")
    return _cut_words(out, 500)


def _cut_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def reminder_text(m: Msg, when: When | None, start: int) -> str:
    spans = when.spans if when else ()
    return tidy_text(m.own_without(start, len(m.norm), spans))


def _ask_when(m: Msg, text: str, urgent: bool | None) -> Action:
    question = m.voice.pick(
        "ask-when",
        [
            "When should I remind you?",
            "When should I remind you? (e.g. 7pm, in 20 min)",
            "Sure! When should I remind you?",
        ],
    )
    return ask(question, "create_reminder", {"text": text, "urgent": urgent}, "due_at")


def create(m: Msg, match: re.Match[str] | None) -> Reading | Action | None:
    if match is None or RE_REMIND_QUESTION.match(m.low):
        return None
    if re.match(r"^(?:only )?remind me (?:only )?(?:once|twice|\d+ times|\d x|(?:one|two|three) times)\b", m.low):
        return None  # "remind me twice max" is about re-sends (settings)
    if re.match(r"^(?:what|show|list|any|which|how many)\b", m.low):
        return None
    urgent = bool(re.search(r"\b(?:urgent(?:ly)?|important)\b", m.low)) or None
    condition = RE_WHEN_I.search(m.low)
    if condition is not None:
        text = tidy_text(m.own_without(match.end(), len(m.norm), [condition.span()]))
        if text:
            what = second_person(clip(text, 50))
            question = f"I can't tell when that happens. What time should I remind you to {what}?"
            return ask(question, "create_reminder", {"text": text, "urgent": urgent}, "due_at")
    when = find_when(m.norm, m.now, day_parts=m.ctx_day_parts)
    if when is not None and any(s < match.end() and e > match.start() for s, e in when.spans):
        when = find_when(m.norm[match.end():], m.now, day_parts=m.ctx_day_parts)
        when = when.shifted(match.end()) if when else None
    text = reminder_text(m, when, match.end()) if match.start() == 0 else tidy_text(
        m.own_without(0, len(m.norm), [*(when.spans if when else ()), match.span()])
    )
    if not text or text.lower() in ("it", "this", "that", "again", "later", "me", "something"):
        again = bool(re.search(r"\b(?:again|later|it|this|that)\b", m.low))
        if again:
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
        return _ask_when(m, text, urgent)
    if not when.has_time and not when.rrule:
        when = find_when(m.norm + " morning", m.now, day_parts=m.ctx_day_parts) or when
    confidence = 0.95 if when.sure else 0.85
    return Reading("create_reminder",
                   call("create_reminder", text=text, due_at=when.iso, rrule=when.rrule, urgent=urgent),
                   confidence)


_IMPERATIVE = re.compile(
    r"^(?:call|ring|phone|text|email|e-mail|message|pay|buy|get|pick up|drop off|take|book|cancel|renew|submit|send|"
    r"finish|start|clean|wash|water|feed|walk|check|go|leave|meet|bring|return|collect|order|print|sign|file|"
    r"schedule|post|mail|pack|charge|put|move|fix|visit|see|grab|make|cook|prep|prepare|study|read|write|review|"
    r"practice|practise|stretch|meditate|exercise|run|workout|work out|log|do|start|stop at|head|catch|apply)\b"
)


def implicit(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    """'dentist friday at 3', 'call mom at 7pm': a thing plus an explicit time reads as a reminder.
    A statement with a time in it ("the concert ran late tonight") is not a request."""
    if "?" in m.text or re.match(r"^(?:what|when|where|who|how|why|is|are|do|does|did|can|could|should|will)\b", m.low):
        return None
    if is_statement(m.low) or re.match(
            r"^(?:can'?t|cannot|couldn'?t|won'?t|didn'?t|doesn'?t|isn'?t|wasn'?t|no|not|never|maybe|if|when|"
            r"because|so|still|just|also|only)\b", m.low):
        return None  # "can't sleep at 3am again" says how things are; it asks for nothing
    when = find_when(m.norm, m.now, day_parts=m.ctx_day_parts)
    if when is None:
        return None
    text = tidy_text(m.own_without(0, len(m.norm), when.spans))
    words = re.findall(r"[A-Za-z]{2,}", text)
    if not words or len(text) > 200 or len(words) > 12:
        return None
    imperative = bool(_IMPERATIVE.match(text.lower()))
    if not when.has_time and not when.rrule:
        # "pay electric bill friday": a dated to-do rather than a timed nudge
        return Reading("add_task", call("add_task", title=text[:200], due_at=when.date_iso), 0.85)
    vague = bool(re.match(r"(?i)(?:the|a|an|that|this|some)\b", text))  # "the garage thing at 5"
    confidence = 0.88 if imperative or (len(words) <= 3 and not vague) else 0.75
    if not when.sure:
        confidence -= 0.05
    return Reading("create_reminder", call("create_reminder", text=text, due_at=when.iso, rrule=when.rrule), confidence)


# --- the intents ---------------------------------------------------------------------------------
REMINDER_REPLY = Intent(
    "reminder_reply",
    reply_to_reminder,
    priority=95,
    needs="reminder_sent",
    summary="a reply to a reminder just sent: done / snooze / cancel THAT reminder, in any wording",
    examples=(
        ex("done", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("did it", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("all good, did it", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("took em \U0001F44D", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("handled it earlier", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("\U0001F44D", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("yep", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("ok thanks", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("just took my meds", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("called her already", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("sorted \u2705", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("finished!!", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("yes done thx", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("paid it", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("not yet, later", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "minutes": ...}),
           context="reminder_sent"),
        ex("snooze 10", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "minutes": 10}),
           context="reminder_sent"),
        ex("in 20", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "minutes": 20}),
           context="reminder_sent"),
        ex("give me 15 mins", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "minutes": 15}),
           context="reminder_sent"),
        ex("5 more min pls", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "minutes": 5}),
           context="reminder_sent"),
        ex("push it to 8:15", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "until": "2026-03-07 20:15"}),
           context="reminder_sent"),
        ex("remind me again in an hour", "reminder_reply",
           ("snooze_reminder", {"reminder_id": "R1", "minutes": 60}), context="reminder_sent"),
        ex("later tonight", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "until": "2026-03-07 20:00"}),
           context="reminder_sent"),
        ex("after dinner", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "until": "2026-03-07 19:00"}),
           context="reminder_sent"),
        ex("busy rn", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("not now", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("that one's not needed now", "reminder_reply", ("cancel_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("dont need it anymore", "reminder_reply", ("cancel_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("cancel it", "reminder_reply", ("cancel_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("the appointment got cancelled", "reminder_reply", ("cancel_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("stop reminding me about this", "reminder_reply", ("cancel_reminder", {"reminder_id": "R1"}),
           context="reminder_sent"),
        ex("skip today", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("no longer needed", "reminder_reply", ("cancel_reminder", {"reminder_id": "R1"}), context="reminder_sent"),
        ex("done \U0001F44D", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="escalation"),
        ex("ugh fine did it", "reminder_reply", ("acknowledge_reminder", {"reminder_id": "R1"}), context="escalation"),
        ex("snooze till 5", "reminder_reply", ("snooze_reminder", {"reminder_id": "R1", "until": "2026-03-07 17:00"}),
           context="escalation"),
        ex("not happening today, cancel it", "reminder_reply", ("cancel_reminder", {"reminder_id": "R1"}),
           context="escalation"),
    ),
)

CREATE_REMINDER = Intent(
    "create_reminder",
    create,
    patterns=(RE_TRIGGER_START,),
    tool="create_reminder",
    priority=90,
    summary="'remind me to X at/in/every ...' (the command and the time are cut from the text)",
    examples=(
        ex("remind me to take my meds at 9pm", "create_reminder", text="take my meds", due_at="2026-03-07 21:00"),
        ex("hmm ok so remind me 2moro at 9 to call mom", "create_reminder", text="call mom",
           due_at="2026-03-08 09:00"),
        ex("rmd me to take the bins out b4 bed", "create_reminder", text="take the bins out",
           due_at="2026-03-07 22:00"),
        ex("remind me to ring the garage at half 9", "create_reminder", text="ring the garage",
           due_at="2026-03-07 21:30", tz=LDN),
        ex("remind me at quarter past 4 to pick up Leo", "create_reminder", text="pick up Leo",
           due_at="2026-03-07 16:15", tz=LDN),
        ex("remind me at 1745 to leave for the train", "create_reminder", text="leave for the train",
           due_at="2026-03-07 17:45", tz=BER),
        ex("remind me in 20 to check the oven", "create_reminder", text="check the oven",
           due_at="2026-03-07 14:50"),
        ex("remind me after dinner to take my pills", "create_reminder", text="take my pills",
           due_at="2026-03-07 19:00"),
        ex("remind me first thing tomorrow to email Priya", "create_reminder", text="email Priya",
           due_at="2026-03-08 08:00"),
        ex("pls remind me to water the plants tonight \U0001F331", "create_reminder", text="water the plants",
           due_at="2026-03-07 20:00"),
        ex("remind me to call the dentist appt line friday at 10", "create_reminder",
           text="call the dentist appt line", due_at="2026-03-13 10:00"),
        ex("Remind me every monday at 9 to submit my timesheet", "create_reminder", text="submit my timesheet",
           rrule="FREQ=WEEKLY;BYDAY=MO", due_at="2026-03-09 09:00"),
        ex("remind me every day at 8am to take vitamins", "create_reminder", text="take vitamins",
           rrule="FREQ=DAILY", due_at="2026-03-08 08:00", tz=SYD),
        ex("can you remind me to stretch in half an hour", "create_reminder", text="stretch",
           due_at="2026-03-07 15:00"),
        ex("remind me at quarter to 6 to start dinner", "create_reminder", text="start dinner",
           due_at="2026-03-07 17:45", tz=LA),
        ex("remind me to pay rent on the 1st of every month", "create_reminder", text="pay rent",
           rrule="FREQ=MONTHLY;BYMONTHDAY=1", due_at="2026-04-01 09:00"),
        ex("remind me tmrw morning to move the car", "create_reminder", text="move the car",
           due_at="2026-03-08 09:00", tz=KOL),
        ex("remind me in 1h to stand up lol", "create_reminder", text="stand up", due_at="2026-03-07 15:30"),
        ex("remind me to add milk to the grocery list at 6", "create_reminder", text="add milk to the grocery list",
           due_at="2026-03-07 18:00"),
        ex("remind me at 5:30pm to log my spending", "create_reminder", text="log my spending",
           due_at="2026-03-07 17:30"),
        ex("remind me urgently at 5pm to leave for the airport", "create_reminder", text="leave for the airport",
           urgent=True, due_at="2026-03-07 17:00"),
        ex("REMIND ME TO CALL MOM AT 7", "create_reminder", text="CALL MOM", due_at="2026-03-07 19:00"),
        ex("remind me to check the laundry in 45 mins", "create_reminder", text="check the laundry",
           due_at="2026-03-07 15:15", tz=SYD),
        ex("ping me at 4 to stand up", "create_reminder", text="stand up", due_at="2026-03-07 16:00"),
        ex("don't let me forget to call grandma at 6pm", "create_reminder", text="call grandma",
           due_at="2026-03-07 18:00"),
        ex("set a reminder for 6pm to call grandma", "create_reminder", text="call grandma",
           due_at="2026-03-07 18:00", tz=LDN),
        ex("remind me at 9 tonight to journal", "create_reminder", text="journal", due_at="2026-03-07 21:00"),
        ex("remind me later tonight to text Sam back", "create_reminder", text="text Sam back",
           due_at="2026-03-07 20:00"),
        ex("remind me on sunday at 10am to plan the week", "create_reminder", text="plan the week",
           due_at="2026-03-08 10:00", tz=BER),
        ex("remind me at half past 7 to walk the dog", "create_reminder", text="walk the dog",
           due_at="2026-03-07 19:30", tz=LDN),
        ex("remind me every other thursday at 5 to pay the cleaner", "create_reminder", text="pay the cleaner",
           rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", due_at="2026-03-12 17:00"),
        ex("remind me in a fortnight to renew the parking permit", "create_reminder", text="renew the parking permit",
           due_at="2026-03-21 14:30", tz=LDN),
        ex("remind me at the end of the month to pay rent", "create_reminder", text="pay rent",
           due_at="2026-03-31 09:00"),
        ex("remind me to call mom", "create_reminder", expect="clarify", says="when"),
        ex("remind me at 5", "create_reminder", expect="clarify", says="remind"),
    ),
)


CREATE_REMINDER_LOOSE = Intent(
    "create_reminder_loose",
    create,
    patterns=(re.compile(r"(?:^|\s)(?:remind me|rmd me|remindme|ping me|nudge me|don'?t let me forget)\b"
                         r"(?:\s*(?:to|about|that|of|for|re)\b|\s*[:\-])*\s*"),),
    tool="create_reminder",
    priority=60,
    reports_as="create_reminder",
    summary="'at 5 remind me to ...', 'in 20 min remind me to ...' (the trigger in the middle)",
    examples=(
        ex("in 20 min remind me to check the laundry", "create_reminder", text="check the laundry",
           due_at="2026-03-07 14:50"),
        ex("tomorrow at 8 remind me to call the bank", "create_reminder", text="call the bank",
           due_at="2026-03-08 08:00"),
        ex("every weekday at 7:30 remind me to stretch", "create_reminder", text="stretch",
           rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", due_at="2026-03-09 07:30"),
        ex("at 6pm remind me to start dinner", "create_reminder", text="start dinner", due_at="2026-03-07 18:00",
           tz=LDN),
        ex("tonight pls remind me to charge my phone", "create_reminder", text="charge my phone",
           due_at="2026-03-07 20:00", tz=SYD),
        ex("friday 10am - remind me to submit the form", "create_reminder", text="submit the form",
           due_at="2026-03-13 10:00", tz=BER),
        ex("after lunch tmrw remind me about the invoice", "create_reminder", text="the invoice",
           due_at="2026-03-08 13:00", tz=KOL),
        ex("in an hour, remind me to move the laundry", "create_reminder", text="move the laundry",
           due_at="2026-03-07 15:30"),
        ex("at half 8 ping me to take the bins out", "create_reminder", text="take the bins out",
           due_at="2026-03-07 20:30", tz=LDN),
        ex("2moro at noon nudge me to call the bank", "create_reminder", text="call the bank",
           due_at="2026-03-08 12:00", tz=LA),
    ),
)

IMPLICIT_REMINDER = Intent(
    "implicit_reminder",
    implicit,
    tool="create_reminder",
    priority=30,
    strong=False,
    summary="a thing plus a time with no verb of request ('dentist friday at 3', 'call mom at 7pm')",
    examples=(
        ex("dentist friday at 3", "create_reminder", text="dentist", due_at="2026-03-13 15:00"),
        ex("call mom at 7pm", "create_reminder", text="call mom", due_at="2026-03-07 19:00"),
        ex("tmrw 9am gym", "create_reminder", text="gym", due_at="2026-03-08 09:00"),
        ex("meds 9pm daily", "create_reminder", text="meds", due_at="2026-03-07 21:00", rrule="FREQ=DAILY"),
        ex("pay electric bill friday", "add_task", ("add_task", {"title": "pay electric bill",
                                                                 "due_at": "2026-03-13"})),
        ex("pick up Leo at 3:15", "create_reminder", text="pick up Leo", due_at="2026-03-07 15:15"),
        ex("take meds 8pm", "create_reminder", text="take meds", due_at="2026-03-07 20:00", tz=LDN),
        ex("gym tmrw 7am", "create_reminder", text="gym", due_at="2026-03-08 07:00", tz=SYD),
        ex("call the vet at 4:30", "create_reminder", text="call the vet", due_at="2026-03-07 16:30", tz=BER),
        ex("standup 9:45am monday", "create_reminder", text="standup", due_at="2026-03-09 09:45"),
        ex("email Priya tonight", "create_reminder", text="email Priya", due_at="2026-03-07 20:00", tz=KOL),
        ex("water plants every sunday at 10", "create_reminder", text="water plants",
           rrule="FREQ=WEEKLY;BYDAY=SU", due_at="2026-03-08 10:00"),
        ex("book flights by friday", "add_task", ("add_task", {"title": "book flights", "due_at": "2026-03-13"})),
        ex("return the parcel tomorrow", "add_task", ("add_task", {"title": "return the parcel",
                                                                   "due_at": "2026-03-08"}), tz=LDN),
        ex("dentist appt thurs 2pm", "create_reminder", text="dentist appt", due_at="2026-03-12 14:00"),
        ex("leave for the airport at 1745", "create_reminder", text="leave for the airport",
           due_at="2026-03-07 17:45", tz=BER),
        ex("put the chicken in at quarter past 5", "create_reminder", text="put the chicken in",
           due_at="2026-03-07 17:15", tz=LDN),
    ),
)

ACKNOWLEDGE = Intent(
    "acknowledge_reminder",
    acknowledge,
    tool="acknowledge_reminder",
    priority=55,
    strong=False,
    summary="'done', 'did it', a thumbs-up: the reminder you were most likely answering",
    examples=(
        ex("done", "acknowledge_reminder", reminder_id=...),
        ex("did it", "acknowledge_reminder"),
        ex("\U0001F44D", "acknowledge_reminder"),
        ex("took them", "acknowledge_reminder"),
        ex("done!!", "acknowledge_reminder"),
        ex("all done", "acknowledge_reminder"),
        ex("finished", "acknowledge_reminder"),
        ex("✅", "acknowledge_reminder"),
        ex("took my meds", "acknowledge_reminder"),
        ex("just did it", "acknowledge_reminder"),
        ex("already done", "acknowledge_reminder"),
        ex("i did it", "acknowledge_reminder"),
        ex("handled", "acknowledge_reminder"),
        ex("sorted", "acknowledge_reminder"),
        ex("done already thx", "acknowledge_reminder"),
        ex("👍🏻", "acknowledge_reminder"),
        ex("yep done", "acknowledge_reminder"),
        ex("ok done", "acknowledge_reminder"),
    ),
)

SNOOZE = Intent(
    "snooze_reminder",
    snooze,
    patterns=(RE_SNOOZE,),
    tool="snooze_reminder",
    priority=91,
    summary="'snooze', 'snooze 15', 'snooze until 5pm', 'later'",
    examples=(
        ex("snooze 10", "snooze_reminder", minutes=10),
        ex("snooze for an hour", "snooze_reminder", minutes=60),
        ex("snooze until 5pm", "snooze_reminder", until="2026-03-07 17:00"),
        ex("snooze till tomorrow morning", "snooze_reminder", until="2026-03-08 09:00"),
        ex("snooze", "snooze_reminder", minutes=..., until=...),
        ex("Snooze 15 min", "snooze_reminder", minutes=15),
        ex("snooze for 10", "snooze_reminder", minutes=10),
        ex("snooze till 6", "snooze_reminder", until="2026-03-07 18:00"),
        ex("later", "snooze_reminder"),
        ex("not now", "snooze_reminder"),
        ex("remind me again in 30 min", "snooze_reminder", minutes=30),
        ex("snooze 2 hours", "snooze_reminder", minutes=120, tz=LDN),
        ex("snz 5", "snooze_reminder", minutes=5),
        ex("snooze until after lunch", "snooze_reminder", until="2026-03-08 13:00", tz=SYD),
        ex("remind me later", "snooze_reminder"),
        ex("push it back 20 mins", "snooze_reminder", minutes=20),
        ex("snooze till tonight", "snooze_reminder", until="2026-03-07 20:00", tz=BER),
        ex("delay it an hour", "snooze_reminder", minutes=60),
    ),
)

CANCEL_REMINDER = Intent(
    "cancel_reminder",
    cancel,
    patterns=(RE_CANCEL, RE_STOP_REMINDING),
    tool="cancel_reminder",
    priority=75,
    summary="'cancel the dentist reminder', 'stop reminding me about the timesheet', 'cancel 2' after a list",
    examples=(
        ex("cancel the dentist reminder", "cancel_reminder", query="dentist"),
        ex("delete the reminder about the gym", "cancel_reminder", query="gym"),
        ex("stop reminding me about the timesheet", "cancel_reminder", query="timesheet"),
        ex("cancel my meds reminder pls", "cancel_reminder", query="meds"),
        ex("cancel that reminder", "cancel_reminder", query=..., reminder_id=...),
        ex("delete the gym reminder", "cancel_reminder", query="gym"),
        ex("remove the reminder for the plumber", "cancel_reminder", query="plumber"),
        ex("stop reminding me to water the plants", "cancel_reminder", query="water the plants"),
        ex("no more reminders about the bins", "cancel_reminder", query="bins"),
        ex("don't remind me about the timesheet anymore", "cancel_reminder", query="timesheet"),
        ex("cancel the 9pm meds reminder", "cancel_reminder", query="9pm meds", tz=LDN),
        ex("get rid of the dentist reminder", "cancel_reminder", query="dentist"),
        ex("turn off the laundry reminder", "cancel_reminder", query="laundry"),
        ex("kill the reminder about rent", "cancel_reminder", query="rent"),
        ex("cancle the dentist reminder", "cancel_reminder", query="dentist"),
    ),
)

LIST_REMINDERS = Intent(
    "list_reminders",
    list_reminders,
    patterns=(re.compile(r"^(?:" + RE_LIST.pattern + r")$"),),
    tool="list_reminders",
    priority=85,
    summary="'my reminders', 'which reminders do I have', 'what's coming up'",
    examples=(
        ex("my reminders", "list_reminders"),
        ex("which reminders do I have?", "list_reminders"),
        ex("what reminders do i have", "list_reminders"),
        ex("show upcoming reminders", "list_reminders"),
        ex("any reminders today?", "list_reminders", day="today"),
        ex("reminders", "list_reminders"),
        ex("show me my reminders", "list_reminders"),
        ex("list reminders", "list_reminders"),
        ex("what am I being reminded about", "list_reminders"),
        ex("whats coming up", "list_reminders"),
        ex("do i have any reminders", "list_reminders"),
        ex("what reminders are set", "list_reminders"),
        ex("how many reminders do i have", "list_reminders"),
        ex("my reminders for tomorrow", "list_reminders", day="tomorrow"),
        ex("upcoming reminders pls", "list_reminders"),
        ex("remindrs", "list_reminders"),
    ),
)

AGENDA = Intent(
    "agenda",
    agenda,
    patterns=(RE_AGENDA,),
    priority=86,
    summary="'anything due today?', 'what's on tomorrow': tasks and reminders of that day",
    examples=(
        ex("anything due today?", "agenda", ("list_tasks", {"due": "today"}), ("list_reminders", {"day": "today"})),
        ex("what do I have tomorrow", "agenda", ("list_tasks", {"due": "tomorrow"}),
           ("list_reminders", {"day": "tomorrow"})),
        ex("whats on today", "agenda", ("list_tasks", {"due": "today"}), ("list_reminders", {"day": "today"})),
        ex("what am i supposed to do today", "agenda", ("list_tasks", {"due": "today"}),
           ("list_reminders", {"day": "today"})),
        ex("is there anything due tomorrow", "agenda", ("list_tasks", {"due": "tomorrow"}),
           ("list_reminders", {"day": "tomorrow"})),
        ex("what's on for today", "agenda", ("list_tasks", {"due": "today"}), ("list_reminders", {"day": "today"})),
        ex("anything planned for this week?", "agenda", ("list_tasks", {"due": "week"}),
           ("list_reminders", {"day": "week"})),
        ex("what's my day look like", "agenda", ("list_tasks", {"due": "today"}),
           ("list_reminders", {"day": "today"})),
        ex("what do i have on today", "agenda", ("list_tasks", {"due": "today"}),
           ("list_reminders", {"day": "today"}), tz="Europe/London"),
        ex("agenda for tomorrow", "agenda", ("list_tasks", {"due": "tomorrow"}),
           ("list_reminders", {"day": "tomorrow"})),
    ),
)

INTENTS = (REMINDER_REPLY, CREATE_REMINDER, CREATE_REMINDER_LOOSE, IMPLICIT_REMINDER, ACKNOWLEDGE, SNOOZE,
           CANCEL_REMINDER, LIST_REMINDERS, AGENDA)
