"""The phone simulator (development only): text the assistant from a browser.

Texts go through exactly the pipeline a Twilio webhook uses after its signature check
(`sms.inbound.receive_inbound`), with a fake MessageSid; replies are the outbound messages to that
phone, as the console transport stored them. Outside development every simulator URL is a 404.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.dashboard.pages.conversation import recent_thread
from personal_assistant.dashboard.web import (
    DB,
    CurrentUser,
    PageNotFound,
    dashboard_router,
    form_data,
    redirect,
    render,
)
from personal_assistant.db.models import Message, User
from personal_assistant.sms.inbound import receive_inbound
from personal_assistant.users import service as users

router = dashboard_router()

# The number the simulated phone texts when no shared Twilio number is configured: any number that
# is not a user's dedicated number routes by the sender's verified phone.
SIMULATED_ASSISTANT_NUMBER = "+15550000000"
THREAD_SIZE = 100


def development_only() -> None:
    if not get_settings().is_development:
        raise PageNotFound()


def assistant_number() -> str:
    return get_settings().twilio_shared_number or SIMULATED_ASSISTANT_NUMBER


async def _default_phone(session: AsyncSession, user: User) -> str:
    phones = await users.list_phones(session, user.id)
    verified = [p for p in phones if p.verified_at]
    primary = next((p for p in verified if p.is_primary), None) or (verified[0] if verified else None)
    if primary:
        return primary.e164
    waiting = [p for p in phones if p.code_hash]
    return waiting[-1].e164 if waiting else ""


def _normalised(raw: str) -> str | None:
    try:
        return users.normalise_phone(raw)
    except ValidationFailed:
        return None


async def _phone_thread(session: AsyncSession, user: User, phone: str | None) -> list[Message]:
    """What this phone sent and received, from the signed-in user's thread."""
    if not phone:
        return []
    thread = await recent_thread(session, user, limit=THREAD_SIZE)
    return [m for m in thread if m.channel == "sms" and phone in (m.from_number, m.to_number)]


async def _context(session: AsyncSession, user: User, raw_phone: str | None) -> dict:
    phone = _normalised(raw_phone) if raw_phone else _normalised(await _default_phone(session, user))
    phones = await users.list_phones(session, user.id)
    return {
        "phone": phone or (raw_phone or ""),
        "messages": await _phone_thread(session, user, phone),
        "own_phone": any(p.e164 == phone for p in phones),
        "verified": any(p.e164 == phone and p.verified_at for p in phones),
        "assistant_number": assistant_number(),
    }


@router.get("/simulator")
async def simulator_page(
    request: Request, phone: str | None = None, user: User = CurrentUser, session: AsyncSession = DB
):
    """A pretend phone: what you type arrives like an SMS from that number."""
    development_only()
    return render(request, "simulator.html", {"title": "Phone simulator", **await _context(session, user, phone)})


@router.get("/simulator/messages")
async def simulator_fragment(
    request: Request, phone: str | None = None, user: User = CurrentUser, session: AsyncSession = DB
):
    """The simulated phone's thread, for the page's live update."""
    development_only()
    ctx = await _context(session, user, phone)
    return render(
        request, "_thread.html", {"messages": ctx["messages"], "label": "Texts on this phone", "phone_view": True}
    )


@router.post("/simulator")
async def simulator_send(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Deliver a text from the chosen phone through the inbound SMS pipeline."""
    development_only()
    values = await form_data(request)
    phone = _normalised(values.get("phone", ""))
    errors: dict[str, str] = {}
    if phone is None:
        errors["phone"] = "Use international format, like +15551234567."
    if not values.get("body"):
        errors["body"] = "Type a text to send."
    if errors:
        ctx = await _context(session, user, values.get("phone"))
        return render(
            request,
            "simulator.html",
            {"title": "Phone simulator", **ctx, "errors": errors, "values": values},
            status_code=422,
        )
    assert phone is not None
    await receive_inbound(
        session,
        message_sid="SMsim" + secrets.token_hex(14),
        from_number=phone,
        to_number=assistant_number(),
        body=values["body"],
    )
    return redirect(request, f"/simulator?phone={quote(phone)}#composer")
