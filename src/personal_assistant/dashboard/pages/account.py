"""The account pages: verify a phone, settings, privacy (export, delete), connections."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.core.errors import Conflict, RateLimited, ServiceUnavailable, ValidationFailed
from personal_assistant.dashboard.pages.common import client_ip, timezone_options
from personal_assistant.dashboard.web import (
    DB,
    CurrentUser,
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
        await session.commit()
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
    await session.commit()
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


def _render_settings(
    request: Request, user: User, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
):
    return render(
        request,
        "settings.html",
        {
            "title": "Settings",
            "values": values,
            "errors": errors,
            "timezones": timezone_options(),
            "local_now": clock.local_now(user.timezone) if clock.is_valid_timezone(user.timezone) else None,
        },
        status_code=status_code,
    )


@router.get("/settings")
async def settings_page(request: Request, user: User = CurrentUser):
    """Time zone, quiet hours, check-ins and reminder follow-ups."""
    return _render_settings(request, user, _settings_values(user), {})


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
            await session.commit()
            return redirect(request, "/settings", "Settings saved.")
    await undo(session, user)
    shown = {**values, "checkins_enabled": values.get("checkins_enabled") == "on"}
    return _render_settings(request, user, shown, errors, status_code=422)


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
    if values.get("confirm", "").upper() != "DELETE":
        errors["confirm"] = "Type DELETE (in capitals) to confirm."
    if not errors:
        try:
            await users.delete_account(session, user.id, password=values.get("password") or None, ip=client_ip(request))
        except ValidationFailed as exc:
            errors = field_errors(exc)
            if "password" in errors:
                errors["password"] = (
                    "That password is not right."
                    if exc.message == "wrong password"
                    else "Enter your password to confirm."
                )
        else:
            await session.commit()
            browser_session(request).sign_out()
            return redirect(request, "/signup", "Your account and everything in it are deleted. Take care.")
    await undo(session, user)
    return render(
        request,
        "privacy.html",
        {"title": "Privacy", "errors": errors, "values": {"confirm": values.get("confirm", "")}},
        status_code=422,
    )


# --- connections -----------------------------------------------------------------------------
PROVIDERS = [
    ("Google", "Calendar, Gmail and YouTube"),
    ("Microsoft", "Outlook calendar and mail"),
    ("Notion", "Notes and pages"),
]


@router.get("/connections")
async def connections_page(request: Request, user: User = CurrentUser):
    """Accounts the assistant can use for you (coming soon)."""
    return render(request, "connections.html", {"title": "Connections", "providers": PROVIDERS})
