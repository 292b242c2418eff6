"""HTTP for the signed-in user: profile and settings, phone verification, export, deletion."""

from __future__ import annotations

from fastapi import APIRouter, Body, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import mfa
from personal_assistant.auth.principal import Principal
from personal_assistant.core.openapi import errors
from personal_assistant.deps import PrincipalDep, SessionDep
from personal_assistant.users import service
from personal_assistant.users.schemas import (
    DeleteMeIn,
    ExportOut,
    MeOut,
    MeUpdate,
    PhoneIn,
    PhoneOut,
    PhoneStartedOut,
    PhoneStartStatus,
    PhoneVerifyIn,
)

router = APIRouter(prefix="/api/v1/me", tags=["me"])


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _me(session: AsyncSession, principal: Principal) -> MeOut:
    user = await service.get_profile(session, principal.user_id)
    phones = await service.list_phones(session, user.id)
    return MeOut.of(user, phones, await mfa.is_enabled(session, user.id))


@router.get("", response_model=MeOut)
async def get_me(principal: PrincipalDep, session: SessionDep) -> MeOut:
    """Your profile and settings (email, name, time zone, quiet hours, check-ins, role, phones)."""
    return await _me(session, principal)


@router.patch("", response_model=MeOut)
async def update_me(
    body: MeUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> MeOut:
    """Change settings. Times are HH:MM (24 h) in your time zone; the time zone is an IANA name.
    Any invalid field: 422 naming it, and nothing changes. email and role cannot change here."""
    await service.update_profile(session, principal.user_id, body.changes())
    return await _me(session, principal)


@router.post(
    "/phone", response_model=PhoneStartedOut, status_code=status.HTTP_202_ACCEPTED, responses=errors(409, 429, 503)
)
async def add_phone(
    body: PhoneIn,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
) -> PhoneStartedOut:
    """Add a phone (or ask for a new code): we text it a 6-digit code. US numbers may omit +1.
    409 if another account has verified this number; 429 when codes are asked too often."""
    user = await service.get_profile(session, principal.user_id)
    started = await service.start_phone_verification(session, user, body.phone, ip=_ip(request))
    return PhoneStartedOut(phone=started.e164, status=PhoneStartStatus(started.status), expires_at=started.expires_at)


@router.post("/phone/verify", response_model=PhoneOut, responses=errors(409))
async def verify_phone(
    body: PhoneVerifyIn,
    principal: PrincipalDep,
    session: SessionDep,
) -> PhoneOut:
    """Confirm the texted code. Codes expire (10 minutes) and allow 5 wrong tries."""
    user = await service.get_profile(session, principal.user_id)
    phone = await service.verify_phone(session, user, body.phone, body.code)
    return PhoneOut.of(phone)


@router.get("/export", response_model=ExportOut)
async def export_me(principal: PrincipalDep, session: SessionDep) -> JSONResponse:
    """Everything stored about you, as JSON: your account and every row of every table that
    belongs to you (secrets such as password and token hashes are left out)."""
    data = await service.export_user_data(session, principal.user_id)
    return JSONResponse(data, headers={"Content-Disposition": 'attachment; filename="assistant-export.json"'})


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, responses=errors(429))
async def delete_me(
    *,
    request: Request,
    body: DeleteMeIn | None = Body(default=None),
    principal: PrincipalDep,
    session: SessionDep,
) -> Response:
    """Delete your account and everything in it, for good. Confirm with {"password": "..."};
    accounts without a password confirm by having logged in within the last 10 minutes."""
    await service.delete_account(
        session,
        principal.user_id,
        password=body.password if body else None,
        auth_time=principal.auth_time,
        ip=_ip(request),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
