"""Enqueue jobs only after the current transaction commits.

defer(session, "job.name", key=value) records the job on the session; when the session commits,
the job is sent to Celery (REDIS_URL set) or started as an in-process asyncio task (embedded).
A rolled-back session sends nothing.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from personal_assistant.config import get_settings
from personal_assistant.workers.jobs import load_all_jobs

log = structlog.get_logger("workers.enqueue")
_PENDING_KEY = "pending_jobs"
# In-process jobs still running (embedded mode); kept so they are not garbage-collected and so
# tests and shutdown can wait for them.
RUNNING: set[asyncio.Task] = set()


def defer(session: AsyncSession, name: str, **kwargs: Any) -> None:
    sync_session = session.sync_session
    pending = sync_session.info.setdefault(_PENDING_KEY, [])
    pending.append((name, kwargs))


@event.listens_for(Session, "after_commit")
def _send_after_commit(sync_session: Session) -> None:
    pending = sync_session.info.pop(_PENDING_KEY, None)
    for name, kwargs in pending or ():
        send_now(name, **kwargs)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(sync_session: Session) -> None:
    sync_session.info.pop(_PENDING_KEY, None)


def send_now(name: str, **kwargs: Any) -> None:
    """Send a job immediately (outside a transaction)."""
    if get_settings().embedded:
        run_in_process(name, **kwargs)
    else:
        from personal_assistant.workers.celery_app import celery_app

        celery_app.send_task(name, kwargs=kwargs)
        log.info("job.enqueued", job=name)


def run_in_process(name: str, **kwargs: Any) -> asyncio.Task:
    fn = load_all_jobs()[name]

    async def runner() -> None:
        try:
            await fn(**kwargs)
        except Exception as exc:
            log.exception("job.failed", job=name)
            from personal_assistant.observability.metrics import TASK_FAILURES

            TASK_FAILURES.labels(task=name).inc()
            # No retries in-process: keep it as a dead letter (`assistant jobs retry ID`).
            from personal_assistant.workers.dead_letters import record_failed_job

            try:
                await record_failed_job(name, kwargs, exc, attempts=1)
            except Exception:
                log.exception("job.dead_letter_failed", job=name)

    task = asyncio.get_running_loop().create_task(runner(), name=f"job:{name}")
    RUNNING.add(task)
    task.add_done_callback(RUNNING.discard)
    return task


async def wait_for_in_process_jobs(limit_seconds: float = 10.0) -> None:
    """Wait until in-process jobs (and the jobs they start) finish. For tests and shutdown."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_seconds
    while RUNNING and loop.time() < deadline:
        await asyncio.wait(set(RUNNING), timeout=max(0.0, deadline - loop.time()))
