"""The providers, by name. The tool registry's CONNECTORS names the same three."""

from __future__ import annotations

from urllib.parse import urlsplit

from personal_assistant.config import get_settings
from personal_assistant.connectors.base import Connector
from personal_assistant.connectors.google.connector import GoogleConnector
from personal_assistant.connectors.google.connector import endpoints as google_endpoints
from personal_assistant.connectors.microsoft.connector import MicrosoftConnector
from personal_assistant.connectors.notion.connector import NotionConnector
from personal_assistant.core.errors import NotFound

PROVIDERS: dict[str, Connector] = {
    "google": GoogleConnector(),
    "microsoft": MicrosoftConnector(),
    "notion": NotionConnector(),
}


def get_connector(provider: str) -> Connector:
    connector = PROVIDERS.get(provider)
    if connector is None:
        raise NotFound("connector")
    return connector


def consent_origins() -> list[str]:
    """The origins of the providers' consent pages. The Connections page's forms are submitted to
    the app and redirected there, and browsers apply the page's CSP form-action to that redirect:
    without them in it, Connect does nothing."""
    s = get_settings()
    urls = [google_endpoints()["auth"], s.microsoft_authority, s.notion_base_url]
    return sorted({f"{u.scheme}://{u.netloc}" for u in map(urlsplit, urls)})
