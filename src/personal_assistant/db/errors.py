"""Database errors that are the caller's fault, not ours.

Input is validated before it reaches the database, but the database has the last word on some
limits (PostgreSQL refuses a NUL character in text; a number or a date outside its types'
ranges). Such a "data exception" (SQLSTATE class 22) caused by a request is a 422, and nothing
was stored (the request's unit of work rolls back); any other database error stays a 500.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from personal_assistant.core.errors import ValidationFailed


def input_error(exc: DBAPIError) -> ValidationFailed | None:
    """The 422 for a data exception, or None for any other database error."""
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if isinstance(sqlstate, str) and sqlstate.startswith("22"):
        return ValidationFailed(
            "a value is outside what can be stored (too large, too long, or a character such as NUL)",
            code="invalid_value",
        )
    return None
