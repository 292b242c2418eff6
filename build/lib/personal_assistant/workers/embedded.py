"""In-process scheduler for the embedded mode (no REDIS_URL): runs the periodic job functions
(reminder delivery, check-ins, focus nudges) on asyncio inside `assistant serve`. The functions
are the ones Celery runs, so the embedded product sends reminders the same way."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

from personal_assistant.observability.metrics import TASK_FAILURES

log = structlog.get_logger("workers.embedded")

PeriodicJob = tuple[str, float, Callable[[], Awaitable[object]]]


class EmbeddedScheduler:
    def __init__(self, jobs: list[PeriodicJob]) -> None:
        self.jobs = jobs
        self._tasks: list[asyncio.Task] = []

    async def _loop(self, name: str, every: float, job: Callable[[], Awaitable[object]]) -> None:
        while True:
            try:
                await job()
            except Exception:
                log.exception("embedded_job_failed", job=name)
                TASK_FAILURES.labels(task=name).inc()
            await asyncio.sleep(every)

    def start(self) -> None:
        for name, every, job in self.jobs:
            self._tasks.append(asyncio.create_task(self._loop(name, every, job), name=f"job:{name}"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()


def embedded_jobs() -> list[PeriodicJob]:
    """The same periodic job functions Celery beat schedules (minus the broker's queue depth)."""
    from personal_assistant.config import get_settings
    from personal_assistant.workers.jobs import load_all_jobs
    from personal_assistant.workers.schedule import periodic_jobs

    registry = load_all_jobs()
    return [
        (name, every, registry[name])
        for name, every in periodic_jobs(get_settings(), with_broker=False)
        if name in registry
    ]


async def start_embedded_scheduler() -> EmbeddedScheduler:
    """Start the periodic jobs, first re-driving at once everything the last process left
    unanswered or unsent: its in-process jobs died with it."""
    from personal_assistant.sms.sweep import sweep

    scheduler = EmbeddedScheduler(embedded_jobs())
    try:
        stats = await sweep(redrive_after=0)
        log.info("embedded.startup_sweep", **stats.as_dict())
    except Exception:  # the periodic sweep tries again; serving must start
        log.exception("embedded.startup_sweep_failed")
    scheduler.start()
    return scheduler
