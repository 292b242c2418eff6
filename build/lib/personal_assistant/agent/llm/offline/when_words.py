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
DAY_PARTS = {
    "morning": 9, "noon": 12, "midday": 12, "lunch": 12, "lunchtime": 12, "afternoon": 15,
    "evening": 18, "night": 20, "tonight": 20, "eod": 17, "end of day": 17, "end of the day": 17,
    "bedtime": 22,
}  # fmt: skip
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
_UNIT = r"(?:minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|wks?|w)"
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
    r"(?P<ap>a\.?m\.?|p\.?m\.?|am|pm|a|p)?(?![\w%$€£])(?:\s*o'?clock)?(?:ish)?"
)
_TIME_PREFIXES = ("at", "@", "by", "around", "before", "until")
RE_PART_AFTER = re.compile(r"\s*(?:tonight|(?:in\s+the|this|at|tomorrow)\s+(?:morning|afternoon|evening|night))\b")
RE_DAYPART = re.compile(
    r"\b(?:(?P<this>this|in\s+the|tomorrow|tmrw|tmr|tonight|at|every|each)\s+)?"
    r"(?P<part>morning|noon|midday|lunchtime|lunch|afternoon|evening|night|tonight|midnight|eod|bedtime|"
    r"end\s+of\s+(?:the\s+)?day)\b"
)
_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
RE_WEEKDAY = re.compile(rf"\b(?:(?P<pre>on|next|this|by|until|till|coming|every|each)\s+)?(?P<wd>{_WD})(?P<pl>s)?\b")
RE_DAYWORD = re.compile(
    r"\b(?P<w>the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|today|tonight|tomorrow|tomorow|tmrw|tmrow|tmr|"
    r"next\s+week|this\s+weekend|next\s+weekend|the\s+weekend|weekend|next\s+month|end\s+of\s+(?:the\s+)?week)\b"
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
