"""`Idempotency-Key` on every authenticated POST, as Stripe does it.

A client that sends `Idempotency-Key: <unique string>` with a POST can retry it safely:

1. `claim` (called by deps.current_principal, so every authenticated route gets it, including
   routers added later) inserts (user_id, key, fingerprint of method + path + query + body) as
   `in_progress` and commits, before the endpoint runs. The unique (user_id, key) decides a race
   between two concurrent duplicates: the loser reads the row and answers 409
   `idempotency_in_progress` (with Retry-After) while the first still runs.
2. `IdempotencyMiddleware` holds the answer, stores it on the row (status, a few headers, the
   body encrypted with core.crypto: it can hold a secret shown once), marks it `done`, and then
   sends it. A 5xx or 429 (or a crash) deletes the row instead, so a retry runs again.
3. A repeat of a `done` key with the same fingerprint gets the stored answer again, with
   `Idempotent-Replayed: true`, and nothing runs (a web chat message does not re-run the agent);
   the same key with another fingerprint is a 409 `idempotency_key_reused`.

Keys are kept IDEMPOTENCY_KEY_HOURS (24) and purged by the sweep job (`purge_expired`); a claim
still in progress after ABANDONED_AFTER (its process died) is let go, so the retry runs. Public
POSTs (login, sign-up, refresh) have no user to scope a key to, and ignore the header.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from personal_assistant.config import get_settings
from personal_assistant.core import clock, crypto
from personal_assistant.core.errors import Conflict, ValidationFailed
from personal_assistant.db.models import IdempotencyKey
from personal_assistant.db.session import session_scope

log = structlog.get_logger("idempotency")

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
STATE_KEY = "idempotency_id"  # request.state / scope["state"]: the row this request claimed
KEPT_HEADERS = ("content-type", "location", "etag")
IN_PROGRESS, DONE = "in_progress", "done"
# An in-progress claim this old was left by a process that died mid-request (every request is
# bounded far below it: the web chat waits at most TURN_LOCK_WAIT_SECONDS plus one LLM call).
ABANDONED_AFTER = timedelta(minutes=10)


@dataclass
class Replay(Exception):
    """A repeat of a finished request: answered with what was stored."""

    status: int
    headers: dict[str, str]
    body: bytes


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """Same request, same fingerprint: JSON bodies compare by content (key order and spacing
    do not matter), anything else byte for byte."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class IdempotencyRepository:
    """Every query on idempotency_keys, scoped by user_id."""

    def __init__(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        self.session, self.user_id = session, user_id

    async def get(self, key: str) -> IdempotencyKey | None:
        stmt = select(IdempotencyKey).where(IdempotencyKey.user_id == self.user_id, IdempotencyKey.key == key)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def insert(self, key: str, print_: str) -> IdempotencyKey:
        now = clock.now()
        row = IdempotencyKey(
            user_id=self.user_id,
            key=key,
            fingerprint=print_,
            status=IN_PROGRESS,
            created_at=now,
            expires_at=now + timedelta(hours=get_settings().idempotency_key_hours),
        )
        self.session.add(row)
        await self.session.flush()
        return row


async def claim(request: Request, session: AsyncSession, user_id: uuid.UUID) -> None:
    """Before an authenticated POST runs: claim its key, or answer from the stored one."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or not key:
        return
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationFailed(
            "Idempotency-Key must be 1 to 255 printable ASCII characters",
            fields={"Idempotency-Key": "1 to 255 printable ASCII characters, e.g. a UUID"},
        )
    print_ = fingerprint(request.method, request.url.path, request.url.query, await request.body())
    if session.in_transaction():
        await session.commit()  # the claim is its own unit of work, committed before the endpoint
    repo = IdempotencyRepository(session, user_id)
    for _ in range(2):  # a second pass when the row found had expired and was removed
        try:
            row = await repo.insert(key, print_)
            await session.commit()
            setattr(request.state, STATE_KEY, str(row.id))
            return
        except IntegrityError:
            await session.rollback()
        existing = await repo.get(key)
        if existing is None:
            continue  # finished and deleted (a 5xx) between our insert and this read: run it
        now = clock.now()
        abandoned = existing.status == IN_PROGRESS and existing.created_at <= now - ABANDONED_AFTER
        if existing.expires_at <= now or abandoned:
            await session.delete(existing)
            await session.commit()
            continue
        await session.commit()
        if existing.fingerprint != print_:
            raise Conflict(
                "this Idempotency-Key was used with a different request; use a new key",
                code="idempotency_key_reused",
            )
        if existing.status != DONE or existing.response_status is None:
            raise Conflict(
                "a request with this Idempotency-Key is still being answered; retry shortly",
                code="idempotency_in_progress",
                headers={"Retry-After": "1"},
            )
        body = crypto.decrypt(existing.response_encrypted or "", associated_data=existing.id.bytes)
        raise Replay(existing.response_status, dict(existing.response_headers or {}), body.encode("latin-1"))
    raise Conflict("a request with this Idempotency-Key is still being answered; retry shortly",
                   code="idempotency_in_progress", headers={"Retry-After": "1"})


async def _finish(row_id: uuid.UUID, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    async with session_scope() as session:
        row = await session.get(IdempotencyKey, row_id)
        if row is None:
            return
        if status >= 500 or status == 429:  # not an answer to keep: a retry must run again
            await session.delete(row)
            return
        kept = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
        row.status = DONE
        row.response_status = status
        row.response_headers = {k: kept[k] for k in KEPT_HEADERS if k in kept}
        # latin-1 maps every byte to one character: any body round-trips through the text column.
        row.response_encrypted = crypto.encrypt(body.decode("latin-1"), associated_data=row.id.bytes)


async def _forget(row_id: uuid.UUID) -> None:
    async with session_scope() as session:
        await session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))


class IdempotencyMiddleware:
    """Stores the answer of a POST that claimed a key before letting it out (pure ASGI: the
    response is held, a few kilobytes of JSON)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        held: list[Message] = []

        async def hold(message: Message) -> None:
            if STATE_KEY in state:
                held.append(message)
            else:
                await send(message)

        try:
            await self.app(scope, receive, hold)
        except BaseException:
            if STATE_KEY in state:
                await _forget(uuid.UUID(state[STATE_KEY]))
            raise
        if STATE_KEY not in state:
            return
        start = next((m for m in held if m["type"] == "http.response.start"), None)
        if start is not None:
            body = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
            try:
                await _finish(uuid.UUID(state[STATE_KEY]), start["status"], list(start.get("headers", [])), body)
            except Exception as exc:  # the answer still goes out; a retry gets 409 in progress until expiry
                log.warning("idempotency.store_failed", error_type=type(exc).__name__)
        for message in held:
            await send(message)


async def purge_expired() -> int:
    """Delete the keys past their 24 h (run by the sweep job)."""
    async with session_scope() as session:
        result = await session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= clock.now()))
        count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        log.info("idempotency.purged", count=count)
    return count


def install_idempotency(app: FastAPI) -> None:
    @app.exception_handler(Replay)
    async def replay(_: Request, exc: Replay) -> Response:
        headers: dict[str, Any] = {**exc.headers, "Idempotent-Replayed": "true"}
        media = headers.pop("content-type", None)
        return Response(exc.body, status_code=exc.status, headers=headers, media_type=media)

    app.add_middleware(IdempotencyMiddleware)
