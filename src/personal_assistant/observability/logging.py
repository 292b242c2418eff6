"""structlog JSON logs with request ids. Log ids, never message bodies, tokens or codes.

Database errors are the one place where data could slip into a traceback: the engine hides
statement parameters (db.session, hide_parameters=True), but the driver's own exception, chained
below SQLAlchemy's, carries the server's DETAIL ("Failing row contains (...)", "Key (email)=(...)
already exists"). Tracebacks of database errors are therefore printed without the driver's
chained exceptions, in structlog and in stdlib logging (uvicorn, Celery) alike.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import MutableMapping
from typing import Any

import structlog
from sqlalchemy.exc import StatementError

_configured = False


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what it was raised from or during, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain


def scrubbed_traceback(exc: BaseException) -> str | None:
    """The traceback of `exc` without the driver exceptions below a database error, or None when
    no database error is in the chain (print it as usual)."""
    chain = _chain(exc)
    cut = next((i for i, e in enumerate(chain) if isinstance(e, StatementError)), None)
    if cut is None:
        return None
    parts = ["".join(traceback.format_exception(e, chain=False)) for e in reversed(chain[: cut + 1])]
    return "\nThe above exception was the cause of, or happened while handling, the following:\n\n".join(parts)


def _scrub_structlog(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    exc_info = event_dict.get("exc_info")
    if exc_info is True:
        exc_info = sys.exc_info()
    exc = exc_info if isinstance(exc_info, BaseException) else exc_info[1] if isinstance(exc_info, tuple) else None
    text = scrubbed_traceback(exc) if exc is not None else None
    if text is not None:
        event_dict.pop("exc_info")
        event_dict["exception"] = text
    return event_dict


class DatabaseErrorScrubber(logging.Filter):
    """For stdlib loggers: replaces a database error's traceback with the scrubbed one."""

    def filter(self, record: logging.LogRecord) -> bool:
        info = record.exc_info
        if info and info[1] is not None:
            text = scrubbed_traceback(info[1])
            if text is not None:
                record.exc_info = None
                record.exc_text = text.rstrip("\n")
        return True


# Loggers that print tracebacks of errors raised in our code (the ASGI server, Celery's task trace).
SCRUBBED_LOGGERS = ("", "uvicorn.error", "celery", "celery.app.trace", "celery.worker")


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            _scrub_structlog,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(message)s")
    for name in SCRUBBED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, DatabaseErrorScrubber) for f in logger.filters):
            logger.addFilter(DatabaseErrorScrubber())
    for noisy in ("httpx", "httpcore", "twilio.http_client", "aiosqlite", "asyncio", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
