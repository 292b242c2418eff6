"""Who is this text for? One router for dedicated and shared numbers.

- `To` is a user's dedicated number: it routes to that user only when `From` is that user's
  verified phone. Another user's verified phone texting it is "foreign" and gets nothing of the
  owner (no data, no reply); a stranger is an unknown sender.
- Any other `To` (the shared number, an unassigned pool number): the sender's verified phone
  identifies the user; no verified phone means an unknown sender.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models import User
from personal_assistant.sms import repository as repo


@dataclass(frozen=True)
class Route:
    kind: str  # user|unknown|foreign|inactive
    user: User | None = None


async def route_inbound(session: AsyncSession, *, from_number: str, to_number: str) -> Route:
    """Resolve the user an inbound text belongs to, never crossing from one user to another."""
    number = await repo.sms_number(session, to_number)
    sender = await repo.verified_owner(session, from_number) if from_number else None
    if number is not None and number.user_id is not None:
        if sender is None:
            return Route("unknown")
        if sender.id != number.user_id:
            return Route("foreign")
    elif sender is None:
        return Route("unknown")
    if not sender.is_active:
        return Route("inactive")
    return Route("user", sender)
