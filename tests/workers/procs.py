"""Real Celery worker / beat / redis-server subprocesses for the reliability tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

from tests.fixtures import services

CELERY_APP = "personal_assistant.workers.celery_app"


def broker_url_for_tests() -> str:
    """The Redis db next to the test run's own one (TEST_REDIS_URL /5 -> /6, /15 -> /14)."""
    parts = urlsplit(services.REDIS_URL)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{db + 1 if db < 15 else db - 1}"))


def require_redis_server() -> None:
    """The Redis-restart test runs its own redis-server: a failure in CI, a skip elsewhere."""
    import pytest

    if shutil.which("redis-server"):
        return
    if services.REQUIRE:
        pytest.fail("redis-server is required on PATH for the Redis restart test")
    pytest.skip("redis-server not on PATH")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_env(broker: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        # The test process's database (conftest put it in DATABASE_URL).
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": broker,
        "REMINDER_TICK_SECONDS": "0.5",
        "REMINDER_BATCH_SIZE": "25",
        "LOG_LEVEL": "INFO",
        "LOG_JSON": "false",
        "SCHEDULER_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


class Proc:
    """One subprocess (in its own process group) with its output in a log file; stop() always
    ends it. kill() SIGKILLs the whole group: a prefork worker's children die with it, as when
    the machine or container goes down."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], logdir: Path, cwd: Path | None = None) -> None:
        self.name = name
        self.log_path = logdir / f"{name}.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(args, env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=cwd,
                                      start_new_session=True)

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the group: no shutdown handlers, no acks, leases left behind."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self, grace: float = 10.0) -> None:
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):  # children left behind by the group leader
            os.killpg(self.popen.pid, signal.SIGKILL)
        self._log.close()

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")


def assistant(*args: str) -> list[str]:
    """The `assistant` command as installed (the README's commands), from this interpreter's venv."""
    return [str(Path(sys.executable).parent / "assistant"), *args]


def wait_http(url: str, proc: Proc, timeout: float = 60.0) -> None:
    """Until `url` answers 200 (the server is up), or fail with the process's log."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive:
            raise RuntimeError(f"{proc.name} exited:\n{proc.output()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{proc.name} did not answer {url}:\n{proc.output()[-3000:]}")


def start_worker(name: str, env: dict[str, str], logdir: Path) -> Proc:
    args = [
        sys.executable, "-m", "celery", "-A", CELERY_APP, "worker", "--pool=solo", "--loglevel=INFO",
        "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    return Proc(name, args, env, logdir)


def start_beat(env: dict[str, str], logdir: Path) -> Proc:
    args = [sys.executable, "-m", "celery", "-A", CELERY_APP, "beat", "--loglevel=INFO",
            "-s", str(logdir / "beat-schedule")]
    return Proc("beat", args, env, logdir)


def start_redis(port: int, logdir: Path) -> Proc:
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no"]
    proc = Proc(f"redis-{port}-{time.monotonic_ns()}", args, dict(os.environ), logdir)
    wait_for_redis(f"redis://127.0.0.1:{port}/0")
    return proc


def wait_for_redis(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping():
                return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def wait_ready(worker: Proc, timeout: float = 30.0) -> None:
    """A worker is ready once it logs 'ready.' (connected to the broker, tasks registered)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "ready." in worker.output():
            return
        if not worker.alive:
            raise RuntimeError(f"{worker.name} exited:\n{worker.output()[-3000:]}")
        time.sleep(0.1)
    raise TimeoutError(f"{worker.name} not ready:\n{worker.output()[-3000:]}")
