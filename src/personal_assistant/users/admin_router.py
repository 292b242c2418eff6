"""Audited admin endpoints. Callers need the admin role AND TOTP MFA on their account
(403 "mfa_required" otherwise); every call writes an audit event."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request

from personal_assistant.auth.principal import Principal
from personal_assistant.core.openapi import errors
from personal_assistant.core.pagination import Page
from personal_assistant.deps import AdminDep, PageDep, SessionDep
from personal_assistant.users import admin
from personal_assistant.users.schemas import AdminUserDetailOut, AdminUserOut, PhoneOut

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=errors(403))


def _actor(principal: Principal, request: Request) -> admin.Actor:
    return admin.Actor(principal.user_id, request.client.host if request.client else None)


@router.get("/users", response_model=Page[AdminUserOut])
async def list_users(
    *,
    request: Request,
    q: str | None = Query(default=None, max_length=100, description="search email or name"),
    page: PageDep,
    principal: AdminDep,
    session: SessionDep,
) -> Page[AdminUserOut]:
    """Every account, oldest first (paginated)."""
    users, total, mfa_on = await admin.list_users(
        session, limit=page.limit, offset=page.offset, query=q, actor=_actor(principal, request)
    )
    return Page.of([AdminUserOut.of(u, u.id in mfa_on) for u in users], total, page)


@router.get("/users/{user_id}", response_model=AdminUserDetailOut)
async def get_user(
    user_id: uuid.UUID,
    request: Request,
    principal: AdminDep,
    session: SessionDep,
) -> AdminUserDetailOut:
    """One account with its phones."""
    user, phones, mfa_on = await admin.view_user(session, user_id, actor=_actor(principal, request))
    base = AdminUserOut.of(user, mfa_on).model_dump()
    return AdminUserDetailOut(**base, phones=[PhoneOut.of(p) for p in phones])


@router.post("/users/{user_id}/disable", response_model=AdminUserOut, responses=errors(409))
async def disable_user(
    user_id: uuid.UUID,
    request: Request,
    principal: AdminDep,
    session: SessionDep,
) -> AdminUserOut:
    """Disable an account: it cannot log in, its sessions end and its API tokens stop working."""
    user = await admin.set_active(session, user_id, False, actor=_actor(principal, request))
    mfa_on = user.id in await admin.UserRepository(session).mfa_enabled_ids([user.id])
    return AdminUserOut.of(user, mfa_on)
