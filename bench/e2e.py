"""End-to-end benchmark: the production mode as the README deploys it, texted by N people at once.

One `assistant serve`, one `assistant worker --concurrency 2`, one `assistant beat`, PostgreSQL and
Redis, the offline brain and the console transport. N verified users each send one signed text,
spread evenly over T seconds (open loop: a text goes out on time whether or not earlier ones were
answered). Printed per run: acknowledgement p95 (client side), reply latency p50/p95/max from the
inbound text being stored to its reply being handed to the transport (both timestamps are the
database's rows: messages.created_at of the text, sent_at of the reply), lost (no reply) and
doubled (more than one).

    .venv/bin/python bench/e2e.py --runs 1000x20,1000x10,2000x10 --write

Needs PostgreSQL at BENCH_POSTGRES_URL (database assistant_bench_e2e, recreated) and Redis at
BENCH_REDIS_URL (default redis://127.0.0.1:6379/9, flushed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    AUTH_TOKEN,
    ROOT,
    SHARED_NUMBER,
    SMS_PATH,
    free_port,
    fresh_postgres,
    migrate_with_users,
    percentile,
    phones,
    signed_text,
    write_section,
)

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
DB = "assistant_bench_e2e"
BODIES = ["add milk to groceries", "what's on my list?", "spent $12.50 on lunch", "add task renew passport",
          "remind me to take my meds at 9pm", "my goals", "remember my locker code is 4312", "grocery list"]


@dataclass
class Run:
    users: int
    seconds: float
    ack_p95_ms: float
    errors: int
    p50: float
    p95: float
    max: float
    lost: int
    doubled: int
    drained_s: float


def _assistant() -> str:
    return str(Path(sys.executable).parent / "assistant")


def _env(url: str, public_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TWILIO_ACCOUNT_SID", "GEMINI_API_KEY")}
    env.update({
        "ENVIRONMENT": "development", "DATABASE_URL": url, "REDIS_URL": REDIS_URL,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_SHARED_NUMBER": SHARED_NUMBER, "SMS_TRANSPORT": "console",
        "PUBLIC_BASE_URL": public_url, "SMS_SEND_INTERVAL_SECONDS": "0", "LOG_LEVEL": "WARNING",
        "LOG_JSON": "true", "PYTHONUNBUFFERED": "1",
    })
    return env


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([_assistant(), *args], env=env, cwd=log.parent, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _wait_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"not up: {log.read_text()[-2000:]}")


def _wait_worker(log: Path, proc: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while "ready." not in log.read_text():
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"worker not ready: {log.read_text()[-2000:]}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


async def _send_all(base_url: str, senders: list[str], seconds: float) -> tuple[list[float], int]:
    """Each sender texts once, at evenly spaced times over `seconds`."""
    forms = [signed_text(base_url, phone, BODIES[i % len(BODIES)]) for i, phone in enumerate(senders)]
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        start = time.perf_counter()

        async def one(i: int) -> None:
            nonlocal errors
            await asyncio.sleep(max(0.0, start + i * seconds / len(forms) - time.perf_counter()))
            params, signature = forms[i]
            began = time.perf_counter()
            try:
                response = await client.post(SMS_PATH, data=params, headers={"X-Twilio-Signature": signature})
                errors += 0 if response.status_code == 200 else 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - began)

        await asyncio.gather(*(one(i) for i in range(len(forms))))
    return latencies, errors


def _outcome(url: str) -> tuple[list[float], int, int, int]:
    """(reply latencies in s, inbound count, lost, doubled) read from the database."""
    import psycopg2

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("""
            SELECT i.id, extract(epoch FROM (r.sent_at - i.created_at)), r.status
            FROM messages i LEFT JOIN messages r ON r.in_reply_to_id = i.id AND r.direction = 'outbound'
            WHERE i.direction = 'inbound'""")
        rows = cur.fetchall()
    per_inbound: dict = {}
    for inbound_id, latency, status in rows:
        per_inbound.setdefault(inbound_id, []).append((latency, status))
    latencies = sorted(float(v[0][0]) for v in per_inbound.values() if len(v) == 1 and v[0][0] is not None)
    lost = sum(1 for v in per_inbound.values() if all(lat is None for lat, _ in v))
    doubled = sum(1 for v in per_inbound.values() if len(v) > 1)
    return latencies, len(per_inbound), lost, doubled


def _one_run(users: int, seconds: float, tmp: Path) -> Run:
    url = fresh_postgres(DB)
    senders = phones(users)
    migrate_with_users(url, senders)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _env(url, base_url)
    logs = {name: tmp / f"{name}-{users}x{seconds:g}.log" for name in ("serve", "worker", "beat")}
    procs = []
    try:
        serve = _start(["serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port)], env, logs["serve"])
        procs.append(serve)
        _wait_up(base_url + "/health", serve, logs["serve"])
        worker = _start(["worker", "--concurrency", "2"], env, logs["worker"])
        procs.append(worker)
        _wait_worker(logs["worker"], worker)
        procs.append(_start(["beat", "--schedule-file", str(tmp / "beat-schedule")], env, logs["beat"]))
        started = time.perf_counter()
        acks, errors = asyncio.run(_send_all(base_url, senders, seconds))
        deadline = time.time() + 180
        while True:
            latencies, inbound, lost, doubled = _outcome(url)
            if lost == 0 or time.time() > deadline:
                break
            time.sleep(1)
        drained = time.perf_counter() - started
        time.sleep(3)  # a sweep later: still nothing doubled?
        latencies, inbound, lost, doubled = _outcome(url)
    finally:
        for proc in reversed(procs):
            _stop(proc)
    acks.sort()
    return Run(users, seconds, percentile(acks, 0.95) * 1000, errors, percentile(latencies, 0.5),
               percentile(latencies, 0.95), latencies[-1] if latencies else float("nan"),
               lost + (users - inbound), doubled, drained)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", default="1000x10", help="comma-separated USERSxSECONDS, e.g. 1000x20,1000x10")
    parser.add_argument("--write", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    tmp = Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    runs = []
    for spec in args.runs.split(","):
        users, seconds = spec.lower().split("x")
        run = _one_run(int(users), float(seconds), tmp)
        runs.append(run)
        print(f"{run.users} users in {run.seconds:g} s: ack p95 {run.ack_p95_ms:.0f} ms ({run.errors} errors), "
              f"reply p50 {run.p50:.2f} s p95 {run.p95:.2f} s max {run.max:.2f} s, lost {run.lost}, "
              f"doubled {run.doubled}, all answered {run.drained_s:.1f} s after the first text")
    shutil.rmtree(tmp, ignore_errors=True)
    if args.write:
        rows = "\n".join(
            f"| {r.users} | {r.seconds:g} | {r.users / r.seconds:.0f} | {r.ack_p95_ms:.0f} | {r.errors} | "
            f"{r.p50:.2f} | {r.p95:.2f} | {r.max:.2f} | {r.lost} | {r.doubled} |" for r in runs
        )
        write_section("End to end", f"""## End to end

`bench/e2e.py` (issue 10): the production mode as the README deploys it, on this machine (one
`assistant serve`, one `assistant worker --concurrency 2`, `assistant beat`, PostgreSQL, Redis,
offline brain, console transport). N verified users each text once, evenly over T seconds; reply
latency is from the inbound text stored to its reply handed to the transport (database times).
Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, {os.cpu_count()} cores
(load average at start {load}), Python {platform.python_version()}:
`.venv/bin/python bench/e2e.py --runs {args.runs} --write`. Target: 1,000 users in 10 s with reply
p95 < 2 s, 0 lost, 0 doubled.

| users | seconds | texts/s | ack p95 ms | ack errors | reply p50 s | reply p95 s | reply max s | lost | doubled |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{rows}
""")
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
