"""Recurrence rules (RFC 5545 RRULE) evaluated on local wall-clock time.

The rule is expanded by dateutil on NAIVE local times (the wall clock of the zone the reminder
was set in) and only then turned into UTC, so "every day at 8am" stays 08:00 local across DST.
Local times are localised the way RFC 5545 §3.3.5 says: an ambiguous time (autumn fold) is its
first occurrence (fold=0); a nonexistent time (spring gap) is read with the offset in force before
the gap, i.e. shifted forward by the gap (02:30 on a spring-forward night becomes 03:30).

Stored form: a reminder keeps its rule in one column as ``DTSTART:<local>\\nRRULE:<rule>`` so the
anchor (first occurrence, local wall clock) survives; `split_stored`/`join_stored` convert.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr

from personal_assistant.core.errors import ValidationFailed

FIELD = "rrule"
MAX_LENGTH = 400
MAX_COUNT = 1000
MAX_INTERVAL = 1000
ALLOWED_FREQS = ("HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ALLOWED_PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYSETPOS",
    "BYHOUR",
    "BYMINUTE",
    "WKST",
)
# How far around "after" to look: larger than any UTC offset change, so a DST shift can never
# make us skip the occurrence that is really next.
_WINDOW = timedelta(days=1, hours=2)
_MAX_SCAN = 5000
_DTSTART_FMT = "%Y%m%dT%H%M%S"


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={FIELD: message})


def _parts(rule: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for chunk in rule.split(";"):
        if not chunk:
            continue
        if "=" not in chunk:
            raise _fail(f"'{chunk}' is not NAME=VALUE")
        name, value = chunk.split("=", 1)
        out.append((name.strip().upper(), value.strip().upper()))
    return out


def _local_until(value: str, tz: ZoneInfo | None) -> str:
    """UNTIL in UTC ('...Z') becomes the zone's naive wall clock: dateutil refuses an aware UNTIL
    with a naive DTSTART, and our expansion runs on naive local times."""
    value = value.strip()
    try:
        if value.endswith("Z"):
            parsed = datetime.strptime(value[:-1], _DTSTART_FMT).replace(tzinfo=UTC)
            local = parsed.astimezone(tz).replace(tzinfo=None) if tz else parsed.replace(tzinfo=None)
            return local.strftime(_DTSTART_FMT)
        if "T" in value:
            return datetime.strptime(value, _DTSTART_FMT).strftime(_DTSTART_FMT)
        # A DATE-only UNTIL includes that whole local day.
        day = datetime.strptime(value, "%Y%m%d")
        return (day + timedelta(days=1) - timedelta(seconds=1)).strftime(_DTSTART_FMT)
    except ValueError as exc:
        raise _fail("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSS[Z]") from exc


def _in_range(value: str, maximum: int) -> bool:
    return value.isdigit() and 1 <= int(value) <= maximum


def validate_rrule(rrule: str) -> str:
    """Check an RRULE and return its normal form (upper case, no 'RRULE:' prefix).

    Raises ValidationFailed (field "rrule") for syntax errors, unknown or unsupported parts,
    FREQ=SECONDLY/MINUTELY (too frequent to be a reminder), COUNT with UNTIL, COUNT outside
    1..1000, INTERVAL outside 1..1000, or a rule that never produces an occurrence.
    """
    if not isinstance(rrule, str) or not rrule.strip():
        raise _fail("recurrence rule is empty")
    text = rrule.strip()
    if len(text) > MAX_LENGTH:
        raise _fail("recurrence rule is too long")
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "\n" in text or ":" in text:
        raise _fail("give only the RRULE part (no DTSTART or other properties)")
    parts = _parts(text)
    names = [name for name, _ in parts]
    if len(set(names)) != len(names):
        raise _fail("a rule part is repeated")
    values = dict(parts)
    for name in names:
        if name not in ALLOWED_PARTS:
            raise _fail(f"{name} is not supported")
    freq = values.get("FREQ")
    if freq is None:
        raise _fail("FREQ is required")
    if freq in ("SECONDLY", "MINUTELY"):
        raise _fail("reminders cannot repeat more often than hourly")
    if freq not in ALLOWED_FREQS:
        raise _fail(f"FREQ={freq} is not a known frequency")
    if "COUNT" in values and "UNTIL" in values:
        raise _fail("use COUNT or UNTIL, not both")
    if "COUNT" in values and not _in_range(values["COUNT"], MAX_COUNT):
        raise _fail(f"COUNT must be between 1 and {MAX_COUNT}")
    if "INTERVAL" in values and not _in_range(values["INTERVAL"], MAX_INTERVAL):
        raise _fail(f"INTERVAL must be between 1 and {MAX_INTERVAL}")
    if "UNTIL" in values:
        _local_until(values["UNTIL"], None)
    normal = ";".join(f"{name}={value}" for name, value in parts)
    # Parse for real (catches bad BYDAY etc.) and make sure the rule can ever fire: an anchor in
    # a leap year at midnight is the most permissive start (covers Feb 29 and every hour).
    probe = datetime(2024, 1, 1)
    try:
        _build(normal, probe, None)
    except ValueError as exc:
        raise _fail(f"not a valid RRULE: {exc}") from exc
    if _impossible_month_days(values):
        raise _fail("this rule never produces a date")
    return normal


_MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _impossible_month_days(values: dict[str, str]) -> bool:
    """True for rules like Feb 30 or Apr 31, which dateutil would scan to year 9999 for (seconds
    of CPU) before giving up."""
    if "BYMONTHDAY" not in values:
        return False
    try:
        days = [int(v) for v in values["BYMONTHDAY"].split(",")]
        months = [int(v) for v in values.get("BYMONTH", "").split(",") if v] or list(range(1, 13))
    except ValueError:
        return True
    return not any((1 <= abs(day) <= _MONTH_DAYS.get(month, 0)) for day in days for month in months)


def _build(rule: str, anchor_local: datetime, tz: ZoneInfo | None) -> RRule:
    text = re.sub(r"UNTIL=([0-9TZ]+)", lambda m: "UNTIL=" + _local_until(m.group(1), tz), rule, flags=re.I)
    parsed = rrulestr(text, dtstart=anchor_local.replace(tzinfo=None, microsecond=0))
    if not isinstance(parsed, RRule):
        raise ValueError("only a single RRULE is supported")
    return parsed


def localize(local: datetime, tz_name: str) -> datetime:
    """Naive local wall-clock time -> aware UTC (fold=0; gap times shift forward, RFC 5545)."""
    return local.replace(tzinfo=ZoneInfo(tz_name), fold=0).astimezone(UTC)


def to_local(moment: datetime, tz_name: str) -> datetime:
    """Aware (or naive-UTC) instant -> naive local wall-clock time in tz_name."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)


