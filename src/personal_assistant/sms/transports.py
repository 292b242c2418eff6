"""Outbound transports: `console` (embedded default: logged, nothing leaves the machine) and
`twilio` (REST API through the real twilio Client, in a worker thread, with a timeout).

A transport tells the outbox (sms/outbox.py) exactly what it knows about a failed send:
- PermanentSendError: a retry cannot fix it (21610: the recipient unsubscribed; invalid numbers);
- TransientSendError: Twilio did NOT accept the text (it answered 429/5xx, or no connection was
  made), so sending again later cannot double it;
- UncertainSendError: the request may have reached Twilio (a read timeout, a connection dropped
  mid-request). Twilio's Messages API has no idempotency key, so the outbox never re-sends such a
  text blindly: it looks it up first (`lookup`).

Only Twilio needs pacing (`paced`); the outbox reserves the number's slot before it sends.

Twilio calls go through the resilience layer (core/resilience.py, provider "twilio"): the twilio
client runs in the provider's worker threads, "not accepted" answers are tried again within the
dispatch (RETRY_ATTEMPTS), and a circuit breaker stops calling a Twilio that keeps failing (a send
refused by an open breaker is a TransientSendError: it never left).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn, Protocol

import requests
import structlog
from twilio.base.exceptions import TwilioException, TwilioRestException
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from personal_assistant.core import clock, resilience
from personal_assistant.core.crypto import random_token
from personal_assistant.core.resilience import ProviderUnavailable
from personal_assistant.sms.twilio_client import build_client

log = structlog.get_logger("sms.transport")

# Twilio error codes that mean "this recipient must not be texted" (21610: replied STOP).
OPT_OUT_ERROR_CODES = frozenset({"21610"})
# Tries inside one dispatch, for answers that say "not accepted" (429, 5xx, no connection); later
# tries are the outbox's (with backoff), so one dispatch stays well inside its lease.
RETRY_ATTEMPTS = 2
# How many of the recent messages between two numbers a lookup reads.
LOOKUP_LIMIT = 20


@dataclass
class TransportResult:
    sid: str | None
    status: str  # queued|accepted|sent|console|...


class SendError(Exception):
    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


class PermanentSendError(SendError):
    @property
    def opted_out(self) -> bool:
        return self.code in OPT_OUT_ERROR_CODES


class TransientSendError(SendError):
    """Not accepted by the provider: safe to send again later."""


class UncertainSendError(SendError):
    """The provider may have accepted the text: look it up before sending again."""


class Transport(Protocol):
    name: str
    paced: bool

    async def send(self, *, to: str, from_: str | None, body: str, status_callback: str | None) -> TransportResult: ...

    async def lookup(self, *, to: str, from_: str | None, body: str, since: datetime) -> TransportResult | None:
        """The provider's record of this text sent after `since`, or None if it has none."""
        ...


class ConsoleTransport:
    """Stores like a real send (the outbox does that) and logs ids only, never the body."""

    name = "console"
    paced = False

    async def send(self, *, to: str, from_: str | None, body: str, status_callback: str | None) -> TransportResult:
        sid = "CONSOLE" + random_token(12)
        log.info("sms.console_send", sid=sid, chars=len(body))
        return TransportResult(sid=sid, status="console")

    async def lookup(self, *, to: str, from_: str | None, body: str, since: datetime) -> TransportResult | None:
        # Nothing leaves the machine: a console text whose outcome was not recorded was, at most,
        # printed to a log; sending it again is the right thing.
        return None


