"""`assistant users ...` through Typer's CliRunner (run in a thread: the CLI calls asyncio.run)."""

from __future__ import annotations

import asyncio
import json

from typer.testing import CliRunner

from personal_assistant.cli.main import app
from personal_assistant.db.session import dispose_engine

runner = CliRunner()
PASSWORD = "plum-orbit-canyon-77"


async def cli(*args: str, input: str | None = None):
    # The CLI builds and disposes its own engine on its own event loop; hand it a clean slate.
    await dispose_engine()
    result = await asyncio.to_thread(runner.invoke, app, list(args), input=input)
    await dispose_engine()
    return result


async def test_create_then_log_in_through_the_api(client):
    result = await cli(
        "users",
        "create",
        "--email",
        "a@example.com",
        "--password",
        PASSWORD,
        "--phone",
        "+15550001111",
        "--verified",
        "--timezone",
        "America/New_York",
    )
    assert result.exit_code == 0, result.output
    assert "created user a@example.com" in result.output

    login = await client.post("/api/v1/auth/login", json={"email": "a@example.com", "password": PASSWORD})
    assert login.status_code == 200, login.text
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    body = me.json()
    assert body["timezone"] == "America/New_York"
    assert body["phones"] == [{**body["phones"][0], "e164": "+15550001111", "verified": True, "is_primary": True}]


async def test_failures_exit_non_zero_with_a_message():
    ok = await cli("users", "create", "--email", "dup@example.com", "--password", PASSWORD)
    assert ok.exit_code == 0
    duplicate = await cli("users", "create", "--email", "dup@example.com", "--password", PASSWORD)
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    weak = await cli("users", "create", "--email", "weak@example.com", "--password", "password1234")
    assert weak.exit_code == 1 and "password" in weak.output and "common" in weak.output
    bad_tz = await cli(
        "users", "create", "--email", "tz@example.com", "--password", PASSWORD, "--timezone", "Nowhere/Land"
    )
    assert bad_tz.exit_code == 1 and "timezone" in bad_tz.output
    bad_role = await cli("users", "create", "--email", "r@example.com", "--password", PASSWORD, "--role", "boss")
    assert bad_role.exit_code == 1 and "role" in bad_role.output
    unknown = await cli("users", "show", "nobody@example.com")
    assert unknown.exit_code == 1 and "not found" in unknown.output
    for command in (["disable"], ["enable"], ["set-role"], ["delete"]):
        args = (
            ["users", *command, "nobody@example.com"]
            + (["admin"] if command == ["set-role"] else [])
            + (["--yes"] if command == ["delete"] else [])
        )
        result = await cli(*args)
        assert result.exit_code == 1, command


async def test_list_show_disable_enable_set_role_delete(client):
    await cli("users", "create", "--email", "b@example.com", "--password", PASSWORD, "--name", "Bea")
    await cli("users", "create", "--email", "c@example.com", "--password", PASSWORD)

    listed = await cli("users", "list", "--json")
    assert listed.exit_code == 0
    rows = json.loads(listed.output)
    assert [r["email"] for r in rows] == ["b@example.com", "c@example.com"]
    table = await cli("users", "list")
    assert "b@example.com" in table.output

    shown = await cli("users", "show", "b@example.com", "--json")
    assert json.loads(shown.output)["name"] == "Bea"
    by_id = await cli("users", "show", rows[0]["id"])
    assert "b@example.com" in by_id.output

    assert (await cli("users", "disable", "b@example.com")).exit_code == 0
    denied = await client.post("/api/v1/auth/login", json={"email": "b@example.com", "password": PASSWORD})
    assert denied.status_code == 401
    assert (await cli("users", "enable", "b@example.com")).exit_code == 0
    allowed = await client.post("/api/v1/auth/login", json={"email": "b@example.com", "password": PASSWORD})
    assert allowed.status_code == 200

    assert (await cli("users", "set-role", "b@example.com", "premium")).exit_code == 0
    assert json.loads((await cli("users", "show", "b@example.com", "--json")).output)["role"] == "premium"

    declined = await cli("users", "delete", "c@example.com", input="n\n")
    assert declined.exit_code == 1
    assert (await cli("users", "delete", "c@example.com", "--yes")).exit_code == 0
    remaining = json.loads((await cli("users", "list", "--json")).output)
    assert [r["email"] for r in remaining] == ["b@example.com"]
