"""HTTP for sign-up, login (password, magic link, TOTP), token refresh, MFA and API tokens."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request, Response, status

from personal_assistant.auth import service
from personal_assistant.auth.schemas import (
    AcceptedOut,
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    LoginIn,
    LoginOut,
    LoginTokensOut,
    MagicLinkIn,
    MfaChallengeOut,
    MfaCodeIn,
    MfaConfirmIn,
    MfaDisableIn,
    MfaEnabledOut,
    MfaSetupOut,
    MfaStatusOut,
    MfaVerifyIn,
    PasswordChangeIn,
    RecoveryCodesOut,
    RefreshIn,
    SignupIn,
    SignupOut,
    TokenPairOut,
    UserBrief,
)
from personal_assistant.core.errors import Forbidden
from personal_assistant.core.openapi import errors
from personal_assistant.core.pagination import Page
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep
from personal_assistant.users.repository import UserRepository

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
api_tokens_router = APIRouter(prefix="/api/v1/api-tokens", tags=["api tokens"])


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _user_agent(request: Request) -> str | None:
    return request.headers.get("user-agent")


def _pair(pair: service.TokenPair) -> dict:
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": pair.token_type,
        "expires_in": pair.expires_in,
    }


def _login_out(result: service.LoginResult) -> LoginTokensOut | MfaChallengeOut:
    if result.mfa_required or result.tokens is None:
        return MfaChallengeOut(mfa_required=True, mfa_token=result.mfa_token or "")
    return LoginTokensOut(mfa_required=False, **_pair(result.tokens))


@router.post("/signup", response_model=SignupOut, status_code=status.HTTP_201_CREATED, responses=errors(409, 429))
async def signup(body: SignupIn, request: Request, session: SessionDep) -> SignupOut:
    """Create an account and log it in. Password: 12+ characters, not a common one, not the email.
    409 if the email is taken; 422 names the field that is wrong."""
    user = await service.signup(
        session, body.email, body.password, name=body.name, timezone=body.timezone, ip=client_ip(request)
    )
    pair = await service.issue_token_pair(session, user, user_agent=_user_agent(request), auth_time=user.created_at)
    return SignupOut(user=UserBrief.model_validate(user), **_pair(pair))


@router.post("/login", response_model=LoginOut, responses=errors(401, 429))
async def login(body: LoginIn, request: Request, session: SessionDep) -> LoginTokensOut | MfaChallengeOut:
    """Log in with email and password. With MFA on, the answer is `mfa_required` and an
    `mfa_token` to send with a code to /mfa/verify. Rate limited per IP and per account (429)."""
    result = await service.authenticate(
        session, body.email, body.password, ip=client_ip(request), user_agent=_user_agent(request)
    )
    return _login_out(result)


@router.post("/mfa/verify", response_model=LoginOut, responses=errors(401, 429))
async def mfa_verify(body: MfaVerifyIn, request: Request, session: SessionDep) -> LoginTokensOut | MfaChallengeOut:
    """Second login step: the `mfa_token` from /login (or the magic link) and a TOTP code, or
    one of the recovery codes (each works once). A code already used answers 401
    `mfa_code_reused`: wait for the app's next code. Only tokens from this step reach admin
    routes."""
    result = await service.verify_mfa_login(
        session, body.mfa_token, body.code, ip=client_ip(request), user_agent=_user_agent(request)
    )
    return _login_out(result)


@router.post("/refresh", response_model=TokenPairOut, responses=errors(401))
async def refresh(body: RefreshIn, request: Request, session: SessionDep) -> TokenPairOut:
    """Trade a refresh token for a new pair. Each refresh token works once: presenting a used one
    again logs out every device of that login (its family) and answers 401."""
    pair = await service.refresh(session, body.refresh_token, ip=client_ip(request), user_agent=_user_agent(request))
    return TokenPairOut(**_pair(pair))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(body: RefreshIn, request: Request, session: SessionDep) -> Response:
    """Revoke this login's refresh tokens. Always 204 (an unknown token is already logged out)."""
    await service.logout(session, body.refresh_token, ip=client_ip(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/logout-everywhere", status_code=status.HTTP_204_NO_CONTENT)
async def logout_everywhere(request: Request, principal: PrincipalDep, session: SessionDep) -> Response:
    """End every login of your account: all refresh tokens (and their access tokens, this one
    included) and every browser session. Personal API tokens are kept; revoke them one by one."""
    await service.log_out_everywhere(session, principal.user_id, ip=client_ip(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, responses=errors(429))
async def change_password(
    body: PasswordChangeIn, request: Request, principal: PrincipalDep, session: SessionDep
) -> Response:
    """Change your password, confirmed by the current one. Every other login of the account
    ends; this one stays. Wrong passwords count against the login limit (429)."""
    user = await UserRepository(session).get(principal.user_id)
    await service.change_password(
        session,
        user,
        body.current_password,
        body.new_password,
        auth_time=principal.auth_time,
        keep_session=principal.session_id,
        ip=client_ip(request),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/magic-link", response_model=AcceptedOut, status_code=status.HTTP_202_ACCEPTED, responses=errors(429, 503)
)
async def magic_link(body: MagicLinkIn, request: Request, session: SessionDep) -> AcceptedOut:
    """Email a one-time login link (valid 15 minutes). Always 202, whether or not the address has
    an account. Rate limited per IP and per address (429)."""
    await service.request_magic_link(session, body.email, ip=client_ip(request))
    return AcceptedOut(detail="if that address has an account, a login link is on its way")


@router.get("/magic-link/verify", response_model=LoginOut, responses=errors(401))
async def magic_link_verify(
    *,
    request: Request,
    token: str = Query(max_length=256, description="the token from the emailed link"),
    session: SessionDep,
) -> LoginTokensOut | MfaChallengeOut:
    """Log in with the emailed link's token (single use). MFA accounts get an `mfa_token`."""
    result = await service.verify_magic_link(session, token, ip=client_ip(request), user_agent=_user_agent(request))
    return _login_out(result)


@router.post("/mfa/setup", response_model=MfaSetupOut, responses=errors(409))
async def mfa_setup(principal: PrincipalDep, session: SessionDep) -> MfaSetupOut:
    """Start TOTP enrolment: a secret, an otpauth:// URI and the same as an SVG QR code for the
    authenticator app. MFA is not on until /mfa/enable receives a valid code."""
    user = await UserRepository(session).get(principal.user_id)
    setup = await service.setup_mfa(session, user)
    return MfaSetupOut(secret=setup.secret, otpauth_uri=setup.otpauth_uri, qr_svg=setup.qr_svg())


@router.post("/mfa/enable", response_model=MfaEnabledOut, responses=errors(409, 429))
async def mfa_enable(
    body: MfaCodeIn,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
) -> MfaEnabledOut:
    """Turn TOTP on with a code from the app; later logins ask for a code. Needs a login in the
    last 10 minutes or the password (422 `recent_login_required` otherwise). The answer holds
    ten one-time recovery codes, shown this once. Every other login of the account ends (this
    one stays, without admin access: log in again with a code for that)."""
    user = await UserRepository(session).get(principal.user_id)
    codes = await service.enable_mfa(
        session,
        user,
        body.code,
        password=body.password,
        auth_time=principal.auth_time,
        ip=client_ip(request),
        keep_session=principal.session_id,
    )
    return MfaEnabledOut(mfa_enabled=True, recovery_codes=codes)


@router.post("/mfa/recovery-codes", response_model=RecoveryCodesOut, responses=errors(409, 429))
async def mfa_recovery_codes(
    body: MfaConfirmIn,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
) -> RecoveryCodesOut:
    """Replace your recovery codes with ten new ones (the old ones stop working), confirmed by a
    current code or your password."""
    user = await UserRepository(session).get(principal.user_id)
    codes = await service.regenerate_recovery_codes(
        session, user, code=body.code, password=body.password, ip=client_ip(request)
    )
    return RecoveryCodesOut(recovery_codes=codes)


@router.post("/mfa/disable", response_model=MfaStatusOut, responses=errors(409, 429))
async def mfa_disable(
    body: MfaDisableIn,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
) -> MfaStatusOut:
    """Turn TOTP off, confirmed by a current code or the password. Admins cannot turn it off."""
    user = await UserRepository(session).get(principal.user_id)
    await service.disable_mfa(session, user, code=body.code, password=body.password, ip=client_ip(request))
    return MfaStatusOut(mfa_enabled=False)


@api_tokens_router.get("", response_model=Page[ApiTokenOut])
async def list_api_tokens(page: PageDep, principal: PrincipalDep, session: SessionDep) -> Page[ApiTokenOut]:
    """Your active personal API tokens, newest first (the secret itself is never shown again)."""
    rows = await service.list_api_tokens(session, principal.user_id)  # a handful: paged here
    window = rows[page.offset : page.offset + page.limit]
    return Page[ApiTokenOut].of([ApiTokenOut.model_validate(r) for r in window], len(rows), page)


@api_tokens_router.post(
    "", response_model=ApiTokenCreatedOut, status_code=status.HTTP_201_CREATED, responses=errors(403)
)
async def create_api_token(
    body: ApiTokenIn,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
) -> ApiTokenCreatedOut:
    """Create a personal API token (`pat_...`), usable as a Bearer token. The token is in this
    answer only. An API token cannot create more tokens."""
    if principal.via == "api_token":
        raise Forbidden("log in to create API tokens; an API token cannot create another")
    created = await service.create_api_token(
        session,
        principal.user_id,
        body.name,
        expires_in_days=body.expires_in_days,
        mfa=principal.mfa,
        ip=client_ip(request),
    )
    out = ApiTokenOut.model_validate(created.token).model_dump()
    return ApiTokenCreatedOut(**out, token=created.plaintext)


@api_tokens_router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_api_token(
    token_id: uuid.UUID,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
) -> Response:
    """Revoke one of your API tokens; it stops working at once."""
    await service.revoke_api_token(session, principal.user_id, token_id, ip=client_ip(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
