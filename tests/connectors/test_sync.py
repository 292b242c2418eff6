"""The calendar sync job: reminders before upcoming events, idempotent; unread counts for the
morning check-in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from personal_assistant.connectors import sync
from personal_assistant.core import clock
from personal_assistant.db.models import Connector, Reminder, User
from personal_assistant.planning.checkins import morning_text
from personal_assistant.workers.schedule import periodic_jobs


def _event(eid: str, title: str, start, location: str | None = None) -> dict:
    event = {"id": eid, "summary": title, "start": {"dateTime": start.isoformat()},
             "end": {"dateTime": (start + timedelta(hours=1)).isoformat()}}
    if location:
        event["location"] = location
    return event


async def _reminders(session, user_id) -> list[Reminder]:
    return list((await session.execute(select(Reminder).where(Reminder.user_id == user_id))).scalars())


async def test_sync_makes_one_reminder_per_event_before_it(make_user, fake_providers, connect_user, session):
    user = await make_user()
    await connect_user(user, "google")
    start = (clock.now() + timedelta(hours=2)).replace(microsecond=0)
    fake_providers.events["google"] += [
        _event("e1", "Team sync", start),
        _event("e2", "Dentist", start + timedelta(hours=1), location="12 Main St"),
        {"id": "e3", "summary": "Holiday", "start": {"date": start.date().isoformat()},
         "end": {"date": start.date().isoformat()}},
    ]
    counts = await sync.sync_all()
    assert counts == {"accounts": 1, "reminders": 2}
    rows = sorted(await _reminders(session, user.id), key=lambda r: r.due_at)
    assert [r.due_at for r in rows] == [start - timedelta(minutes=15), start + timedelta(minutes=45)]
    assert "Team sync" in rows[0].text
    assert rows[1].text.startswith("Leave now for Dentist at 12 Main St")
    # a second sync (and a third) makes nothing new
    assert (await sync.sync_all())["reminders"] == 0
    assert (await sync.sync_all())["reminders"] == 0
    assert len(await _reminders(session, user.id)) == 2
    account = (await session.execute(select(Connector))).scalar_one()
    assert account.last_sync_at is not None and account.settings["unread_count"] == 2


async def test_lead_time_is_per_person(make_user, fake_providers, connect_user, session):
    user = await make_user()
    row = await session.get(User, user.id)
    row.event_lead_minutes = 30
    await session.commit()
    await connect_user(user, "microsoft")
    start = (clock.now() + timedelta(hours=3)).replace(microsecond=0)
    fake_providers.events["microsoft"].append({
        "id": "m1", "subject": "Standup", "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S.0000000")},
        "end": {"dateTime": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.0000000")}})
    assert (await sync.sync_all())["reminders"] == 1
    (reminder,) = await _reminders(session, user.id)
    assert reminder.due_at == start - timedelta(minutes=30)


async def test_a_failing_provider_records_the_error_and_makes_nothing(make_user, fake_providers, connect_user,
                                                                      session, settings_env):
    settings_env(PROVIDER_DEADLINE_SECONDS="2")
    user = await make_user()
    await connect_user(user, "google")
    fake_providers.events["google"].append(_event("e1", "Team sync", clock.now() + timedelta(hours=2)))
    fake_providers.fail["google"] = "500"
    assert (await sync.sync_all())["reminders"] == 0
    account = (await session.execute(select(Connector))).scalar_one()
    assert (account.last_error or "").startswith("sync:")
    assert account.status == "connected"


async def test_unread_count_joins_the_morning_check_in(make_user, fake_providers, connect_user, session):
    user = await make_user()
    await connect_user(user, "google")
    await sync.sync_all()
    row = await session.get(User, user.id)
    text = await morning_text(session, row, clock.now())
    assert "2 unread emails" in text


def test_the_sync_jobs_are_scheduled(settings_env):
    names = {name for name, _ in periodic_jobs(settings_env(CALENDAR_SYNC_MINUTES="5"), with_broker=False)}
    assert {"connectors.sync", "connectors.health"} <= names
