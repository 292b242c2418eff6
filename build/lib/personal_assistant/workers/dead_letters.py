"""Dead letters: a job that still fails after its retries is stored with its error, to be
listed (`assistant jobs failed`) and re-run (`assistant jobs retry ID`)."""

from __future__ import annotations

import traceback
import uuid
from typing import Any

import structlog
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.core.errors import NotFound
from personal_assistant.db.models import FailedJob
from personal_assistant.db.session import session_scope

log = structlog.get_logger("workers.dead_letters")
MAX_ERROR_CHARS = 4000


def describe_error(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return text[-MAX_ERROR_CHARS:]


async def record_failed_job(name: str, kwargs: dict[str, Any], exc: BaseException, attempts: int) -> uuid.UUID:
    """Store a job that failed for good."""
    async with session_scope() as session:
        row = FailedJob(task_name=name, args=[], kwargs=kwargs, error=describe_error(exc), attempts=attempts)
        session.add(row)
        await session.flush()
        job_id = row.id
    log.error("job.dead_letter", job=name, failed_job_id=str(job_id), attempts=attempts, error_type=type(exc).__name__)
    return job_id


async def list_failed_jobs(include_resolved: bool = False, limit: int = 100) -> list[FailedJob]:
    async with session_scope() as session:
        stmt = select(FailedJob).order_by(FailedJob.created_at.desc()).limit(limit)
        if not include_resolved:
            stmt = stmt.where(FailedJob.resolved_at.is_(None))
        return list((await session.execute(stmt)).scalars())


async def retry_failed_job(failed_id: str) -> FailedJob:
    """Re-run a dead letter's job now, in this process. Success marks it resolved; a new
    failure is recorded on the same row (attempts + 1, new error) and raised."""
    from personal_assistant.workers.jobs import load_all_jobs

    try:
        key = uuid.UUID(failed_id)
    except ValueError as exc:
        raise NotFound("failed job") from exc
    async with session_scope() as session:
        row = await session.get(FailedJob, key)
        if row is None:
            raise NotFound("failed job")
        name, kwargs = row.task_name, dict(row.kwargs or {})
    fn = load_all_jobs().get(name)
    if fn is None:
        raise NotFound(f"job {name}")
    error: BaseException | None = None
    try:
        await fn(**kwargs)
    except Exception as exc:
        error = exc
    async with session_scope() as session:
        row = await session.get(FailedJob, key)
        assert row is not None
        row.retried_at = clock.now()
        row.attempts += 1
        if error is None:
            row.resolved_at = clock.now()
        else:
            row.error = describe_error(error)
    log.info("job.retried", failed_job_id=failed_id, job=name, ok=error is None)
    if error is not None:
        raise error
    return row
