"""What the routes and the dashboard show about a person's connections."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.connectors.oauth import dashboard_link
from personal_assistant.connectors.registry import PROVIDERS
from personal_assistant.connectors.repository import ConnectorRepository
from personal_assistant.connectors.schemas import ConnectorOut


async def overview(session: AsyncSession, user_id: uuid.UUID) -> list[ConnectorOut]:
    accounts = {a.provider: a for a in await ConnectorRepository(session, user_id).all()}
    out = []
    for name, connector in PROVIDERS.items():
        account = accounts.get(name)
        out.append(
            ConnectorOut(
                provider=name,
                label=connector.label,
                available=connector.configured(),
                status=account.status if account else "not_connected",
                account=account.account_label if account else None,
                scopes=list(account.scopes or []) if account else [],
                scope_words=list(connector.scope_words),
                consented_at=account.consented_at if account else None,
                last_sync_at=account.last_sync_at if account else None,
                last_error=account.last_error if account else None,
                connect_url=dashboard_link(name),
            )
        )
    return out
