"""Finding 6: database errors, and the logs that print them, never include the statement's
parameters or the row values the server echoes back: they hold message bodies, phone numbers
and emails."""

from __future__ import annotations

import io
import logging
import traceback

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, StatementError

from personal_assistant.db.models import User
from personal_assistant.db.session import get_engine
from personal_assistant.observability.logging import DatabaseErrorScrubber, scrubbed_traceback

SECRET = "my-locker-code-is-4312"


async def _failing_insert() -> BaseException:
    with pytest.raises((DBAPIError, StatementError)) as caught:
        async with get_engine().begin() as conn:
            # NULL email violates NOT NULL on every backend; the other values are "private".
            await conn.execute(insert(User.__table__).values(email=None, name=SECRET, timezone="UTC"))
    return caught.value


async def test_a_failing_statement_does_not_show_its_parameters():
    error = await _failing_insert()
    assert SECRET not in str(error)
    assert "hidden" in str(error)


async def test_the_logged_traceback_leaves_out_the_rows_the_server_echoes():
    error = await _failing_insert()
    text = scrubbed_traceback(error)
    assert text is not None and "IntegrityError" in text and "_failing_insert" in text
    assert SECRET not in text
    # What stdlib logging (uvicorn's "Exception in ASGI application") prints.
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("tests.scrubbed")
    logger.addFilter(DatabaseErrorScrubber())
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError("while handling a request") from error
        except RuntimeError as wrapped:
            logger.error("Exception in ASGI application", exc_info=wrapped)
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert "Exception in ASGI application" in logged and "IntegrityError" in logged and "RuntimeError" in logged
    assert SECRET not in logged


def test_other_errors_keep_their_whole_traceback():
    try:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise ValueError("outer") from inner
    except ValueError as exc:
        assert scrubbed_traceback(exc) is None
        assert "KeyError" in "".join(traceback.format_exception(exc))
