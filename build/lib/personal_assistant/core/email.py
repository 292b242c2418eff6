"""Outgoing email (magic links). SMTP when SMTP_HOST is set, else the console transport.

The console transport keeps the last messages in the in-memory OUTBOX (so tests and the
dashboard's end-to-end checks can read a link) and, in development only, logs the body at INFO
so a developer can click the link from the terminal. Elsewhere bodies are never logged: they
carry login links.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

import structlog

from personal_assistant.config import Settings, get_settings
from personal_assistant.core import clock
from personal_assistant.core.errors import ServiceUnavailable

log = structlog.get_logger("email")

OUTBOX_SIZE = 50


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    body: str
    created_at: datetime = field(default_factory=clock.now)


# Newest last. Only the console transport writes here.
OUTBOX: deque[OutgoingEmail] = deque(maxlen=OUTBOX_SIZE)


def last_email_to(address: str) -> OutgoingEmail | None:
    """The newest console email to `address` (tests, dashboard e2e)."""
    address = address.strip().lower()
    for message in reversed(OUTBOX):
        if message.to.lower() == address:
            return message
    return None


async def send_email(to: str, subject: str, body: str) -> str:
    """Send one plain-text email; returns the transport used ("smtp" or "console").

    Raises ServiceUnavailable when the SMTP server fails, so the caller can answer 503.
    """
    settings = get_settings()
    message = OutgoingEmail(to=to, subject=subject, body=body)
    if not settings.smtp_host:
        OUTBOX.append(message)
        if settings.is_development:
            log.info("email.console", to=to, subject=subject, body=body)
        else:
            log.info("email.console", subject=subject)
        return "console"
    try:
        await asyncio.to_thread(_send_smtp, settings, message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("email.smtp_failed", error_type=type(exc).__name__)
        raise ServiceUnavailable("could not send email right now, please try again") from exc
    log.info("email.sent", subject=subject)
    return "smtp"


def _send_smtp(settings: Settings, message: OutgoingEmail) -> None:
    email = EmailMessage()
    email["From"] = settings.smtp_from
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(email)
