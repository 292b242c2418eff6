"""Backup and restore at a realistic size: the RTO check (SPEC: RPO 24 h, RTO 30 min).

Creates assistant_bench_backup (migrated), fills it with USERS users and MESSAGES texts (plus their
SMS usage rows and agent steps) with server-side generate_series, then times scripts/backup.sh
(pg_dump -Fc | gpg AES256) and scripts/restore.sh into a scratch database, checks equal row
counts per table, and reports sizes and durations.

    .venv/bin/python bench/backup.py --messages 1000000 --write

Needs PostgreSQL at BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432), pg_dump,
pg_restore and gpg. With --write the figures go to the "## Backup and restore" section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
SOURCE = "assistant_bench_backup"
SCRATCH = "assistant_bench_backup_restored"


def admin(sql: str) -> None:
    conn = psycopg2.connect(f"{PG_SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def counts(database: str) -> dict[str, int]:
    conn = psycopg2.connect(f"{PG_SERVER}/{database}")
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [r[0] for r in cur.fetchall()]
        result = {}
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            result[table] = cur.fetchone()[0]
    conn.close()
    return result


def seed(users: int, messages: int) -> None:
    admin(f'DROP DATABASE IF EXISTS "{SOURCE}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{SOURCE}"')
    env = {**os.environ, "DATABASE_URL": f"{PG_SERVER.replace('postgresql://', 'postgresql+asyncpg://')}/{SOURCE}"}
    subprocess.run([str(ROOT / ".venv/bin/assistant"), "migrate"], env=env, check=True, capture_output=True)
    conn = psycopg2.connect(f"{PG_SERVER}/{SOURCE}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"""
            INSERT INTO users (id, email, role, is_active, timezone, currency, checkins_enabled, escalation_minutes,
                               escalation_max, catchup_minutes, created_at, updated_at)
            SELECT gen_random_uuid(), 'bench' || n || '@example.com', 'standard', true, 'UTC', 'USD', false, 10, 3,
                   120, now(), now()
            FROM generate_series(1, {users}) n""")
        cur.execute(f"""
            INSERT INTO messages (id, user_id, direction, channel, kind, body, status, num_media, segments,
                                  attempts, created_at)
            SELECT gen_random_uuid(), u.id, CASE WHEN n % 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'sms', 'chat',
                   'remind me to take the bins out at 7pm, and buy milk ' || n, 'received', 0, 1, 0,
                   now() - (n || ' seconds')::interval
            FROM generate_series(1, {messages}) n
            JOIN (SELECT id, row_number() OVER () - 1 AS k FROM users) u ON u.k = n % {users}""")
        cur.execute("""
            INSERT INTO sms_usage (id, user_id, message_id, direction, segments, encoding, price_estimate, created_at)
            SELECT gen_random_uuid(), user_id, id, direction, 1, 'gsm7', 0.0083, created_at FROM messages""")
        cur.execute("""
            INSERT INTO agent_steps (id, user_id, turn_id, step_index, kind, provider, latency_ms, tokens_in,
                                     tokens_out, created_at)
            SELECT gen_random_uuid(), user_id, id, 0, 'answer', 'offline', 3, 0, 0, created_at
            FROM messages WHERE direction = 'inbound'""")
        cur.execute("VACUUM ANALYZE")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    started = time.monotonic()
    seed(args.users, args.messages)
    print(f"seeded {args.messages} messages for {args.users} users in {time.monotonic() - started:.1f} s")
    source = counts(SOURCE)
    rows = sum(source.values())

    parts = urlsplit(PG_SERVER)
    with tempfile.TemporaryDirectory() as tmp:
        passphrase = Path(tmp) / "passphrase"
        passphrase.write_text(os.urandom(24).hex())
        env = {**os.environ, "PGHOST": parts.hostname or "127.0.0.1", "PGPORT": str(parts.port or 5432),
               "PGUSER": parts.username or "postgres", "PGDATABASE": SOURCE, "BACKUP_DIR": f"{tmp}/backups",
               "BACKUP_PASSPHRASE_FILE": str(passphrase)}
        with psycopg2.connect(f"{PG_SERVER}/{SOURCE}") as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            db_bytes = cur.fetchone()[0]
        t0 = time.monotonic()
        done = subprocess.run([str(ROOT / "scripts/backup.sh")], env=env, check=True, capture_output=True, text=True)
        backup_s = time.monotonic() - t0
        backup = Path(done.stdout.strip())
        backup_bytes = backup.stat().st_size
        admin(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        t0 = time.monotonic()
        subprocess.run([str(ROOT / "scripts/restore.sh"), str(backup), SCRATCH, "--create"], env=env, check=True,
                       capture_output=True)
        restore_s = time.monotonic() - t0
    equal = counts(SCRATCH) == source
    admin(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    admin(f'DROP DATABASE IF EXISTS "{SOURCE}" WITH (FORCE)')

    row = (f"| {args.users} | {args.messages} | {rows} | {db_bytes / 2**20:.0f} | {backup_bytes / 2**20:.1f} | "
           f"{backup_s:.1f} | {restore_s:.1f} | {'yes' if equal else 'NO'} |")
    print(row)
    if not equal:
        raise SystemExit("row counts differ after the restore")
    if args.write:
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        section = f"""## Backup and restore

`bench/backup.py` ({when}; {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs,
shared machine, load average {load} at the end; PostgreSQL 15 on 127.0.0.1). A migrated database filled with
server-side generate_series (users, texts, their SMS usage rows and agent steps), then `scripts/backup.sh`
(pg_dump -Fc | gpg AES256) and `scripts/restore.sh` (checksum, decrypt to a pipe, pg_restore in one transaction)
into a scratch database; row counts per table compared.

| users | texts | rows (all tables) | database MiB | encrypted dump MiB | backup s | restore s | equal counts |
| --- | --- | --- | --- | --- | --- | --- | --- |
{row}

Target: RTO 30 min. Rehearse on stage at your own size: restore time grows with rows and indexes.
"""
        text = RESULTS.read_text()
        if "## Backup and restore" in text:
            text = re.sub(r"## Backup and restore\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        RESULTS.write_text(text)


if __name__ == "__main__":
    main()
