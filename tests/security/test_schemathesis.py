"""Schemathesis against the app in-process: every operation of the OpenAPI document, with valid
and invalid generated input, as an authenticated user (and as an admin holding a second-factor
token on the admin routes). Three checks on every answer: no server error, the status is
declared for the operation, the body matches the declared schema. Background work the requests
started (web-chat turns) must not fail either.

Operations with an id in their path get real ids half of the time (a task, a reminder, ... made
before the run), so they reach the code behind the 404; the ones that delete go last.

The app runs on Schemathesis' own event loop (its ASGI transport), so this test is synchronous:
the accounts and rows are made first on the test's loop, the engine is released, and the app
builds its own when Schemathesis starts its lifespan (and disposes it at shutdown).

Knob: SCHEMATHESIS_EXAMPLES (per operation and generation mode, default 25). Failures are
collected over every operation and reported together, each with Schemathesis' curl line.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.python import asgi as schemathesis_asgi
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from sqlalchemy import func, select

from personal_assistant.auth import service as auth
from personal_assistant.auth.jwt_tokens import create_access_token
from personal_assistant.core import ratelimit
from personal_assistant.db.models import FailedJob, MfaSecret, User
from personal_assistant.db.session import dispose_engine, session_scope
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.factories import create_user
from tests.fixtures.fake_providers import fake_providers  # noqa: F401 - a fixture

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@dataclass
class Callers:
    user: dict[str, str]
    admin: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)  # path parameter name -> a real id


async def _make_rows(app, headers: dict[str, str]) -> dict[str, str]:
    """One row of each kind for the user, made through the API (no lifespan: no scheduler)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://assistant.test", headers=headers) as api:

        async def made(path: str, body: dict) -> str:
            response = await api.post(path, json=body)
            assert response.status_code == 201, (path, response.text)
            data = response.json()
            return data["id"] if "id" in data else data["added"][0]["id"]

        task = await made("/api/v1/tasks", {"title": "renew passport"})
        ids = {
            "task_id": task,
            "reminder_id": await made("/api/v1/reminders", {"text": "call mom", "due_at": "2031-05-01T18:00:00"}),
            "goal_id": await made("/api/v1/goals", {"title": "run a 5k"}),
            "item_id": await made("/api/v1/groceries", {"name": "milk"}),
            "expense_id": await made("/api/v1/expenses", {"amount": "12.50", "note": "lunch"}),
            "memory_id": await made("/api/v1/memories", {"content": "my locker code is 4312"}),
            "focus_id": await made("/api/v1/focus-sessions", {"minutes": 25, "task_id": task}),
            "token_id": await made("/api/v1/api-tokens", {"name": "script"}),
        }
    return ids


async def _connect_notion(user_id, fake) -> None:
    """A Notion connection the connector routes can act on (tokens known to the fake)."""
    from personal_assistant.connectors.base import TokenSet
    from personal_assistant.connectors.oauth import seal
    from personal_assistant.db.models import Connector

    async with session_scope() as s:
        row = Connector(user_id=user_id, provider="notion", scopes=["pages:read"], settings={})
        seal(row, TokenSet(access_token=fake.grant_for("notion")))
        s.add(row)


@pytest.fixture
async def callers(fake_providers) -> AsyncIterator[Callers]:  # noqa: F811 - the fixture
    """A standard user with one row of each kind, an admin with MFA on (whose token proves the
    second factor) and a third account for the admin routes to act on; then the engine is let go."""
    from personal_assistant.main import create_app

    user = await create_user()
    admin = await create_user(role="admin")
    target = await create_user()
    async with session_scope() as s:
        row = await s.get(User, admin.id)
        assert row is not None
        await auth.setup_mfa(s, row)
    async with session_scope() as s:
        secret = (await s.execute(select(MfaSecret).where(MfaSecret.user_id == admin.id))).scalar_one()
        secret.enabled_at = secret.created_at
    ids = await _make_rows(create_app(), user.headers)
    ids["user_id"] = str(target.id)
    await _connect_notion(user.id, fake_providers)
    ids["provider"] = "notion"
    await wait_for_in_process_jobs()
    await dispose_engine()
    admin_token = create_access_token(admin.id, "admin", amr=["pwd", "otp", "mfa"])
    yield Callers(user=user.headers, admin={"Authorization": f"Bearer {admin_token}"}, ids=ids)
    # Schemathesis' loop used the in-memory rate limiter; the next tests get their own.
    ratelimit._limiters.clear()


def _recording(statuses: dict[str, set[int]]):
    """A check that passes and remembers each operation's statuses: the run must reach real
    work (2xx) on most operations, not only validation errors."""

    def record_status(ctx, response, case) -> bool:
        statuses.setdefault(case.operation.label, set()).add(response.status_code)
        return True

    return record_status


def _strategy(operation, ids: dict[str, str]):
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    names = [p.name for p in operation.path_parameters]
    if names and all(n in ids for n in names):
        real = {n: ids[n] for n in names}
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=real))
    combined = strategies[0]
    for more in strategies[1:]:
        combined = combined | more
    return combined


def _run_operation(operation, headers, ids, failures: list[str], statuses: dict[str, set[int]]) -> None:
    check_all = [*CHECKS, _recording(statuses)]

    @settings(
        max_examples=EXAMPLES * 2,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, ids))
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=check_all)

    try:
        run()
    except (Exception, FailureGroup) as exc:  # collect and go on: one report for the whole API
        failures.append(f"{operation.label}:\n{exc}")


def _order(operation) -> tuple[int, str]:
    # Deleting (the account, an admin disabling someone) last, so the rows stay for the rest.
    destructive = operation.method.upper() == "DELETE" or operation.path.endswith("/disable")
    return (1 if destructive else 0, operation.label)


def test_every_operation_answers_as_documented(callers: Callers) -> None:
    from personal_assistant.main import create_app

    app = create_app()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    try:
        operations = sorted((result.ok() for result in schema.get_all_operations()), key=_order)
        for operation in operations:
            headers = callers.admin if operation.path.startswith("/api/v1/admin") else callers.user
            _run_operation(operation, headers, callers.ids, failures, statuses)
        portal = schemathesis_asgi._get_portal()  # the loop the app runs on
        portal.call(wait_for_in_process_jobs)
        failed_jobs = portal.call(_count_failed_jobs)
    finally:
        schemathesis_asgi.shutdown_lifespans()
    reached = {label for label, seen in statuses.items() if any(200 <= s < 300 for s in seen)}
    print(f"\nschemathesis: {len(operations)} operations, {len(reached)} answered 2xx at least once")
    for label, seen in sorted(statuses.items()):
        print(f"  {label}: {sorted(seen)}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
    assert len(operations) >= 70
    # Logins, codes and passwords are not guessed by random input: about a fifth never reach 2xx.
    assert len(reached) >= len(operations) * 0.75, sorted(set(statuses) - reached)
    assert failed_jobs == 0


async def _count_failed_jobs() -> int:
    async with session_scope() as s:
        return int((await s.execute(select(func.count()).select_from(FailedJob))).scalar_one())
