"""Every alert rule has a promtool unit test in which it fires (and promtool runs them, when installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.fixtures import services

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "prometheus"


def _alerts() -> set[str]:
    names = set()
    for path in (PROMETHEUS / "rules").glob("*.yml"):
        for group in yaml.safe_load(path.read_text())["groups"]:
            names.update(rule["alert"] for rule in group["rules"] if "alert" in rule)
    return names


def _firing_tests() -> set[str]:
    fired = set()
    for path in (PROMETHEUS / "tests").glob("*.yml"):
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                if case.get("exp_alerts"):
                    fired.add(case["alertname"])
    return fired


def test_every_alert_has_a_unit_test_where_it_fires():
    alerts = _alerts()
    assert len(alerts) >= 16
    assert alerts - _firing_tests() == set()


def test_promtool_runs_the_alert_unit_tests():
    promtool = shutil.which("promtool")
    if promtool is None:
        if services.REQUIRE:
            pytest.fail("promtool is required (apt-get install prometheus)")
        pytest.skip("promtool not installed")
    result = subprocess.run([promtool, "test", "rules", "tests/assistant_test.yml"], cwd=PROMETHEUS,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
