"""deploy.sh as an operator runs it: --dry-run prints the plan after a real preflight, a missing
secret or a bad PUBLIC_BASE_URL stops it, and the rolling restart replaces containers one at a
time behind a health gate. No Docker daemon runs here, so the last part drives the real script
against a stand-in `docker` on PATH that keeps the containers' state in a file."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ["database_url", "redis_url", "secret_key", "encryption_keys", "metrics_token", "postgres_password",
            "redis_password", "redis_exporter_passwords", "backup_passphrase", "grafana_admin_password",
            "grafana_db_password", "tls/fullchain.pem", "tls/privkey.pem", "twilio_account_sid",
            "twilio_auth_token", "gemini_api_key", "smtp_password"]

FAKE_DOCKER = r'''#!PYTHON
"""A stand-in for the docker CLI: services and containers in a JSON file; new containers of a
service turn healthy unless FAKE_UNHEALTHY names that service."""
import json, os, sys
state_path = os.environ["FAKE_DOCKER_STATE"]
state = json.load(open(state_path))
log = open(os.environ["FAKE_DOCKER_LOG"], "a")
args = sys.argv[1:]
log.write(" ".join(args) + "\n")
def save():
    json.dump(state, open(state_path, "w"))
def new_id():
    state["seq"] += 1
    return f"c{state['seq']:03d}"
if args[:2] == ["compose", "version"]:
    print("Docker Compose version v2.fake"); sys.exit(0)
if args[0] == "compose":
    args = args[3:]  # drop -f FILE
    verb = args[0]
    if verb == "ps":
        service = args[-1]
        print("\n".join(c for c, s in state["containers"].items() if s["service"] == service))
    elif verb == "up" and "--scale" in args:
        service, count = args[args.index("--scale") + 1].split("=")
        mine = [c for c, s in state["containers"].items() if s["service"] == service]
        for _ in range(int(count) - len(mine)):
            bad = service == os.environ.get("FAKE_UNHEALTHY")
            state["containers"][new_id()] = {"service": service, "image": "new",
                                             "health": "unhealthy" if bad else "healthy"}
        save()
    sys.exit(0)
if args[0] == "inspect":
    print(state["containers"][args[-1]]["health"]); sys.exit(0)
if args[0] in ("stop",):
    state["containers"][args[-1]]["health"] = "exited"; save(); sys.exit(0)
if args[0] == "rm":
    state["containers"].pop(args[-1], None); save(); sys.exit(0)
if args[0] == "logs":
    sys.exit(0)
sys.exit(f"fake docker: unhandled {args}")
'''


def _secrets(tmp_path: Path) -> Path:
    folder = tmp_path / "secrets"
    (folder / "tls").mkdir(parents=True)
    for name in REQUIRED:
        (folder / name).write_text("value\n")
    (folder / "postgres_password").write_text("pg-secret")
    (folder / "database_url").write_text("postgresql://assistant:pg-secret@postgres:5432/assistant")
    (folder / "redis_password").write_text("redis-secret")
    (folder / "redis_url").write_text("redis://:redis-secret@redis:6379/0")
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o600)
    return folder


def _deploy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "deploy.sh"), *args], capture_output=True, text=True, env=env, timeout=120)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "SECRETS_DIR": str(_secrets(tmp_path)), "PUBLIC_BASE_URL": "https://assistant.example.org",
            **extra}


def test_dry_run_prints_the_plan_in_order(tmp_path):
    result = _deploy("prod", "--dry-run", env=_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    steps = ["preflight ok", "build migrate backup", "up -d --wait postgres redis", "run --rm migrate",
             "grafana_reader.sql", "--scale api=3 api", "wait until the new container reports healthy",
             "<old api container 2>", "--scale worker=4 worker", "<old worker container 3>",
             "--force-recreate beat", "/ready"]
    positions = [out.index(step) for step in steps]
    assert positions == sorted(positions)
    assert out.count("nginx -s reload") == 2  # once per replaced api container


def test_stage_runs_one_api_and_three_workers(tmp_path):
    result = _deploy("stage", "--dry-run", env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "rolling restart of api (1)" in result.stdout and "rolling restart of worker (3)" in result.stdout


@pytest.mark.parametrize("missing", ["metrics_token", "tls/privkey.pem", "twilio_auth_token"])
def test_a_missing_secret_stops_the_deploy_and_is_named(tmp_path, missing):
    env = _env(tmp_path)
    (Path(env["SECRETS_DIR"]) / missing).unlink()
    result = _deploy("prod", "--dry-run", env=env)
    assert result.returncode == 1 and missing in result.stderr
    assert "build" not in result.stdout


def test_a_local_or_plain_http_public_url_is_refused(tmp_path):
    for url in ("http://assistant.example.org", "https://localhost:8443", "https://127.0.0.1"):
        result = _deploy("prod", "--dry-run", env={**_env(tmp_path / url.replace("/", "_")), "PUBLIC_BASE_URL": url})
        assert result.returncode == 1 and "PUBLIC_BASE_URL" in result.stderr


def test_secrets_readable_by_everyone_are_refused(tmp_path):
    env = _env(tmp_path)
    path = Path(env["SECRETS_DIR"]) / "secret_key"
    path.chmod(path.stat().st_mode | stat.S_IROTH)
    result = _deploy("prod", "--dry-run", env=env)
    assert result.returncode == 1 and "chmod 600" in result.stderr


def _fake_docker(tmp_path: Path, **containers: int) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    docker = bin_dir / "docker"
    docker.write_text(FAKE_DOCKER.replace("#!PYTHON", f"#!{sys.executable}"))
    docker.chmod(0o755)
    state = {"seq": 0, "containers": {}}
    for service, count in containers.items():
        for _ in range(count):
            state["seq"] += 1
            state["containers"][f"c{state['seq']:03d}"] = {"service": service, "image": "old", "health": "healthy"}
    (tmp_path / "state.json").write_text(json.dumps(state))
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_DOCKER_STATE": str(tmp_path / "state.json"),
            "FAKE_DOCKER_LOG": str(tmp_path / "docker.log")}


def _state(tmp_path: Path) -> dict[str, dict]:
    return json.loads((tmp_path / "state.json").read_text())["containers"]


def test_the_rolling_restart_replaces_every_container_one_at_a_time(tmp_path):
    env = {**_env(tmp_path), **_fake_docker(tmp_path, api=2, worker=3, beat=1)}
    result = _deploy("prod", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    running = _state(tmp_path)
    by_service = {s: sorted(c["image"] for c in running.values() if c["service"] == s) for s in ("api", "worker")}
    assert by_service == {"api": ["new", "new"], "worker": ["new", "new", "new"]}
    calls = (tmp_path / "docker.log").read_text().splitlines()
    # Never fewer than the wanted api replicas: each old one is stopped only after a new one is healthy.
    scale_ups = [n for n, c in enumerate(calls) if "--scale api=" in c]
    stops = [n for n, c in enumerate(calls) if c.startswith("stop")]
    assert len(scale_ups) == 2 and scale_ups[0] < stops[0] < scale_ups[1] < stops[1]


def test_an_unhealthy_new_api_is_removed_and_the_old_ones_keep_serving(tmp_path):
    env = {**_env(tmp_path), **_fake_docker(tmp_path, api=2, worker=3), "FAKE_UNHEALTHY": "api"}
    result = _deploy("prod", "--timeout", "5", env=env)
    assert result.returncode == 1 and "old api containers keep serving" in result.stderr
    running = _state(tmp_path)
    assert sorted((c["service"], c["image"], c["health"]) for c in running.values()) == [
        ("api", "old", "healthy"), ("api", "old", "healthy"),
        ("worker", "old", "healthy"), ("worker", "old", "healthy"), ("worker", "old", "healthy")]
    assert "--scale worker" not in (tmp_path / "docker.log").read_text()  # workers untouched
