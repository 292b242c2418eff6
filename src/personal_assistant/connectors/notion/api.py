"""Notion pages: create under the person's chosen parent, search."""

from __future__ import annotations

from typing import Any

from personal_assistant.connectors.base import TokenSet
from personal_assistant.connectors.notion.connector import _title, client
from personal_assistant.core import resilience


async def create_page(tokens: TokenSet, parent_page_id: str, title: str, content: str, *,
                      user_id: Any = None) -> dict[str, str]:
    children = [
        {"object": "block", "type": "paragraph",
         "paragraph": {"rich_text": [{"type": "text", "text": {"content": chunk}}]}}
        for chunk in _chunks(content)
    ]

    async def call() -> Any:
        async with client(tokens.access_token) as notion:
            return await notion.pages.create(
                parent={"page_id": parent_page_id},
                properties={"title": {"title": [{"text": {"content": title[:200]}}]}},
                children=children,
            )

    page = dict(await resilience.guarded("notion", call, user_id=user_id))
    return {"id": str(page["id"]), "url": str(page.get("url") or ""), "title": title[:200]}


def _chunks(text: str, size: int = 1900) -> list[str]:
    # Notion refuses rich text over 2000 characters per block.
    return [text[i : i + size] for i in range(0, len(text), size)] if text else []


async def search(tokens: TokenSet, query: str, *, user_id: Any = None, limit: int = 5) -> list[dict[str, str]]:
    async def call() -> Any:
        async with client(tokens.access_token) as notion:
            return await notion.search(query=query, filter={"property": "object", "value": "page"}, page_size=limit)

    found = dict(await resilience.guarded("notion", call, user_id=user_id))
    return [{"id": str(p.get("id")), "title": _title(p), "url": str(p.get("url") or "")}
            for p in found.get("results", [])[:limit]]
