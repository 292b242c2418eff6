"""Backups as the operator runs them: scripts/backup.sh dumps the seeded test database (pg_dump -Fc),
encrypts it, and scripts/restore.sh brings it back into a scratch database with the same rows in
every table. The file on disk reveals nothing; a wrong passphrase or a damaged file restores
nothing; old backups are pruned."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import psycopg2
import pytest

from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures import services
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def _require_tools() -> None:
    if not os.environ["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("backups are of PostgreSQL")
    missing = [t for t in ("pg_dump", "pg_restore", "psql", "createdb", "gpg") if shutil.which(t) is None]
    if missing:
        if services.REQUIRE:
            pytest.fail(f"backup tools missing: {missing}")
        pytest.skip(f"backup tools missing: {missing}")


def _env(tmp_path: Path, passphrase: str) -> dict[str, str]:
    server = services.PG_SERVER.removeprefix("postgresql://")
    user, _, hostport = server.rpartition("@")
    host, _, port = hostport.partition(":")
    secret = tmp_path / "backup_passphrase"
    secret.write_text(passphrase)
    secret.chmod(0o600)
    return {**os.environ, "PGHOST": host, "PGPORT": port or "5432", "PGUSER": user or "postgres",
            "PGDATABASE": services.PG_DB, "BACKUP_DIR": str(tmp_path / "backups"),
            "BACKUP_PASSPHRASE_FILE": str(secret), "BACKUP_KEEP_DAYS": "14"}


def _row_counts(database: str) -> dict[str, int]:
    conn = psycopg2.connect(f"{services.PG_SERVER}/{database}")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cur.fetchall()]
            counts = {}
            for table in tables:
                cur.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cur.fetchone()[0]
            return counts
    finally:
        conn.close()


def _drop(database: str) -> None:
    conn = psycopg2.connect(f"{services.PG_SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    conn.close()


async def _seed(client, make_user, twilio_webhooks) -> str:
    """Real rows: users with phones, texts in and out, the agent's steps, groceries."""
    users = [await make_user() for _ in range(3)]
    for user in users:
        for body in ("add milk and eggs to groceries", "remember my locker code is 4312"):
            response = await post_signed(client, "/webhooks/twilio/sms",
                                         inbound_params(from_=user.phone, to=SHARED_NUMBER, body=body))
            assert response.status_code == 200
            await wait_for_in_process_jobs()
    return users[0].email


async def test_backup_then_restore_gives_back_every_row(tmp_path, client, make_user, twilio_webhooks):
    _require_tools()
    email = await _seed(client, make_user, twilio_webhooks)
    await asyncio.to_thread(_round_trip, tmp_path, email)


def _round_trip(tmp_path: Path, email: str) -> None:
    source = _row_counts(services.PG_DB)
    assert source["users"] == 3 and source["messages"] >= 6 and source["grocery_items"] >= 6

    env = _env(tmp_path, "correct horse battery staple, but longer " + uuid.uuid4().hex)
    done = subprocess.run([str(ROOT / "scripts/backup.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    backup = Path(done.stdout.strip())
    assert backup.exists() and backup.name.endswith(".dump.gpg")
    raw = backup.read_bytes()
    assert b"PGDMP" not in raw and email.encode() not in raw and b"locker code" not in raw  # encrypted
    metrics = (tmp_path / "backups/metrics/backup.prom").read_text()
    assert "assistant_backup_last_run_success 1" in metrics

    scratch = f"{services.PG_DB}_restore_{uuid.uuid4().hex[:8]}"
    try:
        started = time.monotonic()
        restored = subprocess.run([str(ROOT / "scripts/restore.sh"), str(backup), scratch, "--create"],
                                  env=env, capture_output=True, text=True)
        assert restored.returncode == 0, restored.stderr
        print(f"restore of {sum(source.values())} rows took {time.monotonic() - started:.1f} s")
        assert _row_counts(scratch) == source

        # Restoring over a database that has tables is refused, and changes nothing.
        again = subprocess.run([str(ROOT / "scripts/restore.sh"), str(backup), scratch], env=env,
                               capture_output=True, text=True)
        assert again.returncode == 1 and "already has" in again.stderr
        assert _row_counts(scratch) == source
    finally:
        _drop(scratch)


async def test_a_wrong_passphrase_or_a_damaged_file_restores_nothing(tmp_path, make_user):
    _require_tools()
    await make_user()
    await asyncio.to_thread(_wrong_passphrase_and_damage, tmp_path)


def _wrong_passphrase_and_damage(tmp_path: Path) -> None:
    env = _env(tmp_path, "the right passphrase " + uuid.uuid4().hex)
    done = subprocess.run([str(ROOT / "scripts/backup.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    backup = Path(done.stdout.strip())

    scratch = f"{services.PG_DB}_restore_{uuid.uuid4().hex[:8]}"
    try:
        wrong = {**env, "BACKUP_PASSPHRASE_FILE": str(tmp_path / "wrong")}
        (tmp_path / "wrong").write_text("not the passphrase")
        failed = subprocess.run([str(ROOT / "scripts/restore.sh"), str(backup), scratch, "--create"],
                                env=wrong, capture_output=True, text=True)
        assert failed.returncode != 0
        assert _row_counts(scratch) == {}  # created, but nothing restored into it

        damaged = bytearray(backup.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF
        backup.write_bytes(bytes(damaged))
        refused = subprocess.run([str(ROOT / "scripts/restore.sh"), str(backup), scratch], env=env,
                                 capture_output=True, text=True)
        assert refused.returncode == 1 and "checksum mismatch" in refused.stderr
        assert _row_counts(scratch) == {}
    finally:
        _drop(scratch)


def test_retention_prunes_old_backups_only(tmp_path):
    _require_tools()
    env = _env(tmp_path, "retention " + uuid.uuid4().hex)
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / f"{services.PG_DB}-20000101T000000Z.dump.gpg"
    recent = backups / f"{services.PG_DB}-recent.dump.gpg"
    other = backups / "notes.txt"
    for path in (old, Path(f"{old}.sha256"), recent, other):
        path.write_text("x")
    month_ago = time.time() - 30 * 86400
    for path in (old, Path(f"{old}.sha256"), other):
        os.utime(path, (month_ago, month_ago))

    done = subprocess.run([str(ROOT / "scripts/backup.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not old.exists() and not Path(f"{old}.sha256").exists()
    assert recent.exists() and other.exists() and Path(done.stdout.strip()).exists()


def test_a_failing_dump_is_reported_and_leaves_no_file(tmp_path):
    _require_tools()
    env = {**_env(tmp_path, "x" * 32), "PGDATABASE": f"no_such_db_{uuid.uuid4().hex[:6]}"}
    done = subprocess.run([str(ROOT / "scripts/backup.sh")], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert list((tmp_path / "backups").glob("*.gpg*")) == []
    assert "assistant_backup_last_run_success 0" in (tmp_path / "backups/metrics/backup.prom").read_text()
