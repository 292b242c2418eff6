"""Test set-up.

The database is PostgreSQL when reachable (or when REQUIRE_SERVICES=1, as in CI, where a missing
service fails the run) and a temporary SQLite file otherwise; TEST_DATABASE=sqlite forces SQLite.
The schema is created by the real Alembic migrations once per run, and every table is emptied
after each test. Redis-backed tests use the `redis_url` fixture.

Environment knobs (useful when several runs share one machine):
  TEST_DATABASE=postgres|sqlite   TEST_DB_NAME=assistant_test   TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432
  TEST_REDIS_URL=redis://127.0.0.1:6379/15   REQUIRE_SERVICES=1
"""

from __future__ import annotations

import os

import pytest

from tests.fixtures import services

# The application reads its settings from the environment once; set it before importing it.
_DB_URL = services.select_database()
os.environ.update(
    {
        "ENVIRONMENT": "development",
        "DATABASE_URL": _DB_URL,
        "LOG_JSON": "false",
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_ENABLED": "false",
        "SMS_SEND_INTERVAL_SECONDS": "0",
        "PUBLIC_BASE_URL": "https://assistant.test",
    }
)
for _name in ("REDIS_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "GEMINI_API_KEY", "SMTP_HOST"):
    os.environ.pop(_name, None)

pytest_plugins = [
    "tests.fixtures.app", "tests.fixtures.factories", "tests.fixtures.twilio", "tests.fixtures.fake_embeddings"
]


def pytest_report_header(config) -> list[str]:
    return [f"database: {services.describe(_DB_URL)}", f"redis: {services.redis_status()}"]


@pytest.fixture(scope="session")
def database_url() -> str:
    return _DB_URL
