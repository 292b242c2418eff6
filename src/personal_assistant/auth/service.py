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
    setup = await auth.setup_mfa(session, user); codes = await auth.enable_mfa(session, user, code)
    await auth.disable_mfa(session, user, code=code)  # or password=...
    codes = await auth.regenerate_recovery_codes(session, user, password=...)
    await auth.change_password(session, user, current, new, keep_session=principal.session_id)
    await auth.log_out_everywhere(session, user.id)
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
from personal_assistant.auth.browser_sessions import (
    end_browser_session,
    list_browser_sessions,
    start_browser_session,
)
from personal_assistant.auth.login import (
    LoginResult,
    authenticate,
    canonical_email,
    normalise_email,
    request_magic_link,
    signup,
    verify_magic_link,
    verify_mfa_login,
)
from personal_assistant.auth.mfa import (
    MfaSetup,
    disable_mfa,
    enable_mfa,
    is_enabled,
    recovery_codes_left,
    regenerate_recovery_codes,
    setup_for,
    setup_mfa,
)
from personal_assistant.auth.password_change import change_password
from personal_assistant.auth.passwords import check_password_policy, hash_password, verify_password
from personal_assistant.auth.reauth import logged_in_recently
from personal_assistant.auth.tokens import (
    TokenPair,
    issue_token_pair,
    log_out_everywhere,
    logout,
    refresh,
    revoke_all_sessions,
)

mfa_enabled = is_enabled

__all__ = [
    "CreatedApiToken",
    "LoginResult",
    "MfaSetup",
    "TokenPair",
    "authenticate",
    "canonical_email",
    "change_password",
    "check_password_policy",
    "create_api_token",
    "disable_mfa",
    "enable_mfa",
    "end_browser_session",
    "hash_password",
    "is_enabled",
    "issue_token_pair",
    "list_api_tokens",
    "list_browser_sessions",
    "log_out_everywhere",
    "logged_in_recently",
    "logout",
    "mfa_enabled",
    "normalise_email",
    "recovery_codes_left",
    "refresh",
    "regenerate_recovery_codes",
    "request_magic_link",
    "revoke_all_sessions",
    "revoke_api_token",
    "setup_for",
    "setup_mfa",
    "signup",
    "start_browser_session",
    "verify_magic_link",
    "verify_mfa_login",
    "verify_password",
]
