"""The production path, in real processes: `assistant serve` takes the webhook and enqueues the
turn on Redis, `assistant worker` answers through Twilio (the fake server), both export OTLP/HTTP
to a collector (a local stand-in decoding the protobuf). The operator finds ONE trace: the webhook
request in assistant-api and the reply's Twilio call in assistant-worker."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import redis
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from tests.fixtures.twilio import SHARED_NUMBER, TEST_AUTH_TOKEN, FakeTwilio, inbound_params, sign
from tests.workers.procs import Proc, broker_url_for_tests, free_port, wait_ready

pytestmark = pytest.mark.integration
SECRET_TEXT = "remind me to call my therapist tomorrow at 10am"


class Collector:
    """OTLP/HTTP traces receiver: POST /v1/traces (protobuf)."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, Span]] = []  # (service.name, span)
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = ExportTraceServiceRequest()
                request.ParseFromString(body)
                for resource_spans in request.resource_spans:
                    service = next((a.value.string_value for a in resource_spans.resource.attributes
                                    if a.key == "service.name"), "")
                    for scope in resource_spans.scope_spans:
                        collector.spans.extend((service, span) for span in scope.spans)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _attrs(span: Span) -> dict[str, str]:
    out = {}
    for a in span.attributes:
        value = a.value
        out[a.key] = value.string_value or str(value.int_value or value.bool_value or "")
    return out


async def test_one_trace_across_the_api_and_the_worker(make_user, database_url, redis_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("api and worker processes share PostgreSQL")
    broker = broker_url_for_tests()
    redis.Redis.from_url(broker).flushdb()
    user = await make_user()
    await asyncio.to_thread(_one_trace, user.phone, database_url, broker, tmp_path)


def _one_trace(phone: str, database_url: str, broker: str, tmp_path) -> None:
    collector = Collector()
    twilio = FakeTwilio().start()
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": broker, "SCHEDULER_ENABLED": "false",
           "TWILIO_ACCOUNT_SID": twilio.account_sid, "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
           "TWILIO_API_BASE_URL": twilio.base_url, "TWILIO_SHARED_NUMBER": SHARED_NUMBER, "SMS_TRANSPORT": "twilio",
           "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url, "OTEL_BSP_SCHEDULE_DELAY": "200",
           "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
    port = free_port()
    api = Proc(f"api-{port}", [sys.executable, "-m", "personal_assistant.cli.main", "serve", "--no-migrate",
                               "--port", str(port)], env, tmp_path)
    worker = Proc(f"worker-{port}", [sys.executable, "-m", "personal_assistant.cli.main", "worker", "--pool", "solo"],
                  env, tmp_path)
    try:
        wait_ready(worker, timeout=60)
        deadline = time.monotonic() + 60
        while True:
            assert api.alive, api.output()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, api.output()
            time.sleep(0.2)

        params = inbound_params(from_=phone, to=SHARED_NUMBER, body=SECRET_TEXT)
        signature = sign("https://assistant.test/webhooks/twilio/sms", params)
        response = httpx.post(f"http://127.0.0.1:{port}/webhooks/twilio/sms", data=params,
                              headers={"X-Twilio-Signature": signature}, timeout=10)
        assert response.status_code == 200

        def webhook_and_send():
            webhooks = [s for svc, s in collector.spans if svc == "assistant-api" and s.kind == Span.SPAN_KIND_SERVER
                        and _attrs(s).get("http.route") == "/webhooks/twilio/sms"]
            sends = [s for svc, s in collector.spans if svc == "assistant-worker" and s.kind == Span.SPAN_KIND_CLIENT
                     and "/Messages.json" in (_attrs(s).get("url.full") or _attrs(s).get("http.url") or "")]
            return webhooks, sends

        deadline = time.monotonic() + 60
        while not all(webhook_and_send()):
            assert time.monotonic() < deadline, (twilio.sent_messages, api.output()[-2000:], worker.output()[-3000:])
            time.sleep(0.3)
        [webhook], [send] = webhook_and_send()
        assert [m["To"] for m in twilio.sent_messages] == [phone]
        assert send.trace_id == webhook.trace_id  # one trace, across the broker
        consumer = [s for svc, s in collector.spans if svc == "assistant-worker" and s.kind == Span.SPAN_KIND_CONSUMER
                    and _attrs(s).get("celery.task_name") == "sms.process_inbound"]  # (the start-up sweep is its own)
        assert consumer and all(s.trace_id == webhook.trace_id for s in consumer)
        everything = " ".join(f"{s.name} {_attrs(s)}" for _, s in collector.spans)
        assert SECRET_TEXT not in everything and "therapist" not in everything
    finally:
        api.stop()
        worker.stop()
        twilio.stop()
        collector.stop()
