"""Browser tests: a real uvicorn server of the app (own SQLite file, embedded scheduler on) and
Debian's chromium driven by Playwright, with axe-core (npm, pinned in tests/e2e/package-lock.json,
installed into tests/e2e/node_modules by `make test` or by this set-up) injected into every page.

Without /usr/bin/chromium or axe-core these tests are skipped, unless REQUIRE_SERVICES=1 (CI),
where that is a failure. Screenshots go to test-artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SERVER_START_TIMEOUT = 60.0


def _missing(message: str) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        _missing(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from the npm registry if `make test` did not already."""
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(  # noqa: S603 - npm from PATH, our own lock file
            ["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--loglevel=error"],
            check=False,
            timeout=300,
        )
    if not AXE.exists():
        _missing(f"axe-core is not installed at {AXE} (npm ci --prefix tests/e2e)")
    return AXE.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base_url: str
    log_path: Path
    outside_requests: list[str] = field(default_factory=list)
    # Other origins the browser may reach (a fake OAuth provider's consent redirect).
    allowed_origins: list[str] = field(default_factory=list)

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


@contextmanager
def serve(extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """`assistant migrate` then uvicorn on a free port, as `make run` does (plus `extra_env`)."""
    _require_chromium()
    workdir = Path(tempfile.mkdtemp(prefix="pa-e2e-"))
    port = _free_port()
    env = _server_env(workdir, port) | (extra_env or {})
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


@pytest.fixture(scope="module")
def live_server() -> Iterator[Server]:
    with serve() as server:
        yield server


@pytest.fixture(scope="module")
async def browser(live_server: Server) -> AsyncIterator:
    """One headless Debian chromium for the module."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def open_context(browser, live_server: Server, axe_source: str) -> AsyncIterator:
    """`await open_context(width)`: a fresh browser context (no cookies) of that width, with
    axe-core on every page and every request to anywhere but the app refused (the pages must
    work offline and load nothing from elsewhere)."""
    opened = []

    async def refuse_elsewhere(route) -> None:
        if route.request.url.startswith((live_server.base_url, *live_server.allowed_origins)):
            await route.continue_()
        else:
            live_server.outside_requests.append(route.request.url)
            await route.abort()

    async def open_one(width: int, height: int = 900):
        context = await browser.new_context(
            base_url=live_server.base_url,
            viewport={"width": width, "height": height},
            accept_downloads=True,
            timezone_id="America/New_York",
        )
        context.set_default_timeout(15_000)
        await context.add_init_script(script=axe_source)  # injected by the browser, past the page's CSP
        await context.route("**/*", refuse_elsewhere)
        opened.append(context)
        return context

    try:
        yield open_one
    finally:
        for context in opened:
            await context.close()
