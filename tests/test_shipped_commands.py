"""The product started exactly as the README starts it, as real processes, and texted from
outside: `assistant migrate`, `assistant serve`, `assistant worker`, `assistant beat` on
PostgreSQL + Redis, and `assistant serve` alone in the embedded mode (SQLite). Then crashes:
the embedded server SIGKILLed right after acknowledging, the worker SIGKILLed mid-burst, and a
worker killed after Twilio accepted a reply but before it was recorded. Every text gets exactly
one reply; nothing is sent twice.

Signed webhooks are posted over real HTTP; replies go through the console transport (or the fake
Twilio server, which counts what it accepted). Every process is stopped in `finally`.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import Message
from personal_assistant.db.session import session_scope
from tests.fixtures.twilio import SHARED_NUMBER, TEST_AUTH_TOKEN, FakeTwilio, inbound_params, sign
from tests.workers.helpers import add_reminders, reminder_messages
from tests.workers.procs import Proc, assistant, broker_url_for_tests, free_port, wait_http, wait_ready

pytestmark = pytest.mark.integration


def product_env(**extra: str) -> dict[str, str]:
    """The environment an operator sets (README, Configuration), with test-sized timings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
    env.update({
        "ENVIRONMENT": "development",
        "SCHEDULER_ENABLED": "true",
        "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
        "TWILIO_SHARED_NUMBER": SHARED_NUMBER,
        "SMS_TRANSPORT": "console",
        "SMS_SEND_INTERVAL_SECONDS": "0",
        "LOG_LEVEL": "INFO",
        "LOG_JSON": "false",
        "PYTHONUNBUFFERED": "1",
        "REMINDER_TICK_SECONDS": "0.5",
        "SWEEP_EVERY_SECONDS": "2",
        "REDRIVE_AFTER_SECONDS": "10",
        "TURN_LEASE_SECONDS": "6",
        "OUTBOX_LEASE_SECONDS": "8",
    })
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


