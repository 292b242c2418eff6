"""Request and response bodies of the connector routes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ConnectorProvider(StrEnum):
    google = "google"
    microsoft = "microsoft"
    notion = "notion"


class ConnectorStatus(StrEnum):
    not_connected = "not_connected"
    connected = "connected"
    needs_reconnect = "needs_reconnect"


class ConnectorOut(BaseModel):
    provider: ConnectorProvider
    label: str
    available: bool = Field(description="the server has this provider's OAuth app configured")
    status: ConnectorStatus
    account: str | None = Field(None, description="the connected account, e.g. an email address")
    scopes: list[str] = Field(default_factory=list, description="scopes the person granted")
    scope_words: list[str] = Field(default_factory=list, description="what connecting allows, in plain words")
    consented_at: datetime | None = None
    last_sync_at: datetime | None = None
    last_error: str | None = None
    connect_url: str = Field(description="the dashboard page to connect or reconnect it")
    notes_parent: str | None = Field(None, description="Notion: the page new notes go under")


class AuthorizeOut(BaseModel):
    authorize_url: str = Field(description="send the person's browser here to consent")


class DisconnectOut(BaseModel):
    provider: ConnectorProvider
    revoked_at_provider: bool = Field(description="false: remove the app's access at remove_access_url")
    remove_access_url: str | None = None
