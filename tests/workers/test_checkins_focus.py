"""Check-ins at each user's local times (once a day, only when enabled, never in quiet hours or
to an opted-out phone) and focus-session texts (mid-way and end, once each)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select, update

from personal_assistant.db.models import FocusSession, Message, PhoneNumber
from personal_assistant.db.session import session_scope
from personal_assistant.planning.checkins import run_checkins
from personal_assistant.planning.focus.jobs import send_focus_nudges


async def texts(kind: str, user_id=None) -> list[Message]:
    async with session_scope() as s:
        stmt = select(Message).where(Message.kind == kind).order_by(Message.created_at)
        if user_id is not None:
            stmt = stmt.where(Message.user_id == user_id)
        return list((await s.execute(stmt)).scalars())


async def test_morning_and_evening_checkins_at_local_times_once_a_day(make_user):
    tokyo = await make_user(timezone="Asia/Tokyo", checkins_enabled=True,
                            morning_checkin_time=time(7, 30), evening_checkin_time=time(21, 0))
    disabled = await make_user(timezone="Asia/Tokyo", checkins_enabled=False, morning_checkin_time=time(7, 30))
    tz = ZoneInfo("Asia/Tokyo")
    day = datetime(2026, 5, 4, tzinfo=tz)

    with time_machine.travel((day + timedelta(hours=7, minutes=29)).astimezone(UTC), tick=True):
        await run_checkins()
    assert await texts("checkin") == []  # not yet
    for minute in (30, 31, 45):
        with time_machine.travel((day + timedelta(hours=7, minutes=minute)).astimezone(UTC), tick=True):
            await run_checkins()
    morning = await texts("checkin", tokyo.id)
    assert len(morning) == 1 and "top 3" in morning[0].body
    assert await texts("checkin", disabled.id) == []

    for minute in (0, 1):
        with time_machine.travel((day + timedelta(hours=21, minutes=minute)).astimezone(UTC), tick=True):
            await run_checkins()
    evening = (await texts("checkin", tokyo.id))[1:]
    assert len(evening) == 1 and "how did today go" in evening[0].body

    with time_machine.travel((day + timedelta(days=1, hours=7, minutes=31)).astimezone(UTC), tick=True):
        await run_checkins()
    assert len(await texts("checkin", tokyo.id)) == 3  # the next morning gets its own


async def test_checkins_respect_quiet_hours_and_opt_out(make_user):
    await make_user(checkins_enabled=True, morning_checkin_time=time(6, 0),
                            quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))
    stopped = await make_user(checkins_enabled=True, morning_checkin_time=time(6, 0))
    async with session_scope() as s:
        await s.execute(update(PhoneNumber).where(PhoneNumber.user_id == stopped.id)
                        .values(opted_out_at=datetime(2026, 5, 1, tzinfo=UTC)))
    with time_machine.travel(datetime(2026, 5, 4, 6, 1, tzinfo=UTC), tick=True):
        await run_checkins()
        await run_checkins()
    assert await texts("checkin") == []


async def test_focus_session_gets_one_midway_and_one_end_text(make_user):
    user = await make_user()
    start = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)
    async with session_scope() as s:
        s.add(FocusSession(user_id=user.id, label="the report", minutes=25, started_at=start,
                           ends_at=start + timedelta(minutes=25), midway_checkin=True))
        s.add(FocusSession(user_id=user.id, label="email", minutes=10, started_at=start,
                           ends_at=start + timedelta(minutes=10), midway_checkin=False))

    for minute in (3, 6, 10.5, 12.5, 13, 25.2, 26, 40):
        with time_machine.travel(start + timedelta(minutes=minute), tick=True):
            await send_focus_nudges()

    bodies = [m.body for m in await texts("focus", user.id)]
    assert len(bodies) == 3
    assert bodies[0].startswith("Time's up on email")
    assert bodies[1].startswith("Halfway there on the report")
    assert bodies[2].startswith("Time's up on the report")
    async with session_scope() as s:
        sessions = list((await s.execute(select(FocusSession))).scalars())
    assert all(f.end_sent_at is not None for f in sessions)
