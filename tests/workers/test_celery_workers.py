"""Reliability with real processes: Celery workers (solo pool, each its own process and env),
Celery beat sending the ticks, a real Redis broker, PostgreSQL as the truth.

A reminder due now is sent once; 500 due at once across two workers are each sent exactly once;
a worker killed with SIGKILL mid-batch and a restarted one still send every reminder exactly
once; a Redis restart while reminders are pending loses none; a task failing in a worker
becomes a dead letter. Every wait is bounded; every process is stopped in `finally`.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import pytest
import redis
from sqlalchemy import func, select

from personal_assistant.core import clock
from personal_assistant.db.models import FailedJob, ReminderDelivery
from personal_assistant.db.session import session_scope
from personal_assistant.workers.celery_app import build_celery
from tests.workers.helpers import add_reminders, sends_per_reminder
from tests.workers.procs import (
    Proc,
    broker_url_for_tests,
    free_port,
    require_redis_server,
    start_beat,
    start_redis,
    start_worker,
    wait_ready,
    worker_env,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def broker(database_url: str, redis_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("several worker processes share PostgreSQL (SKIP LOCKED); SQLite is the one-process embedded mode")
    url = broker_url_for_tests()
    redis.Redis.from_url(url).flushdb()
    return url


async def wait_for_sends(expected: int, within: float) -> Counter[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    counts = await sends_per_reminder()
    while len(counts) < expected and loop.time() < deadline:
        await asyncio.sleep(0.25)
        counts = await sends_per_reminder()
    return counts


async def settle_and_count(seconds: float = 2.0) -> Counter[str]:
    """Let a few more ticks run (they must send nothing more), then count."""
    await asyncio.sleep(seconds)
    return await sends_per_reminder()


async def ledger_outcomes() -> Counter[str]:
    async with session_scope() as s:
        rows = await s.execute(select(ReminderDelivery.outcome, func.count()).group_by(ReminderDelivery.outcome))
        return Counter(dict(rows.all()))


async def users_with_reminders(make_user, users: int, each: int, **fields) -> list[str]:
    ids: list[str] = []
    due = clock.now()
    for _ in range(users):
        user = await make_user()
        ids += [str(i) for i in await add_reminders(user.id, each, due, **fields)]
    return ids


def stop_all(procs: list[Proc]) -> None:
    for proc in reversed(procs):
        proc.stop()


def deliveries_logged(proc: Proc) -> int:
    return len(re.findall(r"reminder\.delivery .*outcome=sent", proc.output()))


async def test_a_due_reminder_is_sent_once_and_a_failing_task_becomes_a_dead_letter(make_user, broker, tmp_path):
    [rid] = await users_with_reminders(make_user, 1, 1, text="take meds")
    env = worker_env(broker)
    procs: list[Proc] = []
    try:
        procs.append(start_worker("solo1", env, tmp_path))
        wait_ready(procs[-1])
        procs.append(start_beat(env, tmp_path))
        counts = await wait_for_sends(1, within=30)
        assert counts == {rid: 1}
        assert await settle_and_count() == {rid: 1}

        # A task that raises (here: called with an argument it does not take) is not retried
        # forever: it is stored as a dead letter with its error.
        producer = build_celery(broker)
        producer.send_task("reminders.deliver_due", kwargs={"unexpected": 1})
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        failed: list[FailedJob] = []
        while not failed and loop.time() < deadline:
            await asyncio.sleep(0.25)
            async with session_scope() as s:
                failed = list((await s.execute(select(FailedJob))).scalars())
        assert [(f.task_name, f.kwargs) for f in failed] == [("reminders.deliver_due", {"unexpected": 1})]
        assert "TypeError" in failed[0].error
    finally:
        stop_all(procs)


async def test_500_reminders_due_at_once_across_two_workers_are_each_sent_exactly_once(make_user, broker, tmp_path):
    ids = await users_with_reminders(make_user, 10, 50)
    env = worker_env(broker)
    procs: list[Proc] = []
    try:
        workers = [start_worker(f"w{i}", env, tmp_path) for i in (1, 2)]
        procs += workers
        for worker in workers:
            wait_ready(worker)
        procs.append(start_beat(env, tmp_path))
        counts = await wait_for_sends(500, within=120)
        assert len(counts) == 500, f"only {len(counts)} of 500 sent"
        counts = await settle_and_count()
        assert set(counts) == set(ids) and set(counts.values()) == {1}
        outcomes = await ledger_outcomes()
        assert set(outcomes) <= {"sent", "late"} and outcomes.total() == 500, outcomes
        # Both workers took part (beat's ticks went to whichever was free).
        assert all(deliveries_logged(w) > 0 for w in workers), [deliveries_logged(w) for w in workers]
    finally:
        stop_all(procs)


async def test_a_worker_killed_mid_batch_then_restarted_sends_every_reminder_exactly_once(
    make_user, broker, tmp_path
):
    total = 1500
    ids = await users_with_reminders(make_user, 15, 100)
    env = worker_env(broker)
    procs: list[Proc] = []
    try:
        first = start_worker("doomed", env, tmp_path)
        procs.append(first)
        wait_ready(first)
        procs.append(start_beat(env, tmp_path))
        counts = await wait_for_sends(100, within=60)
        first.kill()
        at_kill = len(await sends_per_reminder())
        assert 100 <= at_kill < total, f"{at_kill} sent when the worker was killed"

        restarted = start_worker("restarted", env, tmp_path)
        procs.append(restarted)
        wait_ready(restarted)
        counts = await wait_for_sends(total, within=180)
        assert len(counts) == total, f"only {len(counts)} of {total} sent"
        counts = await settle_and_count(4.0)  # > the 3 s lease: expired claims were retaken
        assert set(counts) == set(ids) and set(counts.values()) == {1}
        outcomes = await ledger_outcomes()
        # Every attempt recorded as sent (or sent late), none left pending, none doubled.
        assert set(outcomes) <= {"sent", "late"} and outcomes.total() == total, outcomes
    finally:
        stop_all(procs)


async def test_redis_restarted_while_reminders_are_pending_loses_none(make_user, broker, tmp_path):
    require_redis_server()
    port = free_port()
    own_broker = f"redis://127.0.0.1:{port}/0"
    env = worker_env(own_broker)
    procs: list[Proc] = []
    redis_proc = start_redis(port, tmp_path)
    try:
        procs.append(start_worker("survivor", env, tmp_path))
        wait_ready(procs[-1])
        procs.append(start_beat(env, tmp_path))
        before = await users_with_reminders(make_user, 1, 20)
        assert len(await wait_for_sends(20, within=30)) == 20

        # Redis dies (nothing persisted: --save "" --appendonly no) with reminders pending.
        redis_proc.kill()
        redis_proc.stop()
        during = await users_with_reminders(make_user, 2, 30)
        await asyncio.sleep(3)
        assert len(await sends_per_reminder()) == 20  # nothing can be dispatched without a broker
        redis_proc = start_redis(port, tmp_path)

        counts = await wait_for_sends(80, within=90)
        assert len(counts) == 80, f"only {len(counts)} of 80 sent after the restart"
        counts = await settle_and_count()
        assert set(counts) == set(before + during) and set(counts.values()) == {1}
    finally:
        stop_all(procs)
        redis_proc.stop()
