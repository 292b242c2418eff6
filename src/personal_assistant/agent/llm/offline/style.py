"""How the offline brain talks: SMS-sized text, deterministic variety, friendly times and money.

Replies stay in the GSM-7 alphabet (no emoji, no curly quotes) so one segment holds 160
characters; a UCS-2 character would cut that to 70.
"""

from __future__ import annotations

import re
import uuid
import zlib
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

SEGMENT = 160
THREE_SEGMENTS = 3 * 153  # concatenated GSM-7 segments carry 153 characters each
SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "CAD": "$", "AUD": "$", "NZD": "$"}
_SWAPS = {
    "my": "your", "me": "you", "i": "you", "i'm": "you're", "im": "you're", "mine": "yours",
    "myself": "yourself", "i've": "you've", "i'll": "you'll", "i'd": "you'd", "am": "are",
}  # fmt: skip


class Voice:
    """Deterministic choice among phrasings, seeded by the turn id (same turn, same words)."""

    def __init__(self, turn_id: uuid.UUID | None) -> None:
        self.seed = turn_id.int if isinstance(turn_id, uuid.UUID) else zlib.crc32(str(turn_id).encode())

    def pick(self, key: str, options: Sequence[str]) -> str:
        return options[(self.seed + zlib.crc32(key.encode())) % len(options)]


def fit(text: str, limit: int = SEGMENT) -> str:
    """`text` tidied and cut at a word boundary to at most `limit` characters."""
    text = re.sub(r"[ \t]+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 3]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "..."


def clip(text: str, limit: int) -> str:
    """A user-supplied phrase shortened for echoing back."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else fit(text, limit)


def second_person(text: str) -> str:
    """'take my meds' -> 'take your meds': echo the user's words back as we would say them."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        repl = _SWAPS.get(word.lower())
        if repl is None:
            return word
        return repl.capitalize() if word[0].isupper() and word.lower() != "i" else repl

    return re.sub(r"\b[A-Za-z']+\b", swap, text)


def gsm_safe(text: str) -> str:
    """Replace the characters phones most often turn into UCS-2 (curly quotes, dashes, ellipsis)."""
    table = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "..."}
    for bad, good in table.items():
        text = text.replace(bad, good)
    return text


_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)


def gsm_reply(text: str) -> str:
    """`text` with every character outside the GSM-7 alphabet replaced (accents stripped, the rest
    dropped): one echoed "ç" or emoji would turn the whole reply into UCS-2 (70 a segment)."""
    text = gsm_safe(text)
    if all(ch in _GSM7 for ch in text):
        return text
    import unicodedata

    out = []
    for ch in text:
        if ch in _GSM7:
            out.append(ch)
            continue
        plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if c in _GSM7)
        out.append(plain)
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


def parse_iso(value: object, zone: ZoneInfo) -> datetime | None:
    """An ISO string from a tool result as an aware datetime in `zone` (None if unusable)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(zone)


def parse_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def clock(at: datetime) -> str:
    """'9pm', '9:30am', 'noon', 'midnight'."""
    if at.hour == 12 and at.minute == 0:
        return "noon"
    if at.hour == 0 and at.minute == 0:
        return "midnight"
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    return f"{hour}{suffix}" if at.minute == 0 else f"{hour}:{at.minute:02d}{suffix}"


def day_label(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if 1 < delta < 7:
        return day.strftime("%a")
    label = f"{day.strftime('%b')} {day.day}"
    return label if day.year == today.year else f"{label} {day.year}"


def when_label(at: datetime, now: datetime) -> str:
    """'today at 9pm', 'tomorrow at 9am', 'Fri at 3pm', 'Jun 3 at 9am'."""
    return f"{day_label(at.date(), now.date())} at {clock(at)}"


_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
              "SA": "Saturday", "SU": "Sunday"}  # fmt: skip


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rrule_label(rrule: str, at: datetime | None) -> str:
    """'every Monday at 9am', 'every weekday at 7:30am', 'every day at 8am', 'on the 1st of each month'."""
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
    at_text = f" at {clock(at)}" if at is not None else ""
    if freq == "HOURLY":
        return "every hour" if interval == 1 else f"every {interval} hours"
    if freq == "MINUTELY":
        return f"every {interval} minutes"
    if freq == "DAILY":
        return ("every day" if interval == 1 else f"every {interval} days") + at_text
    if freq == "WEEKLY":
        days = [d for d in parts.get("BYDAY", "").split(",") if d in _DAY_NAMES]
        if days == ["MO", "TU", "WE", "TH", "FR"]:
            label = "every weekday"
        elif days == ["SA", "SU"]:
            label = "every weekend day"
        elif days:
            names = [_DAY_NAMES[d] for d in days]
            label = "every " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
        else:
            label = "every week"
        if interval == 2:
            label = label.replace("every ", "every other ", 1)
        return label + at_text
    if freq == "MONTHLY":
        day = parts.get("BYMONTHDAY", "")
        base = f"on the {ordinal(int(day))} of each month" if day.isdigit() else "every month"
        return base + at_text
    if freq == "YEARLY":
        return ("every year on " + f"{at.strftime('%b')} {at.day}") if at is not None else "every year"
    return "regularly"


def money(amount: object, currency: object) -> str:
    """'$12.50', '€8.00', 'INR 500.00'."""
    text = str(amount) if amount is not None else "0"
    code = str(currency or "").upper()[:3]
    symbol = SYMBOLS.get(code)
    if symbol:
        return f"{symbol}{text}"
    return f"{code} {text}".strip()


def join_words(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
