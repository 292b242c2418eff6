"""Notion's OAuth: a hand-built authorize URL (the SDK has none, Notion has no PKCE), the code
exchanged and revoked through notion-client's oauth helpers (HTTP Basic with the client secret)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from notion_client import APIResponseError, AsyncClient

from personal_assistant.config import get_settings
from personal_assistant.connectors.base import AuthorizeStart, ConnectorError, ReconnectRequired, TokenSet
from personal_assistant.core import resilience

log = logging.getLogger("personal_assistant.connectors.notion")


def client(token: str | None = None) -> AsyncClient:
    s = get_settings()
    # logger= given: each Client built without one adds another handler (LIBRARY_NOTES §13).
    return AsyncClient(
        auth=token,
        base_url=s.notion_base_url,
        timeout_ms=int(s.connector_timeout_seconds * 1000),
        logger=log,
        retry=False,  # retries are the resilience layer's job
    )


class NotionConnector:
    name: str = "notion"
    label: str = "Notion"
    scope_words: tuple[str, ...] = (
        "See the pages you choose to share with the assistant",
        "Add new pages under the page you choose",
    )
    revocable: bool = True
    remove_access_url: str | None = "https://www.notion.so/profile/integrations"

    def configured(self) -> bool:
        s = get_settings()
        return bool(s.notion_client_id and s.notion_client_secret)

    async def authorize(self, state: str, redirect_uri: str) -> AuthorizeStart:
        s = get_settings()
        query = urlencode(
            {"client_id": s.notion_client_id, "response_type": "code", "owner": "user",
             "redirect_uri": redirect_uri, "state": state}
        )
        return AuthorizeStart(url=f"{s.notion_base_url.rstrip('/')}/v1/oauth/authorize?{query}", secret="{}")

    async def exchange(self, params: dict[str, str], secret: str, redirect_uri: str) -> TokenSet:
        if "code" not in params:
            raise ConnectorError(params.get("error", "no authorization code"))
        s = get_settings()

        async def token() -> Any:
            async with client() as notion:
                return await notion.oauth.token(
                    client_id=s.notion_client_id or "", client_secret=s.notion_client_secret or "",
                    grant_type="authorization_code", code=params["code"], redirect_uri=redirect_uri,
                )

        try:
            result = dict(await resilience.guarded("notion", token))
        except APIResponseError as exc:
            raise ConnectorError(str(exc.code)) from exc
        tokens = TokenSet(
            access_token=result["access_token"],
            refresh_token=result.get("refresh_token"),
            scopes=["pages:read", "pages:write"],
            account_label=(result.get("workspace_name") or None),
        )
        tokens.settings = await _default_parent(tokens.access_token or "")
        return tokens

    async def refresh(self, tokens: TokenSet) -> TokenSet:
        if not tokens.refresh_token:
            return tokens  # Notion access tokens do not expire
        s = get_settings()

        async def token() -> Any:
            async with client() as notion:
                return await notion.oauth.token(
                    client_id=s.notion_client_id or "", client_secret=s.notion_client_secret or "",
                    grant_type="refresh_token", refresh_token=tokens.refresh_token,
                )

        try:
            result = dict(await resilience.guarded("notion", token))
        except APIResponseError as exc:
            if exc.status in (400, 401):
                raise ReconnectRequired(str(exc.code)) from exc
            raise
        return TokenSet(
            access_token=result["access_token"],
            refresh_token=result.get("refresh_token") or tokens.refresh_token,
            scopes=tokens.scopes,
            account_label=tokens.account_label,
        )

    async def revoke(self, tokens: TokenSet) -> None:
        if not tokens.access_token:
            return
        s = get_settings()

        async def revoke() -> Any:
            async with client() as notion:
                return await notion.oauth.revoke(
                    client_id=s.notion_client_id or "",
                    client_secret=s.notion_client_secret or "",
                    token=tokens.access_token,
                )

        await resilience.guarded("notion", revoke)


async def _default_parent(token: str) -> dict[str, str]:
    """The page new notes go under: the first page the person shared at consent (they choose
    which pages on Notion's consent screen; the Connections page can change it)."""
    try:
        async with client(token) as notion:
            found = await notion.search(filter={"property": "object", "value": "page"}, page_size=5)
    except Exception:  # a missing default parent is not worth failing the connection for
        log.warning("notion default parent lookup failed")
        return {}
    results = found.get("results") if isinstance(found, dict) else None
    if results:
        return {"parent_page_id": str(results[0]["id"]), "parent_title": _title(results[0])}
    return {}


def _title(page: dict[str, Any]) -> str:
    for prop in (page.get("properties") or {}).values():
        if isinstance(prop, dict) and prop.get("type") == "title":
            return "".join(t.get("plain_text", "") for t in prop.get("title", []))[:200]
    return "Untitled"
