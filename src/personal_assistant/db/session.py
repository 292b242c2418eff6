"""Async engine and sessions. One engine per process (API, each worker process, CLI)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

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
    cursor.close()


def _sqlite_begin(conn) -> None:
    # SQLite has one writer. A deferred transaction that reads and later writes fails at once
    # (no busy wait) if another writer committed in between; taking the write lock up front
    # makes it wait its turn (connect timeout) instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


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
