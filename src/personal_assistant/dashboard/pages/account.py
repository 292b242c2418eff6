"""The account pages: verify a phone, settings, privacy (export, delete), connections."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import service as auth
from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.crypto import DecryptionError, decrypt, encrypt
from personal_assistant.core.errors import Conflict, NotFound, RateLimited, ServiceUnavailable, ValidationFailed
from personal_assistant.dashboard.pages.common import client_ip, timezone_options
from personal_assistant.dashboard.web import (
    DB,
    CurrentUser,
    PageNotFound,
    browser_session,
    dashboard_router,
    field_errors,
    form_data,
    redirect,
    render,
    undo,
)
from personal_assistant.db.models import User
from personal_assistant.users import service as users

router = dashboard_router()


# --- phone -----------------------------------------------------------------------------------
async def _phone_page(
    request: Request,
    session: AsyncSession,
    user: User,
    *,
    errors=None,
    values=None,
    pending: str | None = None,
    status_code: int = 200,
):
    phones = await users.list_phones(session, user.id)
    waiting = pending or next((p.e164 for p in phones if p.verified_at is None and p.code_hash), None)
    return render(
        request,
        "phone.html",
        {
            "title": "Your phone",
            "phones": phones,
            "pending": waiting,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/phone")
async def phone_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Add a phone and prove it is yours with a texted code."""
    return await _phone_page(request, session, user)


