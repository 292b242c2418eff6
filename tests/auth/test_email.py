"""The email transports: console (outbox, dev-only body logging) and SMTP against a local server."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from personal_assistant.core.email import OUTBOX, last_email_to, send_email
from personal_assistant.core.errors import ServiceUnavailable


async def test_console_transport_keeps_the_message(settings_env):
    settings_env(SMTP_HOST=None)
    assert await send_email("Sam@Example.com", "Hello", "body with a link") == "console"
    assert last_email_to("sam@example.com").body == "body with a link"
    assert len(OUTBOX) == 1


class _FakeSmtp(threading.Thread):
    """A minimal SMTP server: enough of RFC 5321 for smtplib's send_message."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.data = b""

    def run(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            f = conn.makefile("rwb")
            f.write(b"220 fake ESMTP\r\n")
            f.flush()
            in_data = False
            while line := f.readline():
                if in_data:
                    if line == b".\r\n":
                        in_data = False
                        f.write(b"250 queued\r\n")
                    else:
                        self.data += line
                elif line.upper().startswith(b"EHLO"):
                    f.write(b"250 fake\r\n")
                elif line.upper().startswith(b"DATA"):
                    in_data = True
                    f.write(b"354 go\r\n")
                elif line.upper().startswith(b"QUIT"):
                    f.write(b"221 bye\r\n")
                    f.flush()
                    break
                else:
                    f.write(b"250 ok\r\n")
                f.flush()
        self.sock.close()


async def test_smtp_transport_delivers(settings_env):
    server = _FakeSmtp()
    server.start()
    settings_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(server.port), SMTP_STARTTLS="false", SMTP_FROM="a@b.example")
    assert await send_email("sam@example.com", "Your link", "https://x/verify?token=abc") == "smtp"
    await asyncio.to_thread(server.join, 5)
    assert b"Subject: Your link" in server.data and b"token=abc" in server.data
    assert len(OUTBOX) == 0


async def test_smtp_failure_is_service_unavailable(settings_env):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_TIMEOUT_SECONDS="2")
    with pytest.raises(ServiceUnavailable):
        await send_email("sam@example.com", "x", "y")