def _never_connected(exc: BaseException) -> bool:
    """The request did not leave: no connection was made."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError | ConnectTimeoutError | ConnectionRefusedError)
    return False


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TwilioRestException):
        return exc.status == 429 or exc.status >= 500
    return _never_connected(exc)


def _breaker_failure(exc: BaseException) -> bool:
    """What says Twilio is unwell (the breaker counts it): not-accepted answers, and requests that
    got no answer at all (timeouts). Our own 4xx (a bad number) do not."""
    return _is_transient(exc) or isinstance(exc, requests.exceptions.RequestException)


def _deadline(seconds_per_request: float) -> float:
    # Every attempt gets its full request timeout plus the wait before it: one dispatch stays well
    # inside the outbox lease (OUTBOX_LEASE_SECONDS, 45 s by default).
    return RETRY_ATTEMPTS * (seconds_per_request + 2.0) + 1.0


def _same_text(a: str | None, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join(b.split())


class TwilioTransport:
    name = "twilio"
    paced = True

    def __init__(self) -> None:
        from personal_assistant.config import get_settings

        self.client = build_client()
        self._deadline = _deadline(get_settings().twilio_timeout_seconds)

    def _create(self, to: str, from_: str, body: str, status_callback: str | None):
        kwargs = {"to": to, "from_": from_, "body": body}
        if status_callback:
            kwargs["status_callback"] = status_callback
        return self.client.messages.create(**kwargs)

    async def send(self, *, to: str, from_: str | None, body: str, status_callback: str | None) -> TransportResult:
        if not from_:
            raise PermanentSendError("no_from_number", "no dedicated or shared number configured")
        try:
            message = await resilience.guarded_sync(
                "twilio",
                lambda: self._create(to, from_, body, status_callback),
                attempts=RETRY_ATTEMPTS,
                transient=_is_transient,
                failure=_breaker_failure,
                timeout=self._deadline,
            )
        except ProviderUnavailable as exc:
            if exc.reason == "circuit_open":
                log.warning("sms.twilio_circuit_open")
                raise TransientSendError("circuit_open") from exc
            cause = exc.__cause__
            if cause is None or isinstance(cause, TimeoutError):
                # The deadline passed while a request was in flight: it may have been accepted.
                log.warning("sms.twilio_unreachable", error_type="deadline")
                raise UncertainSendError("timeout") from exc
            self._raise_send_error(cause)
        except Exception as exc:
            self._raise_send_error(exc)
        return TransportResult(sid=message.sid, status=message.status or "queued")

    @staticmethod
    def _raise_send_error(exc: BaseException) -> NoReturn:
        """What the outbox must know about a failed create (see the module docstring)."""
        if isinstance(exc, TwilioRestException):
            code = str(exc.code or exc.status)
            log.warning("sms.twilio_error", status=exc.status, code=code)
            if _is_transient(exc):
                raise TransientSendError(code) from exc
            raise PermanentSendError(code) from exc
        if isinstance(exc, requests.exceptions.RequestException):
            log.warning("sms.twilio_unreachable", error_type=type(exc).__name__)
            if _never_connected(exc):
                raise TransientSendError("unreachable") from exc
            raise UncertainSendError("timeout") from exc
        if isinstance(exc, TwilioException):  # e.g. RFC-9457 service errors
            log.warning("sms.twilio_error", error_type=type(exc).__name__)
            raise PermanentSendError("twilio") from exc
        raise exc

    def _recent(self, to: str, from_: str):
        return self.client.messages.list(to=to, from_=from_, limit=LOOKUP_LIMIT)

    async def lookup(self, *, to: str, from_: str | None, body: str, since: datetime) -> TransportResult | None:
        """Twilio's newest messages between the two numbers: one with this body created after
        `since` is ours (a duplicate of the same body to the same phone within minutes is the
        one case this cannot tell apart, and then not sending again is the safe answer)."""
        if not from_:
            return None
        try:
            # A read: safe to try again on any transient error.
            recent = await resilience.guarded_sync(
                "twilio", lambda: self._recent(to, from_), attempts=RETRY_ATTEMPTS, failure=_breaker_failure,
                timeout=self._deadline,
            )
        except (ProviderUnavailable, TwilioException, requests.exceptions.RequestException) as exc:
            raise TransientSendError("lookup_failed") from exc
        for item in recent:
            created = item.date_created
            if created is not None and clock.as_utc(created) < since:
                continue
            if _same_text(item.body, body):
                return TransportResult(sid=item.sid, status=str(item.status or "queued"))
        return None


_transports: dict[tuple, Transport] = {}


def get_transport() -> Transport:
    """The configured transport, one per configuration (a Twilio client keeps its connections)."""
    from personal_assistant.config import get_settings

    settings = get_settings()
    kind = settings.effective_sms_transport
    key = (kind, settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_base_url,
           settings.twilio_timeout_seconds)
    transport = _transports.get(key)
    if transport is None:
        transport = TwilioTransport() if kind == "twilio" else ConsoleTransport()
        _transports.clear()
        _transports[key] = transport
    return transport
