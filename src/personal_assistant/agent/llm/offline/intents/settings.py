"""Settings by text in plain words (time zone, quiet hours as a sleep schedule, check-ins,
currency, escalation, day-part times, name), questions about them, and the current time."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.amounts import WORDS as CURRENCY_WORDS
from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex
from personal_assistant.agent.llm.offline.message import Msg, ask, call, calls
from personal_assistant.agent.llm.offline.when_words import parse_clock
from personal_assistant.agent.llm.offline.zones import resolve_zone

RE_TIMEZONE = re.compile(
    r"^(?:set|change|update|switch|make)?\s*(?:my\s+)?(?:time\s*zone|timezone|tz)\s*(?:(?:to|is|as)\b|[=:])?\s*"
    r"(?P<z>.*)$"
    r"|^(?:i'?m|i am|im|i live|i'?ve moved|i moved|we moved|moved|i'm now)\s+(?:now\s+)?(?:in|to|on|living in|based in)"
    r"\s+(?P<z2>.+?)(?:\s+(?:time|now|these days|this week))?$"
    r"|^(?:use|switch to|go by|put me on)\s+(?P<z3>.+?)\s+time$"
)
_T = r"[\w:. ]+?"
RE_QUIET = re.compile(
    rf"(?:quiet\s*(?:hours|time|mode)?|do not disturb|dnd|no texts|silence|sleep mode)\s*"
    rf"(?:from|:|is|are|=|between)?\s*"
    rf"(?P<a>{_T})\s*(?:to|-|until|till|through|and)\s*(?P<b>[\w:. ]+)$"
)
RE_ASLEEP = re.compile(
    r"^(?:i'?m|i am)\s+(?:usually\s+|normally\s+|mostly\s+)?asleep\s+(?:by|at|from|around|before)\s+(?P<a>[\w:. ]+?)"
    r"\s*(?:,|and)?\s*(?:i'?m\s+)?(?:up|awake)\s+(?:at|by|around)\s+(?P<b>[\w:. ]+)$"
)
RE_SLEEP = re.compile(
    rf"^(?:i\s+)?(?:usually\s+|normally\s+)?(?:sleep|go to (?:bed|sleep)|am asleep|i'm asleep|bed)\s+(?:from\s+|at\s+|"
    rf"around\s+|between\s+)?(?P<a>{_T})\s*(?:to|-|until|till|and (?:get up|wake(?: up)?) at|and wake(?: up)? at|"
    rf"and i wake(?: up)? at|,? up at|and)\s*(?P<b>[\w:. ]+?)(?:\s+(?:most nights|usually|on weekdays|every night))?$"
)
_NO_TEXT = (r"(?:don'?t|do not|no|never|stop)\s+(?:texts?|messages?|pings?|bother|texting|messaging|pinging|"
            r"nudging|contacting)(?:\s+me)?")
RE_NO_TEXT_AFTER = re.compile(rf"{_NO_TEXT}\s+(?:after|past|later than)\s+(.+)$")
RE_NO_TEXT_BEFORE = re.compile(rf"{_NO_TEXT}\s+(?:before|until|till|earlier than)\s+(.+)$")
RE_TOO_LATE = re.compile(
    rf"^(?:{_NO_TEXT}|you text me|you're texting me|your texts? (?:come|are))\s+(?:so\s+|too\s+)(?:late|early)"
    r"(?:\s+at night|\s+in the morning)?$"
)
RE_CHECKIN = re.compile(
    r"^(?:set\s+|move\s+|shift\s+|change\s+|push\s+|make\s+|put\s+)?(?:my\s+|the\s+)?"
    r"(?P<which>morning|evening|night|nightly|daily|afternoon)\s+(?:check[ -]?in|checkin|review|planning|text)s?\s*"
    r"(?:to be|should be)?\s*(?:(?:at|to|for|until)\b|:)?\s*(?P<t>.+)$"
    r"|^check[ -]?in (?:with me )?(?:at |around )?(?P<t2>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)"
    r"(?: (?P<which2>in the morning|at night|every morning|every evening|every night|each morning|each evening|"
    r"in the evening|every day|daily))?$"
)
RE_CHECKIN_TOGGLE = re.compile(
    r"^(?:(?P<off>stop|disable|turn off|pause|no more|cancel|mute|i don't want|i dont want)|"
    r"(?P<on>start|enable|turn on|"
    r"resume|i want))\s+(?:the\s+|my\s+|daily\s+|morning\s+|evening\s+)*(?:check[ -]?ins?|checkins?)$"
)
RE_CURRENCY = re.compile(
    r"^(?:(?:switch|change|set|move)\s+(?:my\s+)?(?:currency\s+)?(?:to|over to)|use|everything(?:'s| is)? in|"
    r"(?:my\s+)?currency\s*(?:(?:is|to)\b|[=:])?|i (?:use|spend|pay in|pay with)|(?:i'm|im|i am) (?:using|paying in)|"
    r"(?:log|track) (?:everything |my spending |expenses )?in|it's all in|all in)\s+(?P<c>[a-z$€£]+)"
    r"(?:\s+(?:now|from now on|these days|please|instead))*$"
)
RE_NAG = re.compile(
    r"^(?:nag|bug|ping|remind|text|poke|chase)\s+me\s+(?:again\s+)?every\s+(?P<n>\d{1,3}|five|ten|fifteen|twenty|thirty)"
    r"\s*(?:min(?:ute)?s?|m)?(?P<until>\s+(?:until|till|til) i (?:answer|reply|respond|say done|do it))?$"
)
RE_TIMES = re.compile(
    r"^(?:only\s+)?(?:remind|nag|ping|text)\s+me\s+(?:only\s+)?(?P<n>once|twice|one time|two times|three times|"
    r"\d (?:times|x))(?:\s+(?:max|at most|tops|per reminder|for each reminder))?$"
    r"|^(?:stop|don'?t|no|never)\s+(?:nag|nagging|re-?sending|repeating|re-?sending reminders|repeat reminders|repeats|"
    r"follow-?ups|chasing)(?:\s+me)?(?:\s+about reminders)?$|^(?:one|1) reminder is enough$"
)
RE_DAY_PART = re.compile(
    r"^(?:my\s+)?(?P<part>mornings?|afternoons?|evenings?|nights?)\s+(?:start|starts|begin|begins|are|is|mean|means)\s+"
    r"(?:at\s+|around\s+)?(?P<t>[\w:. ]+)$"
    r"|^(?:by|when i say)\s+(?P<part2>morning|afternoon|evening|tonight|night)\s+i mean\s+(?:at\s+)?(?P<t2>[\w:. ]+)$"
    r"|^(?P<part3>morning|afternoon|evening|night) (?:is|means) (?P<t3>[\w:. ]+?) for me$"
)
RE_NAME = re.compile(r"^(?:call me|my name is|my name's|i'm called|i go by)\s+(?P<n>[a-z][a-z' -]{0,40})$")
RE_SHOW = re.compile(
    r"^(?:what(?:'s| are| is)|whats|show|tell me|when(?:'s| is| are| do| will)?|am i|are|do you|how often do you|"
    r"what time(?: is| do you)?|what time's)\b.*\b(?P<topic>quiet hours?|quiet time|do[- ]not[- ]disturb|dnd|"
    r"check[ -]?ins?|checkins?|text me\b|message me\b|"
    r"currency|time ?zone|settings|nag|remind me again|escalat\w*|repeat|sleep|overnight)\b"
)
RE_TIME_Q = re.compile(
    r"^(?:what(?:'s| is|s)?\s+(?:the\s+)?(?:time|date|day)(?:\s+(?:is it|now|today|right now|here))?(?: today)?"
    r"|what time is it(?: now| right now| there| here)?|time\??|current time|the time|date|today'?s date"
    r"|what day is (?:it|today)|what(?:'s| is) today'?s date|what(?:'s| is) (?:my\s+)?(?:time\s*zone|timezone)"
    r"|which (?:time\s*zone|timezone) am i in|what (?:time\s*zone|timezone) am i in)$"
)
_NUMBER_WORDS = {"five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "once": 1, "twice": 2,
                 "one time": 1, "two times": 2, "three times": 3}
CURRENCY_CODES = {"USD", "EUR", "GBP", "CAD", "AUD", "NZD", "JPY", "INR", "CHF", "MXN", "SEK", "NOK", "DKK", "ZAR",
                  "SGD", "HKD", "BRL", "PLN"}


def _clock_words(text: str) -> str:
    """'9 at night' -> '9pm', '7 in the morning' -> '7am', '10ish' -> '10' (for parse_clock)."""
    text = re.sub(r"\s*(?:ish|o'?clock|or so)\b", "", text.strip())
    text = re.sub(r"\s+(?:at night|in the evening|tonight|pm)$", "pm", text)
    return re.sub(r"\s+(?:in the morning|am)$", "am", text).strip()


def _timezone(m: Msg, tz: re.Match[str]) -> Action | None:
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


def _quiet(start_text: str, end_text: str) -> dict[str, str] | None:
    start = parse_clock(start_text.replace("from", "").strip(), bare="pm")
    end = parse_clock(end_text.strip())
    return {"quiet_hours_start": start, "quiet_hours_end": end} if start and end else None


def fill_quiet_hours(text: str) -> dict[str, str] | None:
    match = re.search(r"(?P<a>[\w:. ]+?)\s*(?:to|-|until|till|through|and)\s*(?P<b>[\w:. ]+)$", text.lower())
    return _quiet(match.group("a"), match.group("b")) if match else None


def _currency(word: str) -> str | None:
    word = word.lower().strip(" .")
    symbols = {"$": "USD", "€": "EUR", "£": "GBP"}
    if word in symbols:
        return symbols[word]
    if word.upper() in CURRENCY_CODES:
        return word.upper()
    code = CURRENCY_WORDS.get(word) or CURRENCY_WORDS.get(word.rstrip("s"))
    return code if code in CURRENCY_CODES else None


def settings(m: Msg, _match: re.Match[str] | None) -> Action | Reading | None:
    low = m.low
    tz = RE_TIMEZONE.match(low)
    if tz and not re.search(r"\b(?:what|which)\b", low):
        return _timezone(m, tz)
    quiet = RE_QUIET.search(low) or RE_SLEEP.match(low) or RE_ASLEEP.match(low)
    if quiet:
        hours = _quiet(quiet.group("a"), quiet.group("b"))
        if hours:
            return call("update_settings", **hours)
        return ask("What hours should be quiet? e.g. '10pm to 7am'", "update_settings", {}, "quiet_hours")
    after = RE_NO_TEXT_AFTER.search(low)
    if after and parse_clock(_clock_words(after.group(1)), bare="pm"):
        return call("update_settings", quiet_hours_start=parse_clock(_clock_words(after.group(1)), bare="pm"))
    before = RE_NO_TEXT_BEFORE.search(low)
    if before and parse_clock(_clock_words(before.group(1))):
        return call("update_settings", quiet_hours_end=parse_clock(_clock_words(before.group(1))))
    if RE_TOO_LATE.match(low):
        missing = "quiet_hours"
        return ask("Sorry about that! What hours should be quiet? e.g. '10pm to 7am'", "update_settings", {}, missing)
    checkin = RE_CHECKIN.match(low)
    if checkin:
        raw = re.sub(r"^(?:at|to)\s+", "", (checkin.group("t") or checkin.group("t2") or "").strip())
        evening = (checkin.group("which") or "") in ("evening", "night", "nightly")
        at = parse_clock(raw, bare="pm" if evening else "am")
        if at is None:
            return None
        if evening and int(at[:2]) < 12 and not re.search(r"\d\s*a\.?m", raw):
            at = f"{int(at[:2]) + 12:02d}{at[2:]}"  # an evening check-in at 9:30 is 21:30
        which = checkin.group("which") or ("evening" if "night" in (checkin.group("which2") or "")
                                            or "evening" in (checkin.group("which2") or "") else "morning")
        if which in ("evening", "night", "nightly"):
            return call("update_settings", evening_checkin=at, checkins_enabled=True)
        return call("update_settings", morning_checkin=at, checkins_enabled=True)
    toggle = RE_CHECKIN_TOGGLE.match(low)
    if toggle:
        return call("update_settings", checkins_enabled=toggle.group("on") is not None)
    currency = RE_CURRENCY.match(low)
    if currency:
        code = _currency(currency.group("c"))
        if code is not None:
            return call("update_settings", currency=code)
        return None
    nag = RE_NAG.match(low)
    if nag:
        raw = nag.group("n")
        minutes = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 10)
        if 1 <= minutes <= 240:
            return call("update_settings", escalation_minutes=minutes,
                        escalation_max=10 if nag.group("until") else None)
    times = RE_TIMES.match(low)
    if times:
        raw = times.group("n")
        if raw is None:
            return call("update_settings", escalation_max=0)
        count = _NUMBER_WORDS.get(raw) or int(raw[0])
        return call("update_settings", escalation_max=max(0, min(10, count - 1)))
    part = RE_DAY_PART.match(low)
    if part:
        name = (part.group("part") or part.group("part2") or part.group("part3")).rstrip("s")
        name = "night" if name == "tonight" else name
        raw = part.group("t") or part.group("t2") or part.group("t3")
        at = parse_clock(raw.strip(), bare="pm" if name in ("evening", "night", "afternoon") else "am")
        if at is not None:
            return call("update_settings", day_parts={name: at})
    name_match = RE_NAME.match(low)
    if name_match:
        name = m.own(name_match.start("n"), name_match.end("n")).strip()
        return Reading("update_settings", calls(("update_settings", {"name": name[:120]})), 0.9)
    return None


def show_settings(m: Msg, match: re.Match[str] | None) -> Reading | None:
    if match is None:
        return None
    topic = match.group("topic")
    if re.search(r"quiet|disturb|dnd|sleep|overnight", topic):
        key = "quiet"
    elif re.search(r"check|text me", topic):
        key = "checkins"
    elif re.search(r"currency", topic):
        key = "currency"
    elif re.search(r"zone", topic):
        key = "timezone"
    elif re.search(r"nag|again|escalat|repeat", topic):
        key = "escalation"
    else:
        key = "all"
    return Reading("show_settings", call("get_settings"), 0.92, detail={"topic": key})


def current_time(m: Msg, _match: re.Match[str] | None) -> Action:
    return call("current_time")


UPDATE_SETTINGS = Intent(
    "update_settings",
    settings,
    tool="update_settings",
    priority=88,
    summary="time zone, quiet hours ('I sleep 11 to 7'), check-ins, currency, escalation, day-part times",
    examples=(
        ex("set my timezone to Pacific", "update_settings", timezone="America/Los_Angeles"),
        ex("I moved to Sydney", "update_settings", timezone="Australia/Sydney"),
        ex("quiet hours 10pm to 7am", "update_settings", quiet_hours_start="22:00", quiet_hours_end="07:00"),
        ex("I sleep 11 to 7", "update_settings", quiet_hours_start="23:00", quiet_hours_end="07:00"),
        ex("i go to bed at 11 and wake up at 6:30", "update_settings", quiet_hours_start="23:00",
           quiet_hours_end="06:30"),
        ex("don't text me after 10", "update_settings", quiet_hours_start="22:00"),
        ex("no texts before 8am", "update_settings", quiet_hours_end="08:00"),
        ex("stop texting me so late", "update_settings", expect="clarify", says="quiet"),
        ex("shift the nightly check-in to 9:30", "update_settings", evening_checkin="21:30"),
        ex("morning check-in at 8", "update_settings", morning_checkin="08:00", checkins_enabled=True),
        ex("stop check-ins", "update_settings", checkins_enabled=False),
        ex("switch to euros", "update_settings", currency="EUR"),
        ex("everything's in euros now", "update_settings", currency="EUR"),
        ex("use pounds", "update_settings", currency="GBP"),
        ex("nag me every 5 min until I answer", "update_settings", escalation_minutes=5, escalation_max=10),
        ex("only remind me twice", "update_settings", escalation_max=1),
        ex("stop nagging me", "update_settings", escalation_max=0),
        ex("my mornings start at 7", "update_settings", day_parts={"morning": "07:00"}),
        ex("by evening I mean 7pm", "update_settings", day_parts={"evening": "19:00"}),
        ex("call me Sam", "update_settings", name="Sam"),
        ex("timezone: EST", "update_settings", timezone="America/New_York"),
        ex("change my time zone to Berlin", "update_settings", timezone="Europe/Berlin", tz="Europe/London"),
        ex("I'm in London now", "update_settings", timezone="Europe/London"),
        ex("set timezone to india", "update_settings", timezone="Asia/Kolkata"),
        ex("set my timezone to Narnia", "update_settings", expect="clarify", says="city"),
        ex("quiet hours from 11pm - 8am", "update_settings", quiet_hours_start="23:00", quiet_hours_end="08:00"),
        ex("quiet hours 11 to 7", "update_settings", quiet_hours_start="23:00", quiet_hours_end="07:00"),
        ex("do not disturb from 10 to 6", "update_settings", quiet_hours_start="22:00", quiet_hours_end="06:00"),
        ex("i usually sleep from midnight to 8", "update_settings", quiet_hours_start="00:00",
           quiet_hours_end="08:00"),
        ex("evening review at 9pm", "update_settings", evening_checkin="21:00"),
        ex("move my morning check-in to 7:30", "update_settings", morning_checkin="07:30"),
        ex("turn off check-ins", "update_settings", checkins_enabled=False),
        ex("start check-ins", "update_settings", checkins_enabled=True),
        ex("my currency is GBP", "update_settings", currency="GBP"),
        ex("switch to dollars", "update_settings", currency="USD"),
        ex("log everything in pounds from now on", "update_settings", currency="GBP"),
        ex("nag me every 15 minutes", "update_settings", escalation_minutes=15),
        ex("only remind me once", "update_settings", escalation_max=0),
        ex("remind me 3 times max", "update_settings", escalation_max=2),
        ex("evenings start at 7", "update_settings", day_parts={"evening": "19:00"}),
        ex("my name is Priya", "update_settings", name="Priya"),
        ex("no texts after 9pm", "update_settings", quiet_hours_start="21:00"),
        ex("dont message me before 9", "update_settings", quiet_hours_end="09:00"),
    ),
)

SHOW_SETTINGS = Intent(
    "show_settings",
    show_settings,
    patterns=(RE_SHOW,),
    tool="get_settings",
    priority=87,
    summary="'when do you text me at night', 'am I on do-not-disturb overnight', 'what's my currency'",
    examples=(
        ex("when do you text me at night", "show_settings", ("get_settings", {})),
        ex("am I on do-not-disturb overnight?", "show_settings", ("get_settings", {})),
        ex("what are my quiet hours", "show_settings", ("get_settings", {})),
        ex("what time is my morning check-in", "show_settings", ("get_settings", {})),
        ex("what's my currency", "show_settings", ("get_settings", {})),
        ex("what are my settings", "show_settings", ("get_settings", {})),
        ex("when are my check-ins", "show_settings", ("get_settings", {})),
        ex("what time do you text me in the morning", "show_settings", ("get_settings", {})),
        ex("how often do you nag me", "show_settings", ("get_settings", {})),
        ex("what's my time zone set to", "show_settings", ("get_settings", {})),
        ex("do you text me overnight", "show_settings", ("get_settings", {})),
        ex("whats my currency set to", "show_settings", ("get_settings", {})),
        ex("am i on dnd", "show_settings", ("get_settings", {})),
        ex("when is quiet time", "show_settings", ("get_settings", {})),
    ),
)

CURRENT_TIME = Intent(
    "current_time",
    current_time,
    patterns=(RE_TIME_Q,),
    tool="current_time",
    priority=89,
    summary="'what time is it?', 'what's my timezone?'",
    examples=(
        ex("what time is it?", "current_time"),
        ex("what's the date today", "current_time"),
        ex("what's my timezone?", "current_time"),
        ex("what time is it", "current_time"),
        ex("time?", "current_time"),
        ex("what day is it", "current_time"),
        ex("whats the time", "current_time"),
        ex("what's today's date", "current_time"),
        ex("current time", "current_time", tz="Europe/London"),
        ex("what time is it there", "current_time"),
        ex("which timezone am I in", "current_time"),
        ex("date", "current_time"),
        ex("what is the date", "current_time"),
        ex("what time is it now", "current_time", tz="Australia/Sydney"),
        ex("what's the day today", "current_time"),
    ),
)

INTENTS = (UPDATE_SETTINGS, SHOW_SETTINGS, CURRENT_TIME)
