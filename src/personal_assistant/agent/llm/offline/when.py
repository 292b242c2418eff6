"""Natural-language dates and times in the user's zone, plus recurrence as an RRULE.

`find_when(text, now)` scans a message for time phrases and returns a `When` (the first occurrence
as an aware datetime in the user's zone, the RRULE or None, and the character spans it used, so the
caller can cut them out of "remind me to X at 9pm"). `now` must be aware, in the user's zone.

Rules (chosen to match how people text; all wall-clock times are in the user's zone):
- "in 20 min", "in half an hour", "in an hour and a half", "in 1h30", "in 2 days": added to now
  (minutes/hours as elapsed time, so they are right across a DST change; days/weeks keep the clock).
- Day parts: morning 09:00, noon/lunch 12:00, afternoon 15:00, evening 18:00, tonight/night 20:00,
  end of day 17:00, midnight 00:00 of the next day. A date without a time uses `default_hour`.
- Bare hours without am/pm: 13-23 and 0 are 24-hour; 12 is noon; 1-6 mean pm ("friday at 3" is
  15:00); 7-11 mean am on another day and, for today, the next one still ahead ("at 9" at 10:00
  is 21:00). A day part decides when present ("8 tonight", "7 in the morning").
- A time with no date that has passed today is tomorrow; a weekday that is today and has passed is
  next week; "next friday" is the coming Friday (a week later if today is Friday).
- Calendar dates ("june 3", "3rd of june", "12/25", "2026-04-01") are located here and resolved by
  dateparser (PREFER_DATES_FROM future, RELATIVE_BASE = local naive now, DATE_ORDER MDY in the
  Americas else DMY). We take dateparser's naive wall time and attach the zone with zoneinfo
  ourselves: dateparser's own offsets are wrong on the far side of a DST change.
- Recurrence: "every day/morning" FREQ=DAILY, "every monday" FREQ=WEEKLY;BYDAY=MO, "every weekday"
  BYDAY=MO,TU,WE,TH,FR, "every weekend" BYDAY=SA,SU, "every 2 days" INTERVAL=2, "every 3 hours"
  FREQ=HOURLY, "every month on the 1st"/"on the 1st of each month" FREQ=MONTHLY;BYMONTHDAY=1,
  "every year on june 3" FREQ=YEARLY. "on the 1st" without every/each/monthly is the next 1st.
  The RRULE carries no DTSTART: the first occurrence is `When.at`, and later ones keep its local
  wall-clock time (expand in local naive time, then attach the zone).
Wall times that fall in a DST gap move forward (02:30 on a spring-forward day becomes 03:30).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from personal_assistant.agent.llm.offline.when_words import (
    _TIME_PREFIXES,
    BYDAY,
    MONTH_NUM,
    RE_CLOCK_WORDS,
    RE_DATE,
    RE_DAYPART,
    RE_DAYWORD,
    RE_EVERY,
    RE_HHMM,
    RE_MONTH_ONLY,
    RE_ORDINAL,
    RE_PART_AFTER,
    RE_REL,
    RE_TIME,
    RE_WEEKDAY,
    WEEKDAYS,
    clock_words,
    day_part_time,
    number,
    unit_delta,
)


@dataclass(frozen=True)
class When:
    at: datetime  # aware, in the user's zone
    rrule: str | None = None
    has_time: bool = True  # False: only a date was given (the time is a default)
    has_date: bool = False
    spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    sure: bool = True  # False: an hour without am/pm that we had to guess ("at 5" -> 5pm)
    by_weekday: bool = False  # the day was a weekday name ("friday"), not a date

    def shifted(self, offset: int) -> When:
        """The same time with its spans moved by `offset` (it was found in a slice of the text)."""
        return When(self.at, self.rrule, self.has_time, self.has_date,
                    tuple((a + offset, b + offset) for a, b in self.spans), self.sure, self.by_weekday)

    @property
    def iso(self) -> str:
        return self.at.isoformat()

    @property
    def date_iso(self) -> str:
        return self.at.date().isoformat()


def local_dt(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """Wall time in `zone`, moved forward out of a DST gap (zoneinfo keeps the pre-gap offset)."""
    naive = datetime(day.year, day.month, day.day, hour % 24, minute)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _zone(now: datetime) -> ZoneInfo:
    tz = now.tzinfo
    if isinstance(tz, ZoneInfo):
        return tz
    return ZoneInfo("UTC") if tz is None or now.utcoffset() == timedelta(0) else ZoneInfo(str(tz))


def _relative(m: re.Match[str]) -> timedelta | None:
    if m.group("h"):
        return timedelta(hours=int(m.group("h")), minutes=int(m.group("hm")))
    if "quarter" in m.group(0):
        return timedelta(minutes=15)
    if m.group("bare"):
        return timedelta(minutes=int(m.group("bare")))  # "remind me in 15": minutes
    q, u = (m.group("q"), m.group("u")) if m.group("q") else (m.group("q3"), m.group("u3"))
    qty = number(q)
    if qty is None:
        return None
    delta = unit_delta(qty, u)
    if m.group("half"):
        delta += unit_delta(0.5, u)
    if m.group("q2"):
        extra = number(m.group("q2"))
        if extra:
            delta += timedelta(minutes=extra)
    return delta


@dataclass
class _Scan:
    spans: list[tuple[int, int]] = field(default_factory=list)
    day: date | None = None
    day_kind: str | None = None  # explicit|weekday|relative
    weekday: int | None = None
    time: tuple[int, int] | None = None
    ampm: str | None = None
    bare_hour: bool = False  # hour given without am/pm or minutes context
    part: str | None = None
    midnight: bool = False
    month_only: tuple[int, int | None] | None = None
    guessed: bool = False  # am/pm chosen by the bare-hour rules
    explicit_time: bool = False  # a clock time was written (not a day-part default)
    overrides: dict[str, str] | None = None  # the user's own day-part times


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in spans)


def _resolve_date(span: str, now: datetime) -> date | None:
    import dateparser  # imported lazily: it costs ~0.2 s on first use

    order = "MDY" if str(_zone(now)).startswith("America/") else "DMY"
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": order,
    }
    cleaned = re.sub(r"^(on|by)\s+", "", span.strip())
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except Exception:  # dateparser raises on odd input: treat as "no date"
        return None
    if parsed is None:
        return None
    result = parsed.date()
    if result < now.date() and not re.search(r"\d{4}", cleaned):
        try:
            result = result.replace(year=result.year + 1)
        except ValueError:
            return None
    return result


def _next_weekday(today: date, weekday: int, *, skip_today: bool = False) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and skip_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _scan(low: str, now: datetime, overrides: dict[str, str] | None = None) -> _Scan:
    s = _Scan(overrides=overrides)
    today = now.date()
    for m in RE_DAYWORD.finditer(low):
        if not _free(s.spans, *m.span()):
            continue
        w = re.sub(r"\s+", " ", m.group("w"))
        if w in ("today",):
            s.day, s.day_kind = today, "relative"
        elif w == "later today":
            later = (now + timedelta(hours=3)).replace(second=0, microsecond=0)
            later = later.replace(minute=0 if later.minute < 30 else 30)
            if later.date() == today:
                s.day, s.day_kind, s.time = today, "relative", (later.hour, later.minute)
            else:
                s.day, s.day_kind, s.part = today, "relative", "tonight"
        elif w in ("tonight", "later tonight", "later on tonight"):
            s.day, s.day_kind, s.part = today, "relative", "tonight"
        elif "after tomorrow" in w:
            s.day, s.day_kind = today + timedelta(days=2), "relative"
        elif w.startswith("tom") or w.startswith("tmr"):
            s.day, s.day_kind = today + timedelta(days=1), "relative"
        elif w == "next week":
            s.day, s.day_kind = _next_weekday(today, 0, skip_today=True), "relative"
        elif "weekend" in w:
            sat = _next_weekday(today, 5, skip_today=w.startswith("next"))
            if w.startswith("next") and sat - today < timedelta(days=7):
                sat += timedelta(days=7)
            s.day, s.day_kind = (today if today.weekday() == 6 and "this" in w else sat), "relative"
            if s.day == today and now.hour >= 12:
                s.day = today + timedelta(days=1) if today.weekday() == 5 else s.day  # Saturday afternoon
        elif w == "next month":
            s.day = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            s.day_kind = "relative"
        elif w.endswith("month"):
            following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            s.day, s.day_kind = following - timedelta(days=1), "relative"  # the last day of this month
        elif w.startswith("end of"):
            s.day, s.day_kind = _next_weekday(today, 4), "relative"
            s.time = s.time or (17, 0)
        s.spans.append(m.span())
        break
    for m in RE_DATE.finditer(low):
        if not _free(s.spans, *m.span()):
            continue
        resolved = _resolve_date(m.group(0), now)
        if resolved is not None:
            s.day, s.day_kind = resolved, "explicit"
            s.spans.append(m.span())
            break
    if s.day is None:
        for m in RE_WEEKDAY.finditer(low):
            pre, wd = m.group("pre"), m.group("wd")
            if len(wd) <= 4 and wd not in ("wed", "weds") and not pre and not m.group("pl"):
                continue  # "sun", "sat", "mon" alone are too often ordinary words
            if wd in ("sat", "sun") and not pre:
                continue
            if not _free(s.spans, *m.span()):
                continue
            s.weekday, s.day_kind = WEEKDAYS[wd], "weekday"
            if pre not in ("every", "each", "every other") and not m.group("pl"):
                s.day = _next_weekday(today, WEEKDAYS[wd], skip_today=pre == "next")
            start = m.start("pre") if pre else m.start("wd")
            s.spans.append((start, m.end()))
            break
    for m in RE_ORDINAL.finditer(low):
        if s.day is not None and s.day_kind == "explicit":
            break
        if not _free(s.spans, *m.span()):
            continue
        d = int(m.group("d") or m.group("d2"))
        if 1 <= d <= 31:
            s.day_kind = "ordinal"
            s.day = _next_monthday(today, d, now)
            s.spans.append(m.span())
            break
    month = RE_MONTH_ONLY.search(low) if s.day is None else None
    if month:
        s.month_only = (MONTH_NUM[month.group("mon")], int(month.group("y")) if month.group("y") else None)
        s.spans.append(month.span())
    for m in RE_DAYPART.finditer(low):
        prefix = m.group("this")
        if not _free(s.spans, *m.span()):
            if not _free(s.spans, m.start("part"), m.end()):
                continue
            prefix = None  # "tomorrow morning": the day word was already taken
        part = re.sub(r"\s+", " ", m.group("part"))
        if part.startswith("lunch") and m.group("this") not in ("at", "by", "around"):
            continue  # "prep lunch" is not a time; "at lunch" is
        if s.part is not None and part != "midnight":
            continue
        if part == "midnight":
            s.midnight = True
        else:
            s.part = "night" if part == "tonight" else part
        if prefix in ("tomorrow", "tmrw", "tmr"):
            s.day, s.day_kind = today + timedelta(days=1), "relative"
        elif prefix == "tonight" or part == "tonight" or (prefix == "this" and s.day is None):
            s.day, s.day_kind = s.day or today, s.day_kind or "relative"
        start = m.start("this") if prefix and prefix not in ("every", "each") else m.start("part")
        s.spans.append((start, m.end()))
        break
    for m in RE_CLOCK_WORDS.finditer(low):
        if not _free(s.spans, *m.span()) or s.time is not None:
            continue
        clock_time = clock_words(m)
        if clock_time is None:
            continue
        ap = (m.group("ap") or "").replace(".", "")
        s.time, s.explicit_time = clock_time, True
        s.ampm = "am" if ap.startswith("a") else "pm" if ap.startswith("p") else None
        s.bare_hour = s.ampm is None and 1 <= clock_time[0] <= 12
        start = m.start("pre") if m.group("pre") else m.start("mins") if m.group("mins") else m.start()
        s.spans.append((start, m.end()))
        break
    for m in RE_TIME.finditer(low):
        if s.explicit_time:
            break
        if not _free(s.spans, *m.span()):
            continue
        hour, minute = int(m.group("h")), int(m.group("m") or m.group("m2") or 0)
        ap = (m.group("ap") or "").replace(".", "")
        pre = m.group("pre")
        followed_by_part = RE_PART_AFTER.match(low, m.end()) is not None
        if not (ap or m.group("m") or m.group("m2") or followed_by_part or pre in _TIME_PREFIXES):
            continue
        if ap in ("a", "p") and not (m.group("m") or pre):
            continue  # "3 p" is too odd to trust, "at 3p" is fine
        if m.group("sep") == "." and not (ap or pre):
            continue  # "12.50" is an amount
        if hour > 23 or minute > 59 or (ap and hour > 12):
            continue
        if pre in ("by",) and not (ap or m.group("m")) and hour > 12:
            continue
        s.time, s.explicit_time = (hour, minute), True
        s.ampm = "am" if ap.startswith("a") else "pm" if ap.startswith("p") else None
        s.bare_hour = s.ampm is None and 1 <= hour <= 12
        start = m.start("pre") if pre and pre not in ("from", "to") else m.start("h")
        s.spans.append((start, m.end()))
        break
    if not s.explicit_time:
        for m in RE_HHMM.finditer(low):
            pre, hh = m.group("pre"), m.group("hh")
            if not _free(s.spans, *m.span()):
                continue
            spoken_as_time = pre in ("at", "@", "around", "from") or m.group("suffix")
            deadline = pre in ("by", "before", "until", "till") and not re.match(r"19|20", hh + m.group("mm"))
            if not (spoken_as_time or deadline):
                continue  # "by 2030" is a year
            s.time, s.ampm, s.bare_hour, s.explicit_time = (int(hh), int(m.group("mm"))), None, False, True
            start = m.start("pre") if pre and pre != "from" else m.start("hh")
            s.spans.append((start, m.end()))
            break
    return s


def _next_monthday(today: date, d: int, now: datetime) -> date:
    year, month = today.year, today.month
    for _ in range(14):
        try:
            candidate = date(year, month, d)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return today


def _hour_for(s: _Scan, day_is_today: bool, now: datetime, zone: ZoneInfo, day: date) -> tuple[int, int, date]:
    """Pick the 24-hour time for the scanned time and day parts (see module rules)."""
    if s.time is None:
        if s.midnight:
            return 0, 0, day + timedelta(days=1)
        hour, minute = day_part_time(s.part or "", s.overrides)
        return hour, minute, day
    hour, minute = s.time
    if s.ampm == "am":
        return (0 if hour == 12 else hour), minute, day
    if s.ampm == "pm":
        return (12 if hour == 12 else hour + 12), minute, day
    if not s.bare_hour:
        return hour, minute, day
    if s.part in ("afternoon", "evening", "night", "tonight") and hour < 12:
        return hour + 12, minute, day
    if s.part == "morning":
        return hour % 12, minute, day
    if hour == 12:
        return 12, minute, day
    s.guessed = True
    if 1 <= hour <= 6:
        return hour + 12, minute, day
    if day_is_today:
        for candidate in (hour, hour + 12):
            if local_dt(day, candidate, minute, zone) > now:
                return candidate, minute, day
        return hour, minute, day + timedelta(days=1)
    return hour, minute, day


def _recurrence(low: str, s: _Scan) -> tuple[str | None, list[tuple[int, int]], str | None]:
    """(RRULE, spans used, unit) for "every ..." phrases; also plural weekdays ("on mondays")."""
    spans: list[tuple[int, int]] = []
    for m in RE_EVERY.finditer(low):
        unit = (m.group("u") or m.group("adv") or "").lower()
        interval = 1
        if m.group("other"):
            interval = 2
        elif m.group("n"):
            interval = int(number(m.group("n")) or 1)
        spans.append(m.span())
        suffix = f";INTERVAL={interval}" if interval > 1 else ""
        if unit.startswith("weekday"):
            return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", spans, "weekday"
        if unit.startswith("weekend"):
            return "FREQ=WEEKLY;BYDAY=SA,SU", spans, "weekend"
        if unit in ("daily", "nightly") or unit.startswith(("day", "morning", "evening", "night", "afternoon")):
            if unit.rstrip("s") in ("morning", "evening", "night", "afternoon") and s.part is None:
                s.part = unit.rstrip("s")
            return "FREQ=DAILY" + suffix, spans, "day"
        if unit in ("weekly",) or unit.startswith("week"):
            return "FREQ=WEEKLY" + suffix, spans, "week"
        if unit == "monthly" or unit.startswith("month"):
            return "FREQ=MONTHLY" + suffix, spans, "month"
        if unit in ("yearly", "annually") or unit.startswith("year"):
            return "FREQ=YEARLY" + suffix, spans, "year"
        if unit == "hourly" or unit.startswith(("hour", "hr")):
            return "FREQ=HOURLY" + suffix, spans, "hour"
        if unit.startswith("min"):
            return "FREQ=MINUTELY" + suffix, spans, "minute"
    weekdays = []
    other = False
    for m in RE_WEEKDAY.finditer(low):
        other = other or m.group("pre") == "every other"
        if m.group("pre") in ("every", "each", "every other") or m.group("pl"):
            if m.group("wd") in ("sat", "sun", "mon") and not m.group("pre"):
                continue
            weekdays.append(WEEKDAYS[m.group("wd")])
            spans.append((m.start("pre") if m.group("pre") else m.start("wd"), m.end()))
    if weekdays:
        # "every monday and thursday": every other full weekday name joins the rule
        for m in RE_WEEKDAY.finditer(low):
            if len(m.group("wd")) > 4 and WEEKDAYS[m.group("wd")] not in weekdays:
                weekdays.append(WEEKDAYS[m.group("wd")])
                spans.append(m.span())
        days = ",".join(BYDAY[d] for d in sorted(set(weekdays)))
        return f"FREQ=WEEKLY{';INTERVAL=2' if other else ''};BYDAY={days}", spans, "weekly-days"
    return None, spans, None


def _first_occurrence(rule: str, unit: str | None, s: _Scan, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    today = now.date()
    if unit in ("hour", "minute"):
        step = re.search(r"INTERVAL=(\d+)", rule)
        n = int(step.group(1)) if step else 1
        delta = timedelta(hours=n) if unit == "hour" else timedelta(minutes=n)
        first = (now.astimezone(UTC) + delta).replace(second=0, microsecond=0).astimezone(zone)
        return first, rule
    if unit == "week" and "BYDAY" not in rule:
        weekday = s.weekday if s.weekday is not None else (s.day or today).weekday()
        rule = f"{rule};BYDAY={BYDAY[weekday]}"
    if unit == "month" and s.day_kind == "ordinal" and s.day is not None:
        rule = f"{rule};BYMONTHDAY={s.day.day}"
    elif unit == "month":
        rule = f"{rule};BYMONTHDAY={(s.day or today).day}"
    if unit == "year":
        anchor = s.day or today
        rule = f"{rule};BYMONTH={anchor.month};BYMONTHDAY={anchor.day}"
    allowed = None
    byday = re.search(r"BYDAY=([A-Z,]+)", rule)
    if byday:
        allowed = {BYDAY.index(code) for code in byday.group(1).split(",")}
    monthday = re.search(r"BYMONTHDAY=(\d+)", rule)
    bymonth = re.search(r"BYMONTH=(\d+)", rule)
    for offset in range(0, 800):
        day = today + timedelta(days=offset)
        if allowed is not None and day.weekday() not in allowed:
            continue
        if monthday and day.day != int(monthday.group(1)):
            continue
        if bymonth and day.month != int(bymonth.group(1)):
            continue
        hour, minute, real_day = _hour_for(s, False, now, zone, day)
        at = local_dt(real_day, hour, minute, zone)
        if at > now:
            return at, rule
    return local_dt(today + timedelta(days=1), 9, 0, zone), rule


def find_when(
    text: str, now: datetime, *, default_hour: int = 9, day_parts: dict[str, str] | None = None
) -> When | None:
    """The first time expression in `text` (see module rules), or None when there is none.

    `day_parts` are the user's own times for "morning", "afternoon", "evening" and "night"."""
    low = text.lower()
    zone = _zone(now)
    now = now.astimezone(zone)
    rel = RE_REL.search(low)
    if rel:
        delta = _relative(rel)
        if delta is not None and timedelta(0) < delta <= timedelta(days=3650):
            spans = [rel.span()]
            if delta < timedelta(days=1):
                at = (now.astimezone(UTC) + delta).astimezone(zone).replace(microsecond=0)
                return When(at=at, spans=tuple(spans))
            rest = _scan(low[: rel.start()] + " " * (rel.end() - rel.start()) + low[rel.end() :], now, day_parts)
            day = now.date() + timedelta(days=delta.days)
            if rest.time is not None or rest.part is not None:
                hour, minute, day = _hour_for(rest, False, now, zone, day)
                spans += rest.spans
            else:
                hour, minute = now.hour, now.minute
            return When(at=local_dt(day, hour, minute, zone), has_date=True, spans=tuple(spans))
    s = _scan(low, now, day_parts)
    rule, rule_spans, unit = _recurrence(low, s)
    if rule:
        s.spans.extend(rule_spans)
        if s.day_kind == "ordinal" and unit is None:
            unit = "month"
        at, rule = _first_occurrence(rule, unit, s, now, zone)
        return When(at=at, rrule=rule, has_time=s.time is not None or s.part is not None, spans=tuple(s.spans),
                    sure=not s.guessed)
    if s.day_kind == "ordinal" and re.search(r"\b(every|each)\s+month|\bmonthly\b", low):
        at, rule = _first_occurrence("FREQ=MONTHLY", "month", s, now, zone)
        return When(at=at, rrule=rule, has_time=s.time is not None, spans=tuple(s.spans))
    if s.day is None and s.month_only is not None:
        month, year = s.month_only
        year = year or (now.year if month >= now.month else now.year + 1)
        last = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return When(at=local_dt(last, default_hour, 0, zone), has_time=False, has_date=True, spans=tuple(s.spans))
    if s.day is None and s.time is None and s.part is None and not s.midnight:
        return None
    day = s.day or now.date()
    day_is_today = s.day is None or (s.day == now.date() and s.day_kind != "weekday")
    has_time = s.time is not None or s.part is not None or s.midnight
    if has_time:
        hour, minute, real_day = _hour_for(s, day_is_today, now, zone, day)
    else:
        hour, minute, real_day = default_hour, 0, day
    at = local_dt(real_day, hour, minute, zone)
    if at <= now and has_time:
        if s.day_kind == "weekday" and s.weekday is not None:
            at = local_dt(real_day + timedelta(days=7), hour, minute, zone)
        elif s.day_kind in (None, "relative") and real_day <= now.date():
            at = local_dt(real_day + timedelta(days=1), hour, minute, zone)
    return When(at=at, has_time=has_time, has_date=s.day is not None, spans=tuple(s.spans), sure=not s.guessed,
                by_weekday=s.day_kind == "weekday")


def strip_spans(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    """`text` without the given character spans, whitespace and dangling joiners tidied."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out = text
    for start, end in reversed(merged):
        out = out[:start] + " " + out[end:]
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"(?i)^(?:at|on|by|and|to|,)\s+|\s+(?:at|on|by|and|,)$", "", out).strip(" ,.;:-")
    return out
