"""`assistant users import FILE` (CSV or JSON lines), `users --help`, error wording, and the
progress bar in a real terminal (a pty)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select
from tests.cli.test_users_cli import cli

from personal_assistant.db.models import PhoneNumber, User
from personal_assistant.db.session import session_scope

ROOT = Path(__file__).resolve().parents[2]

COHORT = """email,name,phone,timezone,role
ann@example.com,Ann,+15550100001,America/New_York,
Bob@Example.com,Bob,555 010 0002,Europe/Paris,premium
,No Email,,,
carl@example.com,Carl,12,UTC,
dee@example.com,Dee,,Mars/Base,
eve@example.com,Eve,,,boss
ann@example.com,Ann again,,,
fay@example.com,Fay,+15550100001,,
"""
BAD_LINES = {
    4: "email is missing",
    5: "invalid phone number",
    6: "unknown time zone",
    7: "unknown role",
    8: "the same email as line 2",
    9: "the same phone as line 2",
}


async def _users() -> dict[str, User]:
    async with session_scope() as s:
        return {u.email: u for u in (await s.execute(select(User))).scalars()}


async def _phones(user_id) -> list[PhoneNumber]:
    async with session_scope() as s:
        return list((await s.execute(select(PhoneNumber).where(PhoneNumber.user_id == user_id))).scalars())


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("line ")]


async def test_csv_dry_run_then_import_then_again(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(COHORT)

    dry = await cli("users", "import", str(path), "--verified-phones", "--dry-run")
    assert dry.exit_code == 1
    errors = _error_lines(dry.output)
    # One clear line per bad row, each naming its line (as an editor numbers it) and the problem once.
    assert [int(e.split()[1].rstrip(":")) for e in errors] == sorted(BAD_LINES)
    for number, why in BAD_LINES.items():
        (line,) = [e for e in errors if e.startswith(f"line {number}")]
        assert line.count(why) == 1, line
    assert "must be at least" not in dry.output
    assert "would create 2, already there 0, failed 6 (dry run: nothing was written)" in dry.output
    assert await _users() == {}

    real = await cli("users", "import", str(path), "--verified-phones")
    assert real.exit_code == 1  # the bad rows are still bad
    assert "created 2, already there 0, failed 6" in real.output
    users = await _users()
    assert set(users) == {"ann@example.com", "bob@example.com"}
    ann, bob = users["ann@example.com"], users["bob@example.com"]
    assert (ann.name, ann.timezone, ann.role) == ("Ann", "America/New_York", "standard")
    assert (bob.name, bob.timezone, bob.role) == ("Bob", "Europe/Paris", "premium")
    (phone,) = await _phones(bob.id)
    assert phone.e164 == "+15550100002" and phone.verified_at is not None and phone.is_primary

    again = await cli("users", "import", str(path), "--verified-phones", "--json")
    assert again.exit_code == 1
    result = json.loads(again.output[again.output.index("{") :])
    assert result["created"] == []
    assert [r["email"] for r in result["existing"]] == ["ann@example.com", "Bob@Example.com"]
    assert len(result["failed"]) == 6
    assert len(await _users()) == 2  # nothing doubled


async def test_json_lines_with_unverified_phones(tmp_path):
    path = tmp_path / "cohort.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"email": "gil@example.com", "name": "Gil", "phone": "+15550100003"}),
                "{not json",
                json.dumps(["a list"]),
                json.dumps({"email": "hal@example.com", "shoe_size": 44}),
                "",
                json.dumps({"email": "ida@example.com", "timezone": "Asia/Tokyo", "role": "premium"}),
            ]
        )
    )
    result = await cli("users", "import", str(path))
    assert result.exit_code == 1
    errors = _error_lines(result.output)
    assert [e.split(":")[0].split(" (")[0] for e in errors] == ["line 2", "line 3", "line 4"]
    assert "not valid JSON" in errors[0] and "one JSON object" in errors[1] and "'shoe_size'" in errors[2]
    users = await _users()
    assert set(users) == {"gil@example.com", "ida@example.com"}
    (phone,) = await _phones(users["gil@example.com"].id)
    assert phone.verified_at is None  # without --verified-phones the person verifies by code


async def test_a_file_that_cannot_be_read_is_refused_whole(tmp_path):
    unknown = tmp_path / "a.csv"
    unknown.write_text("email,phone_number\nx@example.com,+15550100009\n")
    result = await cli("users", "import", str(unknown))
    assert result.exit_code == 1 and "unknown column 'phone_number'" in result.output
    no_email = tmp_path / "b.csv"
    no_email.write_text("name,phone\nX,+15550100009\n")
    assert "no email column" in (await cli("users", "import", str(no_email))).output
    empty = tmp_path / "c.csv"
    empty.write_text("email,name\n")
    assert "no rows to import" in (await cli("users", "import", str(empty))).output
    missing = await cli("users", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2
    assert await _users() == {}


async def test_help_lists_every_command_and_errors_are_said_once():
    helped = await cli("users", "--help")
    for command in ("create", "import", "list", "show", "disable", "enable", "set-role", "delete"):
        assert command in helped.output
    short = await cli("users", "create", "--email", "s@example.com", "--password", "short")
    assert short.exit_code == 1
    assert short.output.count("at least 12 characters") == 1, short.output


def _cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST", "REDIS_URL"))}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
            "ENVIRONMENT": "development",
            "COLUMNS": "100",
            "LOG_LEVEL": "INFO",
            "LOG_JSON": "true",
        }
    )
    return env


def test_migrate_says_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "personal_assistant.cli.main", "migrate"],
        env=_cli_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("database migrated to 0") and done.stdout.strip().endswith("(head)")
    assert "alembic" not in done.stdout + done.stderr and "plugin" not in done.stderr


def test_the_import_shows_a_progress_bar_in_a_terminal_and_logs_after_it(tmp_path):
    env = _cli_env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "personal_assistant.cli.main", "migrate"], env=env, cwd=tmp_path, check=True,
        capture_output=True, timeout=120,
    )
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("email,name\n" + "".join(f"p{i}@example.com,P{i}\n" for i in range(12)))
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "personal_assistant.cli.main", "users", "import", str(cohort)],
        env=env, cwd=tmp_path, stdin=follower, stdout=follower, stderr=follower,
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other side closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert process.wait(timeout=30) == 0
    screen = b"".join(chunks).decode(errors="replace")
    assert "importing" in screen and "12/12" in screen  # the bar, filled
    assert "created 12, already there 0, failed 0" in screen
    # The audit log lines (one per account) come after the bar, not through it.
    assert screen.count('"audit_event"') >= 12
    assert screen.rindex("12/12") < screen.index('"audit_event"')
