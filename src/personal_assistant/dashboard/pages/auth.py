"""Sign up, log in (password, magic link, TOTP step) and log out."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import service as auth
from personal_assistant.config import get_settings
from personal_assistant.core.errors import Conflict, RateLimited, Unauthorized, ValidationFailed
from personal_assistant.dashboard.pages.common import client_ip, timezone_options
from personal_assistant.dashboard.web import (
    DB,
    OptionalUser,
    browser_session,
    dashboard_router,
    field_errors,
    form_data,
    redirect,
    render,
    safe_next,
)
from personal_assistant.db.models import User

router = dashboard_router()

MAGIC_LINK_PAGE = "/login/magic"


async def _signed_in(
    request: Request,
    session: AsyncSession,
    user: User,
    default: str,
    flash: str | None = None,
    *,
    mfa: bool = False,
):
    """Start the browser session (fresh id and CSRF secret, recorded on the server) and go
    where the user was heading."""
    browser = browser_session(request)
    target = safe_next(browser.next_path, default)
    browser.sign_in(user.id, user.password_hash)
    await auth.start_browser_session(
        session, user.id, browser.sid, mfa=mfa, user_agent=request.headers.get("user-agent")
    )
    browser.next_path = None
    return redirect(request, target, flash)


def _recovery_flash(result: auth.LoginResult) -> str | None:
    left = result.recovery_codes_left
    if left is None:
        return None
    if left == 0:
        return "You used your last recovery code. Make new ones in Settings now."
    return f"You used a recovery code; {left} left. You can make new ones in Settings."


async def _after_first_factor(request: Request, session: AsyncSession, result: auth.LoginResult):
    if result.mfa_required:
        assert result.mfa_token is not None
        browser_session(request).start_mfa(result.mfa_token)
        return redirect(request, "/login/code")
    user = await session.get(User, result.user_id)
    assert user is not None
    return await _signed_in(request, session, user, "/", _recovery_flash(result), mfa=result.mfa)


# --- sign up ---------------------------------------------------------------------------------
@router.get("/signup")
async def signup_page(request: Request, user: User | None = OptionalUser):
    """The sign-up form."""
    if user is not None:
        return redirect(request, "/")
    return render(
        request, "signup.html", {"title": "Sign up", "timezones": timezone_options(), "values": {"timezone": ""}}
    )


@router.post("/signup")
async def signup(request: Request, session: AsyncSession = DB):
    """Create the account, sign in, and go on to adding a phone."""
    values = await form_data(request)
    errors: dict[str, str] = {}
    if not values.get("email"):
        errors["email"] = "Enter your email address."
    if not values.get("password"):
        errors["password"] = "Choose a password of at least 12 characters."
    elif values.get("password") != values.get("password_confirm"):
        errors["password_confirm"] = "The two passwords are not the same."
    if not errors:
        try:
            user = await auth.signup(
                session,
                values["email"],
                values["password"],
                name=values.get("name") or None,
                timezone=values.get("timezone") or None,
                ip=client_ip(request),
            )
        except (ValidationFailed, Conflict) as exc:
            errors = field_errors(exc)
            if "email" in errors and isinstance(exc, Conflict):
                errors["email"] = "There is already an account with this email. Try logging in."
        except RateLimited as exc:
            errors = {"_form": f"Too many sign-ups from here. Try again in {exc.retry_after} seconds."}
        else:
            browser_session(request).next_path = None
            return await _signed_in(
                request, session, user, "/phone", "Welcome! Add your phone so you can text your assistant."
            )
    await session.rollback()
    values.pop("password", None)
    values.pop("password_confirm", None)
    return render(
        request,
        "signup.html",
        {"title": "Sign up", "timezones": timezone_options(), "values": values, "errors": errors},
        status_code=422,
    )


# --- password login --------------------------------------------------------------------------
@router.get("/login")
async def login_page(request: Request, next: str | None = None, user: User | None = OptionalUser):  # noqa: A002
    """The log-in page: password, or a link by email."""
    if user is not None:
        return redirect(request, safe_next(next))
    if next:
        browser = browser_session(request)
        browser.next_path = safe_next(next)
        browser.changed = True
    return render(request, "login.html", {"title": "Log in"})


@router.post("/login")
async def login(request: Request, session: AsyncSession = DB):
    """Check the password; then either sign in or ask for the authenticator code."""
    values = await form_data(request)
    errors: dict[str, str] = {}
    if not values.get("email"):
        errors["email"] = "Enter your email address."
    if not values.get("password"):
        errors["password"] = "Enter your password."
    if not errors:
        try:
            result = await auth.authenticate(
                session,
                values["email"],
                values["password"],
                ip=client_ip(request),
                user_agent=request.headers.get("user-agent"),
                issue_tokens=False,  # the browser gets a cookie session, not API tokens
            )
        except Unauthorized as exc:
            errors = {
                "password": "That email and password do not match."
                if exc.code == "invalid_credentials"
                else exc.message.capitalize() + "."
            }
        except RateLimited as exc:
            errors = {"_form": f"Too many attempts. Wait {exc.retry_after} seconds and try again."}
        else:
            return await _after_first_factor(request, session, result)
    return render(
        request,
        "login.html",
        {"title": "Log in", "values": {"email": values.get("email", "")}, "errors": errors},
        status_code=422,
    )


# --- TOTP step -------------------------------------------------------------------------------
@router.get("/login/code")
async def mfa_page(request: Request):
    """Second step for accounts with two-factor authentication."""
    if not browser_session(request).mfa_token:
        return redirect(request, "/login")
    return render(request, "login_code.html", {"title": "Enter your code"})


@router.post("/login/code")
async def mfa_verify(request: Request, session: AsyncSession = DB):
    """Trade the authenticator code (or a recovery code) for a signed-in session."""
    browser = browser_session(request)
    values = await form_data(request)
    field = "recovery" if values.get("kind") == "recovery" else "code"
    if not browser.mfa_token:
        return redirect(request, "/login", "Please log in again.")
    try:
        result = await auth.verify_mfa_login(
            session,
            browser.mfa_token,
            values.get("code", ""),
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent"),
            issue_tokens=False,
        )
    except Unauthorized as exc:
        if exc.code in ("token_expired", "invalid_token", "account_disabled"):
            browser.mfa_token = None
            return redirect(request, "/login", "That took a while, so please log in again.")
        if exc.code == "mfa_code_reused":
            message = (
                "That code was just used. Wait for the next code in your app (it changes every 30 seconds) "
                "and type that one."
            )
        elif values.get("kind") == "recovery":
            message = "That recovery code did not work. Check it, or try another one: each works once."
        else:
            message = "That code did not work. Use the newest code from your app."
        errors = {field: message}
    except RateLimited as exc:
        errors = {field: f"Too many tries. Wait {exc.retry_after} seconds."}
    else:
        return await _after_first_factor(request, session, result)
    return render(request, "login_code.html", {"title": "Enter your code", "errors": errors}, status_code=422)


# --- magic link ------------------------------------------------------------------------------
@router.post("/login/magic-link")
async def request_magic_link(request: Request, session: AsyncSession = DB):
    """Email a one-time login link; the answer is the same whether or not the account exists."""
    values = await form_data(request)
    email = values.get("email", "")
    if not email:
        return render(
            request,
            "login.html",
            {"title": "Log in", "errors": {"magic_email": "Enter your email address."}},
            status_code=422,
        )
    link_base = get_settings().public_base_url.rstrip("/") + MAGIC_LINK_PAGE
    try:
        await auth.request_magic_link(session, email, ip=client_ip(request), link_base=link_base)
    except RateLimited as exc:
        return render(
            request,
            "login.html",
            {
                "title": "Log in",
                "values": {"magic_email": email},
                "errors": {
                    "magic_email": f"Too many links asked for. Try again in {exc.retry_after // 60 + 1} minutes."
                },
            },
            status_code=429,
        )
    return render(
        request,
        "magic_link_sent.html",
        {"title": "Check your email", "email": email, "minutes": get_settings().magic_link_minutes},
    )


@router.get(MAGIC_LINK_PAGE)
async def magic_link_page(request: Request, token: str = ""):
    """The page the emailed link opens. Logging in takes a click, so link scanners in mailboxes
    that open every link cannot use up the one-time token."""
    return render(request, "magic_link_confirm.html", {"title": "Log in", "token": token})


@router.post(MAGIC_LINK_PAGE)
async def magic_link_login(request: Request, session: AsyncSession = DB):
    """Use the emailed token."""
    values = await form_data(request)
    try:
        result = await auth.verify_magic_link(
            session,
            values.get("token", ""),
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent"),
            issue_tokens=False,
        )
    except Unauthorized:
        return render(
            request,
            "login.html",
            {
                "title": "Log in",
                "errors": {"_form": "That login link is used or expired. Ask for a new one below."},
            },
            status_code=401,
        )
    return await _after_first_factor(request, session, result)


# --- log out ---------------------------------------------------------------------------------
@router.post("/logout")
async def logout(request: Request, session: AsyncSession = DB):
    """End the browser session, on the server too (a copy of the cookie stops working)."""
    browser = browser_session(request)
    principal = getattr(request.state, "session_principal", None)
    if principal is not None:
        await auth.end_browser_session(session, principal.user_id, browser.sid)
    browser.sign_out()
    return redirect(request, "/login", "You are logged out. See you soon.")
