"""In development the public URL (links in texts and emails) follows the address actually served;
an explicit PUBLIC_BASE_URL always wins, and outside development it is required."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from personal_assistant.config import Settings, url_for_bind

ROOT = Path(__file__).resolve().parents[1]


def _settings(monkeypatch, **env: str) -> Settings:
    for name in ("PUBLIC_BASE_URL", "SERVED_URL", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def test_the_default_follows_the_served_address_in_development(monkeypatch):
    assert _settings(monkeypatch).public_base_url == "http://localhost:8000"
    served = _settings(monkeypatch, SERVED_URL="http://127.0.0.1:9000")
    assert served.public_base_url == "http://127.0.0.1:9000"
    explicit = _settings(monkeypatch, SERVED_URL="http://127.0.0.1:9000", PUBLIC_BASE_URL="https://tunnel.example")
    assert explicit.public_base_url == "https://tunnel.example"
    production = _settings(monkeypatch, SERVED_URL="http://127.0.0.1:9000", ENVIRONMENT="production")
    assert production.public_base_url == "http://localhost:8000"  # never guessed: check_secure refuses it


def test_bind_addresses_become_urls_a_browser_can_open():
    assert url_for_bind("0.0.0.0", 9000) == "http://localhost:9000"
    assert url_for_bind("::", 8001) == "http://localhost:8001"
    assert url_for_bind("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert url_for_bind("::1", 8000) == "http://[::1]:8000"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.integration
def test_assistant_serve_on_another_port_emails_links_to_that_port(tmp_path):
    """`assistant serve --port P` (what `make run PORT=P` runs): the magic-link email points at P."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
    for name in ("PUBLIC_BASE_URL", "SERVED_URL", "REDIS_URL", "SMTP_HOST"):
        env.pop(name, None)
    env.update(
        {
            "ENVIRONMENT": "development",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
            "LOG_JSON": "true",
            "LOG_LEVEL": "INFO",
            "SCHEDULER_ENABLED": "false",
        }
    )
    cli = [sys.executable, "-m", "personal_assistant.cli.main"]
    subprocess.run([*cli, "migrate"], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    subprocess.run(
        [*cli, "users", "create", "--email", "port@example.com", "--password", "a calm and long passphrase"],
        env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120,
    )
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603
            [*cli, "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=tmp_path, stdout=log_file, stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, log_path.read_text()
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            asked = httpx.post(base + "/api/v1/auth/magic-link", json={"email": "port@example.com"}, timeout=10)
            assert asked.status_code == 202, asked.text
            deadline = time.monotonic() + 20
            emails = []
            while not emails and time.monotonic() < deadline:
                lines = log_path.read_text().splitlines()
                emails = [json.loads(x) for x in lines if x.startswith("{") and '"email.console"' in x]
                time.sleep(0.2)
            assert emails, log_path.read_text()
            assert f"{base}/api/v1/auth/magic-link/verify?token=" in emails[-1]["body"]
        finally:
            server.terminate()
            server.wait(timeout=15)
