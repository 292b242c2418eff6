"""REST for the grocery list: /api/v1/groceries."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Response

from personal_assistant.core.pagination import Page
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.planning.groceries import service
from personal_assistant.planning.groceries.schemas import (
    CheckedOut,
    CheckIn,
    ClearedOut,
    GroceriesAddedOut,
    GroceryBulkCreate,
    GroceryCreate,
    GroceryOut,
    GroceryUpdate,
)

router = APIRouter(prefix="/api/v1/groceries", tags=["groceries"])


@router.get("", response_model=Page[GroceryOut])
async def list_groceries(
    *,
    checked: bool | None = Query(None),
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[GroceryOut]:
    """Your grocery list, unchecked items first."""
    items, total = await service.list_items(
        session, principal.user_id, checked=checked, limit=page.limit, offset=page.offset
    )
    return Page[GroceryOut].of([GroceryOut.model_validate(i) for i in items], total, page)


@router.post(
    "",
    response_model=GroceryOut,
    status_code=201,
    responses={200: {"model": GroceryOut, "description": "merged into the unchecked item of that name"}},
)
async def add_grocery(
    body: GroceryCreate, response: Response, principal: PrincipalDep, session: SessionDep
) -> GroceryOut:
    """Add one item ("2 milk" works): 201. A repeat merges into the unchecked item: 200."""
    result = await service.add_items(session, principal.user_id, [body.model_dump()])
    if not result.added:
        response.status_code = 200
    return GroceryOut.model_validate((result.added or result.merged)[0])


@router.post("/bulk", response_model=GroceriesAddedOut, status_code=201)
async def add_groceries_bulk(
    body: GroceryBulkCreate,
    principal: PrincipalDep,
    session: SessionDep,
) -> GroceriesAddedOut:
    """Add many items at once."""
    result = await service.add_items(session, principal.user_id, [i.model_dump() for i in body.items])
    return GroceriesAddedOut(
        added=[GroceryOut.model_validate(i) for i in result.added],
        merged=[GroceryOut.model_validate(i) for i in result.merged],
        unchecked=result.unchecked,
    )


@router.post("/check", response_model=CheckedOut)
async def check_groceries(body: CheckIn, principal: PrincipalDep, session: SessionDep) -> CheckedOut:
    """Check items off by name ("got the milk")."""
    result = await service.check_off(session, principal.user_id, body.names)
    return CheckedOut(
        checked=[GroceryOut.model_validate(i) for i in result.checked],
        not_found=result.not_found,
        ambiguous=result.ambiguous,
        remaining=result.remaining,
    )


@router.post("/clear-checked", response_model=ClearedOut)
async def clear_checked(principal: PrincipalDep, session: SessionDep) -> ClearedOut:
    """Remove every checked item."""
    return ClearedOut(cleared=await service.clear_checked(session, principal.user_id))


@router.get("/{item_id}", response_model=GroceryOut)
async def get_grocery(item_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> GroceryOut:
    """Read one item."""
    return GroceryOut.model_validate(await service.get_item(session, principal.user_id, item_id))


@router.patch("/{item_id}", response_model=GroceryOut)
async def update_grocery(
    item_id: uuid.UUID,
    body: GroceryUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> GroceryOut:
    """Rename, change quantity, or (un)check an item."""
    item = await service.update_item(session, principal.user_id, item_id, body.model_dump(exclude_unset=True))
    return GroceryOut.model_validate(item)


@router.delete("/{item_id}", status_code=204)
async def delete_grocery(item_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> Response:
    """Remove an item."""
    await service.delete_item(session, principal.user_id, item_id)
    return Response(status_code=204)
