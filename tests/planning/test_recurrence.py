"""Recurrence: the next occurrence is in the future and at the local wall-clock time asked for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from personal_assistant.core.errors import ValidationFailed
from personal_assistant.planning.reminders.recurrence import (
    join_stored,
    next_occurrence,
    split_stored,
    validate_rrule,
)

NY = "America/New_York"
ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
    "America/Santiago",
    "Europe/Berlin",
]


def test_daily_8am_stays_8am_local_across_spring_forward():
    anchor = datetime(2026, 3, 6, 8, 0)  # US DST starts Sunday 2026-03-08
    after = datetime(2026, 3, 6, 14, tzinfo=UTC)
    seen = []
    for _ in range(4):
        nxt = next_occurrence("FREQ=DAILY", anchor, NY, after)
        seen.append(nxt)
        after = nxt
    local = [s.astimezone(ZoneInfo(NY)) for s in seen]
    assert [t.hour for t in local] == [8, 8, 8, 8]
    # 08:00 EST is 13:00 UTC, 08:00 EDT is 12:00 UTC: the UTC time moved, the local one did not.
    assert [s.hour for s in seen] == [13, 12, 12, 12]


def test_daily_across_fall_back_keeps_local_time():
    anchor = datetime(2026, 10, 30, 8, 0)  # US DST ends 2026-11-01
    nxt = next_occurrence("FREQ=DAILY", anchor, NY, datetime(2026, 11, 1, 0, tzinfo=UTC))
    assert nxt == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)  # 08:00 EST


def test_time_in_spring_gap_is_shifted_forward():
    nxt = next_occurrence("FREQ=DAILY", datetime(2026, 3, 1, 2, 30), NY, datetime(2026, 3, 7, 12, tzinfo=UTC))
    assert nxt.astimezone(ZoneInfo(NY)).replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)
    after = next_occurrence("FREQ=DAILY", datetime(2026, 3, 1, 2, 30), NY, nxt)
    assert after.astimezone(ZoneInfo(NY)).replace(tzinfo=None) == datetime(2026, 3, 9, 2, 30)


def test_ambiguous_time_takes_first_occurrence():
    nxt = next_occurrence("FREQ=DAILY", datetime(2026, 10, 1, 1, 30), NY, datetime(2026, 10, 31, 12, tzinfo=UTC))
    assert nxt == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not 01:30 EST


def test_count_and_until_exhaust():
    anchor = datetime(2026, 3, 1, 8)
    assert next_occurrence("FREQ=DAILY;COUNT=3", anchor, NY, datetime(2026, 3, 2, 14, tzinfo=UTC)) == datetime(
        2026, 3, 3, 13, tzinfo=UTC
    )
    assert next_occurrence("FREQ=DAILY;COUNT=3", anchor, NY, datetime(2026, 3, 3, 13, tzinfo=UTC)) is None
    assert (
        next_occurrence("FREQ=DAILY;UNTIL=20260303T130000Z", anchor, NY, datetime(2026, 3, 3, 13, tzinfo=UTC)) is None
    )


def test_weekly_on_weekdays():
    anchor = datetime(2026, 5, 1, 9)  # a Friday
    nxt = next_occurrence("FREQ=WEEKLY;BYDAY=MO,WE", anchor, "Europe/London", datetime(2026, 5, 1, 9, tzinfo=UTC))
    assert nxt == datetime(2026, 5, 4, 8, tzinfo=UTC)  # Monday 09:00 BST


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;INTERVAL=5",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;COUNT=3;UNTIL=20270101",
        "FREQ=FORTNIGHTLY",
        "BYDAY=MO",
        "FREQ=DAILY;BYDAY=XX",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;UNTIL=tomorrow",
        "DTSTART:20260101T080000\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;FOO=1",
        "FREQ=DAILY;COUNT=100000",
        "nonsense",
    ],
)
def test_validate_rejects_nonsense(bad):
    with pytest.raises(ValidationFailed) as err:
        validate_rrule(bad)
    assert "rrule" in err.value.fields


def test_validate_normalises():
    assert validate_rrule("rrule:freq=weekly;byday=mo") == "FREQ=WEEKLY;BYDAY=MO"


def test_stored_form_round_trips():
    stored = join_stored("FREQ=DAILY", datetime(2026, 3, 1, 8))
    assert split_stored(stored) == ("FREQ=DAILY", datetime(2026, 3, 1, 8))
    assert split_stored("FREQ=DAILY") == ("FREQ=DAILY", None)


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    rule=st.sampled_from(
        ["FREQ=DAILY", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY", "FREQ=DAILY;INTERVAL=3"]
    ),
    anchor=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
    offset_minutes=st.integers(min_value=-60 * 24 * 40, max_value=60 * 24 * 400),
)
def test_property_future_and_at_asked_wall_clock(zone, rule, anchor, offset_minutes):
    anchor = anchor.replace(second=0, microsecond=0)
    after = anchor.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC) + timedelta(minutes=offset_minutes)
    nxt = next_occurrence(rule, anchor, zone, after)
    assert nxt is not None and nxt > after
    local = nxt.astimezone(ZoneInfo(zone))
    asked = (anchor.hour, anchor.minute)
    got = (local.hour, local.minute)
    if got != asked:
        # Only allowed when the asked time does not exist that day (spring-forward gap): then it
        # is shifted forward by the gap.
        naive = local.replace(tzinfo=None)
        wanted = naive.replace(hour=anchor.hour, minute=anchor.minute)
        round_trip = wanted.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC).astimezone(ZoneInfo(zone))
        assert round_trip.replace(tzinfo=None) != wanted, (nxt, local)
        assert round_trip.astimezone(UTC) == nxt
    # Nothing in between: the previous candidate step is not also after `after`.
    assert nxt - after <= timedelta(days=93)


@settings(max_examples=100, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    anchor=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
    offset_minutes=st.integers(min_value=0, max_value=60 * 24 * 400),
)
def test_property_daily_skips_no_day(zone, anchor, offset_minutes):
    anchor = anchor.replace(second=0, microsecond=0)
    after = anchor.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC) + timedelta(minutes=offset_minutes)
    nxt = next_occurrence("FREQ=DAILY", anchor, zone, after)
    after_day = after.astimezone(ZoneInfo(zone)).date()
    # Today's occurrence if it is still ahead, else tomorrow's: never two days on.
    assert nxt.astimezone(ZoneInfo(zone)).date() - after_day in (timedelta(0), timedelta(days=1))
