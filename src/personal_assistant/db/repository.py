"""Scoped repositories: the only way to read or write user data.

A repository cannot be built without a user id, and every query it runs is filtered by it, so
another user's row is simply "not found".
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core.errors import NotFound

M = TypeVar("M")


class ScopedRepository(Generic[M]):
    model: type[M]
    label: str = "resource"

    def __init__(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        if not isinstance(user_id, uuid.UUID):
            raise TypeError("a scoped repository needs the caller's user id")
        self.session = session
        self.user_id = user_id

    def select(self, *where: ColumnElement[bool]) -> Select[M]:
        return select(self.model).where(self.model.user_id == self.user_id, *where)  # type: ignore[attr-defined]

    async def find(self, id_: uuid.UUID | str) -> M | None:
        try:
            key = id_ if isinstance(id_, uuid.UUID) else uuid.UUID(str(id_))
        except ValueError:
            return None
        result = await self.session.execute(self.select(self.model.id == key))  # type: ignore[attr-defined]
        return result.scalar_one_or_none()

    async def get(self, id_: uuid.UUID | str) -> M:
        obj = await self.find(id_)
        if obj is None:
            raise NotFound(self.label)
        return obj

    async def list(
        self,
        *where: ColumnElement[bool],
        order_by: Sequence[Any] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[M]:
        # The id breaks ties, so pages of a list never repeat or skip rows with equal keys.
        tiebreak = [self.model.id] if order_by and hasattr(self.model, "id") else []  # type: ignore[attr-defined]
        stmt = self.select(*where).order_by(*order_by, *tiebreak).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return list((await self.session.execute(stmt)).scalars())

    async def count(self, *where: ColumnElement[bool]) -> int:
        stmt = select(func.count()).select_from(self.model).where(
            self.model.user_id == self.user_id, *where  # type: ignore[attr-defined]
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def add(self, obj: M) -> M:
        obj.user_id = self.user_id  # type: ignore[attr-defined]
        self.session.add(obj)
        await self.session.flush()
        return obj

    async def delete(self, obj: M) -> None:
        if obj.user_id != self.user_id:  # type: ignore[attr-defined]
            raise NotFound(self.label)
        await self.session.delete(obj)
        await self.session.flush()
