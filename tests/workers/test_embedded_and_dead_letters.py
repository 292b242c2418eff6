"""The embedded scheduler (no REDIS_URL) sends reminders with the same job functions, and jobs
that fail for good become dead letters that the CLI lists and re-runs."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import timedelta

from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import FailedJob
from personal_assistant.db.session import session_scope
from personal_assistant.workers.embedded import EmbeddedScheduler, embedded_jobs
from personal_assistant.workers.enqueue import run_in_process, wait_for_in_process_jobs
from personal_assistant.workers.jobs import JOBS, job
from tests.workers.helpers import add_reminders, reminder_messages, sends_per_reminder


async def wait_until(predicate, within: float, every: float = 0.1) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(every)
    return await predicate()


async def test_embedded_scheduler_sends_a_reminder_when_it_is_due_and_only_once(make_user, settings_env):
    settings_env(REMINDER_TICK_SECONDS="0.2")
    names = [name for name, _, _ in embedded_jobs()]
    assert names == ["reminders.deliver_due", "sms.sweep", "checkins.run", "focus.nudges", "connectors.sync",
                     "connectors.health", "memory.embed_backlog", "memory.upkeep"]
    user = await make_user()
    [rid] = await add_reminders(user.id, 1, clock.now() + timedelta(seconds=1), text="check the laundry")
    others = await add_reminders(user.id, 20, clock.now() - timedelta(seconds=1), text="batch")

    scheduler = EmbeddedScheduler(embedded_jobs())
    scheduler.start()
    try:

        async def all_sent() -> bool:
            return len(await sends_per_reminder()) == 21

        assert await wait_until(all_sent, within=20)
        await asyncio.sleep(0.6)  # a few more ticks send nothing more
    finally:
        await scheduler.stop()

    counts = await sends_per_reminder()
    assert counts[str(rid)] == 1 and all(counts[str(i)] == 1 for i in others)
    laundry = [m for m in await reminder_messages(user.id) if "laundry" in m.body]
    assert laundry[0].body == "Reminder: check the laundry. Reply done, snooze 10, or cancel it."
    assert laundry[0].sent_at >= clock.now() - timedelta(seconds=30)


async def _fails(reason: str) -> None:
    raise RuntimeError(f"cannot do it: {reason}")


async def cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "personal_assistant.cli.main",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "LOG_LEVEL": "WARNING", "COLUMNS": "200"},
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode, out.decode(), err.decode()


async def test_a_failed_job_becomes_a_dead_letter_listed_and_retried_by_the_cli():
    job("tests.always_fails")(_fails)
    try:
        run_in_process("tests.always_fails", reason="the printer is on fire")
        await wait_for_in_process_jobs()
    finally:
        JOBS.pop("tests.always_fails", None)

    code, out, _ = await cli("jobs", "failed", "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert listed["task"] == "tests.always_fails"
    assert listed["kwargs"] == {"reason": "the printer is on fire"}
    assert "RuntimeError: cannot do it" in listed["error"]

    # A real job that failed earlier (say the database was down) is re-run by the CLI.
    async with session_scope() as s:
        s.add(FailedJob(task_name="reminders.deliver_due", kwargs={}, error="OperationalError", attempts=4))
    code, out, _ = await cli("jobs", "failed")
    assert code == 0 and "reminders.deliver_due" in out and "tests.always_fails" in out
    async with session_scope() as s:
        row = (await s.execute(select(FailedJob).where(FailedJob.task_name == "reminders.deliver_due"))).scalar_one()
    code, out, err = await cli("jobs", "retry", str(row.id))
    assert code == 0, err
    assert "re-ran successfully" in out
    async with session_scope() as s:
        again = await s.get(FailedJob, row.id)
        assert again.resolved_at is not None and again.attempts == 5

    code, out, _ = await cli("jobs", "failed", "--json")
    assert [r["task"] for r in json.loads(out)] == ["tests.always_fails"]  # resolved ones are hidden
    code, _, err = await cli("jobs", "retry", "not-an-id")
    assert code == 1 and "not found" in err


async def test_embedded_reminder_set_by_sms_for_one_minute_ahead_arrives_a_minute_later(make_user, settings_env):
    import time_machine

    from tests.fixtures.turns import text_assistant

    settings_env(REMINDER_TICK_SECONDS="0.2")
    user = await make_user(timezone="America/New_York")
    start = clock.now()
    with time_machine.travel(start, tick=True):
        reply = await text_assistant(user, "in 1 min remind me to check the laundry")
        assert "laundry" in reply.text
        await wait_for_in_process_jobs()
        scheduler = EmbeddedScheduler(embedded_jobs())
        scheduler.start()
        try:
            await asyncio.sleep(1.0)
            assert await reminder_messages(user.id) == []  # not before its minute
        finally:
            await scheduler.stop()

    with time_machine.travel(start + timedelta(seconds=61), tick=True):
        scheduler = EmbeddedScheduler(embedded_jobs())
        scheduler.start()
        try:

            async def arrived() -> bool:
                return len(await reminder_messages(user.id)) > 0

            assert await wait_until(arrived, within=15)
            await asyncio.sleep(0.5)
        finally:
            await scheduler.stop()
    [message] = await reminder_messages(user.id)
    assert message.body == "Reminder: check the laundry. Reply done, snooze 10, or cancel it."
    assert message.direction == "outbound" and message.to_number == user.phone
    assert timedelta(seconds=59) <= message.sent_at - start <= timedelta(seconds=90)
