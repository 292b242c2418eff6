"""Every query of the connector tables. Accounts are scoped to one user; an OAuth state is
found by its hashed value (the Microsoft form_post callback carries no cookie) and then bound
to the user who started it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models import Connector, OAuthState
from personal_assistant.db.repository import ScopedRepository


class ConnectorRepository(ScopedRepository[Connector]):
    model = Connector
    label = "connector"

    async def for_provider(self, provider: str) -> Connector | None:
        stmt = self.select(Connector.provider == provider)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def all(self) -> list[Connector]:
        return await self.list(order_by=(Connector.provider,))


class OAuthStateRepository(ScopedRepository[OAuthState]):
    model = OAuthState
    label = "authorization"


async def state_by_hash(session: AsyncSession, state_hash: str) -> OAuthState | None:
    """The one unscoped read: the callback learns whose state it is from the state itself."""
    stmt = select(OAuthState).where(OAuthState.state_hash == state_hash)
    return (await session.execute(stmt)).scalar_one_or_none()


async def claim_state(session: AsyncSession, state_id: uuid.UUID, now: datetime) -> bool:
    """Mark a state used, atomically: of two callbacks racing with one state, one wins."""
    result = await session.execute(
        update(OAuthState)
        .where(OAuthState.id == state_id, OAuthState.used_at.is_(None), OAuthState.expires_at > now)
        .values(used_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def connected_accounts(session: AsyncSession, provider: Sequence[str], limit: int, after: uuid.UUID | None):
    """(user_id, provider) of connected accounts, in id order, for the sync jobs (one page)."""
    stmt = (
        select(Connector.id, Connector.user_id, Connector.provider)
        .where(Connector.status == "connected", Connector.provider.in_(provider))
        .order_by(Connector.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(Connector.id > after)
    return list((await session.execute(stmt)).all())
