"""Browser tests: a real uvicorn server of the app (own SQLite file, embedded scheduler on) and
Debian's chromium driven by Playwright.

Without /usr/bin/chromium these tests are skipped, unless REQUIRE_SERVICES=1 (CI), where that
is a failure. Screenshots go to test-artifacts/e2e/ (gitignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
SERVER_START_TIMEOUT = 60.0


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base_url: str
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _server_env(workdir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
    for name in (
        "REDIS_URL",
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "GEMINI_API_KEY",
        "SMTP_HOST",
        "TWILIO_SHARED_NUMBER",
    ):
        env.pop(name, None)
    env.update(
        {
            "ENVIRONMENT": "development",
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'e2e.db'}",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "SCHEDULER_ENABLED": "true",
            "REMINDER_TICK_SECONDS": "1",
            "SMS_SEND_INTERVAL_SECONDS": "0",
            "LOG_JSON": "false",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@pytest.fixture(scope="module")
def live_server() -> Iterator[Server]:
    """`assistant migrate` then uvicorn on a free port, as `make run` does."""
    _require_chromium()
    workdir = Path(tempfile.mkdtemp(prefix="pa-e2e-"))
    port = _free_port()
    env = _server_env(workdir, port)
    migrate = subprocess.run(
        [sys.executable, "-m", "personal_assistant.cli.main", "migrate"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    log_path = workdir / "server.log"
    log_file = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "uvicorn",
            "personal_assistant.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", log_path)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{server.log_tail()}")
            try:
                if httpx.get(server.base_url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer /health in {SERVER_START_TIMEOUT:.0f}s:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log_file.close()


@pytest.fixture
async def browser_page(live_server: Server) -> AsyncIterator:
    """A fresh phone-sized browser page (375 px wide) on the live server."""
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = await browser.new_context(
            base_url=live_server.base_url,
            viewport={"width": 375, "height": 812},
            accept_downloads=True,
            timezone_id="America/New_York",
        )
        context.set_default_timeout(15_000)
        page = await context.new_page()
        try:
            yield page
        finally:
            await context.close()
            await browser.close()
