"""`assistant keys rotate` on thousands of tokens: everything re-encrypted under the new key, in
batches, with rows of both versions decrypting mid-rotation."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from personal_assistant.cli.main import app
from personal_assistant.config import DEV_ENCRYPTION_KEYS
from personal_assistant.connectors import oauth, rotation
from personal_assistant.connectors.base import TokenSet
from personal_assistant.core.crypto import generate_key
from personal_assistant.db.models import Connector, User
from personal_assistant.db.session import dispose_engine, session_scope

ROWS = 2400


async def _many_users_with_tokens(n: int) -> None:
    async with session_scope() as session:
        users = [User(email=f"rot{i}@example.com", password_hash="x", timezone="UTC") for i in range(n // 2)]
        session.add_all(users)
        await session.flush()
        for i, user in enumerate(users):
            for provider in ("google", "notion"):
                row = Connector(user_id=user.id, provider=provider, scopes=["x"], settings={})
                seal_tokens = TokenSet(access_token=f"at-{i}-{provider}", refresh_token=f"rt-{i}-{provider}")
                oauth.seal(row, seal_tokens)
                session.add(row)


async def test_rotation_reencrypts_everything_and_old_rows_keep_decrypting(settings_env):
    await _many_users_with_tokens(ROWS)
    two_keys = f"{DEV_ENCRYPTION_KEYS},2:{generate_key()}"
    settings_env(ENCRYPTION_KEYS=two_keys)
    assert await rotation.count_stale() == ROWS

    # mid-rotation: one batch done (as rotate() does it), the rest still under v1; every row decrypts
    async with session_scope() as s:
        rows = list((await s.execute(select(Connector).order_by(Connector.id).limit(500))).scalars())
        for row in rows:
            oauth.reseal(row)
    async with session_scope() as s:
        versions = dict((await s.execute(
            select(Connector.key_version, func.count()).group_by(Connector.key_version))).all())
    assert versions == {1: ROWS - 500, 2: 500}
    async with session_scope() as s:
        for row in (await s.execute(select(Connector))).scalars():
            tokens = oauth.unseal(row)
            assert tokens.access_token and tokens.access_token.startswith("at-")

    # the CLI finishes the job, in batches, with a JSON summary
    await dispose_engine()
    result = await asyncio.to_thread(CliRunner().invoke, app, ["keys", "rotate", "--batch-size", "300", "--json"])
    await dispose_engine()
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["key_version"] == 2
    assert summary["reencrypted"]["connectors"] == ROWS - 500
    assert summary["remaining"] == 0
    async with session_scope() as s:
        rows = list((await s.execute(select(Connector))).scalars())
    assert all(r.key_version == 2 and (r.access_token_encrypted or "").startswith("v2:") for r in rows)
    assert all((r.refresh_token_encrypted or "").startswith("v2:") for r in rows)

    # the old key can go now: every row still decrypts with the new one alone
    settings_env(ENCRYPTION_KEYS=two_keys.split(",", 1)[1])
    assert all(oauth.unseal(r).refresh_token for r in rows[:50])
    await dispose_engine()
    again = await asyncio.to_thread(CliRunner().invoke, app, ["keys", "rotate", "--json"])
    await dispose_engine()
    assert json.loads(again.output.strip().splitlines()[-1])["total_reencrypted"] == 0


async def test_keys_add_prints_a_new_version(settings_env):
    result = await asyncio.to_thread(CliRunner().invoke, app, ["keys", "add", "--json"])
    data = json.loads(result.output)
    assert data["key_version"] == 2
    assert data["ENCRYPTION_KEYS"].startswith(DEV_ENCRYPTION_KEYS + ",2:")
