"""Times in several zones against a frozen local now, including DST-change days.

US spring-forward 2026-03-08 (02:00 EST -> 03:00 EDT), US fall-back 2026-11-01, Berlin
spring-forward 2026-03-29 (02:00 CET -> 03:00 CEST), Sydney fall-back 2026-04-05 (03:00 AEDT ->
02:00 AEST); Kolkata has no DST. Relative minutes/hours are elapsed time; clock times keep the wall
clock of their own day.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from personal_assistant.agent.llm.offline.amounts import find_amount
from personal_assistant.agent.llm.offline.lists import grocery_entries
from personal_assistant.agent.llm.offline.when import find_when
from personal_assistant.agent.llm.offline.when_words import parse_clock
from personal_assistant.agent.llm.offline.zones import resolve_zone
from tests.agent.offline.conftest import make_ctx
from tests.agent.offline.helpers import plan, validate_calls


def at(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone))


NY, BER, KOL, SYD = "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"

TIMED: list[tuple[datetime, str, str, str | None]] = [
    # New York, the evening before spring-forward
    (at(NY, 2026, 3, 7, 22, 0), "remind me tomorrow at 9am to run", "2026-03-08T09:00:00-04:00", None),
    (at(NY, 2026, 3, 7, 22, 0), "remind me in 5 hours to check the baby", "2026-03-08T04:00:00-04:00", None),
    (at(NY, 2026, 3, 7, 22, 0), "remind me at 9 to take meds", "2026-03-08T09:00:00-04:00", None),
    (at(NY, 2026, 3, 7, 22, 0), "remind me at 9pm to take meds", "2026-03-08T21:00:00-04:00", None),
    (at(NY, 2026, 3, 7, 22, 0), "remind me every day at 8am to stretch", "2026-03-08T08:00:00-04:00", "FREQ=DAILY"),
    # New York, on the change day itself
    (at(NY, 2026, 3, 8, 1, 30), "remind me in 1 hour to sleep", "2026-03-08T03:30:00-04:00", None),
    (at(NY, 2026, 3, 8, 1, 30), "remind me in 20 min to sleep", "2026-03-08T01:50:00-05:00", None),
    (at(NY, 2026, 3, 8, 1, 30), "remind me at 2:30am to check the clock", "2026-03-08T03:30:00-04:00", None),
    (at(NY, 2026, 3, 8, 1, 30), "remind me at 9 to call dad", "2026-03-08T09:00:00-04:00", None),
    (at(NY, 2026, 3, 8, 1, 30), "remind me tonight to prep lunch", "2026-03-08T20:00:00-04:00", None),
    # New York, fall-back night (01:00-02:00 happens twice)
    (at(NY, 2026, 10, 31, 22, 0), "remind me tomorrow at 9am to vote early", "2026-11-01T09:00:00-05:00", None),
    (at(NY, 2026, 10, 31, 22, 0), "remind me in 4 hours to switch laundry", "2026-11-01T01:00:00-05:00", None),
    (
        at(NY, 2026, 10, 31, 22, 0),
        "remind me every sunday at 10 to plan",
        "2026-11-01T10:00:00-05:00",
        "FREQ=WEEKLY;BYDAY=SU",
    ),
    # Berlin around its spring-forward
    (at(BER, 2026, 3, 28, 22, 0), "remind me tomorrow at 9am to call Oma", "2026-03-29T09:00:00+02:00", None),
    (at(BER, 2026, 3, 28, 22, 0), "remind me in 20 min to lock up", "2026-03-28T22:20:00+01:00", None),
    (
        at(BER, 2026, 3, 28, 22, 0),
        "erinnerung: remind me every day at 8am to water plants",
        "2026-03-29T08:00:00+02:00",
        "FREQ=DAILY",
    ),
    (at(BER, 2026, 3, 29, 1, 50), "remind me in 20 min to go to bed", "2026-03-29T03:10:00+02:00", None),
    (at(BER, 2026, 3, 29, 1, 50), "remind me at 2:30 in the morning to check", "2026-03-29T03:30:00+02:00", None),
    (
        at(BER, 2026, 3, 28, 10, 0),
        "remind me every monday at 9 to submit my timesheet",
        "2026-03-30T09:00:00+02:00",
        "FREQ=WEEKLY;BYDAY=MO",
    ),
    (at(BER, 2026, 3, 28, 10, 0), "remind me to pay rent on the 1st", "2026-04-01T09:00:00+02:00", None),
    (at(BER, 2026, 3, 28, 10, 0), "remind me friday at 3 to leave early", "2026-04-03T15:00:00+02:00", None),
    (at(BER, 2026, 3, 28, 10, 0), "remind me on 3/4 to renew", "2026-04-03T09:00:00+02:00", None),
    # Kolkata, +05:30, no DST
    (at(KOL, 2026, 3, 7, 9, 15), "remind me at 9 to meditate", "2026-03-07T21:00:00+05:30", None),
    (at(KOL, 2026, 3, 7, 9, 15), "remind me in 45 min to call Ravi", "2026-03-07T10:00:00+05:30", None),
    (at(KOL, 2026, 3, 7, 9, 15), "remind me at noon to eat", "2026-03-07T12:00:00+05:30", None),
    (
        at(KOL, 2026, 3, 7, 9, 15),
        "remind me every weekday at 7:30 to stretch",
        "2026-03-09T07:30:00+05:30",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    ),
    (at(KOL, 2026, 3, 7, 9, 15), "remind me this afternoon to nap", "2026-03-07T15:00:00+05:30", None),
    (at(KOL, 2026, 3, 7, 9, 15), "remind me at 7 to walk", "2026-03-07T19:00:00+05:30", None),
    (at(KOL, 2026, 3, 7, 6, 0), "remind me at 7 to walk", "2026-03-07T07:00:00+05:30", None),
    # Sydney around its fall-back (AEDT +11 -> AEST +10)
    (at(SYD, 2026, 4, 4, 20, 0), "remind me tomorrow at 9am to swim", "2026-04-05T09:00:00+10:00", None),
    (at(SYD, 2026, 4, 4, 20, 0), "remind me in 8 hours to wake up", "2026-04-05T03:00:00+10:00", None),
    (
        at(SYD, 2026, 4, 4, 20, 0),
        "remind me every monday at 9 to plan",
        "2026-04-06T09:00:00+10:00",
        "FREQ=WEEKLY;BYDAY=MO",
    ),
    (at(SYD, 2026, 4, 4, 20, 0), "remind me tonight at 11 to lock up", "2026-04-04T23:00:00+11:00", None),
    (
        at(SYD, 2026, 4, 4, 20, 0),
        "remind me on the 1st of every month to pay rent",
        "2026-05-01T09:00:00+10:00",
        "FREQ=MONTHLY;BYMONTHDAY=1",
    ),
    # weekday and "today" edge cases (New York, a Friday)
    (at(NY, 2026, 3, 13, 16, 0), "remind me friday at 3 to review", "2026-03-20T15:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 11, 0), "remind me friday at 3 to review", "2026-03-13T15:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 11, 0), "remind me next friday to review", "2026-03-20T09:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 8, 0), "remind me at 9 to start work", "2026-03-13T09:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 23, 0), "remind me at 7 to run", "2026-03-14T07:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 9, 0), "remind me at noon to eat", "2026-03-13T12:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 9, 0), "remind me tomorrow evening to call", "2026-03-14T18:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 9, 0), "remind me at 8 tonight to call", "2026-03-13T20:00:00-04:00", None),
    (at(NY, 2026, 3, 13, 9, 0), "remind me at 7 in the morning to call", "2026-03-14T07:00:00-04:00", None),
]


@pytest.mark.parametrize(
    ("now", "text", "due_at", "rrule"), TIMED, ids=[f"{t[0]:%m%d-%H%M}-{t[1][:30]}" for t in TIMED]
)
def test_reminder_times_in_zones(now: datetime, text: str, due_at: str, rrule: str | None) -> None:
    action = plan(make_ctx(text, now=now))
    assert action.kind == "tools", action.text
    call = action.tool_calls[0]
    assert call.name == "create_reminder"
    assert call.args["due_at"] == due_at
    assert call.args.get("rrule") == rrule
    validate_calls(action)
    # The offset is the real one for that instant in the user's zone.
    parsed = datetime.fromisoformat(due_at)
    assert parsed.utcoffset() == parsed.astimezone(now.tzinfo).utcoffset()


def test_no_time_phrase_means_none() -> None:
    now = at(NY, 2026, 3, 7, 14, 30)
    for text in ("call mom", "focus 25", "spent 12.50", "the 5k run", "I sat down"):
        assert find_when(text, now) is None, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10pm", "22:00"),
        ("7am", "07:00"),
        ("7:30", "07:30"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("25", None),
        ("13pm", None),
        ("soon", None),
    ],
)
def test_clock_for_settings(text: str, expected: str | None) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$12.50", "12.50", "USD"),
        ("12.50 dollars", "12.50", "USD"),
        ("€8", "8.00", "EUR"),
        ("8 eur", "8.00", "EUR"),
        ("£3", "3.00", "GBP"),
        ("12,50 €", "12.50", "EUR"),
        ("1,200 rupees", "1200.00", "INR"),
        ("50 cents", "0.50", "USD"),
        ("USD 30", "30.00", "USD"),
        ("₹250", "250.00", "INR"),
        ("$1.5k", "1500.00", "USD"),
    ],
)
def test_amounts_and_currencies(text: str, amount: str, currency: str) -> None:
    money = find_amount(text, "USD")
    assert money is not None and (money.amount, money.currency) == (amount, currency)


def test_dollar_sign_means_the_users_dollar_currency() -> None:
    money = find_amount("$20 lunch", "CAD")
    assert money is not None and money.currency == "CAD"


def test_grocery_lists_with_quantities() -> None:
    assert grocery_entries("2 apples and a loaf of bread") == [
        {"name": "apples", "quantity": "2"},
        {"name": "bread", "quantity": "1 loaf"},
    ]
    assert [e["name"] for e in grocery_entries("milk, eggs and bread")] == ["milk", "eggs", "bread"]
    assert grocery_entries("3 cans of beans, salt and pepper")[0] == {"name": "beans", "quantity": "3 cans"}
    assert grocery_entries("salt and pepper") == [{"name": "salt and pepper", "quantity": None}]


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Pacific", "America/Los_Angeles"),
        ("PST", "America/Los_Angeles"),
        ("eastern time", "America/New_York"),
        ("Central", "America/Chicago"),
        ("mountain", "America/Denver"),
        ("Berlin", "Europe/Berlin"),
        ("CET", "Europe/Berlin"),
        ("IST", "Asia/Kolkata"),
        ("Mumbai", "Asia/Kolkata"),
        ("sydney", "Australia/Sydney"),
        ("UK", "Europe/London"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("Chicago", "America/Chicago"),
        ("Lisbon", "Europe/Lisbon"),
        ("Narnia", None),
    ],
)
def test_zone_names(text: str, zone: str | None) -> None:
    assert resolve_zone(text) == zone