async def run_command(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    """One `assistant ...` command to completion: (exit code, stdout, stderr)."""
    proc = await asyncio.create_subprocess_exec(*assistant(*args), env=env, cwd=cwd,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    return proc.returncode or 0, out.decode(), err.decode()


async def post_text(client: httpx.AsyncClient, base_url: str, phone: str, body: str) -> httpx.Response:
    params = inbound_params(from_=phone, to=SHARED_NUMBER, body=body)
    url = base_url + "/webhooks/twilio/sms"
    return await client.post(url, data=params, headers={"X-Twilio-Signature": sign(url, params)})


async def wait_for(predicate, within: float, every: float = 0.25):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        value = await predicate()
        if value or loop.time() > deadline:
            return value
        await asyncio.sleep(every)


async def replies_by_inbound() -> tuple[list[Message], Counter]:
    async with session_scope() as s:
        rows = list((await s.execute(select(Message))).scalars())
    inbound = [m for m in rows if m.direction == "inbound"]
    replies = Counter(m.in_reply_to_id for m in rows if m.direction == "outbound" and m.in_reply_to_id)
    return inbound, replies


@pytest.fixture
def broker(database_url: str, redis_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("the production commands run on PostgreSQL + Redis; SQLite is the embedded mode")
    url = broker_url_for_tests()
    redis.Redis.from_url(url).flushdb()
    return url


class Stack:
    """`assistant serve`, `assistant worker`, `assistant beat` as the README runs them."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.tmp, self.env = tmp, env
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env["PUBLIC_BASE_URL"] = self.base_url
        self.procs: dict[str, Proc] = {}
        self._n = 0

    def _start(self, name: str, *args: str) -> Proc:
        self._n += 1
        proc = Proc(f"{name}-{self._n}", assistant(*args), self.env, self.tmp, cwd=self.tmp)
        self.procs[name] = proc
        return proc

    def serve(self) -> Proc:
        proc = self._start("serve", "serve", "--host", "127.0.0.1", "--port", str(self.port))
        wait_http(self.base_url + "/health", proc)
        return proc

    def worker(self, *args: str) -> Proc:
        proc = self._start("worker", "worker", *args)
        wait_ready(proc, timeout=60)
        return proc

    def beat(self) -> Proc:
        return self._start("beat", "beat", "--schedule-file", str(self.tmp / "beat-schedule"))

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.stop()


async def test_the_readme_production_commands_answer_texts_and_deliver_reminders(make_user, broker, tmp_path):
    env = product_env(REDIS_URL=broker)
    code, out, err = await run_command(env, tmp_path, "migrate")
    assert code == 0, err[-2000:]
    assert "(head)" in out
    user = await make_user()
    stack = Stack(tmp_path, env)
    try:
        stack.serve()
        stack.worker()
        stack.beat()
        async with httpx.AsyncClient(timeout=10) as client:
            ack = await post_text(client, stack.base_url, user.phone, "add milk and eggs to groceries")
        assert ack.status_code == 200 and "<Response />" in ack.text

        async def answered():
            inbound, replies = await replies_by_inbound()
            return inbound and all(replies[m.id] == 1 for m in inbound)

        assert await wait_for(answered, within=60), stack.procs["worker"].output()[-3000:]
        async with session_scope() as s:
            [reply] = (await s.execute(select(Message).where(Message.direction == "outbound"))).scalars().all()
        assert reply.status == "console" and "milk" in reply.body.lower()

        [rid] = await add_reminders(user.id, 1, clock.now(), text="take meds")

        async def delivered():
            return [m for m in await reminder_messages(user.id) if m.status == "console"]

        [sent] = await wait_for(delivered, within=30)
        assert sent.body == "Reminder: take meds. Reply done, snooze 10, or cancel it." and sent.ref_id == rid
    finally:
        stack.stop()


async def test_the_embedded_server_killed_after_acknowledging_answers_every_text_once_after_restart(tmp_path):
    """12 texts acknowledged at once, the server SIGKILLed at once, restarted: 12 replies."""
    db = tmp_path / "data" / "assistant.db"
    env = product_env(DATABASE_URL=f"sqlite:///{db}")
    phones = [f"+1555010{i:04d}" for i in range(4)]
    code, _, err = await run_command(env, tmp_path, "migrate")
    assert code == 0, err[-2000:]
    for i, phone in enumerate(phones):
        code, _, err = await run_command(env, tmp_path, "users", "create", "--email", f"embedded{i}@example.com",
                                         "--password", "a long passphrase here", "--phone", phone, "--verified")
        assert code == 0, err[-2000:]
    stack = Stack(tmp_path, env)
    try:
        server = stack.serve()
        async with httpx.AsyncClient(timeout=10) as client:
            acks = await asyncio.gather(*(
                post_text(client, stack.base_url, phone, f"add task number {n} for {phone[-2:]}")
                for phone in phones for n in range(3)
            ))
        assert [a.status_code for a in acks] == [200] * 12
        server.kill()
        stack.serve()  # the same command again

        def counts() -> tuple[int, Counter]:
            with sqlite3.connect(db) as conn:
                inbound = [r[0] for r in conn.execute("SELECT id FROM messages WHERE direction = 'inbound'")]
                replies = Counter(r[0] for r in conn.execute(
                    "SELECT in_reply_to_id FROM messages WHERE direction = 'outbound' AND in_reply_to_id IS NOT NULL"))
            return len(inbound), replies

        async def all_answered():
            n, replies = counts()
            return n == 12 and len(replies) == 12

        assert await wait_for(all_answered, within=60), stack.procs["serve"].output()[-3000:]
        await asyncio.sleep(3)  # a sweep or two more: still one reply each
        n, replies = counts()
        assert n == 12 and set(replies.values()) == {1}
        with sqlite3.connect(db) as conn:
            tasks = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        assert tasks == 12  # every request acted on exactly once
    finally:
        stack.stop()


async def test_the_worker_killed_mid_burst_then_restarted_answers_every_text_exactly_once(make_user, broker, tmp_path):
    users = [await make_user() for _ in range(60)]
    env = product_env(REDIS_URL=broker)
    stack = Stack(tmp_path, env)
    try:
        stack.serve()
        worker = stack.worker("--concurrency", "2")
        stack.beat()
        gate = asyncio.Semaphore(20)

        async def one(client, user, n):
            async with gate:
                response = await post_text(client, stack.base_url, user.phone, f"remember the code for locker {n}")
                assert response.status_code == 200

        async with httpx.AsyncClient(timeout=15) as client:
            burst = asyncio.gather(*(one(client, u, n) for u in users for n in range(5)))

            async def some_answered():
                _, replies = await replies_by_inbound()
                return len(replies) >= 60

            await wait_for(some_answered, within=60)
            worker.kill()  # mid-burst: turns, leases and prefetched jobs die with it
            killed_at = time.monotonic()
            await burst
        stack.worker("--concurrency", "2")

        async def all_answered():
            inbound, replies = await replies_by_inbound()
            return len(inbound) == 300 and all(replies[m.id] >= 1 for m in inbound)

        assert await wait_for(all_answered, within=120), stack.procs["worker"].output()[-3000:]
        await asyncio.sleep(5)
        inbound, replies = await replies_by_inbound()
        assert len(inbound) == 300 and all(replies[m.id] == 1 for m in inbound)
        async with session_scope() as s:
            rows = list((await s.execute(select(Message).where(Message.direction == "outbound"))).scalars())
        received = {m.id: m.created_at for m in inbound}
        slowest = max((r.created_at - received[r.in_reply_to_id]).total_seconds() for r in rows)
        assert slowest <= 90, f"slowest reply took {slowest:.1f} s ({time.monotonic() - killed_at:.1f} s since kill)"
    finally:
        stack.stop()


async def test_a_worker_killed_after_twilio_accepted_the_reply_sends_no_second_text(make_user, broker, tmp_path):
    fake = FakeTwilio().start()
    env = product_env(REDIS_URL=broker, SMS_TRANSPORT="twilio", TWILIO_ACCOUNT_SID=fake.account_sid,
                      TWILIO_AUTH_TOKEN=fake.auth_token, TWILIO_API_BASE_URL=fake.base_url)
    stack = Stack(tmp_path, env)
    try:
        user = await make_user()
        stack.serve()
        worker = stack.worker()
        stack.beat()
        fake.after_accept = worker.kill  # Twilio has it; our process dies before hearing back
        async with httpx.AsyncClient(timeout=10) as client:
            assert (await post_text(client, stack.base_url, user.phone, "add task call the vet")).status_code == 200

        async def accepted():
            return fake.sent_messages

        assert await wait_for(accepted, within=60)
        fake.after_accept = None
        stack.worker()

        async def settled():
            async with session_scope() as s:
                rows = list((await s.execute(select(Message).where(Message.direction == "outbound"))).scalars())
            return rows and all(m.status == "queued" for m in rows)

        assert await wait_for(settled, within=60), stack.procs["worker"].output()[-3000:]
        await asyncio.sleep(4)
        assert len(fake.sent_messages) == 1 and len(fake.message_posts()) == 1
        _, replies = await replies_by_inbound()
        assert list(replies.values()) == [1]
    finally:
        stack.stop()
        fake.stop()
