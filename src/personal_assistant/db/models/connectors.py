"""Per-user OAuth connections (tokens encrypted at rest) and pending authorization states."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin, TimestampMixin, UserOwned

PROVIDERS = ("google", "microsoft", "notion")


class Connector(IdMixin, UserOwned, TimestampMixin, Base):
    __tablename__ = "connectors"
    __table_args__ = (UniqueConstraint("user_id", "provider"),)

    provider: Mapped[str] = mapped_column(String(16))
    # connected | needs_reconnect (a refresh failed for good: invalid_grant, revoked consent)
    status: Mapped[str] = mapped_column(String(16), default="connected")
    account_label: Mapped[str | None] = mapped_column(String(320))
    access_token_encrypted: Mapped[str | None] = mapped_column(Text)
    refresh_token_encrypted: Mapped[str | None] = mapped_column(Text)
    token_cache_encrypted: Mapped[str | None] = mapped_column(Text)  # MSAL cache blob
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    expires_at: Mapped[datetime | None]
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    consented_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    # When the person was last texted that this connection broke (at most once a day).
    health_notified_at: Mapped[datetime | None]
    # Provider choices made at connect time, e.g. {"parent_page_id": ...} for Notion.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OAuthState(IdMixin, UserOwned, Base):
    __tablename__ = "oauth_states"

    provider: Mapped[str] = mapped_column(String(16))
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    flow_encrypted: Mapped[str] = mapped_column(Text)  # PKCE verifier / MSAL flow dict
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]  # a state is redeemed once; a replay is refused
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class EventReminder(IdMixin, UserOwned, Base):
    """A calendar event the sync job made a reminder for: re-syncing finds it and makes none."""

    __tablename__ = "event_reminders"
    __table_args__ = (UniqueConstraint("user_id", "provider", "event_key"),)

    provider: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(255))  # the provider's event id + its start
    reminder_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("reminders.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
