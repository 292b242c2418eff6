"""Sign-up and the ways to log in: password, magic link, and the TOTP second step.

Every way returns a LoginResult: tokens, or (when the account has MFA on) an `mfa_token` to trade
with a TOTP code (or a recovery code) at `POST /api/v1/auth/mfa/verify`. Failures that must leave
a trace (failed logins) commit their audit event before raising, since the request's session
rolls back on error.

Addresses are compared in one canonical form (`canonical_email`: NFKC, then case folding, then
the validator's own normalisation), and the per-account rate limits key on that form too, so a
look-alike spelling (a fullwidth letter, a ligature, other letter case) is the same account for
the lookup and for the lockout.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import structlog
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit, mfa
from personal_assistant.auth.jwt_tokens import create_mfa_token, decode_mfa_token
from personal_assistant.auth.passwords import check_password_policy, hash_password, verify_password
from personal_assistant.auth.repository import magic_link_by_hash
from personal_assistant.auth.tokens import TokenPair, issue_token_pair
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.crypto import hash_token, random_token
from personal_assistant.core.email import send_email
from personal_assistant.core.errors import Conflict, Unauthorized, ValidationFailed
from personal_assistant.core.ratelimit import get_rate_limiter
from personal_assistant.db.models import MagicLink, User
from personal_assistant.db.models.users import ROLES
from personal_assistant.observability.metrics import AUTH_LOGINS
from personal_assistant.users.profile import validate_timezone
from personal_assistant.users.repository import UserRepository

log = structlog.get_logger("auth")

MAGIC_LINK_PATH = "/api/v1/auth/magic-link/verify"


@dataclass(frozen=True)
class LoginResult:
    user_id: uuid.UUID
    tokens: TokenPair | None = None  # None for browser logins (issue_tokens=False) and MFA steps
    mfa_token: str | None = None  # set when a TOTP code is still needed
    mfa: bool = False  # the login passed the second factor
    recovery_codes_left: int | None = None  # set when a recovery code was used

    @property
    def mfa_required(self) -> bool:
        return self.mfa_token is not None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def normalise_email(email: str, *, field: str = "email") -> str:
    """The canonical, validated address (no DNS lookups); ValidationFailed naming `field`.

    NFKC first (fullwidth letters and ligatures become their plain letters), case folded, then
    validated (which also maps an internationalised domain), then folded again so the result is
    stable whatever the validator returned."""
    try:
        valid = validate_email(_fold(email), check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValidationFailed("invalid email address", fields={field: str(exc)}) from exc
    return _fold(valid.normalized)


def canonical_email(email: str) -> str:
    """`normalise_email`, or for text that is no valid address, its folded form (still one key
    per spelling family, for rate limits)."""
    try:
        return normalise_email(email)
    except ValidationFailed:
        return _fold(email)


def _account_key(canonical: str) -> str:
    # Rate-limit keys live in Redis: a keyed hash, not the address itself.
    return hash_token("email:" + canonical)[:32]


async def signup(
    session: AsyncSession,
    email: str,
    password: str,
    name: str | None = None,
    timezone: str | None = None,
    ip: str | None = None,
    *,
    role: str = "standard",
) -> User:
    """Create an account. Email is normalised to lowercase; a taken email is a Conflict on
    `email`; the password must pass the policy; the timezone must be an IANA name. With `ip`,
    sign-ups are rate limited per IP (LOGIN_RATE_LIMIT); the CLI passes none."""
    settings = get_settings()
    if ip:
        await get_rate_limiter().hit(settings.login_rate_limit, "signup", "ip", ip)
    email = normalise_email(email)
    check_password_policy(password, email=email)
    tz = validate_timezone(timezone) if timezone else settings.default_timezone
    if role not in ROLES:
        raise ValidationFailed("unknown role", fields={"role": f"one of {', '.join(ROLES)}"})
    name = (name or "").strip() or None
    if name and len(name) > 120:
        raise ValidationFailed("name is too long", fields={"name": "at most 120 characters"})
    users = UserRepository(session)
    if await users.by_email(email) is not None:
        raise Conflict("an account with this email already exists", fields={"email": "already registered"})
    user = User(
        email=email,
        password_hash=hash_password(password),
        name=name,
        role=role,
        timezone=tz,
        currency=settings.default_currency,
        escalation_minutes=settings.default_escalation_minutes,
        escalation_max=settings.default_escalation_max,
        catchup_minutes=settings.default_catchup_minutes,
        morning_checkin_time=settings.default_morning_checkin,
        evening_checkin_time=settings.default_evening_checkin,
    )
    users.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent signup with the same email won the race
        raise Conflict("an account with this email already exists", fields={"email": "already registered"}) from exc
    await audit.record(session, "auth.signup", user_id=user.id, ip=ip)
    return user


# RFC 8176 method references for the access token's "amr" claim.
AMR = {"password": "pwd", "magic_link": "email", "totp": "otp", "recovery_code": "rc"}


async def _finish_login(
    session: AsyncSession,
    user: User,
    method: str,
    *,
    ip: str | None,
    user_agent: str | None,
    issue_tokens: bool,
    first_factor: str | None = None,
    recovery_codes_left: int | None = None,
) -> LoginResult:
    now = clock.now()
    user.last_login_at = now
    mfa = first_factor is not None
    amr = [AMR.get(first_factor, "pwd"), AMR[method], "mfa"] if first_factor else [AMR[method]]
    tokens = (
        await issue_token_pair(session, user, user_agent=user_agent, auth_time=now, amr=amr) if issue_tokens else None
    )
    await audit.record(session, "auth.login", user_id=user.id, ip=ip, method=method)
    AUTH_LOGINS.labels(method, "ok").inc()
    return LoginResult(user.id, tokens=tokens, mfa=mfa, recovery_codes_left=recovery_codes_left)


async def _fail(session: AsyncSession, error: Unauthorized, *, user_id, ip, reason: str, event="auth.login_failed"):
    """Record the failure, commit it (the request will roll back), then raise `error`."""
    AUTH_LOGINS.labels("any", reason).inc()
    await audit.record(session, event, user_id=user_id, ip=ip, reason=reason)
    await session.commit()
    raise error


async def authenticate(
    session: AsyncSession,
    email: str,
    password: str,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
    issue_tokens: bool = True,
) -> LoginResult:
    """Password login. Rate limited per IP and per account (LOGIN_RATE_LIMIT).

    Wrong email and wrong password give the same error; a disabled account cannot log in."""
    settings = get_settings()
    limiter = get_rate_limiter()
    email = canonical_email(email)
    if ip:
        await limiter.hit(settings.login_rate_limit, "login", "ip", ip)
    await limiter.hit(settings.login_rate_limit, "login", "account", _account_key(email))
    user = await UserRepository(session).by_email(email)
    ok = verify_password(password, user.password_hash if user else None)
    bad = Unauthorized("wrong email or password", code="invalid_credentials")
    if user is None or not ok:
        await _fail(
            session,
            bad,
            user_id=user.id if user else None,
            ip=ip,
            reason="unknown_account" if user is None else "wrong_password",
        )
    assert user is not None
    return await _first_factor_passed(
        session, user, "password", ip=ip, user_agent=user_agent, issue_tokens=issue_tokens
    )


async def _first_factor_passed(
    session: AsyncSession, user: User, method: str, *, ip: str | None, user_agent: str | None, issue_tokens: bool
) -> LoginResult:
    """Password or magic link accepted: refuse disabled accounts, ask for TOTP when enabled."""
    if not user.is_active:
        await _fail(
            session,
            Unauthorized("this account is disabled", code="account_disabled"),
            user_id=user.id,
            ip=ip,
            reason="disabled",
        )
    if await mfa.is_enabled(session, user.id):
        return LoginResult(user.id, mfa_token=create_mfa_token(user.id, method))
    return await _finish_login(session, user, method, ip=ip, user_agent=user_agent, issue_tokens=issue_tokens)


async def verify_mfa_login(
    session: AsyncSession,
    mfa_token: str,
    code: str,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
    issue_tokens: bool = True,
) -> LoginResult:
    """Second step of a login: trade the `mfa_token` and a TOTP code (or one of the recovery
    codes, each usable once) for tokens. A code already used (the one that just turned MFA on,
    say) is refused with its own message: wait for the next one."""
    user_id, first_factor = decode_mfa_token(mfa_token)
    await get_rate_limiter().hit(get_settings().login_rate_limit, "mfa", str(user_id))
    user = await UserRepository(session).find(user_id)
    if user is None or not user.is_active:
        raise Unauthorized("account disabled or deleted", code="account_disabled")
    result = await mfa.check_login_code(session, user.id, code)
    if not result.ok:
        error = (
            Unauthorized(mfa.REUSED_MESSAGE, code="mfa_code_reused")
            if result.reused
            else Unauthorized("wrong or expired code", code="invalid_mfa_code")
        )
        await _fail(session, error, user_id=user.id, ip=ip, reason="reused_totp" if result.reused else "wrong_totp")
    assert result.method is not None
    return await _finish_login(
        session,
        user,
        result.method,
        ip=ip,
        user_agent=user_agent,
        issue_tokens=issue_tokens,
        first_factor=first_factor,
        recovery_codes_left=result.recovery_codes_left,
    )


async def request_magic_link(
    session: AsyncSession, email: str, *, ip: str | None = None, link_base: str | None = None
) -> None:
    """Email a single-use login link (MAGIC_LINK_MINUTES) if the account exists and is active.

    Callers answer the same way whatever happens, so accounts cannot be enumerated. Rate limited
    per IP and per address (MAGIC_LINK_RATE_LIMIT). `link_base` is the page the link opens
    (default: the API's verify endpoint; the dashboard passes its own page). This function
    COMMITS the session before sending, so the email call never holds a transaction open.
    """
    settings = get_settings()
    limiter = get_rate_limiter()
    canonical = canonical_email(email)
    if ip:
        await limiter.hit(settings.magic_link_rate_limit, "magic_link", "ip", ip)
    await limiter.hit(settings.magic_link_rate_limit, "magic_link", "account", _account_key(canonical))
    try:
        email = normalise_email(email)
    except ValidationFailed:
        return
    user = await UserRepository(session).by_email(email)
    if user is None or not user.is_active:
        log.info("auth.magic_link_unknown")
        return
    token = random_token(32)
    now = clock.now()
    session.add(
        MagicLink(
            user_id=user.id,
            token_hash=hash_token(token),
            expires_at=now + timedelta(minutes=settings.magic_link_minutes),
            created_at=now,
        )
    )
    await audit.record(session, "auth.magic_link_requested", user_id=user.id, ip=ip)
    await session.commit()
    base = link_base or settings.public_base_url.rstrip("/") + MAGIC_LINK_PATH
    link = f"{base}{'&' if '?' in base else '?'}{urlencode({'token': token})}"
    await send_email(
        user.email,
        f"Your {settings.app_name} login link",
        f"Hi{' ' + user.name if user.name else ''},\n\nOpen this link to log in:\n\n{link}\n\n"
        f"It works once and expires in {settings.magic_link_minutes} minutes. "
        "If you did not ask for it, you can ignore this email.\n",
    )


async def verify_magic_link(
    session: AsyncSession, token: str, *, ip: str | None = None, user_agent: str | None = None,
    issue_tokens: bool = True
) -> LoginResult:
    """Log in with a magic-link token: single use, expires after MAGIC_LINK_MINUTES."""
    invalid = Unauthorized("this login link is invalid, used or expired", code="invalid_link")
    row = await magic_link_by_hash(session, hash_token(token or ""))
    now = clock.now()
    if row is None:
        raise invalid
    if row.used_at is not None or row.expires_at <= now:
        await _fail(
            session, invalid, user_id=row.user_id, ip=ip, reason="link_reused" if row.used_at else "link_expired"
        )
    row.used_at = now
    user = await UserRepository(session).get(row.user_id)
    return await _first_factor_passed(
        session, user, "magic_link", ip=ip, user_agent=user_agent, issue_tokens=issue_tokens
    )
