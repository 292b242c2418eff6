"""Vocabulary of the date-time parser: weekday, month and number words, the patterns that find
time phrases, and small converters (durations, clock times). Rules are documented in when.py."""

from __future__ import annotations

import re
from datetime import time, timedelta

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_PARTS: dict[str, tuple[int, int]] = {
    "morning": (9, 0), "noon": (12, 0), "midday": (12, 0), "lunch": (12, 0), "lunchtime": (12, 0),
    "afternoon": (15, 0), "arvo": (15, 0), "evening": (18, 0), "night": (20, 0), "tonight": (20, 0),
    "eod": (17, 0), "end of day": (17, 0), "end of the day": (17, 0), "bedtime": (22, 0), "before bed": (22, 0),
    "first thing": (8, 0), "first thing in the morning": (8, 0), "after breakfast": (9, 0),
    "before lunch": (11, 30), "after lunch": (13, 0), "before work": (8, 0), "after work": (17, 30),
    "before dinner": (17, 30), "dinnertime": (18, 0), "dinner time": (18, 0), "after dinner": (19, 0),
}  # fmt: skip
# Which of the user's own day-part times (settings "day_parts") each phrase follows.
USER_PART = {
    "morning": "morning", "first thing": "morning", "first thing in the morning": "morning",
    "afternoon": "afternoon", "arvo": "afternoon", "evening": "evening", "night": "night", "tonight": "night",
}  # fmt: skip


def day_part_time(part: str, overrides: dict[str, str] | None = None) -> tuple[int, int]:
    """(hour, minute) of a day part, the user's own time when they set one ("my mornings start at 7")."""
    key = USER_PART.get(part)
    if overrides and key and isinstance(overrides.get(key), str):
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", overrides[key].strip())
        if match:
            return int(match.group(1)), int(match.group(2))
    return DAY_PARTS.get(part, (9, 0))
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
    "couple": 2, "a couple": 2, "a couple of": 2, "few": 3, "a few": 3,
}  # fmt: skip
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
MONTH_NUM = {name: i + 1 for i, name in enumerate(MONTHS.split("|")[:12])}
MONTH_NUM.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9})
MONTH_NUM.update({"oct": 10, "nov": 11, "dec": 12})

