"""One event loop and one database engine per worker process.

Celery tasks are synchronous; each calls `run(coro)`, which runs the job on this process's
long-lived loop. The engine (db.session's global) is created lazily on that loop and reused by
every task of the process, so connections are pooled instead of opened per task. In a prefork
pool, `worker_process_init` gives each child a fresh loop and forgets any engine inherited from
the parent (its connections belong to the parent's loop and sockets).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import structlog
from celery.signals import worker_init, worker_process_init, worker_process_shutdown, worker_shutdown

from personal_assistant.config import get_settings, reset_settings_cache
from personal_assistant.db import session as db_session
from personal_assistant.observability.logging import configure_logging
from personal_assistant.observability.tracing import configure_tracing, shutdown_tracing

T = TypeVar("T")
log = structlog.get_logger("workers.runtime")
_loop: asyncio.AbstractEventLoop | None = None


def loop() -> asyncio.AbstractEventLoop:
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
        asyncio.set_event_loop(_loop)
    return _loop


def run(coro: Awaitable[T]) -> T:
    """Run one job coroutine to completion on this process's loop."""
    return loop().run_until_complete(coro)


def _fresh_process() -> None:
    global _loop
    # Drop (do not dispose: that would close the parent's sockets) anything inherited by fork.
    db_session._engine = None
    db_session._sessionmaker = None
    _loop = None
    reset_settings_cache()
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)


def shutdown() -> None:
    global _loop
    if _loop is None or _loop.is_closed():
        return
    try:
        _loop.run_until_complete(db_session.dispose_engine())
    except Exception:  # pragma: no cover - best effort at exit
        log.exception("worker.dispose_failed")
    _loop.close()
    _loop = None


@worker_process_init.connect
def _on_process_init(**_: object) -> None:
    _fresh_process()
    # After the fork: the batch exporter's thread does not survive one (a no-op without an endpoint).
    configure_tracing("assistant-worker")


@worker_init.connect
def _on_worker_init(sender: object = None, **_: object) -> None:
    # Pools that run tasks in this very process (solo, threads) get no worker_process_init.
    pool_module = getattr(getattr(sender, "pool_cls", None), "__module__", "") or ""
    if not pool_module.endswith("prefork"):
        configure_tracing("assistant-worker")


@worker_process_shutdown.connect
def _on_process_shutdown(**_: object) -> None:
    shutdown()
    shutdown_tracing()  # flush the spans still batched


@worker_shutdown.connect
def _on_worker_shutdown(**_: object) -> None:
    shutdown()  # the solo pool runs tasks in the main process
    shutdown_tracing()
