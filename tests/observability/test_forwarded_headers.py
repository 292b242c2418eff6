"""X-Forwarded-For is believed only from FORWARDED_ALLOW_IPS, in the real `assistant serve`.

Before the fix uvicorn trusted 127.0.0.1 by default, so any local process could reset the
per-IP login limit and fake the IP written to the audit log by sending X-Forwarded-For.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from personal_assistant.db.models import AuditEvent
from personal_assistant.db.session import session_scope
from tests.workers.procs import Proc, free_port

pytestmark = pytest.mark.integration


def _serve(tmp_path: Path, **env: str) -> tuple[Proc, str]:
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k != "FORWARDED_ALLOW_IPS"}
    environ.update({"LOGIN_RATE_LIMIT": "3/minute", "SCHEDULER_ENABLED": "false", **env})
    proc = Proc(f"serve-{port}", [sys.executable, "-m", "personal_assistant.cli.main", "serve", "--no-migrate",
                                  "--port", str(port)], environ, tmp_path)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.alive, proc.output()
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.stop()
    raise AssertionError("assistant serve did not start:\n" + proc.output())


def _failed_logins(base: str, forwarded: list[str]) -> list[int]:
    statuses = []
    for n, ip in enumerate(forwarded):
        response = httpx.post(
            base + "/api/v1/auth/login",
            json={"email": f"nobody{n}-{time.monotonic_ns()}@example.com", "password": "wrong password here"},
            headers={"X-Forwarded-For": ip},
            timeout=10,
        )
        statuses.append(response.status_code)
    return statuses


async def _audit_ips() -> set[str | None]:
    async with session_scope() as s:
        rows = (await s.execute(select(AuditEvent).where(AuditEvent.event == "auth.login_failed"))).scalars()
        return {row.ip for row in rows}


async def test_without_a_trusted_proxy_forwarded_headers_change_nothing(tmp_path):
    proc, base = _serve(tmp_path)
    try:
        statuses = _failed_logins(base, ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"])
    finally:
        proc.stop()
    # Four different forged addresses from one socket: still one client, limited after three.
    assert statuses == [401, 401, 401, 429]
    assert await _audit_ips() == {"127.0.0.1"}


async def test_the_configured_proxy_is_believed(tmp_path):
    proc, base = _serve(tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1")
    try:
        statuses = _failed_logins(base, ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"])
    finally:
        proc.stop()
    # Behind the proxy each real client has its own window and its own address in the audit log.
    assert statuses == [401, 401, 401, 401]
    assert await _audit_ips() == {"198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"}
