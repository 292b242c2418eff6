"""OpenTelemetry traces: one trace per inbound text, from the webhook to the reply's send.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: then spans
go over OTLP/HTTP (protobuf, `<endpoint>/v1/traces`) to the collector. Tests hand in their own
exporter (`configure_tracing(exporter=InMemorySpanExporter())`).

What is traced: FastAPI requests (not /health, /ready, /metrics, /static), SQLAlchemy statements
of the process's engine (`skip_dep_check=True`: the instrumentation declares sqlalchemy<2.1 and
would otherwise instrument nothing), httpx and httpx2 (google-genai speaks httpx2), requests (the
twilio client), and Celery (producer here, consumer in each worker process after the fork,
because the batch exporter's thread does not survive a fork).

Privacy: spans carry ids only. SQL parameters are never recorded (the instrumentation records
the statement text, which is parameterised), no request or message bodies are attached, and the
user is an attribute (`enduser.id`), set from `bind_user()` or the request's principal.
"""

from __future__ import annotations

import contextvars
import os
from typing import Any

import structlog
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter

log = structlog.get_logger("observability.tracing")

USER_ATTRIBUTE = "enduser.id"
EXCLUDED_URLS = "/health,/ready,/metrics,/static"
_current_user: contextvars.ContextVar[str | None] = contextvars.ContextVar("trace_user_id", default=None)
_provider: TracerProvider | None = None
_instrumented: list[Any] = []
_engine_tracer: Any = None


def tracing_requested() -> bool:
    """An OTLP endpoint is configured (and the SDK is not switched off)."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def provider() -> TracerProvider | None:
    """The process's tracer provider, or None while tracing is off."""
    return _provider


class _UserAttributeProcessor(SpanProcessor):
    """Stamps every span started while a user is bound (bind_user, or the logs' user_id)."""

    def on_start(self, span: Span, parent_context: otel_context.Context | None = None) -> None:
        user_id = _current_user.get() or structlog.contextvars.get_contextvars().get("user_id")
        if user_id:
            span.set_attribute(USER_ATTRIBUTE, str(user_id))

    def on_end(self, span: ReadableSpan) -> None:
        return None


def bind_user(user_id: object) -> None:
    """From here on (this task and the tasks it starts), spans carry this user's id; the current
    span gets it too. Costs nothing while tracing is off."""
    _current_user.set(str(user_id))
    set_user_on_current_span(user_id)


def set_user_on_current_span(user_id: object) -> None:
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute(USER_ATTRIBUTE, str(user_id))


def configure_tracing(
    service_name: str = "assistant-api", exporter: SpanExporter | None = None
) -> TracerProvider | None:
    """Set up tracing for this process once: the provider, its exporter and the library-wide
    instrumentations (httpx, httpx2, requests, Celery). Returns None (and does nothing) when no
    endpoint is configured and no exporter is given. Safe to call again."""
    global _provider
    if _provider is not None:
        if exporter is not None:
            _provider.add_span_processor(SimpleSpanProcessor(exporter))
        return _provider
    if exporter is None and not tracing_requested():
        return None
    resource = Resource.create(
        {
            "service.name": os.environ.get("OTEL_SERVICE_NAME") or service_name,
            "deployment.environment": os.environ.get("ENVIRONMENT", "development"),
        }
    )
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(_UserAttributeProcessor())
    if exporter is not None:
        tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        # Manual tracers (trace.get_tracer) use it too; only for the real, once-per-process set-up.
        trace.set_tracer_provider(tracer_provider)
    _provider = tracer_provider
    _instrument_libraries(tracer_provider)
    log.info("tracing.enabled", service=service_name, exporter=type(exporter).__name__ if exporter else "otlp-http")
    return tracer_provider


def _instrument_libraries(tracer_provider: TracerProvider) -> None:
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPX2ClientInstrumentor, HTTPXClientInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor

    for instrumentor in (HTTPXClientInstrumentor(), HTTPX2ClientInstrumentor(), RequestsInstrumentor(),
                         CeleryInstrumentor()):
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument(tracer_provider=tracer_provider)
            _instrumented.append(instrumentor)


def instrument_app(app: Any) -> None:
    """Trace the FastAPI app's requests (a no-op while tracing is off)."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=_provider, excluded_urls=EXCLUDED_URLS, exclude_spans=["receive", "send"]
    )


def instrument_engine(engine: Any) -> None:
    """Trace an AsyncEngine's statements (a no-op while tracing is off)."""
    global _engine_tracer
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    if _engine_tracer is None:
        # skip_dep_check: the package declares sqlalchemy<2.1; without it nothing is instrumented.
        instrumentor = SQLAlchemyInstrumentor()
        _engine_tracer = instrumentor.instrument(
            engine=engine.sync_engine, tracer_provider=_provider, skip_dep_check=True
        )
        _instrumented.append(instrumentor)
        return
    # The instrumentor is a singleton that instruments once; later engines (the CLI and tests
    # dispose and rebuild theirs) get a tracer of their own sharing its instruments.
    EngineTracer(_engine_tracer.tracer, engine.sync_engine, _engine_tracer.connections_usage)


def shutdown_tracing() -> None:
    """Flush and switch tracing off for this process (tests; worker shutdown)."""
    global _provider, _engine_tracer
    for instrumentor in _instrumented:
        instrumentor.uninstrument()
    _instrumented.clear()
    if _provider is not None:
        _provider.shutdown()
    _provider = None
    _engine_tracer = None
