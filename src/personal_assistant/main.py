"""create_app(): middleware, lifespan, routers, error handlers, ops endpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Literal, cast

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from personal_assistant import api
from personal_assistant.agent.tools.registry import registry
from personal_assistant.api_docs import install_api_docs
from personal_assistant.config import Settings, get_settings
from personal_assistant.core.errors import AppError, known_code
from personal_assistant.core.http import HttpSemanticsMiddleware
from personal_assistant.core.idempotency import install_idempotency
from personal_assistant.core.openapi import install_openapi, operation_id
from personal_assistant.dashboard.router import install_dashboard
from personal_assistant.dashboard.web import not_found_page, wants_html
from personal_assistant.db.errors import input_error
from personal_assistant.db.session import dispose_engine, get_engine
from personal_assistant.observability.logging import configure_logging
from personal_assistant.observability.metrics import render_metrics
from personal_assistant.observability.middleware import RequestContextMiddleware
from personal_assistant.observability.scrape import metrics_refusal, refresh_database_gauges
from personal_assistant.observability.tracing import configure_tracing, instrument_app

log = structlog.get_logger("app")


class HealthOut(BaseModel):
    status: Literal["ok"]


class ReadyOut(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(description='each dependency -> "ok" or "error: <type>"',
                                   examples=[{"database": "ok", "redis": "ok"}])


def _error(status: int, code: str, message: str, fields: dict | None = None, headers=None) -> JSONResponse:
    body: dict = {"code": known_code(status, code), "message": message}
    if fields:
        body["fields"] = fields
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, exc: AppError) -> JSONResponse:
        return _error(exc.status_code, exc.code, exc.message, exc.fields, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            return _error(400, "malformed_json", "the request body is not valid JSON")
        fields: dict[str, str] = {}
        for err in exc.errors():
            fields.setdefault(_field_name(tuple(err.get("loc", ()))), err.get("msg", "invalid"))
        return _error(422, "validation_error", "some fields are invalid", fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and wants_html(request):  # a person in a browser: the site's own page
            return await not_found_page(request)
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), message,
                      headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        refused = input_error(exc)
        if refused is None:
            return await unexpected(request, exc)
        log.info("request.refused_by_database", sqlstate=getattr(exc.orig, "sqlstate", None))
        return _error(refused.status_code, refused.code, refused.message)

    @app.exception_handler(OverflowError)
    async def out_of_range(_: Request, exc: OverflowError) -> JSONResponse:
        # A date or number from the request beyond what datetime or an integer column holds
        # (year 1 with an offset east of UTC, 2**70): the caller's input; nothing was stored.
        log.info("request.value_out_of_range")
        return _error(422, "invalid_value", "a date, time or number is out of range")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", error_type=type(exc).__name__)
        return _error(500, "internal_error", "something went wrong on our side")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    settings.check_secure()
    configure_tracing("assistant-api")  # a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        get_engine()
        background = None
        if settings.embedded and settings.scheduler_enabled:
            from personal_assistant.workers.embedded import start_embedded_scheduler

            background = await start_embedded_scheduler()
        log.info("startup", environment=settings.environment, embedded=settings.embedded)
        try:
            yield
        finally:
            if background is not None:
                await background.stop()
                from personal_assistant.workers.enqueue import wait_for_in_process_jobs

                await wait_for_in_process_jobs(5.0)  # what does not finish, the next start re-drives
            await dispose_engine()

    app = FastAPI(
        title=settings.app_name,
        version="0.1.0",
        description="SMS-first personal assistant for adults with ADHD. REST API v1.",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,  # readable client names: tasks_list, reminders_acknowledge
        docs_url=None,  # /docs is served by install_api_docs from local files, not a CDN
        redoc_url=None,
        # DOCS_ENABLED (default: on in development only).
        openapi_url="/openapi.json" if settings.docs_on else None,
    )
    install_error_handlers(app)
    app.add_middleware(HttpSemanticsMiddleware)  # innermost: ETag, If-Match, Location, HEAD, RateLimit-*
    install_idempotency(app)  # around it: holds a keyed POST's answer (with those headers) until stored
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match"],
            expose_headers=[
                "Retry-After", "X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
                "ETag", "Location", "Idempotent-Replayed",
            ],
        )
    app.add_middleware(RequestContextMiddleware, hsts=not settings.is_development)

    @app.get("/health", tags=["ops"], response_model=HealthOut)
    async def health() -> dict:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/ready", tags=["ops"], response_model=ReadyOut,
             responses={503: {"model": ReadyOut, "description": "a dependency does not answer"}})
    async def ready() -> JSONResponse:
        """The database (and Redis, when configured) answer."""
        checks = await readiness_checks(settings)
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                            status_code=200 if ok else 503)

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics(request: Request) -> Response:
        refused = metrics_refusal(settings, request.headers.get("authorization"))
        if refused is not None:
            return _error(refused, "unauthorized" if refused == 401 else "forbidden", "metrics need METRICS_TOKEN",
                          headers={"WWW-Authenticate": "Bearer"} if refused == 401 else None)
        await refresh_database_gauges()
        payload, content_type = render_metrics()
        return Response(payload, media_type=content_type)

    api.include_routers(app)
    if settings.docs_on:
        install_api_docs(app, settings.app_name)  # before the dashboard: its assets live under /static/
    registry.load()  # every tool family imports now: a renamed module fails start-up, loudly
    install_openapi(app, settings.public_base_url)  # errors, ids, headers: the HTTP contract, by rule
    install_dashboard(app)  # cookie-session middleware, /static, the server-rendered pages
    instrument_app(app)  # traces (when configured): the outermost middleware
    return app


async def readiness_checks(settings: Settings) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        async with get_engine().connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # report, don't raise: this is a health probe
        checks["database"] = f"error: {type(exc).__name__}"
    if settings.redis_url:
        import redis.asyncio as aioredis

        client = aioredis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
        try:
            await cast(Awaitable[bool], client.ping())  # redis-py types it sync-or-async
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
        finally:
            await client.aclose()
    return checks
