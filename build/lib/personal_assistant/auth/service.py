"""The auth service: one import for everything the routers, the dashboard and the CLI need.

    from personal_assistant.auth import service as auth
    user = await auth.signup(session, email, password, name=None, timezone=None, ip=ip)
    result = await auth.authenticate(session, email, password, ip=ip)   # LoginResult
    if result.mfa_required: result = await auth.verify_mfa_login(session, result.mfa_token, code)
    pair = result.tokens                                                 # TokenPair
    pair = await auth.refresh(session, pair.refresh_token)               # rotation + reuse detection
    await auth.logout(session, pair.refresh_token)
    await auth.request_magic_link(session, email, ip=ip)                 # commits, then emails
    result = await auth.verify_magic_link(session, token)
    setup = await auth.setup_mfa(session, user); await auth.enable_mfa(session, user, code)
    await auth.disable_mfa(session, user, code=code)  # or password=...
    created = await auth.create_api_token(session, user.id, "laptop"); created.plaintext
    await auth.list_api_tokens(session, user.id); await auth.revoke_api_token(session, user.id, id)

No FastAPI here. Errors are core.errors exceptions (401/409/422/429) that name the field.
"""

from personal_assistant.auth.api_tokens import (
    CreatedApiToken,
    create_api_token,
    list_api_tokens,
    revoke_api_token,
)
from personal_assistant.auth.login import (
    LoginResult,
    authenticate,
    normalise_email,
    request_magic_link,
    signup,
    verify_magic_link,
    verify_mfa_login,
)
from personal_assistant.auth.mfa import MfaSetup, disable_mfa, enable_mfa, is_enabled, setup_mfa
from personal_assistant.auth.passwords import check_password_policy, hash_password, verify_password
from personal_assistant.auth.tokens import TokenPair, issue_token_pair, logout, refresh, revoke_all_sessions

mfa_enabled = is_enabled

__all__ = [
    "CreatedApiToken",
    "LoginResult",
    "MfaSetup",
    "TokenPair",
    "authenticate",
    "check_password_policy",
    "create_api_token",
    "disable_mfa",
    "enable_mfa",
    "hash_password",
    "is_enabled",
    "issue_token_pair",
    "list_api_tokens",
    "logout",
    "mfa_enabled",
    "normalise_email",
    "refresh",
    "request_magic_link",
    "revoke_all_sessions",
    "revoke_api_token",
    "setup_mfa",
    "signup",
    "verify_magic_link",
    "verify_mfa_login",
    "verify_password",
]
