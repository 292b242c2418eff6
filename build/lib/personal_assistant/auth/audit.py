"""Audit log of security events (db.models.AuditEvent).

Details never carry personal data (no email, phone, names, tokens or codes): ids, reasons and
counts only. Events of a deleted user survive with user_id NULL.
"""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models import AuditEvent

log = structlog.get_logger("audit")


async def record(
    session: AsyncSession,
    event: str,
    *,
    user_id: uuid.UUID | None = None,
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add one audit event to the session (committed with the caller's unit of work)."""
    row = AuditEvent(
        event=event,
        user_id=user_id,
        ip=(ip or None) and ip[:64],
        details={k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in details.items()},
    )
    session.add(row)
    await session.flush()
    log.info("audit", audit_event=event, user_id=str(user_id) if user_id else None)
    return row
