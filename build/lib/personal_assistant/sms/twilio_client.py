"""The one factory for Twilio REST clients: timeout from settings, optional fake base URL.

The twilio library is synchronous (requests); callers run it in a worker thread.
"""

from __future__ import annotations

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from personal_assistant.config import Settings, get_settings

TWILIO_API_BASE = "https://api.twilio.com"


class ReroutingHttpClient(TwilioHttpClient):
    """Sends api.twilio.com requests to another base URL (a local fake server in tests/benchmarks)."""

    def __init__(self, base_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API_BASE):
            url = self.base_url + url[len(TWILIO_API_BASE) :]
        return super().request(method, url, *args, **kwargs)


class TwilioNotConfigured(RuntimeError):
    pass


def build_client(settings: Settings | None = None) -> Client:
    settings = settings or get_settings()
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        raise TwilioNotConfigured("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required")
    timeout = settings.twilio_timeout_seconds
    http_client: TwilioHttpClient
    if settings.twilio_api_base_url:
        http_client = ReroutingHttpClient(settings.twilio_api_base_url, timeout=timeout)
    else:
        http_client = TwilioHttpClient(timeout=timeout)
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client)