def next_occurrence(rrule: str, anchor_local: datetime, tz_name: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (aware UTC), as aware UTC; None if the rule
    is exhausted (COUNT/UNTIL). `anchor_local` is the naive wall-clock time of the first
    occurrence in `tz_name`; the rule is expanded on local wall-clock time."""
    tz = ZoneInfo(tz_name)
    rule = _build(validate_rrule(rrule), anchor_local, tz)
    if after.tzinfo is None:
        after = after.replace(tzinfo=UTC)
    after_local = after.astimezone(tz).replace(tzinfo=None)
    start = max(anchor_local.replace(tzinfo=None), after_local - _WINDOW)
    best: datetime | None = None
    best_local: datetime | None = None
    for index, candidate in enumerate(rule.xafter(start, inc=True)):
        if index > _MAX_SCAN:
            break
        # Gap times shift forward, so naive order and UTC order can differ by up to the gap
        # size; keep looking a little past the first hit and take the earliest instant.
        if best_local is not None and candidate > best_local + _WINDOW:
            break
        moment = localize(candidate, tz_name)
        if moment > after and (best is None or moment < best):
            best, best_local = moment, candidate
    return best


def split_stored(stored: str | None) -> tuple[str | None, datetime | None]:
    """'DTSTART:<local>\\nRRULE:<rule>' -> (rule, anchor_local). A bare rule -> (rule, None)."""
    if not stored:
        return None, None
    anchor: datetime | None = None
    rule: str | None = None
    for line in stored.splitlines():
        line = line.strip()
        if line.upper().startswith("DTSTART:"):
            anchor = datetime.strptime(line[8:], _DTSTART_FMT)
        elif line.upper().startswith("RRULE:"):
            rule = line[6:]
        elif line:
            rule = line
    return rule, anchor


def join_stored(rule: str, anchor_local: datetime) -> str:
    """Rule and local anchor -> the one-column stored form."""
    return f"DTSTART:{anchor_local.replace(tzinfo=None).strftime(_DTSTART_FMT)}\nRRULE:{rule}"


def describe(rule: str | None) -> str | None:
    """Short human text for common rules ('daily', 'every 2 weeks'); the raw rule otherwise."""
    if not rule:
        return None
    values = dict(_parts(rule))
    freq = values.get("FREQ", "")
    interval = int(values.get("INTERVAL", "1") or 1)
    unit = {"HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
    if freq not in unit or set(values) - {"FREQ", "INTERVAL", "BYDAY"}:
        return rule
    base = (
        {"HOURLY": "hourly", "DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}[freq]
        if interval == 1
        else f"every {interval} {unit[freq]}s"
    )
    if "BYDAY" in values:
        base += f" on {values['BYDAY']}"
    return base
