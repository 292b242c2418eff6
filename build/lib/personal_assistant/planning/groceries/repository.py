"""Grocery list queries (scoped to one user)."""

from __future__ import annotations

from personal_assistant.db.models.planning import GroceryItem
from personal_assistant.db.repository import ScopedRepository


class GroceryRepository(ScopedRepository[GroceryItem]):
    model = GroceryItem
    label = "grocery item"

    async def unchecked(self) -> list[GroceryItem]:
        return await self.list(GroceryItem.checked.is_(False), order_by=[GroceryItem.created_at])

    async def checked(self) -> list[GroceryItem]:
        return await self.list(GroceryItem.checked.is_(True))
