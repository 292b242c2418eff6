"""The OpenAPI document tells the truth about errors.

Every error leaves through main.py's handlers in one body, `{"error": {"code", "message",
"fields"?}}` (the `Error` schema here). The document declares, for each operation, the statuses
it can answer with that body:

- by rule, from the operation itself: 400 (malformed JSON) and 422 (validation) where there is
  a JSON body, 422 where there are parameters, 401 where a bearer token is accepted, 404 where
  the path names a resource;
- by declaration, for what only the domain knows (admin only, a conflict, a rate limit, a
  provider being down): `responses=errors(403, 409, 429)` on the route or its router.

FastAPI's own `HTTPValidationError` (`{"detail": [...]}`), which the API never sends, is removed.
A Schemathesis run in the test suite (tests/security/test_schemathesis.py) checks that every
status the app returns is declared and every body matches its schema.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

DESCRIPTIONS = {
    400: "Malformed request (for example JSON that does not parse)",
    401: "Not authenticated, or the token or credentials are not valid",
    403: "Authenticated but not allowed",
    404: "Not found (another user's id is not found too)",
    409: "Conflicts with the current state",
    422: "A field is invalid; `fields` names it",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "A service this needs is unavailable; try again later",
}
_METHODS = ("get", "put", "post", "delete", "patch")


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable, e.g. not_found, validation_error, rate_limited")
    message: str = Field(description="for people")
    fields: dict[str, str] | SkipJsonSchema[None] = Field(
        default=None, description="field name -> what is wrong with it (validation errors)"
    )


class Error(BaseModel):
    """The one error body of the API."""

    error: ErrorBody


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for an operation or router: these statuses answer with the Error body."""
    return {status: {"model": Error, "description": DESCRIPTIONS[status]} for status in statuses}


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _has_json_body(operation: dict[str, Any]) -> bool:
    content = operation.get("requestBody", {}).get("content", {})
    return any("json" in media for media in content)


def declare_errors(schema: dict[str, Any]) -> None:
    """Rewrite `schema` (FastAPI's generated document) as described in the module docstring."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    defs = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(defs.pop("$defs", {}))
    components["Error"] = defs

    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            statuses: set[int] = {int(s) for s in responses if s.isdigit() and int(s) >= 400}
            if _has_json_body(operation):
                statuses |= {400, 422}
            elif operation.get("parameters") or "requestBody" in operation:
                statuses.add(422)
            if operation.get("security"):
                statuses.add(401)
            if "{" in path:
                statuses.add(404)
            if path.startswith("/webhooks/"):
                continue  # Twilio's callbacks answer TwiML, and a bare 403 to forged requests
            for status in sorted(statuses):
                described = responses.get(str(status), {}).get("description")
                responses[str(status)] = _error_response(status)
                if described and described not in ("Validation Error", "Successful Response"):
                    responses[str(status)]["description"] = described


def install_openapi(app: FastAPI) -> None:
    """Serve the document with its errors declared (built once, on first request)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            declare_errors(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
