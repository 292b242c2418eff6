"""What the routes and the dashboard show about a person's connections."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.connectors.oauth import dashboard_link
from personal_assistant.connectors.registry import PROVIDERS
from personal_assistant.connectors.repository import ConnectorRepository
from personal_assistant.connectors.schemas import ConnectorOut, ConnectorProvider, ConnectorStatus


async def overview(session: AsyncSession, user_id: uuid.UUID) -> list[ConnectorOut]:
    accounts = {a.provider: a for a in await ConnectorRepository(session, user_id).all()}
    out = []
    for name, connector in PROVIDERS.items():
        account = accounts.get(name)
        out.append(
            ConnectorOut(
                provider=ConnectorProvider(name),
                label=connector.label,
                available=connector.configured(),
                status=ConnectorStatus(account.status) if account else ConnectorStatus.not_connected,
                account=account.account_label if account else None,
                scopes=list(account.scopes or []) if account else [],
                scope_words=list(connector.scope_words),
                consented_at=account.consented_at if account else None,
                last_sync_at=account.last_sync_at if account else None,
                last_error=account.last_error if account else None,
                connect_url=dashboard_link(name),
                notes_parent=(account.settings or {}).get("parent_title") if account else None,
            )
        )
    return out


async def notion_pages(user_id: uuid.UUID) -> tuple[list[dict[str, str]], str | None]:
    """The pages the person shared with the integration, and the current parent of new notes.
    Reads the tokens in their own short transaction, then calls Notion with none open."""
    from personal_assistant.connectors import oauth
    from personal_assistant.connectors.notion import api

    tokens = await oauth.fresh_tokens(user_id, "notion")
    pages = await api.search(tokens, "", user_id=user_id, limit=20)
    return pages, tokens.settings.get("parent_page_id")


async def set_notion_parent(user_id: uuid.UUID, page_id: str) -> str:
    """Make `page_id` (one of the shared pages) the parent of new notes; returns its title."""
    from personal_assistant.core.errors import ValidationFailed
    from personal_assistant.db.session import session_scope

    pages, _ = await notion_pages(user_id)
    chosen = next((p for p in pages if p["id"] == page_id), None)
    if chosen is None:
        raise ValidationFailed("pick one of the pages you shared", fields={"page_id": "not a shared page"})
    async with session_scope() as session:
        account = await ConnectorRepository(session, user_id).for_provider("notion")
        if account is None:
            from personal_assistant.core.errors import NotFound

            raise NotFound("connector")
        account.settings = {**(account.settings or {}), "parent_page_id": chosen["id"],
                            "parent_title": chosen["title"]}
    return chosen["title"]