@router.post("/phone")
async def send_code(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Text a 6-digit code to the number."""
    values = await form_data(request)
    try:
        started = await users.start_phone_verification(session, user, values.get("phone", ""), ip=client_ip(request))
    except (ValidationFailed, Conflict) as exc:
        errors = field_errors(exc)
        errors.setdefault("phone", errors.pop("_form", exc.message))
    except RateLimited as exc:
        errors = {"phone": f"A code was sent a moment ago. Wait {exc.retry_after} seconds before asking again."}
    except ServiceUnavailable:
        errors = {"phone": "We could not text that number right now. Try again in a little while."}
    else:
        if started.status == "already_verified":
            return redirect(request, "/phone", "That number is already verified.")
        message = f"We texted a code to {started.e164}. Type it below."
        if get_settings().is_development:
            message += " (Development: open the phone simulator to read it.)"
        return redirect(request, "/phone", message)
    await undo(session, user)
    return await _phone_page(request, session, user, errors=errors, values=values, status_code=422)


@router.post("/phone/verify")
async def verify_code(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Check the code that was texted."""
    values = await form_data(request)
    phone = values.get("phone", "")
    try:
        verified = await users.verify_phone(session, user, phone, values.get("code", ""))
    except (ValidationFailed, Conflict) as exc:
        errors = field_errors(exc)
        if "phone" in errors and "code" not in errors:
            errors["code"] = errors.pop("phone")
        errors.setdefault("code", errors.pop("_form", exc.message))
        await undo(session, user)
        return await _phone_page(request, session, user, errors=errors, pending=phone, status_code=422)
    return redirect(request, "/", f"{verified.e164} is verified. Text your assistant any time.")


# --- settings --------------------------------------------------------------------------------
SETTINGS_TEXT = (
    "name",
    "timezone",
    "quiet_hours_start",
    "quiet_hours_end",
    "morning_checkin_time",
    "evening_checkin_time",
    "currency",
)
SETTINGS_INT = ("escalation_minutes", "escalation_max", "catchup_minutes")


def _settings_values(user: User) -> dict[str, Any]:
    return {
        "name": user.name or "",
        "timezone": user.timezone,
        "quiet_hours_start": users.format_hhmm(user.quiet_hours_start) or "",
        "quiet_hours_end": users.format_hhmm(user.quiet_hours_end) or "",
        "checkins_enabled": user.checkins_enabled,
        "morning_checkin_time": users.format_hhmm(user.morning_checkin_time) or "",
        "evening_checkin_time": users.format_hhmm(user.evening_checkin_time) or "",
        "escalation_minutes": user.escalation_minutes,
        "escalation_max": user.escalation_max,
        "catchup_minutes": user.catchup_minutes,
        "currency": user.currency,
    }


def _settings_changes(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    changes: dict[str, Any] = {key: values.get(key, "") for key in SETTINGS_TEXT}
    changes["checkins_enabled"] = values.get("checkins_enabled") == "on"
    errors: dict[str, str] = {}
    for key in SETTINGS_INT:
        raw = values.get(key, "")
        try:
            changes[key] = int(raw)
        except ValueError:
            errors[key] = "Enter a whole number."
    return changes, errors


async def _render_settings(
    request: Request,
    session: AsyncSession,
    user: User,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
):
    mfa_on = await auth.is_enabled(session, user.id)
    return render(
        request,
        "settings.html",
        {
            "title": "Settings",
            "values": values,
            "errors": errors,
            "timezones": timezone_options(),
            "local_now": clock.local_now(user.timezone) if clock.is_valid_timezone(user.timezone) else None,
            "mfa_on": mfa_on,
            "recovery_codes_left": await auth.recovery_codes_left(session, user.id) if mfa_on else None,
            "has_password": bool(user.password_hash),
            "sessions": await auth.list_browser_sessions(session, user.id),
            "this_session": _session_id(request),
        },
        status_code=status_code,
    )


@router.get("/settings")
async def settings_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Time zone, quiet hours, check-ins, reminder follow-ups, two-step login, password and
    signed-in browsers."""
    return await _render_settings(request, session, user, _settings_values(user), {})


@router.post("/settings")
async def save_settings(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Save every setting at once; nothing changes if any field is wrong."""
    values = await form_data(request)
    changes, errors = _settings_changes(values)
    if not errors:
        try:
            await users.update_profile(session, user.id, changes)
        except ValidationFailed as exc:
            errors = field_errors(exc)
        else:
            return redirect(request, "/settings", "Settings saved.")
    await undo(session, user)
    shown = {**values, "checkins_enabled": values.get("checkins_enabled") == "on"}
    return await _render_settings(request, session, user, shown, errors, status_code=422)


# --- two-step login (TOTP) -------------------------------------------------------------------
def _seal(user: User, secret: str) -> str:
    # The secret is on the page anyway; sealing it (bound to this user) lets a mistyped code
    # show the same secret again without trusting what the browser sends back.
    return encrypt(secret, associated_data=user.id.bytes)


def _two_step_page(
    request: Request, user: User, secret: str, errors: dict[str, str] | None = None, status_code: int = 200
):
    setup = auth.setup_for(user, secret)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    principal = getattr(request.state, "session_principal", None)
    recent = principal is not None and auth.logged_in_recently(principal.auth_time)
    return render(
        request,
        "two_step.html",
        {
            "title": "Set up two-step login",
            "secret": grouped,
            "otpauth_uri": setup.otpauth_uri,
            "qr_data_uri": setup.qr_data_uri(),
            "sealed": _seal(user, secret),
            "ask_password": bool(user.password_hash) and not recent,
            "errors": errors or {},
        },
        status_code=status_code,
    )


def _recovery_codes_page(request: Request, codes: list[str], *, first_time: bool):
    """The codes, shown once (the page is not cached and they are not stored anywhere readable)."""
    return render(
        request,
        "recovery_codes.html",
        {"title": "Your recovery codes", "codes": codes, "first_time": first_time},
    )


def _session_id(request: Request) -> uuid.UUID | None:
    principal = getattr(request.state, "session_principal", None)
    return principal.session_id if principal is not None else None


def _login_time(request: Request) -> datetime | None:
    principal = getattr(request.state, "session_principal", None)
    return principal.auth_time if principal is not None else None


@router.post("/settings/two-step/setup")
async def two_step_setup(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Start two-step login: a new secret for the authenticator app, as a QR code and as a key to
    type (not on until a code works)."""
    try:
        setup = await auth.setup_mfa(session, user)
    except Conflict:
        await undo(session, user)
        return redirect(request, "/settings", "Two-step login is already on.")
    return _two_step_page(request, user, setup.secret)


@router.post("/settings/two-step/enable")
async def two_step_enable(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Turn two-step login on with a first code from the app, then show the recovery codes once.
    Other browsers and apps signed in to the account are logged out; this one stays."""
    values = await form_data(request)
    try:
        codes = await auth.enable_mfa(
            session,
            user,
            values.get("code", ""),
            password=values.get("password") or None,
            auth_time=_login_time(request),
            ip=client_ip(request),
            keep_session=_session_id(request),
        )
    except (ValidationFailed, RateLimited) as exc:
        await undo(session, user)
        try:
            secret = decrypt(values.get("sealed", ""), associated_data=user.id.bytes)
        except DecryptionError:
            return redirect(request, "/settings", "That took too long. Start the set-up again.")
        if isinstance(exc, RateLimited):
            wait = f"Too many tries. Wait {exc.retry_after} seconds, then type the newest code."
            errors, status = {"code": wait}, 429
        elif "password" in (exc.fields or {}):
            wrong = exc.message == "wrong password"
            errors, status = {"password": "That password is not right." if wrong else "Enter your password."}, 422
        else:
            errors, status = {"code": "That code did not work. Type the newest one."}, 422
        return _two_step_page(request, user, secret, errors, status)
    except Conflict:
        await undo(session, user)
        return redirect(request, "/settings", "Start the set-up again.")
    return _recovery_codes_page(request, codes, first_time=True)


def _confirm_errors(exc: ValidationFailed | RateLimited, field: str, given: str | None) -> dict[str, str]:
    if isinstance(exc, RateLimited):
        return {field: f"Too many tries. Wait {exc.retry_after} seconds and try again."}
    if not given:
        return {field: "Enter your password to confirm."}
    return {field: "That password is not right."}


@router.post("/settings/two-step/disable")
async def two_step_disable(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Turn two-step login off (needs the password)."""
    values = await form_data(request)
    password = values.get("mfa_password") or None
    try:
        await auth.disable_mfa(session, user, password=password, ip=client_ip(request))
    except (ValidationFailed, RateLimited) as exc:
        await undo(session, user)
        errors = _confirm_errors(exc, "mfa_password", password)
        status = 429 if isinstance(exc, RateLimited) else 422
        return await _render_settings(request, session, user, _settings_values(user), errors, status_code=status)
    except Conflict as exc:
        await undo(session, user)
        return redirect(request, "/settings", exc.message.capitalize() + ".")
    return redirect(request, "/settings", "Two-step login is off.")


@router.post("/settings/two-step/recovery-codes")
async def two_step_recovery_codes(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Ten new recovery codes (the old ones stop working), after the password."""
    values = await form_data(request)
    password = values.get("codes_password") or None
    try:
        codes = await auth.regenerate_recovery_codes(session, user, password=password, ip=client_ip(request))
    except (ValidationFailed, RateLimited) as exc:
        await undo(session, user)
        errors = _confirm_errors(exc, "codes_password", password)
        status = 429 if isinstance(exc, RateLimited) else 422
        return await _render_settings(request, session, user, _settings_values(user), errors, status_code=status)
    except Conflict as exc:
        await undo(session, user)
        return redirect(request, "/settings", exc.message.capitalize() + ".")
    return _recovery_codes_page(request, codes, first_time=False)


# --- password and sessions -------------------------------------------------------------------
@router.post("/settings/password")
async def change_password(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """A new password, confirmed by the current one. Other browsers and apps are logged out."""
    values = await form_data(request)
    errors: dict[str, str] = {}
    new = values.get("new_password", "")
    if not new:
        errors["new_password"] = "Choose a new password of at least 12 characters."
    elif new != values.get("new_password_confirm"):
        errors["new_password_confirm"] = "The two new passwords are not the same."
    if not errors:
        try:
            await auth.change_password(
                session,
                user,
                values.get("current_password") or None,
                new,
                auth_time=_login_time(request),
                keep_session=_session_id(request),
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            errors = field_errors(exc)
            if exc.code == "recent_login_required":
                errors = {
                    "new_password": "For your safety, log out and back in with an email link, then set it within "
                    "10 minutes."
                }
            elif "current_password" in errors:
                errors["current_password"] = (
                    "That password is not right." if exc.message == "wrong password" else "Enter your current password."
                )
            elif "new_password" in errors:
                errors["new_password"] = "The new password " + errors["new_password"] + "."
        except RateLimited as exc:
            errors = {"current_password": f"Too many tries. Wait {exc.retry_after} seconds and try again."}
        else:
            browser_session(request).password_changed(user.password_hash)
            return redirect(request, "/settings", "Password changed. Other browsers and apps are logged out.")
    await undo(session, user)
    return await _render_settings(request, session, user, _settings_values(user), errors, status_code=422)


@router.post("/settings/sessions/logout-everywhere")
async def logout_everywhere(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """End every session of the account, this browser's included, and every app login."""
    await auth.log_out_everywhere(session, user.id, ip=client_ip(request))
    browser_session(request).sign_out()
    return redirect(request, "/login", "You are logged out everywhere. Log in again here when you like.")


# --- privacy ---------------------------------------------------------------------------------
@router.get("/privacy")
async def privacy_page(request: Request, user: User = CurrentUser):
    """Download everything, or delete the account."""
    return render(request, "privacy.html", {"title": "Privacy"})


@router.get("/privacy/export")
async def export_data(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Everything we keep about you, as one JSON file."""
    data = await users.export_user_data(session, user.id)
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={
            "content-disposition": f'attachment; filename="assistant-export-{stamp}.json"',
            "cache-control": "no-store",
        },
    )


@router.post("/privacy/delete")
async def delete_account(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Delete the account and everything in it, after typing DELETE and the password."""
    values = await form_data(request)
    errors: dict[str, str] = {}
    status = 422
    if values.get("confirm", "") != "DELETE":  # exactly as asked: a deliberate act, not a stray word
        errors["confirm"] = "Type DELETE in capital letters to confirm."
    if not errors:
        try:
            await users.delete_account(
                session,
                user.id,
                password=values.get("password") or None,
                auth_time=_login_time(request),
                ip=client_ip(request),
            )
        except RateLimited as exc:
            errors = {"password": f"Too many tries. Wait {exc.retry_after} seconds and try again."}
            status = 429
        except ValidationFailed as exc:
            errors = field_errors(exc)
            if "password" in errors:
                errors["password"] = (
                    "That password is not right."
                    if exc.message == "wrong password"
                    else "Enter your password to confirm."
                )
        else:
            browser_session(request).sign_out()
            return redirect(request, "/signup", "Your account and everything in it are deleted. Take care.")
    await undo(session, user)
    return render(
        request,
        "privacy.html",
        {"title": "Privacy", "errors": errors, "values": {"confirm": values.get("confirm", "")}},
        status_code=status,
    )


# --- connections -----------------------------------------------------------------------------
@router.get("/connections")
async def connections_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Connect or disconnect each account; what each allows, in plain words; last sync; health."""
    from personal_assistant.connectors import service as connectors
    from personal_assistant.connectors.registry import consent_origins

    providers = await connectors.overview(session, user.id)
    connected = request.query_params.get("connected")
    flash = None
    if connected in {p.provider for p in providers if p.status == "connected"}:
        flash = f"{next(p.label for p in providers if p.provider == connected)} is connected."
    return render(request, "connections.html", {
        "title": "Connections",
        "providers": providers,
        "broken": [p for p in providers if p.status == "needs_reconnect"],
        "connected_flash": flash,
    }, form_targets=consent_origins())


@router.get("/connections/notion/parent")
async def notion_parent_page(request: Request, user: User = CurrentUser):
    """Choose the Notion page new notes go under (one of the pages shared at consent)."""
    from personal_assistant.connectors import service as connectors
    from personal_assistant.core import resilience

    try:
        pages, current = await connectors.notion_pages(user.id)
    except NotFound:
        return redirect(request, "/connections", "Connect Notion first.")
    except resilience.ProviderUnavailable:
        return redirect(request, "/connections", "Notion isn't answering right now. Try again in a minute.")
    return render(request, "connections_notion.html", {
        "title": "Notion notes page",
        "options": [(p["id"], p["title"]) for p in pages],
        "current": current,
    })


@router.post("/connections/notion/parent")
async def save_notion_parent(request: Request, user: User = CurrentUser):
    from personal_assistant.connectors import service as connectors
    from personal_assistant.core import resilience

    values = await form_data(request)
    try:
        title = await connectors.set_notion_parent(user.id, values.get("page_id", ""))
    except (NotFound, ValidationFailed):
        return redirect(request, "/connections/notion/parent", "Pick one of the pages in the list.")
    except resilience.ProviderUnavailable:
        return redirect(request, "/connections", "Notion isn't answering right now. Try again in a minute.")
    return redirect(request, "/connections", f"New notes go under \"{title}\" now.")


@router.post("/connections/{provider}/connect")
async def connect_provider(provider: str, request: Request, user: User = CurrentUser):
    """Start connecting: off to the provider's consent page (state and PKCE kept server-side)."""
    from fastapi.responses import RedirectResponse

    from personal_assistant.connectors import oauth
    from personal_assistant.connectors.registry import PROVIDERS

    if provider not in PROVIDERS:
        raise PageNotFound()
    try:
        url = await oauth.start_authorize(user.id, provider)
    except ServiceUnavailable as exc:
        return redirect(request, "/connections", exc.message)
    return RedirectResponse(url, status_code=303)


@router.post("/connections/{provider}/disconnect")
async def disconnect_provider(provider: str, request: Request, user: User = CurrentUser):
    """Disconnect: revoked at the provider where it can be, deleted here."""
    from personal_assistant.connectors import oauth
    from personal_assistant.connectors.registry import PROVIDERS

    connector = PROVIDERS.get(provider)
    if connector is None:
        raise PageNotFound()
    try:
        revoked = await oauth.disconnect(user.id, provider)
    except NotFound:
        return redirect(request, "/connections", f"{connector.label} was not connected.")
    if revoked or not connector.remove_access_url:
        return redirect(request, "/connections", f"{connector.label} is disconnected.")
    return redirect(request, "/connections",
                    f"{connector.label} is disconnected here. To remove the app's access on "
                    f"{connector.label}'s side too, visit {connector.remove_access_url}")
