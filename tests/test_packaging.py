"""The built wheel, installed WITHOUT extras into a fresh virtualenv (what the Docker image does),
migrates and serves from a directory that is not the checkout: the migrations, templates and
static files ship inside the package, and every runtime dependency is declared."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import httpx
import pytest

from tests.workers.procs import Proc, free_port, wait_http

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with only the wheel and its declared dependencies; returns its bin/."""
    work = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)], cwd=work)
    [wheel] = (work / "dist").glob("personal_assistant-*.whl")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=work)
    return bin_dir


def test_the_plain_wheel_migrates_and_serves_from_another_directory(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST", "DATABASE_URL", "REDIS"))}
    env.update({"ENVIRONMENT": "development", "PYTHONUNBUFFERED": "1", "LOG_JSON": "false"})
    env.pop("VIRTUAL_ENV", None)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    out = _run([str(installed / "assistant"), "migrate"], cwd=elsewhere, env=env)
    assert "(head)" in out
    assert (elsewhere / "data" / "assistant.db").exists()

    port = free_port()
    server = Proc("wheel-serve", [str(installed / "assistant"), "serve", "--port", str(port)], env, tmp_path,
                  cwd=elsewhere)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/health", server)
        assert httpx.get(base + "/ready", timeout=5).json()["status"] == "ok"
        signup = httpx.get(base + "/signup", timeout=5)
        assert signup.status_code == 200 and "<form" in signup.text  # templates ship in the wheel
        assert httpx.get(base + "/static/app.css", timeout=5).status_code == 200
    finally:
        server.stop()
