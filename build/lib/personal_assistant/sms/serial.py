"""Embedded mode (SQLite): the SMS channel's writes of this process take turns.

SQLite has one writer. Left to its busy handler, twenty webhook transactions and an agent turn
poll for the lock unfairly (some wait past the busy timeout and fail), and a turn that read first
fails outright when a webhook commits in between. So each webhook's unit of work and each reply
job take one asyncio lock per event loop, and webhooks go first: Twilio needs its answer within
seconds, a reply can wait for a burst of texts to be acknowledged. With PostgreSQL both are
no-ops and everything runs concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from personal_assistant.db.session import get_engine


class TurnLock:
    """A lock where `urgent` holders overtake waiting `background` holders."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._urgent_waiting = 0
        self._no_urgent_waiting = asyncio.Event()
        self._no_urgent_waiting.set()

    @asynccontextmanager
    async def urgent(self) -> AsyncIterator[None]:
        self._urgent_waiting += 1
        self._no_urgent_waiting.clear()
        try:
            await self._lock.acquire()
        finally:
            self._urgent_waiting -= 1
            if self._urgent_waiting == 0:
                self._no_urgent_waiting.set()
        try:
            yield
        finally:
            self._lock.release()

    @asynccontextmanager
    async def background(self) -> AsyncIterator[None]:
        while True:
            await self._no_urgent_waiting.wait()
            await self._lock.acquire()
            if self._urgent_waiting == 0:
                break
            self._lock.release()  # a webhook queued meanwhile: it goes first
        try:
            yield
        finally:
            self._lock.release()


_locks: dict[int, TurnLock] = {}


def _lock() -> TurnLock | None:
    if get_engine().dialect.name != "sqlite":
        return None
    loop_id = id(asyncio.get_running_loop())
    lock = _locks.get(loop_id)
    if lock is None:
        lock = _locks[loop_id] = TurnLock()
    return lock


def webhook_turn() -> AbstractAsyncContextManager:
    """Around a webhook's unit of work (SQLite only)."""
    lock = _lock()
    return lock.urgent() if lock else contextlib.nullcontext()


def background_turn() -> AbstractAsyncContextManager:
    """Around a reply job's unit of work (SQLite only)."""
    lock = _lock()
    return lock.background() if lock else contextlib.nullcontext()
