"""In-process scheduler for the embedded mode (no REDIS_URL): runs the periodic job functions
on asyncio inside `assistant serve`. The background-work issue fills in the jobs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

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
    return []


async def start_embedded_scheduler() -> EmbeddedScheduler:
    scheduler = EmbeddedScheduler(embedded_jobs())
    scheduler.start()
    return scheduler
