"""Traces as an operator reads them: one inbound text is one trace, from the webhook request to
the reply's send to Twilio, carrying ids and never the text."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from personal_assistant.db.session import dispose_engine
from personal_assistant.observability import tracing
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed

SECRET_TEXT = "remind me to call the pharmacy about my prescription at 5pm"


@pytest.fixture
async def traced_client(fake_twilio) -> AsyncIterator[tuple[httpx.AsyncClient, InMemorySpanExporter]]:
    """The real app (embedded mode) with tracing on, spans kept in memory."""
    from personal_assistant.main import create_app

    exporter = InMemorySpanExporter()
    await dispose_engine()  # the next engine is built, and instrumented, with tracing on
    tracing.configure_tracing("assistant-test", exporter=exporter)
    try:
        app = create_app()
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="https://assistant.test") as client:
                yield client, exporter
            await wait_for_in_process_jobs()
    finally:
        tracing.shutdown_tracing()
        await dispose_engine()


def _attributes_text(spans) -> str:
    return " ".join(f"{k}={v}" for span in spans for k, v in (span.attributes or {}).items()) + " ".join(
        span.name for span in spans
    )


async def test_one_inbound_text_is_one_trace_from_webhook_to_reply(traced_client, make_user, fake_twilio):
    client, exporter = traced_client
    user = await make_user()

    response = await post_signed(client, "/webhooks/twilio/sms",
                                 inbound_params(from_=user.phone, to=SHARED_NUMBER, body=SECRET_TEXT))
    assert response.status_code == 200
    await wait_for_in_process_jobs()

    [sent] = fake_twilio.sent_messages  # the user got their reply
    assert sent["To"] == user.phone
    spans = exporter.get_finished_spans()
    [webhook] = [s for s in spans if s.kind == SpanKind.SERVER
                 and (s.attributes or {}).get("http.route") == "/webhooks/twilio/sms"]
    sends = [s for s in spans if s.kind == SpanKind.CLIENT and "/Messages.json" in str(
        (s.attributes or {}).get("url.full") or (s.attributes or {}).get("http.url") or "")]
    assert len(sends) == 1, [s.name for s in spans]
    # One trace: the Twilio send of the reply hangs under the webhook request that brought the text.
    assert sends[0].context.trace_id == webhook.context.trace_id
    # Every statement since the text arrived (storing it, the turn, the outbox) is in that trace too.
    database = [s for s in spans if s.start_time >= webhook.start_time and (
        (s.attributes or {}).get("db.system") or (s.attributes or {}).get("db.system.name"))]
    assert len(database) > 3 and all(s.context.trace_id == webhook.context.trace_id for s in database)
    # Ids only: neither the text the user sent nor the reply appears in any span.
    recorded = _attributes_text(spans)
    assert SECRET_TEXT not in recorded and "pharmacy" not in recorded
    assert sent["Body"] not in recorded


async def test_an_authenticated_request_names_the_user_and_health_is_not_traced(traced_client, make_user):
    client, exporter = traced_client
    user = await make_user()

    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 200
    assert (await client.get("/health")).status_code == 200

    servers = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert [(s.attributes or {}).get("http.route") for s in servers] == ["/api/v1/me"]
    assert servers[0].attributes["enduser.id"] == str(user.id)


def test_tracing_is_off_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    assert tracing.configure_tracing("assistant-test") is None
    assert tracing.provider() is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert tracing.configure_tracing("assistant-test") is None
