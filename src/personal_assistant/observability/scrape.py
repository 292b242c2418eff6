"""What GET /metrics does: who may read it, and the gauges refreshed from the database per scrape.

Outside development the endpoint answers only `Authorization: Bearer <METRICS_TOKEN>` (and 403
when no token is configured, so a forgotten setting fails closed); in compose it is also only on
the internal network (nginx refuses /metrics from outside).
"""

from __future__ import annotations

import asyncio
import hmac

import structlog

from personal_assistant.config import Settings
from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import CONNECTORS_NEEDING_RECONNECT, DEAD_LETTERS
from personal_assistant.observability.repository import UnscopedOpsRepository

log = structlog.get_logger("observability.scrape")
REFRESH_TIMEOUT_SECONDS = 3.0


def metrics_refusal(settings: Settings, authorization: str | None) -> int | None:
    """None when this caller may read the metrics, else the status to answer (401 or 403)."""
    token = settings.metrics_token
    if not token:
        return None if settings.is_development else 403
    presented = (authorization or "").encode("latin-1", "replace")
    return None if hmac.compare_digest(presented, f"Bearer {token}".encode()) else 401


async def refresh_database_gauges() -> None:
    """Dead letters and connectors needing a reconnect, counted now. A slow or unreachable
    database keeps the previous values (the scrape itself must still answer)."""

    async def count() -> tuple[int, int]:
        async with session_scope() as session:
            repo = UnscopedOpsRepository(session)
            return await repo.open_dead_letters(), await repo.connectors_needing_reconnect()

    try:
        dead, reconnect = await asyncio.wait_for(count(), REFRESH_TIMEOUT_SECONDS)
    except Exception as exc:  # a probe: report through the log, keep serving metrics
        log.warning("metrics.refresh_failed", error_type=type(exc).__name__)
        return
    DEAD_LETTERS.set(dead)
    CONNECTORS_NEEDING_RECONNECT.set(reconnect)
