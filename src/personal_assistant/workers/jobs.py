"""The one registry of background jobs. A job is an async function of JSON-able keyword
arguments; the same function runs in a Celery worker (REDIS_URL set) or in-process (embedded).

    @job("sms.process_inbound")
    async def process_inbound(message_id: str) -> None: ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

JobFunction = Callable[..., Awaitable[Any]]
JOBS: dict[str, JobFunction] = {}


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    def register(fn: JobFunction) -> JobFunction:
        if name in JOBS and JOBS[name] is not fn:
            raise ValueError(f"job {name!r} registered twice")
        JOBS[name] = fn
        return fn

    return register


def load_all_jobs() -> dict[str, JobFunction]:
    """Import every module that declares jobs, so the registry is complete. A module that is
    missing fails here, at start-up, instead of leaving its jobs silently unregistered."""
    import importlib

    for module in JOB_MODULES:
        importlib.import_module(module)
    return JOBS


# Modules that declare jobs.
JOB_MODULES = (
    "personal_assistant.sms.jobs",
    "personal_assistant.planning.reminders.jobs",
    "personal_assistant.planning.checkins",
    "personal_assistant.planning.focus.jobs",
    "personal_assistant.workers.ops_jobs",
    "personal_assistant.connectors.sync",
    "personal_assistant.memory.jobs",
)
