"""Grafana provisioning: every dashboard is valid JSON on a provisioned datasource, every PromQL
query parses (promtool) and names only metrics a running `assistant serve` really exports, and
every SQL panel runs against the real schema as the read-only Grafana role, which cannot read a
message body."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg2
import pytest
import yaml

from tests.fixtures import services
from tests.ops.promql import exported_sample_names, metric_names, with_grafana_variables
from tests.workers.procs import Proc, free_port

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "grafana"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
# Metrics Prometheus itself adds to every target.
PROMETHEUS_OWN = {"up"}


def _datasources() -> dict[str, str]:
    config = yaml.safe_load((GRAFANA / "provisioning/datasources/datasources.yml").read_text())
    return {d["uid"]: d["type"] for d in config["datasources"]}


def _targets(kind: str):
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel.get("targets", []):
                if kind == "prometheus" and "expr" in target:
                    yield path.name, panel["title"], target["expr"]
                if kind == "sql" and "rawSql" in target:
                    yield path.name, panel["title"], target["rawSql"]


def test_dashboards_are_valid_and_use_provisioned_datasources():
    assert {p.stem for p in DASHBOARDS} >= {"sms-flow", "reminders", "agent", "errors", "cost"}
    sources = _datasources()
    uids = set()
    for path in DASHBOARDS:
        board = json.loads(path.read_text())
        assert board["uid"] not in uids and board["title"] and board["panels"], path.name
        uids.add(board["uid"])
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids)), path.name
        for panel in board["panels"]:
            assert panel["datasource"]["uid"] in sources, (path.name, panel["title"])
            assert sources[panel["datasource"]["uid"]] == panel["datasource"]["type"]
            assert panel["targets"], (path.name, panel["title"])
            assert panel["gridPos"]["x"] >= 0 and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24


def test_every_promql_query_parses(tmp_path):
    promtool = shutil.which("promtool")
    if promtool is None:
        if services.REQUIRE:
            pytest.fail("promtool is required (apt-get install prometheus)")
        pytest.skip("promtool not installed")
    rules = [{"record": f"grafana:check:{n}", "expr": with_grafana_variables(expr)}
             for n, (_, _, expr) in enumerate(_targets("prometheus"))]
    path = tmp_path / "dashboards.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def scrape(tmp_path_factory) -> str:
    """/metrics of a real `assistant serve` process (the test database; nothing migrated)."""
    port = free_port()
    env = {**os.environ, "SCHEDULER_ENABLED": "false"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    proc = Proc(f"serve-metrics-{port}", [sys.executable, "-m", "personal_assistant.cli.main", "serve",
                                          "--no-migrate", "--port", str(port)], env, tmp_path_factory.mktemp("serve"))
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.alive, proc.output()
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
                if response.status_code == 200:
                    return response.text
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, proc.output()
            time.sleep(0.2)
    finally:
        proc.stop()


def test_dashboard_queries_name_only_metrics_the_app_exports(scrape):
    exported = exported_sample_names(scrape) | PROMETHEUS_OWN
    assert "reminder_lateness_seconds_bucket" in exported and "sms_outbox_backlog" in exported
    unknown = {
        (board, title, name)
        for board, title, expr in _targets("prometheus")
        for name in metric_names(expr)
        if name not in exported
    }
    assert not unknown, sorted(unknown)


def test_alert_rules_name_only_metrics_the_app_or_its_exporters_export(scrape):
    exported = exported_sample_names(scrape) | PROMETHEUS_OWN
    # node-exporter, postgres-exporter, redis-exporter, and the backup textfile of scripts/backup.sh
    exporters = ("node_", "pg_", "redis_", "assistant_backup_")
    rules = yaml.safe_load((ROOT / "prometheus/rules/assistant.yml").read_text())
    unknown = {
        (rule["alert"], name)
        for group in rules["groups"]
        for rule in group["rules"]
        for name in metric_names(rule["expr"])
        if name not in exported and not name.startswith(exporters)
    }
    assert not unknown, sorted(unknown)


def _apply_grafana_reader_sql(role: str, password: str) -> None:
    """docker/postgres/grafana_reader.sql through psql, as deploy.sh runs it."""
    result = subprocess.run(
        ["psql", f"{services.PG_SERVER}/{services.PG_DB}", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"reader_role={role}",
         "-v", f"reader_password={password}", "-f", str(ROOT / "docker/postgres/grafana_reader.sql")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _grafana_macros(sql: str) -> str:
    return sql.replace("$__timeFilter(created_at)", "created_at BETWEEN now() - interval '7 days' AND now()")


def test_sql_panels_run_as_the_read_only_role_which_cannot_read_bodies(session):
    if not os.environ["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("the Grafana datasource is PostgreSQL")
    role = f"grafana_reader_{uuid.uuid4().hex[:8]}"
    dsn = f"{services.PG_SERVER}/{services.PG_DB}"
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        for _ in range(2):  # deploy.sh applies it after every migration
            _apply_grafana_reader_sql(role, uuid.uuid4().hex)
        with conn.cursor() as cur:
            cur.execute(f'SET ROLE "{role}"')
            for board, title, sql in _targets("sql"):
                cur.execute(_grafana_macros(sql))
                columns = [c.name for c in cur.description]
                assert "user_id" in columns or "day" in columns, (board, title)
            for forbidden in ("SELECT body FROM messages", "SELECT email FROM users",
                              "SELECT arguments FROM agent_steps", "SELECT * FROM sms_usage"):
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cur.execute(forbidden)
            cur.execute("RESET ROLE")
    finally:
        with conn.cursor() as cur:
            cur.execute("RESET ROLE")
            cur.execute(f'DROP OWNED BY "{role}"')
            cur.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.close()
