"""The providers, by name. The tool registry's CONNECTORS names the same three."""

from __future__ import annotations

from personal_assistant.connectors.base import Connector
from personal_assistant.connectors.google.connector import GoogleConnector
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
