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

The rest of the HTTP contract is declared here too, by rule, so a new router gets it without
writing anything (see README "API"):

- operation ids `<tag>_<endpoint name without the tag's words>` (`operation_id` below, passed to
  FastAPI as generate_unique_id_function): `tasks_list`, `reminders_acknowledge`;
- `security: []` on operations that need no credentials; `servers` from PUBLIC_BASE_URL;
- on every authenticated POST: the optional `Idempotency-Key` header and its 409
  (core/idempotency.py);
- on PATCH/PUT/DELETE of a path that has a GET: the optional `If-Match` header and 412; `ETag`
  on every JSON 200 of GET/PATCH/PUT, `Location` on every 201 (core/http.py);
- `Retry-After` and `RateLimit-*` headers on every 429.
A Schemathesis run in the test suite (tests/security/test_schemathesis.py) checks that every
status the app returns is declared and every body matches its schema.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from personal_assistant.core.errors import ErrorCode

DESCRIPTIONS = {
    400: "Malformed request (for example JSON that does not parse)",
    401: "Not authenticated, or the token or credentials are not valid",
    403: "Authenticated but not allowed",
    404: "Not found (another user's id is not found too)",
    409: "Conflicts with the current state (or an Idempotency-Key reused with another body, or still in progress)",
    412: "`If-Match` does not match the resource's current ETag: read it again",
    422: "A field is invalid; `fields` names it",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "A service this needs is unavailable; try again later",
}
_METHODS = ("get", "put", "post", "delete", "patch")


class ErrorBody(BaseModel):
    code: ErrorCode = Field(description="machine-readable; switch on it")
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


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def operation_id(route: APIRoute) -> str:
    """`generate_unique_id_function`: the first tag, then the endpoint's name without the tag's
    words: list_tasks in "tasks" -> tasks_list; acknowledge_reminder -> reminders_acknowledge;
    list_api_tokens in "api tokens" -> api_tokens_list."""
    tag = str(route.tags[0]) if route.tags else "api"
    prefix = re.sub(r"[^a-z0-9]+", "_", tag.lower()).strip("_")
    drop = {w for part in prefix.split("_") for w in (part, _singular(part))}
    words = [w for w in route.name.split("_") if w and w not in drop]
    return f"{prefix}_{'_'.join(words or [route.name])}"


_HEADER = {"schema": {"type": "string"}}
RATE_HEADERS = {
    "Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "integer"}},
    "RateLimit-Limit": {"description": "requests allowed in the window", "schema": {"type": "integer"}},
    "RateLimit-Remaining": {"description": "requests left in the window", "schema": {"type": "integer"}},
    "RateLimit-Reset": {"description": "seconds until the window resets", "schema": {"type": "integer"}},
}
IDEMPOTENCY_PARAM = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "any unique string (a UUID) up to 255 characters: a retry with the same key and "
    "body gets the first answer again (24 h) instead of acting twice; the same key with another "
    "body is a 409 `idempotency_key_reused`, and one still running a 409 `idempotency_in_progress`",
    "schema": {"type": "string", "maxLength": 255},
}
IF_MATCH_PARAM = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "the ETag read with the resource: the change is made only if it is still current "
    "(412 otherwise)",
    "schema": {"type": "string"},
}


def _add_param(operation: dict[str, Any], param: dict[str, Any]) -> None:
    params = operation.setdefault("parameters", [])
    if not any(p.get("name") == param["name"] and p.get("in") == "header" for p in params):
        params.append(param)


def _success_headers(path: str, method: str, operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        json_body = "application/json" in response.get("content", {})
        headers = response.setdefault("headers", {})
        if status == "201":
            headers["Location"] = {"description": "URL of the created resource (when it has one)", **_HEADER}
        if status == "200" and json_body and method in ("get", "patch", "put"):
            headers["ETag"] = {"description": "send it back as If-Match to change only this version", **_HEADER}
        if status == "429":
            headers.update(RATE_HEADERS)
        if not headers:
            response.pop("headers")


def _drop_boolean_discriminators(node: Any) -> None:
    """OpenAPI discriminators name string properties; a oneOf told apart by a boolean `const`
    (LoginOut's mfa_required) keeps the oneOf and drops the discriminator, which generators
    would otherwise read as the strings "true"/"false"."""
    if isinstance(node, dict):
        mapping = node.get("discriminator", {}).get("mapping", {})
        if mapping and set(mapping) <= {"true", "false"}:
            node.pop("discriminator")
        for value in node.values():
            _drop_boolean_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _drop_boolean_discriminators(value)


def _enum_varname(value: str) -> str:
    descending = value.startswith("-")
    name = re.sub(r"[^A-Za-z0-9]+", "_", value.lstrip("-")).strip("_") or "value"
    return f"{name}_desc" if descending else name


def _name_enum_members(components: dict[str, Any]) -> None:
    """`x-enum-varnames` for string enums with values that are not names ("-due_at"), so
    generated clients say TaskSort.DUE_AT_DESC rather than VALUE_1."""
    for schema in components.values():
        values = schema.get("enum")
        if values and all(isinstance(v, str) for v in values) and not all(v.isidentifier() for v in values):
            schema["x-enum-varnames"] = [_enum_varname(v) for v in values]


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
    _drop_boolean_discriminators(schema)
    _name_enum_members(components)

    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if path.startswith("/webhooks/"):
                continue  # Twilio's callbacks answer TwiML, and a bare 403 to forged requests
            if not operation.get("security"):
                operation["security"] = []  # public: says so, instead of inheriting a default
            if method == "post" and operation.get("security"):
                _add_param(operation, IDEMPOTENCY_PARAM)
                responses.setdefault("409", {"description": DESCRIPTIONS[409]})
            if method in ("patch", "put", "delete") and "get" in item:
                _add_param(operation, IF_MATCH_PARAM)
                responses.setdefault("412", {"description": DESCRIPTIONS[412]})
            statuses: set[int] = {int(s) for s in responses if s.isdigit() and int(s) >= 400}
            if _has_json_body(operation):
                statuses |= {400, 422}
            elif operation.get("parameters") or "requestBody" in operation:
                statuses.add(422)
            if operation.get("security"):
                statuses.add(401)
            if "{" in path:
                statuses.add(404)
            for status in sorted(statuses):
                declared = responses.get(str(status), {})
                ref = declared.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
                if ref and ref.rsplit("/", 1)[1] not in ("Error", "HTTPValidationError"):
                    continue  # a documented non-error body (the 503 of /ready)
                described = declared.get("description")
                responses[str(status)] = _error_response(status)
                if described and described not in ("Validation Error", "Successful Response"):
                    responses[str(status)]["description"] = described
            _success_headers(path, method, operation)


def install_openapi(app: FastAPI, server_url: str | None = None) -> None:
    """Serve the document with its errors declared (built once, on first request)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            declare_errors(schema)
            if server_url:
                schema["servers"] = [{"url": server_url.rstrip("/"), "description": "this deployment"}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
