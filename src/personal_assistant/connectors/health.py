"""Connection health: a refresh that fails for good marks the connector needs_reconnect and
texts the person once, with the reconnect link.

At most one text per connector per day: the outbox idempotency key carries the day, and
health_notified_at records it. A text held back by quiet hours leaves health_notified_at empty,
so the sync job's `notify_pending` sends it when the quiet hours end.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from personal_assistant.connectors.registry import get_connector
from personal_assistant.connectors.repository import ConnectorRepository
from personal_assistant.core import clock
from personal_assistant.db.models import Connector, User
from personal_assistant.db.session import session_scope
from personal_assistant.sms.outbox import queue_text

KIND = "connector_health"


def _text(provider: str) -> str:
    from personal_assistant.connectors.oauth import dashboard_link

    label = get_connector(provider).label
    return f"Your {label} connection stopped working. Reconnect here: {dashboard_link(provider)}"


async def mark_broken(user_id: uuid.UUID, provider: str, reason: str) -> None:
    async with session_scope() as session:
        account = await ConnectorRepository(session, user_id).for_provider(provider)
        if account is None:
            return
        account.status = "needs_reconnect"
        account.last_error = reason[:300]
        await _notify(session, account)


async def _notify(session, account: Connector) -> bool:
    now = clock.now()
    if account.health_notified_at is not None and now - account.health_notified_at < timedelta(days=1):
        return False
    user = await session.get(User, account.user_id)
    if user is None or not user.is_active:
        return False
    key = f"{KIND}:{account.id}:{now.date().isoformat()}"
    queued = await queue_text(session, user, _text(account.provider), KIND, idempotency_key=key)
    if queued.message is not None:
        account.health_notified_at = now
        return True
    return False


async def notify_pending(limit: int = 200) -> int:
    """Send the health texts that quiet hours held back (a job runs this every few minutes)."""
    sent = 0
    async with session_scope() as session:
        stmt = (
            select(Connector)
            .where(Connector.status == "needs_reconnect", Connector.health_notified_at.is_(None))
            .limit(limit)
        )
        for account in (await session.execute(stmt)).scalars():
            sent += await _notify(session, account)
    return sent
