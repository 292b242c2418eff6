"""Properties of the time parser (hypothesis) across zones and the days clocks change.

For any zone and any "now" around a DST change (or any ordinary day), and any phrase built from
the forms people text: the time found is aware and a real wall time of that zone, a clock time is
in the future, "in N min" is exactly N minutes of elapsed time, a stated wall time is kept (moved
forward only out of a DST gap), "tomorrow" is the next local day, and the spans cover the phrase.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from personal_assistant.agent.llm.offline.when import find_when, strip_spans

ZONES = st.sampled_from([
    "America/New_York", "America/Los_Angeles", "America/Chicago", "Europe/London", "Europe/Berlin",
    "Australia/Sydney", "Pacific/Auckland", "Asia/Kolkata", "America/Sao_Paulo", "UTC",
])
# Days of clock changes in 2026 (US, EU, Australia/NZ) and ordinary days.
DAYS = st.sampled_from([
    (2026, 3, 7), (2026, 3, 8), (2026, 3, 28), (2026, 3, 29), (2026, 4, 4), (2026, 4, 5), (2026, 9, 26),
    (2026, 9, 27), (2026, 10, 3), (2026, 10, 4), (2026, 10, 24), (2026, 10, 25), (2026, 10, 31), (2026, 11, 1),
    (2026, 6, 15), (2026, 12, 31),
])
HOURS = st.integers(min_value=1, max_value=12)
MINUTES = st.sampled_from([0, 5, 15, 30, 45, 59])
SETTINGS = settings(max_examples=400, deadline=None)


def _now(zone: str, day: tuple[int, int, int], hour: int, minute: int) -> datetime:
    naive = datetime(*day, hour, minute)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC")).astimezone(ZoneInfo(zone))


def _real_wall_time(at: datetime) -> bool:
    """`at` is a time the zone's clocks actually show (its offset is the zone's at that instant)."""
    zone = at.tzinfo
    assert isinstance(zone, ZoneInfo)
    return at.utcoffset() == at.astimezone(ZoneInfo("UTC")).astimezone(zone).utcoffset()


def _exists(day, hour: int, minute: int, zone: ZoneInfo) -> bool:
    naive = datetime(day.year, day.month, day.day, hour, minute)
    round_trip = naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).astimezone(zone)
    return round_trip.replace(tzinfo=None) == naive


NOWS = st.builds(_now, ZONES, DAYS, st.integers(min_value=0, max_value=23), st.sampled_from([0, 1, 29, 30, 59]))


@SETTINGS
@given(now=NOWS, n=st.integers(min_value=1, max_value=600), unit=st.sampled_from(["min", "mins", "minutes", "m"]))
def test_in_n_minutes_is_elapsed_time(now, n, unit):
    when = find_when(f"remind me in {n} {unit} to stretch", now)
    assert when is not None and _real_wall_time(when.at)
    assert when.at.astimezone(ZoneInfo("UTC")) - now.astimezone(ZoneInfo("UTC")) == timedelta(minutes=n)


@SETTINGS
@given(now=NOWS, hour=HOURS, minute=MINUTES, ap=st.sampled_from(["am", "pm", " am", " pm", "AM", "p.m."]))
def test_a_clock_time_is_the_next_one_ahead_and_keeps_its_wall_time(now, hour, minute, ap):
    text = f"at {hour}:{minute:02d}{ap}" if minute else f"at {hour}{ap}"
    when = find_when(text, now)
    assert when is not None and when.has_time and _real_wall_time(when.at)
    assert when.at > now and when.at - now <= timedelta(days=1, hours=1)
    want = (hour % 12) + (12 if "p" in ap.lower() else 0)
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    if _exists(when.at.date(), want, minute, zone):
        assert (when.at.hour, when.at.minute) == (want, minute)
    else:  # a wall time inside the spring-forward gap moves forward by the gap
        assert when.at.hour == (want + 1) % 24 and when.at.minute == minute


@SETTINGS
@given(now=NOWS, hour=st.integers(min_value=0, max_value=23), minute=MINUTES)
def test_24_hour_times_without_a_colon(now, hour, minute):
    when = find_when(f"leave at {hour:02d}{minute:02d}", now)
    assert when is not None and when.at > now and _real_wall_time(when.at)
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    if _exists(when.at.date(), hour, minute, zone):
        assert (when.at.hour, when.at.minute) == (hour, minute)


@SETTINGS
@given(now=NOWS, hour=st.integers(min_value=1, max_value=11),
       form=st.sampled_from(["half {h}", "half past {h}", "quarter past {h}", "quarter to {h}", "ten past {h}"]))
def test_spoken_clock_times(now, hour, form):
    when = find_when("ring the garage at " + form.format(h=hour), now)
    assert when is not None and when.at > now and _real_wall_time(when.at)
    minute = {"half {h}": 30, "half past {h}": 30, "quarter past {h}": 15, "quarter to {h}": 45,
              "ten past {h}": 10}[form]
    assert when.at.minute == minute or not _exists(when.at.date(), when.at.hour - 1, minute, now.tzinfo)


@SETTINGS
@given(now=NOWS, hour=HOURS, ap=st.sampled_from(["am", "pm"]))
def test_tomorrow_is_the_next_local_day(now, hour, ap):
    when = find_when(f"tomorrow at {hour}{ap}", now)
    assert when is not None and _real_wall_time(when.at)
    assert when.at.date() == now.date() + timedelta(days=1)


@SETTINGS
@given(now=NOWS, part=st.sampled_from(["tonight", "this evening", "after dinner", "first thing tomorrow",
                                       "tomorrow morning", "after lunch", "before bed", "later tonight"]))
def test_parts_of_the_day_are_real_future_times(now, part):
    when = find_when(f"remind me {part} to call Jo", now)
    assert when is not None and when.has_time and _real_wall_time(when.at)
    assert when.at > now - timedelta(minutes=1)
    assert strip_spans(f"remind me {part} to call Jo", when.spans) == "remind me to call Jo"


@SETTINGS
@given(now=NOWS, hour=HOURS, day=st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday",
                                                  "saturday", "sunday"]))
def test_weekly_rules_start_in_the_future_on_that_day(now, hour, day):
    when = find_when(f"every {day} at {hour}pm", now)
    assert when is not None and when.rrule is not None and when.rrule.startswith("FREQ=WEEKLY;BYDAY=")
    assert when.at > now and _real_wall_time(when.at)
    assert when.at.strftime("%A").lower() == day


@SETTINGS
@given(now=NOWS, text=st.text(max_size=40))
def test_any_text_gives_none_or_a_real_time(now, text):
    when = find_when(text, now)
    if when is not None:
        assert _real_wall_time(when.at)
        for start, end in when.spans:
            assert 0 <= start < end <= len(text)
        assert find_when(text, now) == when  # deterministic
