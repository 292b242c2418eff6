"""The Celery application: every `@job` of workers/jobs.py becomes a task of the same name.

Start a worker with `assistant worker` (or `celery -A personal_assistant.workers.celery_app
worker`) and the one scheduler with `assistant beat`.

Delivery is at-least-once (acks late, requeue when a worker process is lost), so every job is
idempotent; PostgreSQL, not Redis, holds the state (reminders are rows with leases), so a lost
broker message or a lost Redis loses nothing: the next beat tick finds the work again.
"""

from __future__ import annotations

from typing import Any

import structlog
from celery import Celery, Task
from celery.signals import worker_ready

from personal_assistant.config import get_settings
from personal_assistant.observability.logging import configure_logging
from personal_assistant.observability.metrics import TASK_FAILURES
from personal_assistant.workers import runtime
from personal_assistant.workers.dead_letters import record_failed_job
from personal_assistant.workers.jobs import JobFunction, load_all_jobs
from personal_assistant.workers.schedule import beat_schedule, periodic_jobs

log = structlog.get_logger("workers.celery")

MAX_RETRIES = 3
RETRY_BACKOFF_SECONDS = 10
MAX_RETRY_DELAY_SECONDS = 600
# Longer than any task run (ticks stop after ~30 s) and any countdown (retries <= 10 min): an
# unacknowledged message older than this is redelivered to another worker.
VISIBILITY_TIMEOUT_SECONDS = 2 * 3600


def build_celery(broker_url: str | None = None) -> Celery:
    settings = get_settings()
    app = Celery("personal_assistant")
    app.conf.update(
        broker_url=broker_url or settings.redis_url or "memory://",
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS},
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # keep retrying while Redis restarts
        broker_connection_timeout=5,
        redis_socket_timeout=10,
        enable_utc=True,
        timezone="UTC",
        beat_schedule=beat_schedule(settings),
        worker_hijack_root_logger=False,
    )
    return app


celery_app = build_celery()
app = celery_app  # `celery -A personal_assistant.workers.celery_app` looks for `app`


def _register(name: str, fn: JobFunction, retries: int) -> None:
    @celery_app.task(name=name, bind=True, max_retries=retries, acks_late=True)
    def task(self: Task, **kwargs: Any) -> Any:
        log.info("job.start", job=name, task_id=self.request.id, retries=self.request.retries)
        try:
            return runtime.run(fn(**kwargs))
        except Exception as exc:
            TASK_FAILURES.labels(task=name).inc()
            if self.request.retries < retries:
                delay = min(MAX_RETRY_DELAY_SECONDS, RETRY_BACKOFF_SECONDS * 2**self.request.retries)
                log.warning("job.retry", job=name, task_id=self.request.id, in_seconds=delay,
                            error_type=type(exc).__name__)
                raise self.retry(exc=exc, countdown=delay) from exc
            runtime.run(record_failed_job(name, kwargs, exc, self.request.retries + 1))
            raise


def register_jobs() -> None:
    # A periodic tick is not retried (the next tick does the same work); other jobs are.
    periodic = {name for name, _ in periodic_jobs(get_settings(), with_broker=True)}
    for name, fn in load_all_jobs().items():
        if name not in celery_app.tasks:
            _register(name, fn, 0 if name in periodic else MAX_RETRIES)


@worker_ready.connect
def _sweep_on_start(sender: Any = None, **_: Any) -> None:
    """A worker that starts (after a crash, say) sweeps at once instead of waiting for beat."""
    celery_app.send_task("sms.sweep")


configure_logging(get_settings().log_level, get_settings().log_json)
register_jobs()
