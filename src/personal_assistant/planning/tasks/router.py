"""REST for tasks: /api/v1/tasks."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Query, Response

from personal_assistant.core.pagination import Page
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.planning.common import load_user, parse_when
from personal_assistant.planning.tasks import service
from personal_assistant.planning.tasks.schemas import (
    TaskCompletionOut,
    TaskCreate,
    TaskOut,
    TaskSort,
    TaskStatusFilter,
    TaskUpdate,
)

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


@router.get("", response_model=Page[TaskOut])
async def list_tasks(
    *,
    status: TaskStatusFilter | None = Query(None, description="open = todo and doing"),
    due_from: datetime | None = Query(None, description="due at or after (ISO 8601)"),
    due_to: datetime | None = Query(None, description="due before (ISO 8601)"),
    goal_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
    sort: TaskSort = Query(TaskSort.due_at, description="order; `-` first = descending; ties by id"),
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[TaskOut]:
    """List your tasks, soonest due first (undated last), or by `sort`, with optional filters."""
    user = await load_user(session, principal.user_id)
    listing = await service.list_tasks(
        session,
        user,
        status=status,
        due_from=parse_when(due_from, user.timezone, field="due_from") if due_from else None,
        due_to=parse_when(due_to, user.timezone, field="due_to") if due_to else None,
        goal_id=goal_id,
        parent_id=parent_id,
        limit=page.limit,
        offset=page.offset,
        sort=sort.value,
    )
    return Page[TaskOut].of([TaskOut.model_validate(t) for t in listing.items], listing.total, page)


@router.post("", response_model=TaskOut, status_code=201)
async def create_task(body: TaskCreate, principal: PrincipalDep, session: SessionDep) -> TaskOut:
    """Create a task."""
    task = await service.create_task(session, principal.user_id, **body.model_dump())
    return TaskOut.model_validate(task)


@router.get("/{task_id}", response_model=TaskOut)
async def get_task(task_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> TaskOut:
    """Read one task."""
    return TaskOut.model_validate(await service.get_task(session, principal.user_id, task_id))


@router.patch("/{task_id}", response_model=TaskOut)
async def update_task(
    task_id: uuid.UUID,
    body: TaskUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> TaskOut:
    """Change some fields of a task."""
    task = await service.update_task(session, principal.user_id, task_id, body.model_dump(exclude_unset=True))
    return TaskOut.model_validate(task)


@router.post("/{task_id}/complete", response_model=TaskCompletionOut)
async def complete_task(task_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> TaskCompletionOut:
    """Mark a task done; the answer lists its subtasks that are still open."""
    task = await service.get_task(session, principal.user_id, task_id)
    done = await service.complete_task(session, principal.user_id, task)
    return TaskCompletionOut(
        task=TaskOut.model_validate(done.task),
        open_subtasks=[TaskOut.model_validate(t) for t in done.open_subtasks],
        remaining=done.remaining,
    )


@router.delete("/{task_id}", status_code=204)
async def delete_task(task_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> Response:
    """Delete a task and its subtasks."""
    await service.delete_task(session, principal.user_id, task_id)
    return Response(status_code=204)
