"""Offset pagination shared by every list endpoint: one envelope, `Page`.

    {"items": [...], "total": 42, "limit": 50, "offset": 0, "next": "/api/v1/tasks?limit=50&offset=50"}

`next` is the link to the following page (the same query with the offset moved on), null on the
last one: a client pages to the end by following it. Every list orders by its documented key
and then by id, so a page boundary never repeats or skips a row between equal keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Query, Request
from pydantic import BaseModel, Field

T = TypeVar("T")
MAX_LIMIT = 200
# Far beyond any real list, far below the 64-bit integers a database accepts (an offset of 2**63
# used to reach PostgreSQL and come back as a 500).
MAX_OFFSET = 1_000_000


class PageParams(BaseModel):
    limit: int = 50
    offset: int = 0
    path: str = ""  # the request's path
    query: list[tuple[str, str]] = Field(default_factory=list)  # its other query parameters

    def next_link(self, returned: int, total: int | None) -> str | None:
        more = self.offset + returned < total if total is not None else returned >= self.limit
        if not more or returned == 0 or self.offset + self.limit > MAX_OFFSET:
            return None
        query = [*self.query, ("limit", str(self.limit)), ("offset", str(self.offset + self.limit))]
        return f"{self.path}?{urlencode(query)}"


def page_params(
    request: Request,
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description="items per page"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="items to skip"),
) -> PageParams:
    others = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]
    return PageParams(limit=limit, offset=offset, path=request.url.path, query=others)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int | None = Field(description="items in the whole list; null where counting is not offered")
    limit: int
    offset: int
    next: str | None = Field(description="link to the next page (same filters); null on the last page")

    @classmethod
    def of(cls, items: Sequence[T], total: int | None, page: PageParams) -> Page[T]:
        return cls(items=list(items), total=total, limit=page.limit, offset=page.offset,
                   next=page.next_link(len(items), total))
