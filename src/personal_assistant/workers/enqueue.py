"""Enqueue jobs only after the current transaction commits.

defer(session, "job.name", key=value) records the job on the session; when the session commits,
the job is sent to Celery (REDIS_URL set) or started as an in-process asyncio task (embedded).
A rolled-back session sends nothing. `countdown` delays it by that many seconds.

Celery's publish is synchronous (a Redis round trip per message): it runs on one publisher thread,
never on the event loop, so a webhook answers without waiting for it. A publish that fails after
the commit loses nothing: the work is a committed row, and the sweep (sms/sweep.py) finds it.
"""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import Future, ThreadPoolExecutor
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
_publisher: ThreadPoolExecutor | None = None


def defer(session: AsyncSession, name: str, *, countdown: float | None = None, **kwargs: Any) -> None:
    sync_session = session.sync_session
    pending = sync_session.info.setdefault(_PENDING_KEY, [])
    pending.append((name, countdown, kwargs))


def is_deferred(session: AsyncSession, name: str, **kwargs: Any) -> bool:
    """Whether this job, with these arguments, already waits for the session's commit."""
    pending = session.sync_session.info.get(_PENDING_KEY) or []
    return any(job == name and args == kwargs for job, _, args in pending)


@event.listens_for(Session, "after_commit")
def _send_after_commit(sync_session: Session) -> None:
    pending = sync_session.info.pop(_PENDING_KEY, None)
    for name, countdown, kwargs in pending or ():
        send_now(name, countdown=countdown, **kwargs)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(sync_session: Session) -> None:
    sync_session.info.pop(_PENDING_KEY, None)


def send_now(name: str, *, countdown: float | None = None, **kwargs: Any) -> None:
    """Send a job now (outside a transaction); it starts after `countdown` seconds."""
    if get_settings().embedded:
        if countdown:
            asyncio.get_running_loop().call_later(countdown, lambda: run_in_process(name, **kwargs))
        else:
            run_in_process(name, **kwargs)
        return
    # With this task's context (its trace, its log bindings): the job's trace continues the request's.
    future = _publisher_pool().submit(contextvars.copy_context().run, _publish, name, kwargs, countdown)
    future.add_done_callback(_log_publish_failure)


def _publisher_pool() -> ThreadPoolExecutor:
    global _publisher
    if _publisher is None:
        _publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="celery-publish")
    return _publisher


def _publish(name: str, kwargs: dict[str, Any], countdown: float | None) -> str:
    from personal_assistant.workers.celery_app import celery_app

    celery_app.send_task(name, kwargs=kwargs, countdown=countdown)
    return name


def _log_publish_failure(future: Future) -> None:
    error = future.exception()
    if error is not None:  # the sweep re-drives the committed work
        log.warning("job.publish_failed", error_type=type(error).__name__)


def wait_for_published(timeout: float = 10.0) -> None:
    """Block until every publish submitted so far went out (CLI commands before they exit)."""
    if _publisher is not None:
        _publisher.submit(lambda: None).result(timeout=timeout)


_gates: dict[int, asyncio.Semaphore] = {}


def _gate() -> asyncio.Semaphore:
    """At most EMBEDDED_JOB_CONCURRENCY in-process jobs at once (per event loop): the rest wait
    their turn, so a burst of texts cannot crowd the webhooks off the loop (or off SQLite's one
    write lock) while their replies are worked out."""
    loop_id = id(asyncio.get_running_loop())
    gate = _gates.get(loop_id)
    if gate is None:
        gate = _gates[loop_id] = asyncio.Semaphore(max(1, get_settings().embedded_job_concurrency))
    return gate


def run_in_process(name: str, **kwargs: Any) -> asyncio.Task:
    fn = load_all_jobs()[name]

    async def runner() -> None:
        try:
            async with _gate():
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
