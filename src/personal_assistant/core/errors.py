"""Domain exceptions. Services raise these; main.py turns them into the one JSON error format:

    {"error": {"code": "not_found", "message": "...", "fields": {"field": "why"}}}
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every `error.code` the API sends, one enum in the OpenAPI document so generated clients can
    switch on it. A new code must be added here (tests/security/test_openapi_errors.py scans the
    source for codes and fails on one missing); main.py sends a code not listed as its status's
    generic code rather than break a client's enum."""

    bad_request = "bad_request"
    malformed_json = "malformed_json"
    validation_error = "validation_error"
    invalid_value = "invalid_value"
    recent_login_required = "recent_login_required"
    unauthorized = "unauthorized"
    invalid_credentials = "invalid_credentials"
    invalid_token = "invalid_token"
    token_expired = "token_expired"
    invalid_refresh_token = "invalid_refresh_token"
    refresh_token_reused = "refresh_token_reused"
    invalid_link = "invalid_link"
    invalid_mfa_code = "invalid_mfa_code"
    mfa_code_reused = "mfa_code_reused"
    session_ended = "session_ended"
    account_disabled = "account_disabled"
    forbidden = "forbidden"
    mfa_required = "mfa_required"
    mfa_login_required = "mfa_login_required"
    cannot_disable_self = "cannot_disable_self"
    not_found = "not_found"
    method_not_allowed = "method_not_allowed"
    conflict = "conflict"
    ambiguous = "ambiguous"
    phone_in_use = "phone_in_use"
    focus_running = "focus_running"
    mfa_already_enabled = "mfa_already_enabled"
    mfa_not_enabled = "mfa_not_enabled"
    mfa_not_set_up = "mfa_not_set_up"
    code_expired = "code_expired"
    too_many_attempts = "too_many_attempts"
    idempotency_key_reused = "idempotency_key_reused"
    idempotency_in_progress = "idempotency_in_progress"
    precondition_failed = "precondition_failed"
    invalid_state = "invalid_state"
    connect_failed = "connect_failed"
    not_configured = "not_configured"
    rate_limited = "rate_limited"
    unavailable = "unavailable"
    internal_error = "internal_error"
    http_error = "http_error"


# The code sent for a status when a handler's code is not in ErrorCode (see ErrorCode).
GENERIC_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 412: "precondition_failed", 422: "validation_error", 429: "rate_limited",
    500: "internal_error", 503: "unavailable",
}


def known_code(status: int, code: str) -> str:
    return code if code in ErrorCode.__members__ else GENERIC_CODES.get(status, "http_error")


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields
        self.headers = headers

    def to_dict(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return {"error": body}


class ValidationFailed(AppError):
    status_code = 422
    code = "validation_error"


class NotFound(AppError):
    status_code = 404
    code = "not_found"

    def __init__(self, what: str = "resource", **kw) -> None:
        super().__init__(f"{what} not found", **kw)


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str = "authentication required", **kw) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"}, **kw)


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: int, message: str = "too many requests, try again later") -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, retry_after))})
        self.retry_after = retry_after


class PreconditionFailed(AppError):
    status_code = 412
    code = "precondition_failed"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "unavailable"