_NUM_WORD = r"(?:twenty|thirty|forty|fourty|fifty)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
_QTY = (
    rf"(?:\d+(?:\.\d+)?|{_NUM_WORD}|a\s+couple(?:\s+of)?|a\s+few|couple|few|half\s+an?|"
    r"an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixty|ninety)"
)
_UNIT = r"(?:minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|wks?|w|fortnights?)"
RE_REL = re.compile(
    rf"\b(?:in|after|within)\s+(?:about\s+|like\s+|around\s+|another\s+)?(?P<q>{_QTY})\s*(?P<u>{_UNIT})\b"
    rf"(?P<half>\s+and\s+a\s+half)?(?:\s*(?:and\s+)?(?P<q2>\d+|{_NUM_WORD}|fifteen|ten|five)\s*(?P<u2>minutes?|mins?|m)\b)?"
    r"|\bin\s+(?P<h>\d{1,2})h(?P<hm>\d{2})\b"
    r"|\bin\s+(?:a\s+)?quarter(?:\s+of)?\s+an?\s+hour\b"
    rf"|\b(?P<q3>{_QTY})\s*(?P<u3>{_UNIT})\s+from\s+now\b"
    r"|\bin\s+(?P<bare>\d{1,3})(?=\s+(?:to|and|about|for)\b|\s*$)"
)
RE_TIME = re.compile(
    r"(?:\b(?P<pre>at|@|by|around|about|before|until|till|til|from|to)\s*)?"
    r"(?<![\d$€£.,:/])\b(?P<h>\d{1,2})(?:(?P<sep>[:.h])(?P<m>\d{2}))?(?P<m2>(?<=\d)\d{2}(?=\s*[ap]))?\s*"
    r"(?P<ap>a\.?m\.?|p\.?m\.?|am|pm|a|p)?(?!(?!ish\b)[\w%$€£])(?:\s*o'?clock)?(?:ish)?"
)
_TIME_PREFIXES = ("at", "@", "by", "around", "before", "until")
RE_PART_AFTER = re.compile(r"\s*(?:tonight|(?:in\s+the|this|at|tomorrow)\s+(?:morning|afternoon|evening|night))\b")
RE_DAYPART = re.compile(
    r"\b(?:(?P<this>this|in\s+the|tomorrow|tmrw|tmr|tonight|at|every|each|later|by|around)\s+)?"
    r"(?P<part>first\s+thing(?:\s+in\s+the\s+morning)?|after\s+(?:breakfast|lunch|work|dinner)|"
    r"before\s+(?:lunch|work|dinner|bed)|dinner\s*time|morning|noon|midday|lunchtime|lunch|afternoon|arvo|"
    r"evening|night|tonight|midnight|eod|bedtime|end\s+of\s+(?:the\s+)?day)\b"
)
_HOUR_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10, "eleven": 11, "twelve": 12}
_HW = "|".join(_HOUR_WORDS)
# "half 9" (British: 9:30), "half past 9", "quarter past 4", "quarter to 6", "ten past 6", "20 past 7"
RE_CLOCK_WORDS = re.compile(
    rf"(?:\b(?P<pre>at|@|by|around|about|before|until|till|til)\s+)?\b(?:(?P<mins>five|ten|quarter|twenty|"
    rf"twenty[- ]five|\d{{1,2}})\s+(?P<dir>past|after|to|til|before)\s+(?P<h>\d{{1,2}}|{_HW})|half\s+(?:past\s+)?"
    rf"(?P<h2>\d{{1,2}}|{_HW}))(?:\s*(?P<ap>a\.?m\.?|p\.?m\.?))?\b(?!\s*(?:min|hour|hr|h\b|days?|weeks?))"
)
_CLOCK_MINUTES = {"five": 5, "ten": 10, "quarter": 15, "twenty": 20, "twenty five": 25, "twenty-five": 25}


def clock_words(m: re.Match[str]) -> tuple[int, int] | None:
    """(hour 1-12 or 0-23, minute) of a RE_CLOCK_WORDS match, or None when it is not a time."""
    raw_h = m.group("h") or m.group("h2")
    hour = _HOUR_WORDS.get(raw_h) if raw_h in _HOUR_WORDS else int(raw_h)
    if hour is None or not 0 <= hour <= 23:
        return None
    if m.group("h2"):
        return hour, 30
    raw = m.group("mins").replace("-", " ")
    if raw.isdigit():
        minutes = int(raw)
        # "10 to 7" is also a range ("quiet 10 to 7"): digits count only after "at" or with "past"
        if not (1 <= minutes <= 30) or (m.group("dir") in ("to", "til", "before") and m.group("pre") is None):
            return None
    else:
        minutes = _CLOCK_MINUTES[raw]
    if m.group("dir") in ("past", "after"):
        return hour, minutes
    return (hour - 1) % 24 if hour != 1 else 12, 60 - minutes
