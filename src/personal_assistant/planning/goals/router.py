"""REST for goals: /api/v1/goals."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from personal_assistant.core.pagination import Page
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.planning.goals import service
from personal_assistant.planning.goals.schemas import GoalCreate, GoalOut, GoalStatus, GoalUpdate

router = APIRouter(prefix="/api/v1/goals", tags=["goals"])


def _out(p: service.GoalProgress) -> GoalOut:
    g = p.goal
    return GoalOut(
        id=g.id,
        title=g.title,
        why=g.why,
        target_date=g.target_date,
        status=GoalStatus(g.status),
        tasks_done=p.done,
        tasks_total=p.total,
        progress=p.ratio,
        created_at=g.created_at,
        updated_at=g.updated_at,
    )


@router.get("", response_model=Page[GoalOut])
async def list_goals(
    *,
    status: GoalStatus | None = None,
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[GoalOut]:
    """List your goals with their progress (done/total tasks)."""
    items, total = await service.list_goals(
        session, principal.user_id, status=status, limit=page.limit, offset=page.offset
    )
    return Page[GoalOut].of([_out(p) for p in items], total, page)


@router.post("", response_model=GoalOut, status_code=201)
async def create_goal(body: GoalCreate, principal: PrincipalDep, session: SessionDep) -> GoalOut:
    """Create a goal."""
    goal = await service.create_goal(session, principal.user_id, **body.model_dump())
    return _out(await service.goal_progress(session, principal.user_id, goal))


@router.get("/{goal_id}", response_model=GoalOut)
async def get_goal(goal_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> GoalOut:
    """Read one goal and its progress."""
    goal = await service.get_goal(session, principal.user_id, goal_id)
    return _out(await service.goal_progress(session, principal.user_id, goal))


@router.patch("/{goal_id}", response_model=GoalOut)
async def update_goal(
    goal_id: uuid.UUID,
    body: GoalUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> GoalOut:
    """Change some fields of a goal."""
    goal = await service.update_goal(session, principal.user_id, goal_id, body.model_dump(exclude_unset=True))
    return _out(await service.goal_progress(session, principal.user_id, goal))


@router.delete("/{goal_id}", status_code=204)
async def delete_goal(goal_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> Response:
    """Delete a goal (its tasks are kept)."""
    await service.delete_goal(session, principal.user_id, goal_id)
    return Response(status_code=204)
