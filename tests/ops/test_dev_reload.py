"""docker-compose.dev.yml's api really reloads: the same layout without Docker (the package
installed, the mounted sources first on PYTHONPATH, the reloader watching the working directory),
then an edited source file changes what the running server answers."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.workers.procs import Proc, free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def _dev_api_service() -> dict:
    compose = yaml.safe_load((ROOT / "docker-compose.dev.yml").read_text())
    return compose["services"]["api"]


def _get(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=2)
    except httpx.HTTPError:
        return None


def test_the_dev_api_reloads_an_edited_source_file(tmp_path):
    api = _dev_api_service()
    assert "--reload" in api["command"]
    app_dir = tmp_path / "app"  # the container's working_dir /app
    mount, pythonpath = api["volumes"][0].split(":")[:2]
    assert mount == "./src" and api["environment"]["PYTHONPATH"] == pythonpath == "/app/src"
    assert api["working_dir"] == "/app"
    shutil.copytree(ROOT / "src", app_dir / "src", ignore=shutil.ignore_patterns("__pycache__"))

    port = free_port()
    env = {**os.environ, **{k: str(v) for k, v in api["environment"].items()},
           "PYTHONPATH": str(app_dir / "src"), "DATABASE_URL": os.environ["DATABASE_URL"],
           "SCHEDULER_ENABLED": "false", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL")
    command = [sys.executable, "-m", "personal_assistant.cli.main", *api["command"][1:]]
    command[command.index("--port") + 1] = str(port)
    command[command.index("--host") + 1] = "127.0.0.1"
    cwd = os.getcwd()
    os.chdir(app_dir)  # uvicorn's reloader watches the directory it starts in
    try:
        proc = Proc(f"dev-api-{port}", command, env, tmp_path)
    finally:
        os.chdir(cwd)
    try:
        url = f"http://127.0.0.1:{port}/health"
        deadline = time.monotonic() + 60
        while (first := _get(url)) is None or first.status_code != 200:
            assert proc.alive and time.monotonic() < deadline, proc.output()
            time.sleep(0.2)
        assert first.json() == {"status": "ok"}

        # The edit shows in what the server answers: /health's description in the OpenAPI document.
        main = app_dir / "src/personal_assistant/main.py"
        source = main.read_text()
        assert source.count('"""The process is up."""') == 1
        main.write_text(source.replace('"""The process is up."""', '"""The process is up (edited)."""'))
        spec = f"http://127.0.0.1:{port}/openapi.json"

        def description() -> str | None:
            answer = _get(spec)
            return answer.json()["paths"]["/health"]["get"].get("description") if answer is not None else None

        deadline = time.monotonic() + 60
        while description() != "The process is up (edited).":
            assert proc.alive and time.monotonic() < deadline, proc.output()
            time.sleep(0.3)
    finally:
        proc.stop()
