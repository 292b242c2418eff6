"""HTTP semantics every route gets, by rule (so a new router needs nothing):

- `ETag` on every 200 JSON answer to GET, PATCH or PUT (a hash of the body: the representation);
- `If-Match` on PATCH/PUT/DELETE: the resource is read first (the same path with GET, as the same
  caller) and the change goes ahead only if one of the tags matches its ETag (or `*`); otherwise
  412 `precondition_failed`. Optimistic: a change landing between that read and this write is
  not seen, which is the usual guarantee for a single-user resource;
- `Location` on a 201 whose body has an `id`, when `<path>/<id>` is a GET route;
- HEAD answered for every GET route (the GET's status and headers, no body);
- `RateLimit-Limit`, `-Remaining`, `-Reset` on answers of routes that counted a hit against a
  limit (core/ratelimit.py fills `rate_headers`), next to the 429's `Retry-After`.

Pure ASGI and innermost (inside core/idempotency.py, which stores these headers with a keyed
answer), so `scope["route"]` is the matched route once the app has run.
"""

from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The RateLimit-* of the current request: core/ratelimit.py writes into the dict the middleware
# put here (a dict, so a write from a copied context is still seen).
rate_headers: ContextVar[dict[str, int] | None] = ContextVar("rate_headers", default=None)

_JSON = b"application/json"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _matches(if_match: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    return "*" in tags or etag in tags


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _has_get_route(scope: Scope, path: str) -> bool:
    app = scope.get("app")
    routes = getattr(getattr(app, "router", None), "routes", [])
    probe = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    for route in routes:
        match, _ = route.matches(probe)
        if match == Match.FULL:
            return True
    return False


class HttpSemanticsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def _current_etag(self, scope: Scope) -> tuple[int, str | None]:
        """GET the same path as the same caller: (status, its ETag when 200)."""
        headers = [(k, v) for k, v in scope.get("headers", []) if k not in (b"if-match", b"content-length",
                                                                            b"content-type", b"idempotency-key")]
        probe = {**scope, "method": "GET", "headers": headers, "state": {}}
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(probe, _empty_receive, capture)
        status = int(start.get("status", 500))
        return status, etag_of(b"".join(chunks)) if status == 200 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if_match = _header(scope, b"if-match")
        if if_match is not None and method in ("PATCH", "PUT", "DELETE"):
            status, etag = await self._current_etag(scope)
            if status == 200 and etag is not None and not _matches(if_match, etag):
                await _precondition_failed(send, etag)
                return
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        limits: dict[str, int] = {}
        token = rate_headers.set(limits)
        start: Message | None = None
        chunks: list[bytes] = []
        held = False  # a JSON answer is held whole (for its ETag / Location); others stream through

        async def wrapped(message: Message) -> None:
            nonlocal start, held
            if message["type"] == "http.response.start":
                ctype = dict(message.get("headers", [])).get(b"content-type", b"")
                held = ctype.startswith(_JSON) and method in ("GET", "HEAD", "PATCH", "PUT", "POST")
                if held:
                    start = message
                else:
                    await send(_with_headers(message, _rate(limits)))
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            if not held:
                await send({**message, "body": b""} if head else message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            assert start is not None
            body = b"".join(chunks)
            extra = _rate(limits) + self._extra(scope, method, start, body)
            await send(_with_headers(start, extra))
            await send({"type": "http.response.body", "body": b"" if head else body, "more_body": False})

        try:
            await self.app(scope, receive, wrapped)
        finally:
            rate_headers.reset(token)

    def _extra(self, scope: Scope, method: str, start: Message, body: bytes) -> list[tuple[bytes, bytes]]:
        status = start["status"]
        extra: list[tuple[bytes, bytes]] = []
        if status == 200 and method in ("GET", "HEAD", "PATCH", "PUT"):
            extra.append((b"etag", etag_of(body).encode()))
        if status == 201 and method == "POST":
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                location = scope["path"].rstrip("/") + "/" + data["id"]
                if _has_get_route(scope, location):
                    extra.append((b"location", location.encode()))
        return extra


def _rate(limits: dict[str, int]) -> list[tuple[bytes, bytes]]:
    return [(f"ratelimit-{k}".encode(), str(v).encode()) for k, v in limits.items()]


def _with_headers(start: Message, extra: list[tuple[bytes, bytes]]) -> Message:
    if not extra:
        return start
    names = {k for k, _ in extra}
    headers = [(k, v) for k, v in start.get("headers", []) if k not in names] + extra
    return {**start, "headers": headers}


async def _precondition_failed(send: Send, etag: str) -> None:
    body = json.dumps({"error": {"code": "precondition_failed", "message": (
        "the resource changed since you read it (If-Match does not match its ETag); read it again")}}).encode()
    await send({"type": "http.response.start", "status": 412, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"etag", etag.encode())]})
    await send({"type": "http.response.body", "body": body, "more_body": False})
