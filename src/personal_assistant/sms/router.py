"""Twilio webhooks: inbound texts and delivery-status callbacks. HTTP only; the rules live in
sms/inbound.py and sms/status.py."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import Response

from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import SMS_SIGNATURE_FAILURES
from personal_assistant.sms.inbound import receive_inbound
from personal_assistant.sms.signature import signature_valid
from personal_assistant.sms.status import apply_status_callback

log = structlog.get_logger("sms.webhook")

router = APIRouter(prefix="/webhooks/twilio", tags=["twilio webhooks"])

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'
TWIML = "application/xml"


def _twiml(status_code: int = 200) -> Response:
    return Response(EMPTY_TWIML, status_code=status_code, media_type=TWIML)


def _forbidden() -> Response:
    SMS_SIGNATURE_FAILURES.inc()
    return Response("forbidden", status_code=403, media_type="text/plain")


def _int(value: object) -> int:
    try:
        return min(max(0, int(str(value))), 10)  # Twilio sends at most 10 media; a column is 32-bit
    except ValueError:
        return 0


@router.post("/sms", response_class=Response, responses={200: {"content": {TWIML: {}}}, 403: {}})
async def inbound_sms(request: Request) -> Response:
    """Twilio's inbound-message webhook. Signed requests only (403 otherwise, nothing stored).

    Stores the text exactly once per MessageSid and answers with empty TwiML at once; the agent's
    reply is sent later through the REST API.
    """
    form = await request.form()
    if not signature_valid(request, form):
        log.warning("sms.signature_rejected", path=request.url.path)
        return _forbidden()
    message_sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
    from_number = str(form.get("From") or "")
    to_number = str(form.get("To") or "")
    if not message_sid or not from_number:
        return _twiml(400)
    # Our own unit of work, committed before Twilio hears 200: a failed commit answers 500, and
    # Twilio's retry is not taken for a duplicate of a text that was never stored.
    async with session_scope() as session:
        await receive_inbound(
            session,
            message_sid=message_sid[:64],
            from_number=from_number[:20],
            to_number=to_number[:20],
            body=str(form.get("Body") or ""),
            num_media=_int(form.get("NumMedia") or 0),
        )
    return _twiml()


@router.post("/status", response_class=Response, responses={200: {"content": {TWIML: {}}}, 403: {}})
async def status_callback(request: Request) -> Response:
    """Twilio's delivery-status callback: moves an outbound message's status forward only."""
    form = await request.form()
    if not signature_valid(request, form):
        log.warning("sms.signature_rejected", path=request.url.path)
        return _forbidden()
    message_sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
    status = str(form.get("MessageStatus") or form.get("SmsStatus") or "")
    if not message_sid or not status:
        return _twiml(400)
    error_code = form.get("ErrorCode")
    async with session_scope() as session:
        await apply_status_callback(
            session,
            message_sid=message_sid[:64],
            status=status,
            error_code=str(error_code) if error_code else None,
            message_id=request.query_params.get("m"),
        )
    return _twiml()
