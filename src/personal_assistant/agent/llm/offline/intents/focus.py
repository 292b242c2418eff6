"""Focus-session intents: start (time-box, body doubling, mid-way check-in) and end."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.intent import Intent, ex
from personal_assistant.agent.llm.offline.message import Msg, call, say
from personal_assistant.agent.llm.offline.when_words import parse_duration

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


def end_focus(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = next((g for g in ("out", "out2", "out3") if match.group(g)), None)
    outcome = m.own(match.start(group), match.end(group)).strip(" ,:-") if group else None
    return call("end_focus", outcome=outcome[:500] if outcome else None)


def start_focus(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = "rest" if match.group("rest") is not None else "rest2"
    rest = m.norm[match.start(group) : match.end(group)] if match.group(group) else ""
    minutes = int(match.group("min")) if match.group("min") else None
    low_rest = rest.lower()
    midway = bool(re.search(r"\bhalf\s*way\b|\bmid-?way\b|\bcheck[ -]?in\b|\bcheck on me\b", low_rest)
                  or "body" in m.low)
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


END_FOCUS = Intent(
    "end_focus",
    end_focus,
    patterns=(RE_END_FOCUS,),
    tool="end_focus",
    priority=88,
    summary="'done focusing, wrote two pages', 'stop focus'",
    examples=(
        ex("I'm done focusing", "end_focus"),
        ex("stop focus", "end_focus"),
        ex("done focusing, wrote two pages", "end_focus", outcome="wrote two pages"),
        ex("end the session", "end_focus"),
        ex("stop the timer", "end_focus"),
        ex("finished with my focus session", "end_focus"),
        ex("focus over, got the intro done", "end_focus", outcome="got the intro done"),
        ex("cancel the pomodoro", "end_focus"),
        ex("im done focusing for now", "end_focus"),
        ex("quit focus mode", "end_focus"),
        ex("all done with the timer", "end_focus"),
        ex("end focus: cleared my inbox", "end_focus", outcome="cleared my inbox"),
    ),
)

START_FOCUS = Intent(
    "start_focus",
    start_focus,
    patterns=(RE_START_FOCUS,),
    tool="start_focus",
    priority=86,
    summary="'focus 25 on the report', 'body double me for 30 min' (optional check-in halfway)",
    examples=(
        ex("focus 25 on the report", "start_focus", minutes=25, label="report"),
        ex("focus for 50 minutes on taxes", "start_focus", minutes=50, label="taxes"),
        ex("body double me for 30 min while I do dishes", "start_focus", minutes=30, midway_checkin=True),
        ex("pomodoro", "start_focus", minutes=25, label=...),
        ex("start a 20 minute focus on email", "start_focus", minutes=20, label="email"),
        ex("focus on emails for an hour", "start_focus", minutes=60, label="emails"),
        ex("focus 45 on slides with a check-in halfway", "start_focus", minutes=45, label="slides",
           midway_checkin=True),
        ex("lets focus for 15 min", "start_focus", minutes=15),
        ex("start a pomodoro on the essay", "start_focus", minutes=25, label="essay"),
        ex("10 min focus on the dishes", "start_focus", minutes=10, label="dishes"),
        ex("focus mode 30 minutes", "start_focus", minutes=30),
        ex("body double with me while I clean", "start_focus", midway_checkin=True),
        ex("timebox 20 mins for the budget", "start_focus", minutes=20, label="budget"),
        ex("deep work for 90 minutes", "start_focus", minutes=90, tz="Europe/London"),
        ex("focus 25", "start_focus", minutes=25),
    ),
)

INTENTS = (END_FOCUS, START_FOCUS)
