"""What the benchmarks share: percentiles, free ports, signed Twilio webhooks, fresh databases
with verified users, and writing one section of bench/RESULTS.md."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
SHARED_NUMBER = "+15550000001"
SMS_PATH = "/webhooks/twilio/sms"
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def phones(n: int, prefix: str = "+1555777") -> list[str]:
    return [f"{prefix}{i:04d}" for i in range(n)]


def signed_text(public_url: str, phone: str, body: str) -> tuple[dict[str, str], str]:
    """An inbound-SMS form as Twilio posts it (a new MessageSid) and its signature."""
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32, "From": phone,
              "To": SHARED_NUMBER, "Body": body, "NumMedia": "0", "ApiVersion": "2010-04-01"}
    return params, RequestValidator(AUTH_TOKEN).compute_signature(public_url + SMS_PATH, params)


def fresh_postgres(db: str) -> str:
    """An empty database `db` (created if missing, its schema dropped); its asyncpg URL."""
    import psycopg2

    conn = psycopg2.connect(f"{PG_SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{db}"')
    conn.close()
    conn = psycopg2.connect(f"{PG_SERVER}/{db}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    conn.close()
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+asyncpg://')}/{db}"


def migrate_with_users(url: str, senders: list[str]) -> None:
    """The real migrations, then one user with a verified phone per sender (in a subprocess, with
    the product's own models)."""
    code = f"""
import asyncio
from personal_assistant.db.migrations import upgrade
upgrade("head", {url!r})
from personal_assistant.core import clock
from personal_assistant.db.models import PhoneNumber, User
from personal_assistant.db.session import session_scope, dispose_engine
async def main():
    async with session_scope() as s:
        for i, phone in enumerate({senders!r}):
            user = User(email=f"bench{{i}}@example.com", timezone="UTC")
            s.add(user)
            await s.flush()
            s.add(PhoneNumber(user_id=user.id, e164=phone, is_primary=True, verified_at=clock.now()))
    await dispose_engine()
asyncio.run(main())
"""
    env = os.environ | {"DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def write_section(title: str, section: str) -> None:
    """Replace (or append) the `## {title}` section of bench/RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip() + "\n\n", text)
    else:
        text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
    RESULTS.write_text(text.rstrip() + "\n")
