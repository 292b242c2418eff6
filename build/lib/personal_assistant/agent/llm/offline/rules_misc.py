"""Memory, focus, settings, time, connector and small-talk intents."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.message import Msg, ask, call, say
from personal_assistant.agent.llm.offline.style import clip, second_person
from personal_assistant.agent.llm.offline.when_words import parse_clock, parse_duration
from personal_assistant.agent.llm.offline.zones import resolve_zone

CAPABILITIES = (
    "I can do reminders, tasks, groceries, expenses, goals, notes and focus timers. Try 'remind me to call mom at 7pm'."
)

# --- memory ----------------------------------------------------------------------------------
RE_REMEMBER = re.compile(
    r"^(?:please\s+)?(?:remember|memorize|note to self|note|save this|save|keep in mind|fyi|for the record|"
    r"store this|make a note|jot down|write down)\b(?:\s+(?:that|this))?\s*[:\-]?\s*(.+)$"
)
RE_RECALL = re.compile(
    r"^(?:do you remember|do you know|recall|remind me|tell me|what did i (?:say|tell you) about|"
    r"what do you know about|what was|what were|what's|whats|what is|what are|where's|wheres|where is|where are|"
    r"where did i (?:put|park|leave)|where i (?:put|parked|left)|when's|whens|when is|when was|who's|whos|who is|"
    r"which|how do i|what)\b\s*(.*)$"
)
_QUESTION_FILLER = (
    r"\b(?:my|the|a|an|is|are|was|were|did|do|does|i|me|you|again|please|remember|remind|know|about|of|that|"
    r"what|whats|what's|where|when|who|whos|which|how|tell|told|say|said|recall|put|left|it)\b"
)


RE_EVENT = re.compile(
    r"(?i)\b(?:birthday|anniversary|appointment|wedding|on (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
)


def remember(m: Msg) -> Action | None:
    match = RE_REMEMBER.match(m.low)
    if not match:
        return None
    content = m.norm[match.start(1) : match.end(1)].strip(" :-")
    if re.match(r"(?i)^to\s+", content):
        return None  # "remember to call mom" is a reminder
    if not content:
        return ask("What should I remember?", "remember", {}, "content")
    kind = "fact"
    if re.match(r"(?i)^(?:note|note to self|jot|write|make a note)", m.low):
        kind = "note"
    elif re.search(
        r"(?i)\bi (?:like|love|prefer|hate|dislike|can't stand|cant stand|enjoy|don't like|dont like)\b", content
    ):
        kind = "preference"
    elif RE_EVENT.search(content):
        kind = "event"
    tags: list[str] = []
    subject = re.match(r"(?i)^(?:my|our|the)\s+(.{2,40}?)\s+(?:is|are|was|=|:)\s", content)
    if subject:
        tags = [subject.group(1).lower()]
    return call("remember", content=content[:2000], kind=kind, tags=tags)


def recall_query(text: str) -> str:
    query = re.sub(r"[?!.,]", " ", text.lower())
    query = re.sub(r"\b(?:what|where|when|who|how|that|it|there)'?s\b", " ", query)
    query = re.sub(_QUESTION_FILLER, " ", query)
    query = re.sub(r"\s+", " ", query).strip()
    return query


def recall(m: Msg) -> Action | None:
    if not RE_RECALL.match(m.low):
        return None
    query = recall_query(m.low)
    if not query:
        return None
    return call("recall", query=query[:200])


# --- focus -----------------------------------------------------------------------------------
RE_END_FOCUS = re.compile(
    r"^(?:i'?m |im |i am |all )?(?:done|finished|through) (?:focusing|with (?:the |my )?focus(?: session)?|"
    r"with (?:the |my )?(?:session|pomodoro|timer))\b\s*[,:\-]?\s*(?P<out>.*)$"
    r"|^(?:stop|end|finish|cancel|quit|exit)\s+(?:the\s+|my\s+)?(?:focus(?:ing)?|focus session|session|pomodoro|timer|"
    r"focus mode)\b\s*[,:\-]?\s*(?P<out2>.*)$"
    r"|^focus (?:done|over|finished|ended)\b\s*[,:\-]?\s*(?P<out3>.*)$"
)
RE_START_FOCUS = re.compile(
    r"^(?:let'?s\s+|lets\s+|i want to\s+|i need to\s+|help me\s+|can you help me\s+)?"
    r"(?:start (?:a |the )?(?:focus(?:ing)?(?: session)?|pomodoro|timer|session)|focus mode|focus|pomodoro|"
    r"body ?double(?: me| with me)?|time ?box|deep work|hyperfocus)\b\s*(?P<rest>.*)$"
    r"|^(?:start\s+|begin\s+|do\s+)?(?:a\s+|an\s+)?(?P<min>\d{1,3})[\s-]*(?:min|mins|minutes|minute|m)?\s+"
    r"(?:of\s+)?(?:focus|pomodoro|deep work|focus session|session|timer)\b\s*(?P<rest2>.*)$"
)


def end_focus(m: Msg) -> Action | None:
    match = RE_END_FOCUS.match(m.low)
    if not match:
        return None
    group = next((g for g in ("out", "out2", "out3") if match.group(g)), None)
    outcome = m.norm[match.start(group) : match.end(group)].strip(" ,:-") if group else None
    return call("end_focus", outcome=outcome[:500] if outcome else None)


def start_focus(m: Msg) -> Action | None:
    match = RE_START_FOCUS.match(m.low)
    if not match:
        return None
    group = "rest" if match.group("rest") is not None else "rest2"
    rest = m.norm[match.start(group) : match.end(group)] if match.group(group) else ""
    minutes = int(match.group("min")) if match.group("min") else None
    low_rest = rest.lower()
    if re.search(r"\bhalf\s*way\b|\bmid-?way\b|\bcheck[ -]?in\b|\bcheck on me\b", low_rest) or "body" in m.low:
        midway = True
    else:
        midway = False
    rest = re.sub(r"(?i)[,;]?\s*(?:and\s+|with\s+(?:a\s+)?)?(?:check[ -]?in|check on me)(?:\s+(?:half\s*way|mid-?way))?"
                  r"(?:\s+through)?", " ", rest)  # fmt: skip
    duration = re.search(
        r"(?i)\b(?:for\s+)?(\d{1,3}(?:\.\d+)?\s*(?:min|mins|minutes|m|h|hr|hrs|hours?)?\b|an? hour(?: and a half)?|"
        r"half an hour|an? (?:\d+|half)\s*hours?)",
        rest,
    )
    if minutes is None and duration is not None:
        delta = parse_duration(duration.group(1))
        if delta is not None:
            minutes = round(delta.total_seconds() / 60)
            rest = rest[: duration.start()] + " " + rest[duration.end() :]
    minutes = minutes or 25
    if not 1 <= minutes <= 240:
        return say("I can time focus blocks from 1 to 240 minutes. Try 'focus 25 on the report'.")
    label = re.sub(r"(?i)^\s*(?:on|for|with|while i|while|to|mode)\b\s*", "", rest.strip())
    label = re.sub(r"(?i)^(?:the|my)\s+", "", re.sub(r"\s+", " ", label).strip(" ,.;:-"))
    label = re.sub(r"(?i)\s+(?:minutes?|mins?)$", "", label).strip()
    return call("start_focus", minutes=minutes, label=label[:200] or None, midway_checkin=midway)


# --- settings --------------------------------------------------------------------------------
RE_TIMEZONE = re.compile(
    r"^(?:set|change|update|switch|make)?\s*(?:my\s+)?(?:time\s*zone|timezone|tz)\s*(?:to|is|=|:|as)?\s*(?P<z>.*)$"
    r"|^(?:i'?m|i am|im|i live|i'?ve moved|i moved|we moved|moved)\s+(?:now\s+)?(?:in|to|on|living in)\s+(?P<z2>.+?)"
    r"(?:\s+(?:time|now|these days))?$"
    r"|^(?:use|switch to)\s+(?P<z3>.+?)\s+time$"
)
RE_QUIET = re.compile(
    r"quiet\s*(?:hours|time|mode)?\s*(?:from|:|is|are|=)?\s*(?P<a>[\w:. ]+?)\s*(?:to|-|until|till|through|and)\s*"
    r"(?P<b>[\w:. ]+)$"
)
_NO_TEXT = r"(?:don'?t|do not|no|never)\s+(?:texts?|messages?|pings?|bother|texting|messaging)(?:\s+me)?"
RE_NO_TEXT_AFTER = re.compile(rf"{_NO_TEXT}\s+(?:after|past)\s+(.+)$")
RE_NO_TEXT_BEFORE = re.compile(rf"{_NO_TEXT}\s+(?:before|until|till)\s+(.+)$")
RE_CHECKIN = re.compile(
    r"^(?:set\s+)?(?:my\s+)?(?P<which>morning|evening|night|daily)\s+(?:check[ -]?in|review|planning)s?\s*"
    r"(?:at|to|for|:)?\s*(?P<t>.+)$"
)
RE_CHECKIN_TOGGLE = re.compile(
    r"^(?:(?P<off>stop|disable|turn off|pause|no more|cancel|mute)|(?P<on>start|enable|turn on|resume))\s+"
    r"(?:the\s+|my\s+|daily\s+)*(?:check[ -]?ins?|checkins?)$"
)


def settings(m: Msg) -> Action | None:
    low = m.low
    tz = RE_TIMEZONE.match(low)
    if tz and not re.search(r"\b(?:what|which)\b", low):
        raw = next((tz.group(g) for g in ("z", "z2", "z3") if tz.group(g) is not None), "")
        if tz.group("z2") is not None and resolve_zone(raw) is None:
            return None  # "I'm in a meeting" is not a time zone
        if not raw.strip():
            return ask("Which time zone? A city works, like 'Chicago' or 'Berlin'.", "update_settings", {}, "timezone")
        zone = resolve_zone(raw)
        if zone is None:
            return ask(
                "I didn't recognize that zone. Which city are you near? (e.g. 'Denver' or 'Europe/Paris')",
                "update_settings",
                {},
                "timezone",
            )
        return call("update_settings", timezone=zone)
    quiet = RE_QUIET.search(low)
    if quiet and "quiet" in low:
        start, end = parse_clock(quiet.group("a").strip(), bare="pm"), parse_clock(quiet.group("b").strip())
        if start and end:
            return call("update_settings", quiet_hours_start=start, quiet_hours_end=end)
        return ask("What hours should be quiet? e.g. '10pm to 7am'", "update_settings", {}, "quiet_hours")
    after = RE_NO_TEXT_AFTER.search(low)
    if after and parse_clock(after.group(1), bare="pm"):
        return call("update_settings", quiet_hours_start=parse_clock(after.group(1), bare="pm"))
    before = RE_NO_TEXT_BEFORE.search(low)
    if before and parse_clock(before.group(1)):
        return call("update_settings", quiet_hours_end=parse_clock(before.group(1)))
    checkin = RE_CHECKIN.match(low)
    if checkin:
        at = parse_clock(re.sub(r"^(?:at|to)\s+", "", checkin.group("t").strip()))
        if at is None:
            return None
        which = checkin.group("which")
        if which in ("evening", "night"):
            return call("update_settings", evening_checkin=at, checkins_enabled=True)
        return call("update_settings", morning_checkin=at, checkins_enabled=True)
    toggle = RE_CHECKIN_TOGGLE.match(low)
    if toggle:
        return call("update_settings", checkins_enabled=toggle.group("on") is not None)
    return None


def fill_quiet_hours(text: str) -> dict[str, str] | None:
    match = re.search(r"(?P<a>[\w:. ]+?)\s*(?:to|-|until|till|through|and)\s*(?P<b>[\w:. ]+)$", text.lower())
    if not match:
        return None
    start = parse_clock(match.group("a").replace("from", "").strip(), bare="pm")
    end = parse_clock(match.group("b").strip())
    return {"quiet_hours_start": start, "quiet_hours_end": end} if start and end else None


# --- time ------------------------------------------------------------------------------------
RE_TIME_Q = re.compile(
    r"^(?:what(?:'s| is|s)?\s+(?:the\s+)?(?:time|date|day)(?:\s+(?:is it|now|today|right now|here))?(?: today)?"
    r"|what time is it(?: now| right now| there| here)?|time\??|current time|the time|date|today'?s date"
    r"|what day is (?:it|today)|what(?:'s| is) today'?s date|what(?:'s| is) (?:my\s+)?(?:time\s*zone|timezone)"
    r"|which (?:time\s*zone|timezone) am i in|what (?:time\s*zone|timezone) am i in)$"
)


def current_time(m: Msg) -> Action | None:
    return call("current_time") if RE_TIME_Q.match(m.low) else None


# --- connectors ------------------------------------------------------------------------------
CONNECTOR_LABELS = {
    "calendar_list_events": "your calendar (Google or Microsoft)",
    "email_triage": "your email (Gmail or Outlook)",
    "notion_search": "Notion",
    "web_search": "web search",
    "youtube_summary": "YouTube",
}
RE_CALENDAR = re.compile(
    r"\b(?:calendar|schedule|agenda)\b|\bam i (?:free|busy|booked)\b|\bwhat meetings\b|\bany meetings\b"
    r"|\bmy meetings\b|\bnext meeting\b|\bdo i have (?:any )?(?:meetings|appointments|events)\b"
)
RE_EMAIL = re.compile(
    r"\b(?:check|read|triage|summari[sz]e|scan|any|new|important|unread|urgent)\b.*\b(?:e-?mails?|inbox|mail|gmail|outlook)\b"
    r"|^(?:my\s+)?(?:e-?mails?|inbox)$"
)
RE_NOTION = re.compile(r"\bnotion\b")
RE_NOTION_QUERY = re.compile(
    r"\b(?:for|about)\s+(.+)$|^(?:search|find|look up|lookup)\s+(?:in\s+|my\s+)?notion\s+(?:for\s+|about\s+)?(.+)$"
)
RE_WEB = re.compile(
    r"^(?:search|google|look up|lookup|search the web|web search|search online|search the internet|bing|ddg)"
    r"(?:\s+(?:the web|online|the internet))?\s*(?:for|about)?\s*:?\s*(.+)$"
)
RE_YOUTUBE = re.compile(r"(?:https?://)?(?:www\.|m\.)?(?:youtube\.com/\S+|youtu\.be/\S+)|\byoutube\b|\bvideo\b")


def connectors(m: Msg) -> Action | None:
    low = m.low
    if re.search(r"\bremind", low):
        return None
    tool, query = None, m.norm
    if RE_YOUTUBE.search(low) and (re.search(r"youtu", low) or re.search(r"\bsummar|\bwatch|\btl;?dr", low)):
        tool = "youtube_summary"
        url = re.search(r"(?:https?://)?(?:www\.|m\.)?(?:youtube\.com/\S+|youtu\.be/\S+)", m.text)
        query = url.group(0) if url else m.norm
    elif RE_NOTION.search(low):
        tool = "notion_search"
        found = RE_NOTION_QUERY.search(low)
        if found:
            group = 1 if found.group(1) else 2
            query = m.norm[found.start(group) : found.end(group)]
    elif RE_EMAIL.search(low):
        tool = "email_triage"
    elif RE_CALENDAR.search(low) and not re.search(r"\b(?:add|put|create|schedule a|book)\b", low):
        tool = "calendar_list_events"
    else:
        web = RE_WEB.match(low)
        if web and not re.search(r"\bmy\b", low[:20]):
            tool = "web_search"
            query = m.norm[web.start(1) : web.end(1)]
    if tool is None:
        return None
    query = query.strip(" ?!.") or m.norm
    if m.has_tool(tool):
        return call(tool, query=query[:500])
    connector = m.ctx.unavailable_tools.get(tool)
    link = f"{m.ctx.dashboard_url.rstrip('/')}/connections"
    label = CONNECTOR_LABELS[tool]
    if connector or tool != "web_search":
        text = m.voice.pick(
            "connect",
            [f"I can help with {label} once it's connected: {link}", f"To use {label}, connect it here: {link}"],
        )
        return say(text)
    return say(f"Web search isn't available right now. You can check {link} for what's connected.")


# --- small talk ------------------------------------------------------------------------------
RE_GREETING = re.compile(
    r"^(?:hi+|hey+|hello+|hiya|howdy|yo|sup|good (?:morning|afternoon|evening|night)|morning|gm|gn|night night|hola|"
    r"heya|hey there|hi there|"
    r"hello there)(?:\s+(?:there|friend|bot|assistant|buddy))?$"
)
RE_THANKS = re.compile(
    r"^(?:thanks?|thank you|thx|ty|tysm|thank u|cheers|appreciate it|great|awesome|cool|nice|perfect|"
    r"love it|love you|you're the best|youre the best|amazing)(?: so much| a lot| again)?$"
)
RE_HELP = re.compile(
    r"^(?:help|\?|menu|commands|what can you do|what do you do|how does this work|how do you work|options|"
    r"what can i (?:say|ask|text)|info|who are you|what are you|start over|hello\?|what can you help(?: me)? with|"
    r"how can you help(?: me)?|what do you help with|what else can you do)$"
)
RE_FEELING = re.compile(
    r"\b(?:overwhelmed|anxious|stressed|so tired|exhausted|burnt out|burned out|can't focus|cant focus)\b"
)
RE_NEVERMIND = re.compile(r"^(?:never ?mind|nvm|forget it|cancel|cancel that|no|nope|skip|skip it|stop|scratch that)$")


def small_talk(m: Msg) -> Action | None:
    name = (m.ctx.user_name or "").split(" ")[0]
    hi = f"Hi {name}!" if name else "Hi!"
    if re.match(r"^(?:good night|gn|night night)$", m.low):
        return say(
            m.voice.pick("night", ["Good night! Rest well. I'll be here tomorrow.", "Sleep well! One day at a time."])
        )
    if RE_GREETING.match(m.low):
        return say(
            m.voice.pick(
                "greet",
                [
                    f"{hi} What's one thing on your mind right now?",
                    f"{hi} Need a reminder, a task, or a focus timer?",
                    f"{hi} I'm here. What can I take off your plate?",
                ],
            )
        )
    if RE_THANKS.match(m.low):
        return say(m.voice.pick("thanks", ["Anytime! I'm here when you need me.", "Happy to help!", "You got it."]))
    if RE_HELP.match(m.low):
        return say(CAPABILITIES)
    if re.fullmatch(r"(?:lol|lmao|haha+|hehe+|ha|heh|\U0001F602|\U0001F923)+", m.low):
        return say(m.voice.pick("laugh", ["Ha! Anything I can help with?", "Glad you're smiling! Need anything?"]))
    if re.fullmatch(r"no|nah|nope|not now|no thanks|no thank you|all good|i'm good|im good|never ?mind|nvm", m.low):
        return say(m.voice.pick("no", ["Okay! I'm here if you need me.", "No problem. Text me anytime."]))
    forgot = re.match(r"^(?:i|oops i|oh no i|ugh i|dang i)\s+(?:forgot|missed|didn'?t)\s+(?:to\s+)?(.+)$", m.low)
    if forgot:
        words = clip(m.norm[forgot.start(1) : forgot.end(1)], 50)
        what = second_person(words)
        return say(
            m.voice.pick(
                "forgot",
                [
                    f"It happens, no guilt. Can you {what} now? Or text 'remind me at 9pm to {words}'.",
                    f"That's okay! Want a nudge next time? Text 'remind me tomorrow at 9am to {words}'.",
                ],
            ),
            limit=200,
        )
    return None


def feelings(m: Msg) -> Action | None:
    if RE_FEELING.search(m.low):
        return say(
            m.voice.pick(
                "feeling",
                [
                    "That sounds like a lot. Want to pick just one tiny thing? Text 'break down' plus the task.",
                    "Totally okay to feel that way. One small step is enough. Try 'focus 10 on' something small.",
                ],
            )
        )
    return None


def unknown(m: Msg) -> Action:
    return say(
        m.voice.pick(
            "unknown",
            [
                "Sorry, I didn't catch that. " + CAPABILITIES,
                "Hmm, not sure what you mean. " + CAPABILITIES,
            ],
        ),
        limit=240,
    )
