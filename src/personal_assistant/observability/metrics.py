"""Prometheus metrics. Every metric of the product is declared here, so names stay consistent.

With PROMETHEUS_MULTIPROC_DIR set (several uvicorn workers), /metrics aggregates across processes.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SMS_INBOUND = Counter("sms_inbound_total", "Inbound SMS webhooks", ["outcome"])
SMS_OUTBOUND = Counter("sms_outbound_total", "Outbound SMS by status", ["kind", "status"])
SMS_SIGNATURE_FAILURES = Counter("sms_signature_failures_total", "Twilio webhooks with a bad signature")
SMS_DUPLICATES = Counter("sms_duplicates_total", "Twilio retries of a MessageSid already processed")
SMS_OPT_OUTS = Counter("sms_opt_outs_total", "Carrier keyword opt-outs and opt-ins", ["action"])
LLM_LATENCY = Histogram("llm_request_duration_seconds", "LLM call latency", ["provider"])
LLM_TOKENS = Counter("llm_tokens_total", "LLM tokens", ["provider", "direction"])
AGENT_TURNS = Counter("agent_turns_total", "Agent turns", ["provider", "outcome"])
TOOL_ERRORS = Counter("agent_tool_errors_total", "Tool failures", ["tool"])
REMINDERS_DUE = Counter("reminders_due_total", "Reminders claimed for delivery")
REMINDERS_SENT = Counter("reminders_sent_total", "Reminder sends handed to the transport", ["late"])
REMINDERS_MISSED = Counter("reminders_missed_total", "Reminders older than the catch-up window")
REMINDER_DUPLICATES_PREVENTED = Counter(
    "reminder_duplicates_prevented_total", "Sends refused by the idempotency key"
)
REMINDER_LATENESS = Histogram(
    "reminder_lateness_seconds",
    "From due time to hand-off to the transport",
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 7200),
)
QUEUE_DEPTH = Gauge("celery_queue_depth", "Messages waiting in the broker queue", multiprocess_mode="max")
TASK_FAILURES = Counter("background_task_failures_total", "Background jobs that raised", ["task"])
# The durable SMS pipeline (set by sms/): the outbox's waiting rows per status, turns the sweep had
# to re-drive, and sends whose outcome at Twilio is unknown (a timeout after the hand-off).
SMS_OUTBOX_BACKLOG = Gauge(
    "sms_outbox_backlog", "Outbound texts waiting in the outbox, by status", ["status"],
    multiprocess_mode="livemostrecent",
)
SMS_TURNS_REDRIVEN = Counter("sms_turns_redriven_total", "Inbound turns re-driven by the sweep after a lost job")
SMS_SENDS_UNCERTAIN = Counter("sms_sends_uncertain_total", "Sends whose outcome at Twilio is unknown")
# Refreshed from the database at every scrape of the API (observability/scrape.py), so each replica
# reports the same value; "livemostrecent" keeps the newest value of a live process in multiprocess mode.
CONNECTORS_NEEDING_RECONNECT = Gauge(
    "connectors_needing_reconnect", "Connected accounts whose tokens stopped working",
    multiprocess_mode="livemostrecent",
)
DEAD_LETTERS = Gauge("dead_letters_open", "Background jobs failed after their retries, not yet resolved",
                     multiprocess_mode="livemostrecent")
GEMINI_CIRCUIT_OPEN = Gauge("gemini_circuit_open", "1 while the Gemini circuit breaker is open",
                            multiprocess_mode="max")
# core/resilience.py: every guarded provider call by outcome (ok|refused|error|timeout|circuit_open|rate_limited).
PROVIDER_CALLS = Counter("provider_calls_total", "Guarded calls to external providers", ["provider", "outcome"])
PROVIDER_CIRCUIT_OPEN = Gauge("provider_circuit_open", "1 while a provider's circuit breaker is open", ["provider"],
                              multiprocess_mode="max")
AUTH_LOGINS = Counter("auth_logins_total", "Login attempts", ["method", "outcome"])
RATE_LIMITED = Counter("rate_limited_total", "Requests refused by a rate limit", ["scope"])


def render_metrics() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
