"""The request dependencies every router uses, as `Annotated` aliases.

    async def create_task(body: TaskCreate, principal: PrincipalDep, session: SessionDep): ...

SessionDep is the request's one unit of work. Its scope is "function": it commits after the
endpoint returns and BEFORE the response is sent, so a failed commit answers 5xx and a 2xx means
the write is stored. Services never commit.

The identity dependencies (PrincipalDep, CurrentUserDep, AdminDep) read (and, for API tokens,
touch) in that same session and then end that short transaction, so no transaction is open
while an endpoint waits on a network call (the web chat's LLM turn). The User they load stays
in the session's identity map: CurrentUserDep costs no second query.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth.principal import Principal, principal_from_token
from personal_assistant.core import idempotency
from personal_assistant.core.errors import Forbidden, NotFound, Unauthorized
from personal_assistant.core.pagination import PageParams, page_params
from personal_assistant.db.models import User
from personal_assistant.db.session import get_session

bearer = HTTPBearer(auto_error=False, description="JWT access token or personal API token (pat_...)")

SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def current_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The authenticated caller: a bearer JWT or API token, or the dashboard's cookie session
    (request.state.session_principal, set by the dashboard middleware)."""
    principal: Principal | None
    if credentials is not None:
        principal = await principal_from_token(session, credentials.credentials)
        await session.commit()  # the identity read is its own short unit of work
    else:
        principal = getattr(request.state, "session_principal", None)
        if principal is None:
            raise Unauthorized()
    request.state.user_id = str(principal.user_id)  # for the access log
    # Every authenticated POST honours Idempotency-Key (a replay or a 409 is raised here).
    await idempotency.claim(request, session, principal.user_id)
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


async def current_user(principal: PrincipalDep, session: SessionDep) -> User:
    """The caller's User row (already in the session's identity map for a token caller)."""
    user = await session.get(User, principal.user_id)
    if user is None or not user.is_active:
        raise NotFound("user")
    if session.in_transaction():
        await session.commit()
    return user


CurrentUserDep = Annotated[User, Depends(current_user)]


async def admin_principal(principal: PrincipalDep, session: SessionDep) -> Principal:
    """An admin whose account has TOTP MFA enabled (SPEC §9: TOTP required for admins), calling
    with a credential obtained with that second factor: a token or cookie from a login that
    checked the code, or an API token created by such a login."""
    from personal_assistant.auth.repository import mfa_enabled

    if not principal.is_admin:
        raise Forbidden("admin role required")
    if not await mfa_enabled(session, principal.user_id):
        raise Forbidden("admins must enable two-factor authentication (TOTP) first", code="mfa_required")
    if not principal.mfa:
        raise Forbidden(
            "admin access needs a login with your two-factor code; log in again with it",
            code="mfa_login_required",
        )
    return principal


AdminDep = Annotated[Principal, Depends(admin_principal)]
PageDep = Annotated[PageParams, Depends(page_params)]
