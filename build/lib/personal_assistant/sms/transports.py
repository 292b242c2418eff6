"""Outbound transports: `console` (embedded default: logged, nothing leaves the machine) and
`twilio` (REST API through the real twilio Client, in a worker thread, with retries and pacing).

A transport raises PermanentSendError for errors a retry cannot fix (21610: the recipient
unsubscribed; invalid numbers) and TransientSendError when retries of 429/5xx/timeouts ran out.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol

import requests
import structlog
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential
from twilio.base.exceptions import TwilioException, TwilioRestException

from personal_assistant.config import get_settings
from personal_assistant.core.crypto import random_token
from personal_assistant.sms import pacing
from personal_assistant.sms.twilio_client import build_client

log = structlog.get_logger("sms.transport")

# Twilio error codes that mean "this recipient must not be texted" (21610: replied STOP).
OPT_OUT_ERROR_CODES = frozenset({"21610"})
RETRY_ATTEMPTS = 4


@dataclass
class TransportResult:
    sid: str | None
    status: str  # queued|sent|console|...


class SendError(Exception):
    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


class PermanentSendError(SendError):
    @property
    def opted_out(self) -> bool:
        return self.code in OPT_OUT_ERROR_CODES


class TransientSendError(SendError):
    pass


class Transport(Protocol):
    name: str

    async def send(self, *, to: str, from_: str | None, body: str, status_callback: str | None) -> TransportResult: ...


class ConsoleTransport:
    """Stores like a real send (the caller does that) and logs ids only, never the body."""

    name = "console"

    async def send(self, *, to: str, from_: str | None, body: str, status_callback: str | None) -> TransportResult:
        sid = "CONSOLE" + random_token(12)
        log.info("sms.console_send", sid=sid, chars=len(body))
        return TransportResult(sid=sid, status="console")


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TwilioRestException):
        return exc.status == 429 or exc.status >= 500
    return isinstance(exc, requests.exceptions.Timeout | requests.exceptions.ConnectionError)


class TwilioTransport:
    name = "twilio"

    def __init__(self) -> None:
        self.client = build_client()

    def _create(self, to: str, from_: str, body: str, status_callback: str | None):
        kwargs = {"to": to, "from_": from_, "body": body}
        if status_callback:
            kwargs["status_callback"] = status_callback
        return self.client.messages.create(**kwargs)

    async def send(self, *, to: str, from_: str | None, body: str, status_callback: str | None) -> TransportResult:
        if not from_:
            raise PermanentSendError("no_from_number", "no dedicated or shared number configured")
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception(_is_transient),
                stop=stop_after_attempt(RETRY_ATTEMPTS),
                wait=wait_random_exponential(multiplier=0.25, max=4),
                reraise=True,
            ):
                with attempt:
                    await pacing.wait_for_slot(from_)
                    message = await asyncio.to_thread(self._create, to, from_, body, status_callback)
        except TwilioRestException as exc:
            code = str(exc.code or exc.status)
            log.warning("sms.twilio_error", status=exc.status, code=code)
            if _is_transient(exc):
                raise TransientSendError(code) from exc
            raise PermanentSendError(code) from exc
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
            log.warning("sms.twilio_unreachable", error_type=type(exc).__name__)
            raise TransientSendError("timeout") from exc
        except TwilioException as exc:  # e.g. RFC-9457 service errors
            log.warning("sms.twilio_error", error_type=type(exc).__name__)
            raise PermanentSendError("twilio") from exc
        return TransportResult(sid=message.sid, status=message.status or "queued")


def get_transport() -> Transport:
    if get_settings().effective_sms_transport == "twilio":
        return TwilioTransport()
    return ConsoleTransport()