# "at 1745", "1745 hrs": 24-hour times without a colon
RE_HHMM = re.compile(
    r"\b(?:(?P<pre>at|@|by|around|before|until|till|from)\s*)?(?<![\d$€£.,:/])(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d)\b"
    r"(?P<suffix>\s*(?:hrs|hours|h)\b)?(?![:/.,]\d)"
)
_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
RE_WEEKDAY = re.compile(
    rf"\b(?:(?P<pre>on|next|this|by|until|till|before|coming|every other|every|each)\s+)?(?P<wd>{_WD})(?P<pl>s)?\b"
)
RE_DAYWORD = re.compile(
    r"\b(?P<w>the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|later\s+today|later\s+tonight|"
    r"later\s+on\s+tonight|today|tonight|tomorrow|tomorow|tmrw|tmrow|tmr|"
    r"next\s+week|this\s+weekend|next\s+weekend|the\s+weekend|weekend|next\s+month|end\s+of\s+(?:the\s+)?week|"
    r"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month)\b"
)
RE_ORDINAL = re.compile(
    r"\b(?:on\s+)?the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b(?:\s+of\s+(?P<every>every|each|the)\s+month)?"
    r"|\b(?:on\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)\s+of\s+(?P<every2>every|each)\s+month\b"
)
RE_DATE = re.compile(
    rf"\b(?:on\s+|by\s+)?(?:(?P<md>(?:{MONTHS})\.?\s+[0-3]?\d(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"
    rf"|(?P<dm>[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b(?:,?\s+\d{{4}})?)"
    r"|(?P<num>\d{1,2}/\d{1,2}(?:/\d{2,4})?)|(?P<iso>\d{4}-\d{2}-\d{2}))\b"
)
RE_MONTH_ONLY = re.compile(rf"\b(?:by|in|before|until|till|end\s+of)\s+(?P<mon>{MONTHS})\b(?:\s+(?P<y>\d{{4}}))?")
RE_EVERY = re.compile(
    r"\b(?:every|each)\s+(?:(?P<other>other)\s+|(?P<n>\d+|two|three|four|five|six)\s+)?"
    r"(?P<u>day|days|morning|mornings|evening|evenings|night|nights|afternoon|afternoons|weekday|weekdays|weekend|"
    r"weekends|week|weeks|month|months|year|years|hour|hours|hr|hrs|minutes|mins)\b"
    r"|\b(?P<adv>daily|nightly|weekly|monthly|yearly|annually|weekdays|hourly)\b"
)


def number(word: str) -> float | None:
    """'20' -> 20, 'twenty five' -> 25, 'half an' -> 0.5, 'a couple of' -> 2."""
    word = re.sub(r"\s+", " ", word.strip().lower().replace("-", " "))
    if re.fullmatch(r"\d+(\.\d+)?", word):
        return float(word)
    if word.startswith("half"):
        return 0.5
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    parts = word.split(" ")
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None


def unit_delta(qty: float, unit: str) -> timedelta:
    u = unit.lower()
    if u.startswith("h"):
        return timedelta(hours=qty)
    if u.startswith("d"):
        return timedelta(days=qty)
    if u.startswith("w"):
        return timedelta(weeks=qty)
    if u.startswith("fortnight"):
        return timedelta(weeks=2 * qty)
    return timedelta(minutes=qty)


def parse_duration(text: str) -> timedelta | None:
    """'20', '20 min', 'an hour', 'half an hour', '1.5 hours', 'an hour and a half' -> timedelta."""
    low = text.lower().strip()
    m = re.search(rf"(?P<q>{_QTY})\s*(?P<u>{_UNIT})?\b(?P<half>\s+and\s+a\s+half)?", low)
    if not m:
        return None
    qty = number(m.group("q"))
    if qty is None or (m.group("u") is None and not re.fullmatch(r"\d+(\.\d+)?", m.group("q"))):
        return None
    delta = unit_delta(qty, m.group("u") or "min")
    if m.group("half"):
        delta += unit_delta(0.5, m.group("u") or "min")
    return delta


def parse_clock(text: str, *, bare: str = "am") -> str | None:
    """'10pm' -> '22:00', '7:30' -> '07:30', '7' -> '07:00' (24h for settings fields).

    bare="pm" reads an hour 1-11 without am/pm as pm (the start of quiet hours: "11 to 7")."""
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|am|pm|a|p)?\s*", text.lower())
    if not m:
        if text.strip().lower() in ("noon", "midday"):
            return "12:00"
        if text.strip().lower() == "midnight":
            return "00:00"
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    ap = (m.group(3) or "").replace(".", "")
    if hour > 23 or minute > 59 or (ap and hour > 12) or (ap and hour == 0):
        return None
    if (ap.startswith("p") or (not ap and bare == "pm" and not m.group(2) and 5 <= hour <= 11)) and hour != 12:
        hour += 12
    elif ap.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def clock_to_time(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))
