"""REST for focus sessions: /api/v1/focus-sessions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from personal_assistant.core.openapi import errors
from personal_assistant.core.pagination import Page
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.planning.focus import service
from personal_assistant.planning.focus.schemas import FocusEnd, FocusOut, FocusStart, FocusStatus, FocusUpdate

router = APIRouter(prefix="/api/v1/focus-sessions", tags=["focus"])


@router.get("", response_model=Page[FocusOut])
async def list_focus_sessions(
    *,
    status: FocusStatus | None = None,
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[FocusOut]:
    """Your focus sessions, newest first."""
    items, total = await service.list_focus(
        session, principal.user_id, status=status, limit=page.limit, offset=page.offset
    )
    return Page[FocusOut].of([FocusOut.model_validate(f) for f in items], total, page)


@router.post("", response_model=FocusOut, status_code=201, responses=errors(409))
async def start_focus_session(body: FocusStart, principal: PrincipalDep, session: SessionDep) -> FocusOut:
    """Start a focus session (409 while another one is running)."""
    return FocusOut.model_validate(await service.start_focus(session, principal.user_id, **body.model_dump()))


@router.get("/{focus_id}", response_model=FocusOut)
async def get_focus_session(focus_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> FocusOut:
    """Read one focus session."""
    return FocusOut.model_validate(await service.get_focus(session, principal.user_id, focus_id))


@router.post("/{focus_id}/end", response_model=FocusOut)
async def end_focus_session(
    *,
    focus_id: uuid.UUID,
    body: FocusEnd | None = None,
    principal: PrincipalDep,
    session: SessionDep,
) -> FocusOut:
    """End a session (early or on time) and record how it went."""
    ended = await service.end_focus(
        session, principal.user_id, focus_id=focus_id, outcome=(body.outcome if body else None)
    )
    return FocusOut.model_validate(ended.focus)


@router.patch("/{focus_id}", response_model=FocusOut)
async def update_focus_session(
    focus_id: uuid.UUID,
    body: FocusUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> FocusOut:
    """Change the label or the outcome of a session."""
    focus = await service.update_focus(session, principal.user_id, focus_id, body.model_dump(exclude_unset=True))
    return FocusOut.model_validate(focus)


@router.delete("/{focus_id}", status_code=204)
async def delete_focus_session(focus_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> Response:
    """Delete a focus session."""
    await service.delete_focus(session, principal.user_id, focus_id)
    return Response(status_code=204)
