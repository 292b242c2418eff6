"""Async engine and sessions. One engine per process (API, each worker process, CLI)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.util.concurrency import await_only

from personal_assistant.config import get_settings
from personal_assistant.observability.tracing import instrument_engine

_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, emit BEGIN (see _sqlite_begin); SAVEPOINTs need it too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # cascade deletes need it
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL: a commit survives the process dying (the crash tests kill it),
    # only the last commits can be lost to the machine losing power; FULL would fsync every commit
    # and cap the embedded product at a few dozen writes a second.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# SQLite has one writer. A deferred transaction that reads and later writes fails at once (no
# busy wait) if another writer committed in between, so every transaction takes the write lock
# when it begins (BEGIN IMMEDIATE). Left to SQLite's busy handler, concurrent transactions then
# poll for that lock with growing sleeps (up to 100 ms a try): a burst of webhooks crawls. So the
# transactions of one process queue for it on an asyncio lock first (first come, first served),
# and SQLite's own wait is left to other processes (the CLI, a test's session).
SQLITE_WRITE_WAIT_SECONDS = 15.0
_write_turns: dict[int, asyncio.Lock] = {}
_TURN_KEY = "sqlite_write_turn"


def _write_turn() -> asyncio.Lock:
    loop_id = id(asyncio.get_running_loop())
    lock = _write_turns.get(loop_id)
    if lock is None:
        lock = _write_turns[loop_id] = asyncio.Lock()
    return lock


def _sqlite_begin(conn) -> None:
    lock = _write_turn()
    try:
        await_only(asyncio.wait_for(lock.acquire(), timeout=SQLITE_WRITE_WAIT_SECONDS))
    except TimeoutError as exc:
        raise sqlite3.OperationalError("database is locked (waited for this process's writers)") from exc
    conn.info[_TURN_KEY] = lock
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _sqlite_end(conn)
        raise


def _sqlite_end(conn) -> None:
    lock = conn.info.pop(_TURN_KEY, None)
    if lock is not None:
        lock.release()


def _sqlite_checkin(_dbapi_connection, record) -> None:
    # A connection back in the pool holds no transaction: never its turn either.
    lock = record.info.pop(_TURN_KEY, None)
    if lock is not None:
        lock.release()


def build_engine(url: str | None = None, *, sqlite_immediate: bool = True) -> AsyncEngine:
    """The engine for `url` (default DATABASE_URL). On SQLite every transaction takes the write
    lock when it begins, unless `sqlite_immediate` is off (read-mostly tooling such as tests)."""
    settings = get_settings()
    url = url or settings.database_url
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 15}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        if sqlite_immediate:
            event.listen(engine.sync_engine, "begin", _sqlite_begin)
            event.listen(engine.sync_engine, "commit", _sqlite_end)
            event.listen(engine.sync_engine, "rollback", _sqlite_end)
            event.listen(engine.sync_engine.pool, "checkin", _sqlite_checkin)
        return engine
    return create_async_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_pre_ping=True,
        pool_timeout=10,
        connect_args={"timeout": 10, "command_timeout": 30},
        # Errors (and the logs that print them) must not carry statement parameters: message
        # bodies, phone numbers, emails.
        hide_parameters=True,
    )


def get_engine() -> AsyncEngine:
    global _engine, _sessionmaker
    if _engine is None:
        _engine = build_engine()
        instrument_engine(_engine)  # traces its statements when tracing is on
        _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def sessionmaker() -> async_sessionmaker[AsyncSession]:
    get_engine()
    assert _sessionmaker is not None
    return _sessionmaker


async def dispose_engine() -> None:
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine = None
    _sessionmaker = None


@asynccontextmanager
async def session_scope() -> AsyncIterator[AsyncSession]:
    """A unit of work outside a request (jobs, CLI): commit on success, roll back on error."""
    session = sessionmaker()()
    try:
        yield session
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    finally:
        await session.close()


async def get_session() -> AsyncIterator[AsyncSession]:
    """The one FastAPI session dependency: commits when the request succeeds, else rolls back."""
    async with session_scope() as session:
        yield session
