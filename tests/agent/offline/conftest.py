"""The offline brain needs no database or Redis: these overrides skip the suite's schema set-up
and per-test table cleanup for this folder, so the tests run in milliseconds and anywhere."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from personal_assistant.agent.llm.base import ToolSpec, TurnContext


@pytest.fixture(scope="session")
def schema() -> Iterator[None]:
    yield


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    yield


# Saturday 2026-03-07 14:30 in New York: the day before the US spring-forward change.
NY_NOW = datetime(2026, 3, 7, 14, 30, tzinfo=ZoneInfo("America/New_York"))


def make_ctx(
    text: str,
    *,
    now: datetime = NY_NOW,
    pending: dict[str, Any] | None = None,
    last_list: dict[str, Any] | None = None,
    tools: tuple[str, ...] = (),
    unavailable: dict[str, str] | None = None,
    currency: str = "USD",
    history: list[tuple[str, str]] | None = None,
    turn_id: uuid.UUID | None = None,
    name: str | None = "Sam",
) -> TurnContext:
    zone = str(now.tzinfo)
    return TurnContext(
        turn_id=turn_id or uuid.UUID(int=7),
        user_id=uuid.UUID(int=1),
        text=text,
        channel="sms",
        local_now=now,
        timezone=zone,
        currency=currency,
        user_name=name,
        history=history or [],
        memories=[],
        pending=pending,
        last_list=last_list,
        tools=[ToolSpec(n, n, {"type": "object"}, None, False) for n in tools],
        unavailable_tools=unavailable or {},
        dashboard_url="https://app.example.com",
    )
